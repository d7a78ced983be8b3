package org.hdil2.alert.domain;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * What one change of an alert did, for the application layer to persist and publish in the change's transaction: the
 * history line, the notification people get (none for a comment), the analytics event, the audit line and the
 * alarm-fatigue measures it counts.
 */
public record AlertEffect(Transition transition, Optional<Notice> notice, AlertEvent event, AuditLine audit,
                          Set<Measure> measures) {

    /** One line of the alert's history: who, what, from which status to which. */
    public record Transition(Instant at, String actor, String action, AlertStatus from, AlertStatus to, String detail) {
    }

    /**
     * A notification of the alert's new state.
     *
     * @param targetRole the role addressed (first step or escalation), or null
     * @param recipients the users addressed; empty means the ward's team at large
     */
    public record Notice(Phase phase, Change change, AssignmentRole targetRole, List<String> recipients) {
    }

    /** The audit action and its details (never patient data beyond the ids the trail records anyway). */
    public record AuditLine(String action, Map<String, Object> details) {
    }

    /** Alarm-fatigue measures a change counts. */
    public enum Measure {
        RAISED,
        REOPENED,
        ACKNOWLEDGED,
        ESCALATED,
        ENDED,
        DISMISSED
    }
}
