package org.hdil2.monitoring.domain;

import java.math.BigDecimal;
import java.math.MathContext;
import java.time.Duration;
import java.time.Instant;

/**
 * One normalised observation as the evaluation sees it: which parameter, how much (for coded observations the
 * catalog ordinal and the code), when it was true (a time, or a period ending at {@code effectiveTime}), who recorded it.
 */
public record ObservationFact(String observationId, String parameter, String code, BigDecimal value, String valueCode,
                              String unit, Instant effectiveTime, Instant periodStart, String sourceKind) {

    /** When the observed state began: the period's start, or the effective time. */
    public Instant start() {
        return periodStart == null ? effectiveTime : periodStart;
    }

    public boolean hasPeriod() {
        return periodStart != null && periodStart.isBefore(effectiveTime);
    }

    /** Hours covered by the period (to the millisecond); zero without one. */
    public BigDecimal periodHours() {
        if (!hasPeriod()) {
            return BigDecimal.ZERO;
        }
        return BigDecimal.valueOf(Duration.between(periodStart, effectiveTime).toMillis())
                .divide(BigDecimal.valueOf(3_600_000), MathContext.DECIMAL64);
    }

    /** A period long enough to divide by: intake refuses shorter ones, the evaluation treats them as having none. */
    public boolean hasMeasurablePeriod() {
        return hasPeriod() && periodHours().signum() > 0;
    }
}
