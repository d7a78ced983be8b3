package org.hdil2.monitoring.domain;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;

/**
 * Evaluates a protocol for one patient: on an observation, on a change of therapy context, and on time passing.
 * Every rule is judged on the observations' effective times as of the evaluation time, so a late observation is
 * placed where it belongs, a repeated one changes nothing, and a duration rule fires when its time is reached.
 *
 * <p>A finding is raised when its rule becomes met and lives until the rule's resume condition holds on fresh data:
 * a met rule whose input goes stale stays a finding (reported NOT_EVALUABLE), it never quietly clears.
 */
public final class Evaluator {

    /** Observations kept per parameter at most, whatever the horizon (a bedside monitor may send one a second). */
    static final int CAP_PER_PARAMETER = 128;
    /** How long a newer input that changed no rule may wait before the evaluation is published with it. */
    public static final Duration DEFAULT_SNAPSHOT_REFRESH = Duration.ofMinutes(5);

    private final Protocol protocol;
    private final RuleEvaluator rules;
    private final Map<String, Duration> horizons;
    private final Set<String> withHistory;
    private final Map<String, List<Condition>> runTests;
    private final Map<String, Set<String>> readers;
    private final Duration snapshotRefresh;

    public Evaluator(Protocol protocol) {
        this(protocol, DEFAULT_SNAPSHOT_REFRESH);
    }

    public Evaluator(Protocol protocol, Duration snapshotRefresh) {
        this.protocol = protocol;
        this.rules = new RuleEvaluator(protocol);
        this.horizons = horizons(protocol);
        this.withHistory = parametersWithHistory(protocol);
        this.runTests = runTests(protocol);
        this.readers = readers(protocol);
        this.snapshotRefresh = snapshotRefresh;
    }

    public Protocol protocol() {
        return protocol;
    }

    public EvaluationOutcome apply(PatientState state, ObservationFact fact, Instant asOf) {
        Duration horizon = horizons.getOrDefault(fact.parameter(), Duration.ofHours(24));
        if (state.contains(fact) || (state.latest(fact.parameter()) != null && fact.effectiveTime().isBefore(asOf.minus(horizon)))) {
            return EvaluationOutcome.unchanged(state);
        }
        ObservationFact previousLatest = state.latest(fact.parameter());
        int cap = withHistory.contains(fact.parameter()) ? CAP_PER_PARAMETER : 1;
        PatientState next = thin(state.with(fact, asOf, horizon, cap), fact.parameter());
        boolean twinOfLatest = previousLatest != null && fact.effectiveTime().equals(previousLatest.effectiveTime());
        if (twinOfLatest || !Objects.equals(previousLatest, next.latest(fact.parameter()))) {
            next = next.withInputsPending(true);
        } else if (cap == 1) {
            return EvaluationOutcome.unchanged(state); // older than the latest, and only the latest is kept
        }
        Precheck precheck = anyChange(next, asOf, readers.getOrDefault(fact.parameter(), Set.of()));
        if (!precheck.changed()) {
            return EvaluationOutcome.storedOnly(next);
        }
        return evaluate(next, asOf, false, true, precheck.news2());
    }

    /** What the pre-check found, and the NEWS2 it scored on the way (null if none), for the evaluation that follows. */
    private record Precheck(boolean changed, News2.Result news2) {
    }

    /**
     * Whether the rules that read the new observation's parameter change state, or the evaluation is due anyway: a
     * cheap pre-check, so a stream of unchanged monitor readings costs a few rules, not the protocol. When it says
     * yes, the whole protocol is evaluated (and time-driven changes of other rules come along), with the NEWS2 it
     * scored (same state, same time).
     */
    private Precheck anyChange(PatientState state, Instant asOf, Set<String> ruleIds) {
        if (state.statuses().isEmpty() || (state.inputsPending() && (state.evaluatedAt() == null
                || !asOf.isBefore(state.evaluatedAt().plus(snapshotRefresh))))) {
            return new Precheck(true, null);
        }
        News2.Result news2 = null;
        for (RuleDefinition rule : protocol.rules()) {
            if (!ruleIds.contains(rule.id())) {
                continue;
            }
            if (rule.kind() == RuleDefinition.Kind.NEWS2 && news2 == null) {
                news2 = rules.news2(state, asOf);
                if (!java.util.Objects.equals(news2.evaluable() ? news2.total() : null, state.news2Total())) {
                    return new Precheck(true, news2);
                }
            }
            RuleResult result = rules.evaluate(rule, state, asOf, news2);
            ActiveFinding current = state.active().get(rule.id());
            RuleStatus before = state.statuses().get(rule.id());
            if (transition(current, result) != Transition.NONE) {
                return new Precheck(true, news2);
            }
            if (before == null || before.state() != reported(current, result) || !Detail.sameMeaning(before.detail(), result.detail())) {
                return new Precheck(true, news2);
            }
        }
        return new Precheck(false, news2);
    }

