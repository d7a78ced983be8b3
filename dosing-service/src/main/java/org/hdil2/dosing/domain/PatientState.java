package org.hdil2.dosing.domain;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;

/**
 * What monitoring last said about the patient: latest inputs by code, the findings active now, the rules its
 * protocol requires before a dose that it could not evaluate (an input missing or too old), and up to which intake
 * sequence of the patient's accepted observations the evaluation includes, and the protocol it was evaluated under
 * (null for an evaluation stored before dosing kept it).
 */
public record PatientState(long sequence, Instant evaluatedAt, List<Input> latestInputs, List<Finding> activeFindings,
                           List<Gap> preDoseGaps, long intakeSequence, String protocolId) {

    public PatientState(long sequence, Instant evaluatedAt, List<Input> latestInputs, List<Finding> activeFindings,
                        List<Gap> preDoseGaps, long intakeSequence) {
        this(sequence, evaluatedAt, latestInputs, activeFindings, preDoseGaps, intakeSequence, null);
    }

    public PatientState(long sequence, Instant evaluatedAt, List<Input> latestInputs, List<Finding> activeFindings) {
        this(sequence, evaluatedAt, latestInputs, activeFindings, List.of(), 0);
    }

    public PatientState(long sequence, Instant evaluatedAt, List<Input> latestInputs, List<Finding> activeFindings, List<Gap> preDoseGaps) {
        this(sequence, evaluatedAt, latestInputs, activeFindings, preDoseGaps, 0);
    }

    /** The protocol actions a finding can carry that dosing acts on. */
    public static final String WITHHOLD = "WITHHOLD";
    public static final String DISCONTINUE = "DISCONTINUE";

    /**
     * The active findings whose rule has {@code action}: the one answer to "is a withhold (or discontinuation) active?",
     * for the hold events and for the pre-dose decision alike.
     */
    public List<Finding> findingsWith(String action) {
        return activeFindings.stream().filter(f -> action.equals(f.action())).toList();
    }

    /** A withhold criterion is met. */
    public boolean holding() {
        return !findingsWith(WITHHOLD).isEmpty();
    }

    /** A pre-dose rule that could not be evaluated, and why. */
    public record Gap(String ruleId, String reason) {
    }

    /** A latest input as monitoring evaluated it: its parameter id (the shared catalog's) and the code it was sent under. */
    public record Input(String parameter, String code, BigDecimal value, String unit, Instant effectiveTime, String observationId) {
    }

    /** An active finding as the decision cites it. */
    public record Finding(String findingId, String ruleId, String ruleVersion, String action, String criterion,
                          String source, BigDecimal value, String unit, Instant effectiveTime, String observationId) {
    }
}
