package org.hdil2.dosing.domain;

/** The events dosing-service publishes (topic {@code hdil2.topics.dosing-events}), each with its CloudEvents type. */
public enum CourseEventType {
    COURSE_ORDERED("org.hdil2.dosing.course-ordered.v1"),
    COURSE_VERIFIED("org.hdil2.dosing.course-verified.v1"),
    COURSE_PROTOCOL_CHANGED("org.hdil2.dosing.course-protocol-changed.v1"),
    COURSE_COMPLETED("org.hdil2.dosing.course-completed.v1"),
    COURSE_DISCONTINUED("org.hdil2.dosing.course-discontinued.v1"),
    DOSE_GIVEN("org.hdil2.dosing.dose-given.v1"),
    DOSE_HELD("org.hdil2.dosing.dose-held.v1"),
    DOSE_MISSED("org.hdil2.dosing.dose-missed.v1"),
    DOSE_CORRECTED("org.hdil2.dosing.dose-corrected.v1"),
    HOLD_STARTED("org.hdil2.dosing.hold-started.v1"),
    HOLD_ENDED("org.hdil2.dosing.hold-ended.v1"),
    EVALUATION_LAPSED("org.hdil2.dosing.evaluation-lapsed.v1"),
    EVALUATION_RESTORED("org.hdil2.dosing.evaluation-restored.v1");

    private final String type;

    CourseEventType(String type) {
        this.type = type;
    }

    public String type() {
        return type;
    }
}
