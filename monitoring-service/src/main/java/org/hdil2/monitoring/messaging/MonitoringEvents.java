package org.hdil2.monitoring.messaging;

import java.util.Set;

/**
 * Every event type monitoring-service publishes or reads, in one place. The published set is compared with the
 * AsyncAPI document's send operations by a test; the read ones are this service's own copy of the producers' names.
 */
public final class MonitoringEvents {

    // published on the observations topic (in order with a patient's observations, read back by the evaluation)
    public static final String OBSERVATION_RECORDED = "org.hdil2.monitoring.observation-recorded.v1";
    public static final String THERAPY_UPDATED = "org.hdil2.monitoring.therapy-updated.v1";

    // published by the evaluation on the findings topic
    public static final String FINDING_RAISED = "org.hdil2.monitoring.finding-raised.v1";
    public static final String FINDING_UPDATED = "org.hdil2.monitoring.finding-updated.v1";
    public static final String FINDING_CLEARED = "org.hdil2.monitoring.finding-cleared.v1";
    public static final String EVALUATION_UPDATED = "org.hdil2.monitoring.evaluation-updated.v1";
    public static final String EVALUATION_CHECKPOINT = "org.hdil2.monitoring.evaluation-checkpoint.v1";

    public static final Set<String> PUBLISHED = Set.of(OBSERVATION_RECORDED, THERAPY_UPDATED, FINDING_RAISED, FINDING_UPDATED,
            FINDING_CLEARED, EVALUATION_UPDATED, EVALUATION_CHECKPOINT);

    // read from device gateways' inbound topic
    public static final String OBSERVATION_SUBMITTED = "org.hdil2.monitoring.observation-submitted.v1";

    // read from dosing-service's events topic
    public static final String COURSE_ORDERED = "org.hdil2.dosing.course-ordered.v1";
    public static final String COURSE_VERIFIED = "org.hdil2.dosing.course-verified.v1";
    public static final String COURSE_PROTOCOL_CHANGED = "org.hdil2.dosing.course-protocol-changed.v1";
    public static final String COURSE_COMPLETED = "org.hdil2.dosing.course-completed.v1";
    public static final String COURSE_DISCONTINUED = "org.hdil2.dosing.course-discontinued.v1";
    public static final String DOSE_GIVEN = "org.hdil2.dosing.dose-given.v1";
    public static final String DOSE_HELD = "org.hdil2.dosing.dose-held.v1";
    public static final String DOSE_MISSED = "org.hdil2.dosing.dose-missed.v1";
    public static final String DOSE_CORRECTED = "org.hdil2.dosing.dose-corrected.v1";
    public static final String HOLD_STARTED = "org.hdil2.dosing.hold-started.v1";
    public static final String HOLD_ENDED = "org.hdil2.dosing.hold-ended.v1";
    public static final String EVALUATION_LAPSED = "org.hdil2.dosing.evaluation-lapsed.v1";
    public static final String EVALUATION_RESTORED = "org.hdil2.dosing.evaluation-restored.v1";

    private MonitoringEvents() {
    }
}
