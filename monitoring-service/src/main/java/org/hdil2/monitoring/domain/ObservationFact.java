package org.hdil2.monitoring.domain;

import java.math.BigDecimal;
import java.time.Instant;

/** One normalised observation as the evaluation sees it: what, how much, when it was true, who recorded it. */
public record ObservationFact(String observationId, String code, BigDecimal value, String unit, Instant effectiveTime,
                              String sourceKind) {
}
