package org.hdil2.monitoring.domain;

import java.math.BigDecimal;
import java.time.Instant;

/** What dosing told us of the patient's course: active or not, the pre-treatment weight, the last dose's start. */
public record TherapyContext(String courseId, boolean onTherapy, BigDecimal baselineWeightKg, Instant lastDoseAt) {
}
