package org.hdil2.dosing.domain;

import java.math.BigDecimal;
import java.time.Instant;

/**
 * What a physician orders: the patient, the dosing weight with when and how it was measured, the first dose's time,
 * and the protocol (null: the deployment's default).
 */
public record CourseOrder(String patientId, BigDecimal dosingWeightKg, Instant weightMeasuredAt, String weightSource,
                          Instant firstDoseAt, String protocolId) {
}
