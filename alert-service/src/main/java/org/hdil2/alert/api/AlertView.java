package org.hdil2.alert.api;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.JsonNode;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

/**
 * An alert as client apps see it. {@code status}: ACTIVE, LATCHED (HIGH alert whose condition cleared before anyone
 * acknowledged it), ACKNOWLEDGED, RESOLVED, DISMISSED; {@code condition}: PRESENT or CLEARED; {@code alarmState} and
 * {@code inactivationState} in IHE PCD ACM terms. {@code protocol}: the protocol the alert's finding was evaluated
 * under, absent for alerts stored before findings named it. {@code history} is given for a single alert.
 */
@Schema(description = "An alert: a secondary notification, never a replacement for bedside device alarms.")
@JsonInclude(JsonInclude.Include.NON_NULL)
public record AlertView(UUID id, String patientId, UUID findingId, UUID currentFindingId, String ruleId, String ruleVersion,
                        String ruleAction,
                        @Schema(description = "The protocol (id and version) the alert's finding was evaluated under; "
                                + "absent for alerts stored before findings named it.") Protocol protocol,
                        String severity, String priority, String status, String condition,
                        String alarmState, String inactivationState, boolean latching, String phase, String title,
                        String detail, JsonNode sourceObservation, String ward, String bed, Instant raisedAt,
                        Instant updatedAt, Instant conditionChangedAt, Instant acknowledgedAt, String acknowledgedBy,
                        int escalationLevel, Instant nextEscalationAt, int reopenCount, Instant resolvedAt,
                        String resolvedReason, String dismissReason, String notice, List<Transition> history) {

    /** A protocol by id and version (the version absent when the finding did not name it). */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Protocol(String id, String version) {
    }

    /** One step of the history: who, when, what, from which status to which. */
    public record Transition(Instant at, String actor, String action, String fromStatus, String toStatus, String detail) {
    }
}
