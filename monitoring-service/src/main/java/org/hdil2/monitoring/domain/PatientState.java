package org.hdil2.monitoring.domain;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * What the evaluation keeps of one patient: recent observations per parameter in effective-time order, the therapy
 * context, every rule's last reported status, the active findings, and a sequence that grows with every change.
 */
public record PatientState(String patientId, long sequence, TherapyContext therapy,
                           Map<String, List<ObservationFact>> history, Map<String, RuleStatus> statuses,
                           Map<String, ActiveFinding> active, Integer news2Total, Instant evaluatedAt,
                           boolean inputsPending) {

    static final Comparator<ObservationFact> BY_TIME = Comparator.comparing(ObservationFact::effectiveTime)
            .thenComparing(ObservationFact::observationId);

    public static PatientState empty(String patientId) {
        return new PatientState(patientId, 0, null, new TreeMap<>(), new TreeMap<>(), new TreeMap<>(), null, null, false);
    }

    public List<ObservationFact> historyOf(String parameter) {
        return history.getOrDefault(parameter, List.of());
    }

    public ObservationFact latest(String parameter) {
        List<ObservationFact> facts = history.get(parameter);
        return facts == null || facts.isEmpty() ? null : facts.get(facts.size() - 1);
    }

    public boolean contains(ObservationFact fact) {
        return historyOf(fact.parameter()).stream().anyMatch(f -> f.observationId().equals(fact.observationId()));
    }

    /** The latest observation of each parameter, by parameter name. */
    public List<ObservationFact> latestInputs() {
        List<ObservationFact> latest = new ArrayList<>();
        history.values().forEach(facts -> {
            if (!facts.isEmpty()) {
                latest.add(facts.get(facts.size() - 1));
            }
        });
        return latest;
    }

    PatientState withInputsPending(boolean pending) {
        return new PatientState(patientId, sequence, therapy, history, statuses, active, news2Total, evaluatedAt, pending);
    }

    /**
     * A copy with {@code fact} inserted in effective-time order, dropping what is older than {@code horizon} before
     * {@code asOf} and keeping at most {@code cap} per parameter (the newest always stays).
     */
    PatientState with(ObservationFact fact, Instant asOf, java.time.Duration horizon, int cap) {
        Map<String, List<ObservationFact>> copy = new TreeMap<>(history);
        List<ObservationFact> facts = new ArrayList<>(historyOf(fact.parameter()));
        int at = Collections.binarySearch(facts, fact, BY_TIME);
        facts.add(at < 0 ? -at - 1 : at, fact);
        Instant oldest = asOf.minus(horizon);
        while (facts.size() > 1 && (facts.size() > cap || facts.get(0).effectiveTime().isBefore(oldest))) {
            facts.remove(0);
        }
        copy.put(fact.parameter(), List.copyOf(facts));
        return new PatientState(patientId, sequence, therapy, copy, statuses, active, news2Total, evaluatedAt, inputsPending);
    }

    PatientState withTherapy(TherapyContext context) {
        return new PatientState(patientId, sequence, context, history, statuses, active, news2Total, evaluatedAt, inputsPending);
    }
}
