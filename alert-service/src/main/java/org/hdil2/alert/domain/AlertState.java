package org.hdil2.alert.domain;

import java.time.Instant;
import java.util.UUID;

/** An alert's whole state, as stored and as restored: the aggregate {@link Alert} changes it, nothing else does. */
public record AlertState(UUID id, String patientId, UUID findingId, UUID currentFindingId, String ruleId, String ruleVersion,
                         String ruleAction, String severity, Priority priority, AlertStatus status, Condition condition,
                         Instant conditionChangedAt, boolean latching, Phase phase, String ward, String bed, String title,
                         String detail, String sourceObservation, Instant raisedAt, Instant updatedAt,
                         Instant acknowledgedAt, String acknowledgedBy, Instant endedAt, EndCause endCause,
                         DismissReason dismissReason, Instant resolvedAt, String resolvedReason, int escalationLevel,
                         Instant nextEscalationAt, int reopenCount) {
}
