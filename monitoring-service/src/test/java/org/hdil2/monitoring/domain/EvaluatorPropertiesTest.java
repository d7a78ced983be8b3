package org.hdil2.monitoring.domain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import org.hdil2.monitoring.config.ProtocolCatalog;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * Generated patient histories: any sequence of observations the contract lets through (every catalog parameter,
 * values across, at and beyond the plausible range, any representable number, late, early, with periods from a
 * millisecond to more than a day), therapy changes and time passing. Whatever the sequence, the evaluation never
 * throws, the sequence only grows, and every rule of the protocol is reported with each published evaluation.
 */
class EvaluatorPropertiesTest {

    private static final Instant T0 = Instant.parse("2026-11-29T00:00:00Z");
    private static final Evaluator LABEL = new Evaluator(ProtocolCatalog.read("label-2024"));
    private static final Evaluator CONSENSUS = new Evaluator(ProtocolCatalog.read("consensus-2014"));

    /** One thing that happens to the patient: time passes by {@code advance}, then an observation, a therapy change or a tick. */
    record Step(Duration advance, ObservationFact observation, TherapyContext therapy) {
    }

    @Property(tries = 2000)
    void noHistoryMakesTheEvaluationThrow(@ForAll("histories") List<Step> history, @ForAll boolean consensus) {
        Evaluator evaluator = consensus ? CONSENSUS : LABEL;
        PatientState state = PatientState.empty("p-prop", T0);
        Instant now = T0;
        int rules = evaluator.protocol().rules().size();
        for (Step step : history) {
            now = now.plus(step.advance());
            EvaluationOutcome outcome;
            if (step.observation() != null) {
                outcome = evaluator.apply(state, retimed(step.observation(), now), now);
            } else if (step.therapy() != null) {
                outcome = evaluator.applyTherapy(state, step.therapy(), now);
            } else {
                evaluator.dormant(state, now);
                outcome = evaluator.tick(state, now);
            }
            assertTrue(outcome.state().sequence() >= state.sequence(), "the sequence never goes back");
            if (outcome.changed()) {
                assertEquals(state.sequence() + 1, outcome.state().sequence());
                assertEquals(rules, outcome.report().size(), "every rule is reported");
                assertEquals(now, outcome.state().evaluatedAt());
            }
            state = outcome.state();
        }
    }

    @Provide
    Arbitrary<List<Step>> histories() {
        return step().list().ofMinSize(1).ofMaxSize(40);
    }

    private Arbitrary<Step> step() {
        Arbitrary<Duration> advance = Arbitraries.frequencyOf(
                net.jqwik.api.Tuple.of(6, Arbitraries.longs().between(0, 600).map(Duration::ofSeconds)),
                net.jqwik.api.Tuple.of(3, Arbitraries.longs().between(0, 12 * 60).map(Duration::ofMinutes)),
                net.jqwik.api.Tuple.of(1, Arbitraries.longs().between(0, 9 * 24).map(Duration::ofHours)));
        Arbitrary<Step> observation = Combinators.combine(advance, fact()).as((a, f) -> new Step(a, f, null));
        Arbitrary<Step> therapy = Combinators.combine(advance, therapyContext()).as((a, t) -> new Step(a, null, t));
        Arbitrary<Step> tick = advance.map(a -> new Step(a, null, null));
        return Arbitraries.frequencyOf(net.jqwik.api.Tuple.of(8, observation), net.jqwik.api.Tuple.of(1, therapy),
                net.jqwik.api.Tuple.of(2, tick));
    }

