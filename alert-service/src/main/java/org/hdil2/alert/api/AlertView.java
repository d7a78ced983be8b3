package org.hdil2.alert.api;

import java.time.Instant;
import java.util.UUID;

public record AlertView(UUID id, String patientId, UUID findingId, String ruleId, String ruleVersion, String priority,
                        String status, String title, String detail, Instant raisedAt, Instant resolvedAt,
                        String resolvedReason) {
}
