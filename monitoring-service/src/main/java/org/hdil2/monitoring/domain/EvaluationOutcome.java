package org.hdil2.monitoring.domain;

import java.util.List;

/**
 * The patient's new state and what to publish: findings raised, updated and cleared, and the evaluation report
 * ({@code changed}). {@code dirty}: the state must be stored even when nothing is published (a new observation
 * joined the history without changing any rule).
 */
public record EvaluationOutcome(PatientState state, boolean changed, boolean dirty, List<ActiveFinding> raised,
                                List<Updated> updated, List<Cleared> cleared, List<RuleStatus> report,
                                News2.Result news2) {

    public record Updated(ActiveFinding finding, String previousSeverity) {
    }

    public record Cleared(ActiveFinding finding, ObservationFact clearedBy, String reason) {
    }

    static EvaluationOutcome unchanged(PatientState state) {
        return new EvaluationOutcome(state, false, false, List.of(), List.of(), List.of(), List.of(), null);
    }

    static EvaluationOutcome storedOnly(PatientState state) {
        return new EvaluationOutcome(state, false, true, List.of(), List.of(), List.of(), List.of(), null);
    }
}
