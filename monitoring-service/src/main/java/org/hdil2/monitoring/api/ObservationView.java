package org.hdil2.monitoring.api;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.UUID;

public record ObservationView(UUID id, String patientId, String system, String code, BigDecimal value, String unit,
                              BigDecimal originalValue, String originalUnit, Instant effectiveTime, Instant recordedAt,
                              String recordedBy, String sourceKind) {
}
