package org.hdil2.monitoring.app;

import java.math.BigDecimal;
import java.time.Instant;

/**
 * One observation as a nurse app, a device gateway or the lab submits it: the contract's
 * {@code org.hdil2.monitoring.observation-submitted.v1} (REST body, Kafka inbound value). {@code system} defaults to
 * LOINC; {@code value} for quantities, {@code valueCode} for coded observations; {@code effectiveTime} or
 * {@code effectivePeriod}. Everything is checked by {@link ObservationIntake}, the same way on every path.
 */
public record ObservationRequest(String observationId, String patientId, String system, String code, BigDecimal value,
                                 String valueCode, String unit, Instant effectiveTime, Period effectivePeriod, String status,
                                 Source source) {

    public record Period(Instant start, Instant end) {
    }

    public record Source(String kind, String id) {
    }
}