    public EvaluationOutcome applyTherapy(PatientState state, TherapyContext context, Instant asOf) {
        if (Objects.equals(state.therapy(), context)) {
            return EvaluationOutcome.unchanged(state);
        }
        return evaluate(state.withTherapy(context), asOf, true, true, null);
    }

    /** How long after its last observation a patient not on therapy is forgotten by the evaluation. */
    public static final Duration DORMANT_AFTER = Duration.ofDays(7);

    /**
     * A patient whose newest observation is older than {@link #DORMANT_AFTER}, who is not on therapy and has no
     * evaluation failure standing: the state can go (consumers keep the last evaluation they received, findings
     * included, so nothing is silently lifted).
     */
    public boolean dormant(PatientState state, Instant asOf) {
        if ((state.therapy() != null && state.therapy().onTherapy()) || !state.failures().isEmpty()) {
            return false;
        }
        return state.latestInputs().stream().map(ObservationFact::effectiveTime).max(Instant::compareTo)
                .map(newest -> newest.isBefore(asOf.minus(DORMANT_AFTER))).orElse(true);
    }

    /** Re-evaluation because time passed: publishes only when a rule's state does change (a duration reached, an input stale). */
    public EvaluationOutcome tick(PatientState state, Instant asOf) {
        return evaluate(state, asOf, false, false, null);
    }

    /** {@code scored}: the patient's NEWS2 already scored for this state at {@code asOf}, or null. */
    private EvaluationOutcome evaluate(PatientState state, Instant asOf, boolean publish, boolean dirty, News2.Result scored) {
        Map<String, ActiveFinding> active = new TreeMap<>(state.active());
        Map<String, RuleStatus> statuses = new TreeMap<>();
        List<RuleStatus> report = new ArrayList<>();
        List<ActiveFinding> raised = new ArrayList<>();
        List<EvaluationOutcome.Updated> updated = new ArrayList<>();
        List<EvaluationOutcome.Cleared> cleared = new ArrayList<>();
        News2.Result news2 = scored != null ? scored : rules.news2(state, asOf);
        for (RuleDefinition rule : protocol.rules()) {
            RuleResult result = rules.evaluate(rule, state, asOf, news2);
            ActiveFinding current = active.get(rule.id());
            Transition transition = transition(current, result);
            RuleState reported = reported(current, result);
            String reason = result.reason();
            if (transition == Transition.RAISE) {
                current = new ActiveFinding(findingId(state.patientId(), rule, result), rule.id(), rule.version(),
                        result.severity(), result.detail(), result.deciding(), result.evidence(), result.metSince());
                active.put(rule.id(), current);
                raised.add(current);
            } else if (transition == Transition.UPDATE) {
                ActiveFinding changed = new ActiveFinding(current.findingId(), rule.id(), rule.version(), result.severity(),
                        result.detail(), result.deciding(), result.evidence(), current.raisedAt());
                active.put(rule.id(), changed);
                updated.add(new EvaluationOutcome.Updated(changed, current.severity()));
                current = changed;
            } else if (transition == Transition.CLEAR) {
                active.remove(rule.id());
                cleared.add(new EvaluationOutcome.Cleared(current, result.deciding(), "resume condition met: " + resumeText(rule)
                        + " (" + result.reason() + ")"));
                current = null;
            } else if (current != null && result.state() != RuleState.MET) {
                // fail closed: the finding stays until its resume condition is seen on fresh data
                reason = (result.state() == RuleState.NOT_EVALUABLE ? result.reason() + "; " : "")
                        + "finding active since " + current.raisedAt() + " until " + resumeText(rule);
            }
            List<String> ids = result.evidence().stream().map(ObservationFact::observationId).toList();
            RuleStatus status = new RuleStatus(rule.id(), reported, current == null ? null : current.findingId(),
                    result.detail(), reason, ids);
            report.add(status);
            statuses.put(rule.id(), status.compact());
        }
        for (String ruleId : List.copyOf(active.keySet())) {
            if (protocol.rule(ruleId).isEmpty()) {
                ActiveFinding orphan = active.remove(ruleId);
                cleared.add(new EvaluationOutcome.Cleared(orphan, orphan.deciding(), "rule " + ruleId + " is no longer in protocol "
                        + protocol.id() + " v" + protocol.version()));
            }
        }
        Integer news2Total = news2.evaluable() ? news2.total() : null;
        boolean statusChanged = statuses.size() != state.statuses().size()
                || statuses.entrySet().stream().anyMatch(e -> !e.getValue().sameAs(state.statuses().get(e.getKey())))
                || !Objects.equals(news2Total, state.news2Total());
        boolean refreshDue = state.inputsPending()
                && (state.evaluatedAt() == null || !asOf.isBefore(state.evaluatedAt().plus(snapshotRefresh)));
        if (!(publish || statusChanged || refreshDue || !raised.isEmpty() || !updated.isEmpty() || !cleared.isEmpty())) {
            return dirty ? EvaluationOutcome.storedOnly(state) : EvaluationOutcome.unchanged(state);
        }
        PatientState next = state.evaluated(statuses, active, news2Total, asOf);
        return new EvaluationOutcome(next, true, true, raised, updated, cleared, report, news2);
    }