    /** An observation whose effective time is set relative to "now" when it is applied: {@code effectiveTime} holds the offset from T0. */
    private Arbitrary<ObservationFact> fact() {
        Arbitrary<ObservationCatalog.Parameter> parameter = Arbitraries.of(ObservationCatalog.parameters());
        Arbitrary<Duration> offset = Arbitraries.frequencyOf(
                net.jqwik.api.Tuple.of(6, Arbitraries.longs().between(-3_600, 300).map(Duration::ofSeconds)),
                net.jqwik.api.Tuple.of(2, Arbitraries.longs().between(-8 * 24, 0).map(Duration::ofHours)),
                net.jqwik.api.Tuple.of(1, Arbitraries.longs().between(-5, 5).map(Duration::ofMillis)));
        Arbitrary<Duration> period = Arbitraries.frequencyOf(
                net.jqwik.api.Tuple.of(4, Arbitraries.just(Duration.ZERO)),
                net.jqwik.api.Tuple.of(3, Arbitraries.longs().between(1, 30 * 60).map(Duration::ofMinutes)),
                net.jqwik.api.Tuple.of(2, Arbitraries.longs().between(1, 1_500).map(Duration::ofMillis)),
                net.jqwik.api.Tuple.of(1, Arbitraries.longs().between(24, 30).map(Duration::ofHours)));
        return Combinators.combine(parameter, offset, period, Arbitraries.integers().between(0, 9), value()).as((p, off, per, pick, v) -> {
            String valueCode = null;
            BigDecimal chosen = v;
            if (p.coded()) {
                List<String> answers = ObservationCatalog.answers(p);
                valueCode = answers.get(pick % answers.size());
                chosen = BigDecimal.valueOf(p.codedValues().get(valueCode));
            } else if (pick < 3) {
                chosen = pick == 0 ? p.min() : pick == 1 ? p.max() : p.max().add(BigDecimal.ONE);
            }
            Instant effective = T0.plus(off);
            Instant start = per.isZero() ? null : effective.minus(per);
            return new ObservationFact(UUID.randomUUID().toString(), p.id(), p.code(), chosen, valueCode, p.unit(), effective, start,
                    pick % 2 == 0 ? "DEVICE" : "NURSE");
        });
    }

    /** Representable numbers: small and large, negative, zero, with many decimals or an exponent. */
    private Arbitrary<BigDecimal> value() {
        return Arbitraries.frequencyOf(
                net.jqwik.api.Tuple.of(6, Arbitraries.bigDecimals().between(BigDecimal.valueOf(-50), BigDecimal.valueOf(500)).ofScale(2)),
                net.jqwik.api.Tuple.of(2, Arbitraries.bigDecimals().between(BigDecimal.ZERO, BigDecimal.ONE).ofScale(ObservationCatalog.MAX_SCALE)),
                net.jqwik.api.Tuple.of(1, Arbitraries.integers().between(-ObservationCatalog.MAX_SCALE, ObservationCatalog.MAX_SCALE)
                        .map(e -> BigDecimal.ONE.scaleByPowerOfTen(e))),
                net.jqwik.api.Tuple.of(1, Arbitraries.just(BigDecimal.ZERO)));
    }

    private Arbitrary<TherapyContext> therapyContext() {
        Arbitrary<BigDecimal> weight = Arbitraries.frequencyOf(
                net.jqwik.api.Tuple.of(5, Arbitraries.bigDecimals().between(BigDecimal.valueOf(30), BigDecimal.valueOf(200)).ofScale(1)),
                net.jqwik.api.Tuple.of(1, Arbitraries.just(BigDecimal.ZERO)),
                net.jqwik.api.Tuple.of(1, Arbitraries.just((BigDecimal) null)));
        Arbitrary<Duration> lastDose = Arbitraries.longs().between(-48, 24).map(Duration::ofHours);
        return Combinators.combine(Arbitraries.of(true, false), weight, lastDose, Arbitraries.of(true, false))
                .as((on, kg, dose, dosed) -> new TherapyContext("c-prop", on, kg, dosed ? T0.plus(dose) : null));
    }

    /** The observation with its effective time (and period) moved from an offset of T0 to the same offset of {@code now}. */
    private static ObservationFact retimed(ObservationFact f, Instant now) {
        Duration offset = Duration.between(T0, f.effectiveTime());
        Instant effective = now.plus(offset);
        Instant start = f.periodStart() == null ? null : effective.minus(Duration.between(f.periodStart(), f.effectiveTime()));
        return new ObservationFact(f.observationId(), f.parameter(), f.code(), f.value(), f.valueCode(), f.unit(), effective, start,
                f.sourceKind());
    }

    @Property(tries = 200)
    void aRepeatedObservationChangesNothing(@ForAll("histories") List<Step> history) {
        PatientState state = PatientState.empty("p-prop", T0);
        Instant now = T0;
        List<ObservationFact> applied = new ArrayList<>();
        for (Step step : history) {
            now = now.plus(step.advance());
            if (step.observation() != null) {
                ObservationFact fact = retimed(step.observation(), now);
                state = LABEL.apply(state, fact, now).state();
                applied.add(fact);
            }
        }
        for (ObservationFact fact : applied) {
            if (state.contains(fact)) {
                EvaluationOutcome again = LABEL.apply(state, fact, now);
                assertTrue(!again.changed() && !again.dirty(), "a repeat is neither published nor stored");
            }
        }
    }
}
