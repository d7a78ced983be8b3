package org.hdil2.monitoring.domain;

import java.util.List;

/** The new state after one observation, and what changed: findings raised and cleared. Unchanged: both empty, state same. */
public record EvaluationOutcome(PatientEvaluation state, boolean changed, List<ActiveFinding> raised,
                                List<Cleared> cleared) {

    public record Cleared(ActiveFinding finding, ObservationFact clearedBy) {
    }
}
