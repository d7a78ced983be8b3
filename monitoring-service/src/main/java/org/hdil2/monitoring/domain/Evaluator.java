package org.hdil2.monitoring.domain;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;

/**
 * Applies one observation to a patient's evaluation. Rules are judged on the latest value per code by the
 * observation's effective time, not its arrival: an older observation arriving late changes nothing, and the same
 * observation delivered twice changes nothing.
 */
public final class Evaluator {

    private final List<ThresholdRule> rules;

    public Evaluator(List<ThresholdRule> rules) {
        this.rules = List.copyOf(rules);
    }

    public List<ThresholdRule> rules() {
        return rules;
    }

    public EvaluationOutcome apply(PatientEvaluation state, ObservationFact observation) {
        ObservationFact latest = state.latestByCode().get(observation.code());
        if (latest != null && (latest.observationId().equals(observation.observationId())
                || observation.effectiveTime().isBefore(latest.effectiveTime()))) {
            return new EvaluationOutcome(state, false, List.of(), List.of());
        }
        Map<String, ObservationFact> latestByCode = new TreeMap<>(state.latestByCode());
        latestByCode.put(observation.code(), observation);
        Map<String, ActiveFinding> active = new TreeMap<>(state.activeByRule());
        List<ActiveFinding> raised = new ArrayList<>();
        List<EvaluationOutcome.Cleared> cleared = new ArrayList<>();
        for (ThresholdRule rule : rules) {
            if (!rule.code().equals(observation.code())) {
                continue;
            }
            boolean met = rule.isMetBy(observation.value());
            ActiveFinding current = active.get(rule.id());
            if (met && current == null) {
                ActiveFinding finding = new ActiveFinding(findingId(state.patientId(), rule, observation), rule, observation);
                active.put(rule.id(), finding);
                raised.add(finding);
            } else if (!met && current != null) {
                active.remove(rule.id());
                cleared.add(new EvaluationOutcome.Cleared(current, observation));
            }
        }
        PatientEvaluation next = new PatientEvaluation(state.patientId(), state.sequence() + 1, latestByCode, active);
        return new EvaluationOutcome(next, true, raised, cleared);
    }

    /** Deterministic, so a re-evaluation of the same observation names the same finding. */
    static String findingId(String patientId, ThresholdRule rule, ObservationFact observation) {
        String seed = patientId + "|" + rule.id() + "@" + rule.version() + "|" + observation.observationId();
        return UUID.nameUUIDFromBytes(seed.getBytes(StandardCharsets.UTF_8)).toString();
    }
}
