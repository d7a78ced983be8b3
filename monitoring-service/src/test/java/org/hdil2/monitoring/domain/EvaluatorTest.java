package org.hdil2.monitoring.domain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.UUID;

import org.hdil2.monitoring.config.RuleCatalog;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The shipped label-2024 rules against the reference's numbers (section 4.2: withhold at SBP < 90 mm Hg). */
class EvaluatorTest {

    private final Evaluator evaluator = new Evaluator(RuleCatalog.read("label-2024").rules());
    private static final Instant T0 = Instant.parse("2026-11-29T08:00:00Z");

    static ObservationFact sbp(String value, Instant at) {
        return new ObservationFact(UUID.randomUUID().toString(), "8480-6", new BigDecimal(value), "mm[Hg]", at, "NURSE");
    }

    @ParameterizedTest(name = "SBP {0} mm[Hg] -> met: {1}")
    @CsvSource({ "89, true", "89.9, true", "90, false", "90.1, false", "60, true", "140, false" })
    void systolicBelowNinetyIsAWithholdFinding(String value, boolean met) {
        EvaluationOutcome outcome = evaluator.apply(PatientEvaluation.empty("p1"), sbp(value, T0));
        assertEquals(met ? 1 : 0, outcome.raised().size());
        assertEquals(met, outcome.state().activeByRule().containsKey("LABEL-2024-CV-SBP"));
        assertTrue(outcome.changed());
        assertEquals(1, outcome.state().sequence());
    }

    @Test
    void theFindingClearsWhenANewerValueIsNinetyOrMore() {
        EvaluationOutcome low = evaluator.apply(PatientEvaluation.empty("p1"), sbp("84", T0));
        EvaluationOutcome stillLow = evaluator.apply(low.state(), sbp("88", T0.plusSeconds(600)));
        assertEquals(0, stillLow.raised().size(), "an active finding is not raised again");
        assertEquals(0, stillLow.cleared().size());
        EvaluationOutcome recovered = evaluator.apply(stillLow.state(), sbp("90", T0.plusSeconds(1200)));
        assertEquals(1, recovered.cleared().size());
        assertEquals(low.raised().get(0).findingId(), recovered.cleared().get(0).finding().findingId());
        assertTrue(recovered.state().activeByRule().isEmpty());
        assertEquals(3, recovered.state().sequence());
    }

    @Test
    void aLateOlderObservationChangesNothing() {
        EvaluationOutcome recent = evaluator.apply(PatientEvaluation.empty("p1"), sbp("110", T0.plusSeconds(3600)));
        EvaluationOutcome late = evaluator.apply(recent.state(), sbp("70", T0));
        assertFalse(late.changed());
        assertTrue(late.state().activeByRule().isEmpty());
        assertEquals(recent.state(), late.state());
    }

    @Test
    void theSameObservationTwiceChangesNothing() {
        ObservationFact o = sbp("80", T0);
        EvaluationOutcome first = evaluator.apply(PatientEvaluation.empty("p1"), o);
        EvaluationOutcome again = evaluator.apply(first.state(), o);
        assertFalse(again.changed());
        assertEquals(0, again.raised().size());
    }

    @Test
    void findingIdsAreStableForTheSameObservation() {
        ObservationFact o = sbp("80", T0);
        String a = evaluator.apply(PatientEvaluation.empty("p1"), o).raised().get(0).findingId();
        String b = evaluator.apply(PatientEvaluation.empty("p1"), o).raised().get(0).findingId();
        assertEquals(a, b);
    }

    @Test
    void unitsConvertToUcumAndUnknownUnitsAreRefused() {
        ObservationCatalog.Entry sbp = ObservationCatalog.find("8480-6").orElseThrow();
        assertEquals(new BigDecimal("90.0"), ObservationCatalog.toCanonical(sbp, new BigDecimal("12"), "kPa").orElseThrow());
        assertEquals(new BigDecimal("85"), ObservationCatalog.toCanonical(sbp, new BigDecimal("85"), "mmHg").orElseThrow());
        assertTrue(ObservationCatalog.toCanonical(sbp, new BigDecimal("85"), "psi").isEmpty());
    }
}
