package org.hdil2.monitoring.api;

/** The topics every integration test of this service runs with: one set, so the test classes share one application. */
public final class MonitoringTopics {

    public static final String ALL = "hdil2.monitoring.observations.v1,hdil2.monitoring.findings.v1,"
            + "hdil2.monitoring.observations.inbound.v1,hdil2.dosing.events.v1";

    private MonitoringTopics() {
    }
}
