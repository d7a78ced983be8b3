package org.hdil2.monitoring.domain;

import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * One patient's stored history replayed through an evaluator in effective-time order, as the live evaluation would
 * have judged it: the observations, the course (from its order, with the dosing weight as baseline) and each dose
 * given. Between two events the evaluation is ticked every {@code tick}, as the live one is every 30 s, so a duration
 * rule fires and an input goes stale in the replay too. Plain Java: it reads nothing and publishes nothing.
 *
 * <p>At each dose given it records what the protocol's findings said then: a WITHHOLD finding active means the dose
 * would have been held, a DISCONTINUE finding active means the course would have been stopped.
 */
public final class Replay {

    /** What is stored of the patient's course: when it was ordered, its dosing weight, the doses given (their starts). */
    public record Course(String courseId, Instant orderedAt, BigDecimal baselineWeightKg, List<Instant> dosesGiven) {
    }

    /** The patient's stored observations (any order) and course (null: none). */
    public record History(String patientId, List<ObservationFact> observations, Course course) {
    }

    /** A dose given, and what the replayed protocol's active findings said at its start. */
    public record DoseJudgement(Instant at, boolean held, boolean stopped, List<String> withholdRules, List<String> discontinueRules) {
    }

    /** The replay of one patient under one protocol: findings raised per rule, and the judgement at each dose. */
    public record Result(String patientId, String protocolId, String protocolVersion, int observations,
                         Map<String, Integer> raisedByRule, List<DoseJudgement> doses) {

        public long held() {
            return doses.stream().filter(DoseJudgement::held).count();
        }

        public long stopped() {
            return doses.stream().filter(DoseJudgement::stopped).count();
        }
    }

    private static final Duration QUIET = Duration.ofHours(48);

    private Replay() {
    }

    public static Result of(Evaluator evaluator, History history, Duration tick) {
        List<Event> events = new ArrayList<>();
        history.observations().forEach(o -> events.add(new Event(o.effectiveTime(), 1, o, null)));
        Course course = history.course();
        if (course != null) {
            events.add(new Event(course.orderedAt(), 0, null, null));
            course.dosesGiven().forEach(d -> events.add(new Event(d, 2, null, d)));
        }
        events.sort(Comparator.comparing(Event::at).thenComparing(Event::order)
                .thenComparing(e -> e.observation() == null ? "" : e.observation().observationId()));

        Protocol protocol = evaluator.protocol();
        Map<String, Integer> raised = new TreeMap<>();
        List<DoseJudgement> doses = new ArrayList<>();
        PatientState state = PatientState.empty(history.patientId(), events.isEmpty() ? null : events.get(0).at());
        Instant lastDose = null;
        Instant clock = null;
        for (Event e : events) {
            if (clock != null) {
                // past two days without an event every input is stale and every duration decided: ticking on changes nothing
                Instant until = e.at().isBefore(clock.plus(QUIET)) ? e.at() : clock.plus(QUIET);
                for (Instant t = clock.plus(tick); t.isBefore(until); t = t.plus(tick)) {
                    state = count(evaluator.tick(state, t), raised);
                }
            }
            clock = e.at();
            if (e.order() == 0) {
                state = count(evaluator.applyTherapy(state, therapy(course, null, protocol), e.at()), raised);
            } else if (e.order() == 1) {
                state = count(evaluator.apply(state, e.observation(), e.at()), raised);
            } else {
                // judged before the dose: the decision a nurse would have had at its start
                state = count(evaluator.tick(state, e.at()), raised);
                doses.add(judge(protocol, state, e.at()));
                lastDose = e.dose();
                state = count(evaluator.applyTherapy(state, therapy(course, lastDose, protocol), e.at()), raised);
            }
        }
        return new Result(history.patientId(), protocol.id(), protocol.version(), history.observations().size(), raised,
                List.copyOf(doses));
    }

    /** The course as the live evaluation knows it from dosing: on therapy, its dosing weight, its last dose, its protocol. */
    private static TherapyContext therapy(Course course, Instant lastDose, Protocol protocol) {
        return new TherapyContext(course.courseId(), true, course.baselineWeightKg(), lastDose, protocol.id());
    }

    private static DoseJudgement judge(Protocol protocol, PatientState state, Instant at) {
        List<String> withhold = new ArrayList<>();
        List<String> discontinue = new ArrayList<>();
        for (ActiveFinding f : state.active().values()) {
            String action = protocol.rule(f.ruleId()).map(RuleDefinition::action).orElse("NOTIFY");
            if ("WITHHOLD".equals(action)) {
                withhold.add(f.ruleId());
            } else if ("DISCONTINUE".equals(action)) {
                discontinue.add(f.ruleId());
            }
        }
        return new DoseJudgement(at, !withhold.isEmpty() || !discontinue.isEmpty(), !discontinue.isEmpty(), withhold, discontinue);
    }

    private static PatientState count(EvaluationOutcome outcome, Map<String, Integer> raised) {
        outcome.raised().forEach(f -> raised.merge(f.ruleId(), 1, Integer::sum));
        return outcome.state();
    }

    /** {@code order}: the course's order first, then observations, then a dose, at one time. */
    private record Event(Instant at, int order, ObservationFact observation, Instant dose) {
    }
}
