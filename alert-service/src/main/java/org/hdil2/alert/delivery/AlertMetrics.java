package org.hdil2.alert.delivery;

import java.time.Duration;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.hdil2.kit.tx.AfterCommit;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;

/**
 * Alarm-fatigue measures as Prometheus metrics, recorded after the change commits (a rolled-back change counts
 * nothing). Tags carry rule ids, priorities and reason codes only: never patient data.
 */
@ApplicationScoped
public class AlertMetrics {

    @Inject
    MeterRegistry meters;

    @Inject
    AfterCommit afterCommit;

    public void raised(String ruleId, String priority) {
        afterCommit(() -> Counter.builder("hdil2.alerts.raised").description("alerts raised (new, not reopened)")
                .tag("rule", ruleId).tag("priority", priority).register(meters).increment());
    }

    public void reopened(String ruleId, String priority) {
        afterCommit(() -> Counter.builder("hdil2.alerts.reopened").description("alerts reopened by a flapping condition")
                .tag("rule", ruleId).tag("priority", priority).register(meters).increment());
    }

    public void acknowledged(String ruleId, String priority, Duration sinceRaised) {
        afterCommit(() -> Timer.builder("hdil2.alerts.time.to.acknowledge").description("time from raise to acknowledgement")
                .tag("rule", ruleId).tag("priority", priority).publishPercentiles(0.5, 0.9, 0.99).register(meters)
                .record(sinceRaised.isNegative() ? Duration.ZERO : sinceRaised));
    }

    public void escalated(String ruleId, String priority, int level) {
        afterCommit(() -> Counter.builder("hdil2.alerts.escalated").description("escalation steps taken")
                .tag("rule", ruleId).tag("priority", priority).tag("level", Integer.toString(level)).register(meters).increment());
    }

    /** The escalation depth an alert reached when it ended (0: the first recipient handled it). */
    public void ended(String ruleId, String priority, int depth) {
        afterCommit(() -> DistributionSummary.builder("hdil2.alerts.escalation.depth")
                .description("escalation level reached by ended alerts").tag("priority", priority)
                .serviceLevelObjectives(1, 2, 3).register(meters).record(depth));
    }

    public void dismissed(String ruleId, String reason) {
        afterCommit(() -> Counter.builder("hdil2.alerts.dismissed").description("alerts dismissed by reason")
                .tag("rule", ruleId).tag("reason", reason).register(meters).increment());
    }

    private void afterCommit(Runnable r) {
        afterCommit.run(r);
    }
}
