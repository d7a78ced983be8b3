package org.hdil2.alert.domain;

import java.time.Instant;
import java.util.UUID;

/**
 * An alert's whole state, as stored and as restored: the aggregate {@link Alert} changes it, nothing else does.
 * {@code protocolId} / {@code protocolVersion}: the protocol of the finding the alert reflects, null when unknown
 * (alerts stored before findings named it).
 */
public record AlertState(UUID id, String patientId, UUID findingId, UUID currentFindingId, String ruleId, String ruleVersion,
                         String ruleAction, String protocolId, String protocolVersion, String severity, Priority priority,
                         AlertStatus status, Condition condition, Instant conditionChangedAt, boolean latching, Phase phase,
                         String ward, String bed, String title, String detail, String sourceObservation, Instant raisedAt,
                         Instant updatedAt, Instant acknowledgedAt, String acknowledgedBy, Instant endedAt, EndCause endCause,
                         DismissReason dismissReason, Instant resolvedAt, String resolvedReason, int escalationLevel,
                         Instant nextEscalationAt, int reopenCount) {
}
