package org.hdil2.monitoring.api;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.UUID;

import org.hdil2.monitoring.app.ObservationRequest;

/**
 * A stored observation: the canonical value and unit, and what was submitted. {@code intakeSequence} orders the
 * patient's accepted observations; the patient's evaluation includes this one once its {@code intakeSequence} is at
 * least as high.
 */
public record ObservationView(UUID id, String senderId, String patientId, String parameter, String system, String code,
                              String display, BigDecimal value, String valueCode, String unit, BigDecimal originalValue,
                              String originalUnit, Instant effectiveTime, ObservationRequest.Period effectivePeriod,
                              String status, Instant recordedAt, String recordedBy, String sourceKind, String sourceId,
                              Long intakeSequence) {
}
