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
 * {@code stateEpoch} is when this state began (a patient forgotten and seen again starts a new epoch, so its
 * evaluations never reuse an earlier one's ids); {@code intakeSequence} is the highest intake sequence of the
 * patient's accepted observations taken into account; {@code failures} are the observations it could not evaluate.
 */
public record PatientState(String patientId, long sequence, TherapyContext therapy,
                           Map<String, List<ObservationFact>> history, Map<String, RuleStatus> statuses,
                           Map<String, ActiveFinding> active, Integer news2Total, Instant evaluatedAt,
                           boolean inputsPending, Instant stateEpoch, long intakeSequence, List<EvaluationFailure> failures) {

    /** Observations of one parameter at its newest time kept beside the newest whatever the cap. */
    static final int MAX_TWINS = 3;

    /** Failures kept per patient at most (the newest). */
    static final int MAX_FAILURES = 16;

    static final Comparator<ObservationFact> BY_TIME = Comparator.comparing(ObservationFact::effectiveTime)
            .thenComparing(ObservationFact::observationId);

    public PatientState {
        failures = failures == null ? List.of() : List.copyOf(failures);
    }

    /** A new patient without an epoch, as states from before epochs were; the topology always gives one. */
    public static PatientState empty(String patientId) {
        return empty(patientId, null);
    }

    public static PatientState empty(String patientId, Instant stateEpoch) {
        return new PatientState(patientId, 0, null, new TreeMap<>(), new TreeMap<>(), new TreeMap<>(), null, null, false,
                stateEpoch, 0, List.of());
    }

    public List<ObservationFact> historyOf(String parameter) {
        return history.getOrDefault(parameter, List.of());
    }

    public ObservationFact latest(String parameter) {
        List<ObservationFact> facts = history.get(parameter);
        return facts == null || facts.isEmpty() ? null : facts.get(facts.size() - 1);
    }

    /**
     * The observations of {@code parameter} taken at the same time as the latest (same effective time and period
     * start) whose value disagrees with it: two devices, or a device and a nurse, saying different things about one
     * moment. Empty when the latest stands alone or its twins agree.
     */
    public List<ObservationFact> disagreeingWithLatest(String parameter) {
        List<ObservationFact> disagreeing = new ArrayList<>();
        twinsOfLatest(parameter, disagreeing);
        return disagreeing;
    }

    /** Whether {@link #disagreeingWithLatest} would find any, without building the list (asked on every evaluation). */
    public boolean latestDisagrees(String parameter) {
        return twinsOfLatest(parameter, null);
    }

    /** Whether a twin of the latest disagrees with it; each one into {@code into}, or stop at the first when it is null. */
    private boolean twinsOfLatest(String parameter, List<ObservationFact> into) {
        List<ObservationFact> facts = history.get(parameter);
        if (facts == null || facts.size() < 2) {
            return false;
        }
        ObservationFact latest = facts.get(facts.size() - 1);
        boolean found = false;
        for (int i = facts.size() - 2; i >= 0 && facts.get(i).effectiveTime().equals(latest.effectiveTime()); i--) {
            ObservationFact twin = facts.get(i);
            if (java.util.Objects.equals(twin.periodStart(), latest.periodStart()) && !sameValue(twin, latest)) {
                if (into == null) {
                    return true;
                }
                into.add(twin);
                found = true;
            }
        }
        return found;
    }

    private static boolean sameValue(ObservationFact a, ObservationFact b) {
        boolean values = a.value() == null ? b.value() == null : b.value() != null && a.value().compareTo(b.value()) == 0;
        return values && java.util.Objects.equals(a.valueCode(), b.valueCode()) && java.util.Objects.equals(a.unit(), b.unit());
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
        return new PatientState(patientId, sequence, therapy, history, statuses, active, news2Total, evaluatedAt, pending,
                stateEpoch, intakeSequence, failures);
    }

    /**
     * A copy with {@code fact} inserted in effective-time order, dropping what is older than {@code horizon} before
     * {@code asOf} and keeping at most {@code cap} per parameter (the newest always stays, and with it up to
     * {@link #MAX_TWINS} others of the same time, so that a disagreement about that time stays visible).
     */
    PatientState with(ObservationFact fact, Instant asOf, java.time.Duration horizon, int cap) {
        Map<String, List<ObservationFact>> copy = new TreeMap<>(history);
        List<ObservationFact> facts = new ArrayList<>(historyOf(fact.parameter()));
        int at = Collections.binarySearch(facts, fact, BY_TIME);
        facts.add(at < 0 ? -at - 1 : at, fact);
        Instant oldest = asOf.minus(horizon);
        Instant newest = facts.get(facts.size() - 1).effectiveTime();
        while (facts.size() > 1 && (facts.size() > cap || facts.get(0).effectiveTime().isBefore(oldest))) {
            boolean twinOfNewest = facts.get(0).effectiveTime().equals(newest);
            if (twinOfNewest && facts.size() <= cap + MAX_TWINS) {
                break;
            }
            facts.remove(0);
        }
        copy.put(fact.parameter(), List.copyOf(facts));
        return withHistory(copy);
    }

    PatientState withHistory(Map<String, List<ObservationFact>> newHistory) {
        return new PatientState(patientId, sequence, therapy, newHistory, statuses, active, news2Total, evaluatedAt, inputsPending,
                stateEpoch, intakeSequence, failures);
    }

    PatientState withTherapy(TherapyContext context) {
        return new PatientState(patientId, sequence, context, history, statuses, active, news2Total, evaluatedAt, inputsPending,
                stateEpoch, intakeSequence, failures);
    }

    /** The next published evaluation: sequence + 1, evaluated at {@code asOf}. */
    PatientState evaluated(Map<String, RuleStatus> newStatuses, Map<String, ActiveFinding> newActive, Integer newNews2Total,
                           Instant asOf) {
        return new PatientState(patientId, sequence + 1, therapy, history, newStatuses, newActive, newNews2Total, asOf, false,
                stateEpoch, intakeSequence, failures);
    }

    /** The evaluation now includes the accepted observations up to {@code sequence} (it never goes back). */
    public PatientState includingIntake(long sequence) {
        if (sequence <= intakeSequence) {
            return this;
        }
        return new PatientState(patientId, this.sequence, therapy, history, statuses, active, news2Total, evaluatedAt, inputsPending,
                stateEpoch, sequence, failures);
    }

    /** With one more failure (the newest {@link #MAX_FAILURES} are kept). */
    public PatientState withFailure(EvaluationFailure failure) {
        List<EvaluationFailure> next = new ArrayList<>(failures);
        next.add(failure);
        while (next.size() > MAX_FAILURES) {
            next.remove(0);
        }
        return withFailures(next);
    }

    /** Without the failures that evaluating {@code fact} lifts, and those that have expired by {@code asOf}. */
    public PatientState liftingFailures(ObservationFact fact, Instant asOf) {
        if (failures.isEmpty()) {
            return this;
        }
        return withFailures(failures.stream().filter(f -> !(fact != null && f.liftedBy(fact)) && !f.expired(asOf)).toList());
    }

    /** After a successful re-evaluation: without the failed re-evaluations, and without what has expired by {@code asOf}. */
    public PatientState reevaluated(Instant asOf) {
        if (failures.isEmpty()) {
            return this;
        }
        return withFailures(failures.stream().filter(f -> f.kind() != EvaluationFailure.Kind.EVALUATION && !f.expired(asOf)).toList());
    }

    private PatientState withFailures(List<EvaluationFailure> next) {
        if (next.equals(failures)) {
            return this;
        }
        return new PatientState(patientId, sequence, therapy, history, statuses, active, news2Total, evaluatedAt, inputsPending,
                stateEpoch, intakeSequence, next);
    }
}
