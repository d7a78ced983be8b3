package org.hdil2.alert.config;

import java.time.Duration;
import java.util.Optional;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import io.smallrye.config.WithName;

/** alert-service settings; each can be set by environment variable (e.g. {@code HDIL2_ALERTS_FLAP_WINDOW}). */
@ConfigMapping(prefix = "hdil2.alerts")
public interface AlertConfig {

    /** A rule met again this soon after its alert ended reopens that alert instead of raising a new one. */
    @WithDefault("PT10M")
    Duration flapWindow();

    Priorities priority();

    Escalation escalation();

    Scheduler scheduler();

    Sse sse();

    Webhook webhook();

    interface Priorities {
        /** Priority of a WITHHOLD finding: HIGH, MEDIUM, LOW or SEVERITY (the finding's severity). */
        @WithDefault("HIGH")
        String withhold();

        @WithDefault("HIGH")
        String discontinue();

        @WithName("notify")
        @WithDefault("SEVERITY")
        String notifyAction();

        /** Per-rule overrides, {@code RULE=PRIORITY} pairs separated by commas. */
        Optional<String> ruleOverrides();
    }

    interface Escalation {
        @WithDefault("PRIMARY_NURSE,CHARGE_NURSE@PT2M,PHYSICIAN@PT5M")
        String high();

        @WithDefault("PRIMARY_NURSE,CHARGE_NURSE@PT10M")
        String medium();

        @WithDefault("PRIMARY_NURSE")
        String low();
    }

    interface Scheduler {
        /** Whether this replica runs the escalation and webhook schedulers (they claim rows, so several may). */
        @WithDefault("true")
        boolean enabled();

        @WithDefault("1s")
        Duration interval();

        @WithDefault("50")
        int batchSize();
    }

    interface Sse {
        /** How often SSE streams look for notifications another replica wrote (this replica's wake at once). */
        @WithDefault("250ms")
        Duration pollInterval();

        @WithDefault("15s")
        Duration heartbeat();
    }

    interface Webhook {
        /** The alarm middleware's endpoint; without it no deliveries are recorded. */
        Optional<String> url();

        /** HMAC-SHA256 key: the body's signature goes in {@code X-HDIL2-Signature: sha256=<hex>}. */
        Optional<String> secret();

        @WithDefault("10")
        int maxAttempts();

        @WithDefault("PT2S")
        Duration initialBackoff();

        @WithDefault("PT5M")
        Duration maxBackoff();

        @WithDefault("PT5S")
        Duration timeout();
    }
}