    /**
     * For a parameter only duration rules look back on, drops observations in the middle of a run that every such
     * rule judges alike: the run's first observation (which dates it) and the newest two stay, so every run start is
     * kept, and a late observation still splits a run where it belongs. A monitor sending a normal temperature every
     * minute then costs three entries, not a day of them.
     */
    private PatientState thin(PatientState state, String parameter) {
        List<Condition> tests = runTests.get(parameter);
        List<ObservationFact> facts = state.historyOf(parameter);
        if (tests == null || facts.size() <= 3) {
            return state;
        }
        Condition.Scale scale = new Condition.Scale(parameter, protocol.limitsOf(parameter), false);
        List<ObservationFact> kept = new ArrayList<>();
        String previous = null;
        for (int i = 0; i < facts.size(); i++) {
            String signature = signature(tests, facts.get(i), scale);
            if (i == 0 || i >= facts.size() - 2 || !signature.equals(previous)) {
                kept.add(facts.get(i));
            }
            previous = signature;
        }
        if (kept.size() == facts.size()) {
            return state;
        }
        Map<String, List<ObservationFact>> history = new TreeMap<>(state.history());
        history.put(parameter, List.copyOf(kept));
        return state.withHistory(history);
    }

    private static String signature(List<Condition> tests, ObservationFact fact, Condition.Scale scale) {
        StringBuilder signature = new StringBuilder(tests.size());
        for (Condition test : tests) {
            boolean holds;
            try {
                holds = test.holds(fact.value(), fact.valueCode(), scale);
            } catch (Condition.MissingLimit e) {
                holds = false;
            }
            signature.append(holds ? '1' : '0');
        }
        return signature.toString();
    }

    /**
     * The tests of the duration rules (and graded durations) per parameter, for parameters whose history only those
     * read: a window rule needs every observation, and so does a duration rule on a derived value.
     */
    private static Map<String, List<Condition>> runTests(Protocol protocol) {
        Map<String, List<Condition>> tests = new HashMap<>();
        Set<String> full = new HashSet<>();
        for (RuleDefinition rule : protocol.rules()) {
            if (rule.parameter() == null) {
                continue;
            }
            switch (rule.kind()) {
                case WINDOW_SUM, WINDOW_MAX -> full.add(rule.parameter());
                case SUSTAINED -> {
                    if (rule.deriveOrValue() != RuleDefinition.Derive.VALUE) {
                        full.add(rule.parameter());
                    }
                    tests.computeIfAbsent(rule.parameter(), k -> new ArrayList<>()).add(rule.when());
                }
                case CTCAE_GRADE -> rule.bands().stream().filter(b -> b.duration() != null).forEach(b -> {
                    if (rule.deriveOrValue() != RuleDefinition.Derive.VALUE) {
                        full.add(rule.parameter());
                    }
                    tests.computeIfAbsent(rule.parameter(), k -> new ArrayList<>()).add(b.when());
                });
                default -> {
                }
            }
        }
        full.forEach(tests::remove);
        return tests;
    }

