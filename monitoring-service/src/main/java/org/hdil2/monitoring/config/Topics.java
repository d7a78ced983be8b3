package org.hdil2.monitoring.config;

import io.smallrye.config.ConfigMapping;

/** The topics monitoring-service reads and writes, in one place ({@code hdil2.topics.*}, suffixed per environment). */
@ConfigMapping(prefix = "hdil2.topics")
public interface Topics {

    /** observation-recorded and therapy-updated, written through the outbox; read by the evaluation. */
    String observations();

    /** findings, evaluations and checkpoints, written by the evaluation; read back by the projection. */
    String findings();

    /** observation-submitted from device gateways and labs, read. */
    String observationsInbound();

    /** dosing-service's events, read for the therapy context. */
    String dosingEvents();
}
