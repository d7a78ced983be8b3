package org.hdil2.monitoring.domain;

import java.math.BigDecimal;
import java.time.Instant;

/**
 * What dosing told us of the patient's course: active or not, the pre-treatment weight, the last dose's start, and the
 * protocol the course is under (null: not known, as for courses announced before courses named one).
 */
public record TherapyContext(String courseId, boolean onTherapy, BigDecimal baselineWeightKg, Instant lastDoseAt,
                             String protocolId) {

    public TherapyContext(String courseId, boolean onTherapy, BigDecimal baselineWeightKg, Instant lastDoseAt) {
        this(courseId, onTherapy, baselineWeightKg, lastDoseAt, null);
    }
}
