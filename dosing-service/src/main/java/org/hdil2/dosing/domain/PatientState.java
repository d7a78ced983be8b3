package org.hdil2.dosing.domain;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;

/** What monitoring last said about the patient: latest inputs by code and the findings active now. */
public record PatientState(long sequence, Instant evaluatedAt, List<Input> latestInputs, List<Finding> activeFindings) {

    public record Input(String code, BigDecimal value, String unit, Instant effectiveTime, String observationId) {
    }

    /** An active finding as the decision cites it. */
    public record Finding(String findingId, String ruleId, String ruleVersion, String action, String criterion,
                          String source, BigDecimal value, String unit, Instant effectiveTime, String observationId) {
    }
}