    /** What a rule's result does to its finding. */
    private enum Transition { RAISE, UPDATE, CLEAR, NONE }

    private static Transition transition(ActiveFinding current, RuleResult result) {
        if (current == null) {
            return result.state() == RuleState.MET ? Transition.RAISE : Transition.NONE;
        }
        if (result.state() == RuleState.MET) {
            boolean changed = !Objects.equals(current.severity(), result.severity())
                    || !Detail.sameMeaning(current.detail(), result.detail());
            return changed ? Transition.UPDATE : Transition.NONE;
        }
        return result.state() == RuleState.NOT_MET && result.resumed() ? Transition.CLEAR : Transition.NONE;
    }

    /** The state reported for a rule: an active finding whose resume condition has not been seen is still MET. */
    private static RuleState reported(ActiveFinding current, RuleResult result) {
        boolean kept = current != null && result.state() == RuleState.NOT_MET && !result.resumed();
        return kept ? RuleState.MET : result.state();
    }

    private static String resumeText(RuleDefinition rule) {
        if (rule.resumeCondition() != null) {
            return rule.resumeCondition();
        }
        return rule.resumeWhen() != null ? rule.parameter() + " " + rule.resumeWhen().describe() : "the criterion is no longer met";
    }

    /** Deterministic: the same rule met on the same observation at the same time names the same finding. */
    static String findingId(String patientId, RuleDefinition rule, RuleResult result) {
        String seed = patientId + "|" + rule.id() + "@" + rule.version() + "|"
                + (result.deciding() == null ? "" : result.deciding().observationId()) + "|" + result.metSince();
        return UUID.nameUUIDFromBytes(seed.getBytes(StandardCharsets.UTF_8)).toString();
    }

    /** The rules that read each parameter (NEWS2 rules read all of its parameters). */
    private static Map<String, Set<String>> readers(Protocol protocol) {
        Map<String, Set<String>> readers = new HashMap<>();
        for (RuleDefinition rule : protocol.rules()) {
            List<String> reads = rule.kind() == RuleDefinition.Kind.NEWS2 ? News2.PARAMETERS : rule.parameter() == null
                    ? List.of() : List.of(rule.parameter());
            reads.forEach(p -> readers.computeIfAbsent(p, k -> new HashSet<>()).add(rule.id()));
        }
        return readers;
    }

    /** Parameters some rule reads more than the latest value of (a run, a window, a graded duration). */
    private static Set<String> parametersWithHistory(Protocol protocol) {
        Set<String> parameters = new HashSet<>();
        for (RuleDefinition rule : protocol.rules()) {
            boolean history = switch (rule.kind()) {
                case SUSTAINED, WINDOW_SUM, WINDOW_MAX -> true;
                case CTCAE_GRADE -> rule.bands().stream().anyMatch(b -> b.duration() != null);
                default -> false;
            };
            if (history && rule.parameter() != null) {
                parameters.add(rule.parameter());
            }
        }
        return parameters;
    }

    /** How far back each parameter's observations matter: the longest window, duration or freshness of its rules. */
    private static Map<String, Duration> horizons(Protocol protocol) {
        Map<String, Duration> horizons = new HashMap<>();
        for (RuleDefinition rule : protocol.rules()) {
            Duration need = Duration.ofHours(1);
            if (rule.freshness() != null) {
                need = max(need, rule.freshness());
            }
            if (rule.duration() != null) {
                need = max(need, rule.duration().multipliedBy(2));
            }
            if (rule.window() != null) {
                need = max(need, rule.window().multipliedBy(rule.consecutiveOrOne() + 1L));
            }
            if (rule.bands() != null) {
                for (Band band : rule.bands()) {
                    if (band.duration() != null) {
                        need = max(need, band.duration().multipliedBy(2));
                    }
                }
            }
            if (rule.parameter() != null) {
                horizons.merge(rule.parameter(), need, Evaluator::max);
            }
        }
        return horizons;
    }

    private static Duration max(Duration a, Duration b) {
        return a.compareTo(b) >= 0 ? a : b;
    }
}
