package org.hdil2.kit.outbox;

import java.time.Duration;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

@ConfigMapping(prefix = "hdil2.outbox")
public interface OutboxConfig {

    /** Whether this instance relays outbox rows to Kafka. Rows are always written. */
    @WithDefault("true")
    boolean relayEnabled();

    /** How often the relay looks for rows when no commit woke it (rows of crashed instances, retries). */
    @WithDefault("500ms")
    Duration pollInterval();

    @WithDefault("200")
    int batchSize();

    /** Published rows are kept this long (for investigation), then deleted. */
    @WithDefault("P7D")
    Duration retention();

    /** The {@code ce_source} of every event this service publishes, e.g. {@code /hdil2/dosing-service}. */
    String source();
}
