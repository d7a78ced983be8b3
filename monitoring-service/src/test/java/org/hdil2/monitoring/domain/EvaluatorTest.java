package org.hdil2.monitoring.domain;

import static org.hdil2.monitoring.domain.Facts.T0;
import static org.hdil2.monitoring.domain.Facts.at;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

import org.hdil2.monitoring.config.ProtocolCatalog;
import org.junit.jupiter.api.Test;

/** The finding lifecycle: raised once, updated, kept while stale, cleared only by the resume condition on fresh data. */
class EvaluatorTest {

    private final Evaluator evaluator = new Evaluator(ProtocolCatalog.read("label-2024"));

    private static Instant plus(String iso) {
        return T0.plus(Duration.parse(iso));
    }

    private static List<String> ruleIds(List<ActiveFinding> findings) {
        return findings.stream().map(ActiveFinding::ruleId).toList();
    }

    @Test
    void hypotensionRaisesOnceAndRecoveryClears() {
        EvaluationOutcome low = evaluator.apply(PatientState.empty("p-1"), at("systolic-bp", "84", T0), T0);
        assertEquals(List.of("LABEL-2024-CV-SBP", "NEWS2-SINGLE-3"), ruleIds(low.raised()), "SBP <= 90 also scores 3 in NEWS2");
        ActiveFinding finding = low.raised().get(0);
        assertEquals(T0, finding.raisedAt());
        assertEquals(1, low.state().sequence());
        EvaluationOutcome lower = evaluator.apply(low.state(), at("systolic-bp", "80", plus("PT10M")), plus("PT10M"));
        assertTrue(lower.raised().isEmpty() && lower.cleared().isEmpty() && lower.updated().isEmpty(), "still the same finding");
        EvaluationOutcome recovered = evaluator.apply(lower.state(), at("systolic-bp", "90", plus("PT1H")), plus("PT1H"));
        assertEquals(1, recovered.cleared().size());
        assertEquals(finding.findingId(), recovered.cleared().get(0).finding().findingId());
        assertTrue(recovered.cleared().get(0).reason().contains("systolic BP >= 90"));
        assertEquals(List.of("NEWS2-SINGLE-3"), List.copyOf(recovered.state().active().keySet()), "90 still scores 3 in NEWS2");
    }

    @Test
    void aStaleInputKeepsTheFindingAndShowsNotEvaluableUntilAFreshValueResumes() {
        EvaluationOutcome low = evaluator.apply(PatientState.empty("p-1"), at("systolic-bp", "84", T0), T0);
        EvaluationOutcome stale = evaluator.tick(low.state(), plus("PT4H1S"));
        assertTrue(stale.changed(), "the rule's state changed with time alone");
        assertTrue(stale.cleared().isEmpty(), "a stale value never clears a finding");
        RuleStatus status = stale.state().statuses().get("LABEL-2024-CV-SBP");
        assertEquals(RuleState.NOT_EVALUABLE, status.state());
        assertNotNull(status.findingId());
        assertFalse(evaluator.tick(stale.state(), plus("PT5H")).changed(), "nothing new to say");
        EvaluationOutcome fresh = evaluator.apply(stale.state(), at("systolic-bp", "100", plus("PT5H")), plus("PT5H"));
        assertEquals(1, fresh.cleared().size());
    }

    @Test
    void spo2ExactlyNinetyNeitherHoldsNorResumes() {
        EvaluationOutcome low = evaluator.apply(PatientState.empty("p-1"), at("spo2", "89", T0), T0);
        assertTrue(ruleIds(low.raised()).contains("LABEL-2024-RESP-SPO2"));
        EvaluationOutcome ninety = evaluator.apply(low.state(), at("spo2", "90", plus("PT5M")), plus("PT5M"));
        assertTrue(ninety.cleared().isEmpty(), "withhold until SpO2 > 90 %");
        assertEquals(RuleState.MET, ninety.state().statuses().get("LABEL-2024-RESP-SPO2").state());
        EvaluationOutcome above = evaluator.apply(ninety.state(), at("spo2", "91", plus("PT10M")), plus("PT10M"));
        assertEquals("LABEL-2024-RESP-SPO2", above.cleared().get(0).finding().ruleId());
    }

    /** Only the latest SBP is kept (no rule looks back on it), yet a second SBP of the same time that disagrees is kept beside it. */
    @Test
    void aSecondObservationOfTheSameTimeThatDisagreesMakesTheRuleNotEvaluableWhicheverArrivesFirst() {
        for (boolean normalFirst : new boolean[] { true, false }) {
            ObservationFact normal = at("systolic-bp", "120", T0);
            ObservationFact low = at("systolic-bp", "84", T0);
            EvaluationOutcome first = evaluator.apply(PatientState.empty("p-1"), normalFirst ? normal : low, T0);
            EvaluationOutcome both = evaluator.apply(first.state(), normalFirst ? low : normal, plus("PT1M"));
            assertTrue(both.changed(), "the disagreement is news");
            RuleStatus sbp = both.state().statuses().get("LABEL-2024-CV-SBP");
            assertEquals(RuleState.NOT_EVALUABLE, sbp.state(), "normal first: " + normalFirst);
            assertTrue(both.cleared().isEmpty(), "a contradiction never clears a finding");
            assertEquals(2, both.state().historyOf("systolic-bp").size());
            EvaluationOutcome settled = evaluator.apply(both.state(), at("systolic-bp", "118", plus("PT5M")), plus("PT5M"));
            assertEquals(RuleState.NOT_MET, settled.state().statuses().get("LABEL-2024-CV-SBP").state());
            assertEquals(1, settled.state().historyOf("systolic-bp").size(), "only the latest is kept again");
        }
    }

    @Test
    void theSameObservationTwiceAndALateOlderOneChangeNothing() {
        ObservationFact low = at("systolic-bp", "84", T0);
        EvaluationOutcome first = evaluator.apply(PatientState.empty("p-1"), low, T0);
        EvaluationOutcome again = evaluator.apply(first.state(), low, plus("PT1M"));
        assertFalse(again.changed());
        EvaluationOutcome recovered = evaluator.apply(first.state(), at("systolic-bp", "110", plus("PT1H")), plus("PT1H"));
        EvaluationOutcome late = evaluator.apply(recovered.state(), at("systolic-bp", "70", plus("PT30M")), plus("PT1H1M"));
        assertFalse(late.changed(), "the newer 110 decides; the late 70 is history");
        assertEquals(List.of("110"), late.state().historyOf("systolic-bp").stream()
                .map(f -> f.value().toPlainString()).toList(), "every rule on SBP reads only the latest value");
        assertEquals(new BigDecimal("110"), late.state().latest("systolic-bp").value());
    }

    @Test
    void aLateObservationIsPlacedInEffectiveTimeOrderForWindowRules() {
        Evaluator consensus = new Evaluator(ProtocolCatalog.read("consensus-2014"));
        Instant end = plus("PT8H");
        PatientState state = PatientState.empty("p-1");
        state = consensus.apply(state, Facts.over("urine-output", "100", end, Duration.ofHours(4)), end).state();
        assertEquals(RuleState.NOT_EVALUABLE, state.statuses().get("DUTCHER-2014-RENAL-URINE-ABS").state());
        EvaluationOutcome late = consensus.apply(state, Facts.over("urine-output", "50", plus("PT4H"), Duration.ofHours(4)), end.plusSeconds(60));
        assertEquals(List.of("DUTCHER-2014-RENAL-URINE-REL"), ruleIds(late.raised()), "150 mL in 8 h once the earlier half arrived");
    }

    @Test
    void aDurationRuleFiresOnTimeAloneAndOnlyOnce() {
        EvaluationOutcome intubated = evaluator.apply(PatientState.empty("p-1"), at("airway", "INTUBATED", T0), T0);
        assertTrue(intubated.raised().isEmpty());
        EvaluationOutcome before = evaluator.tick(intubated.state(), plus("PT71H59M"));
        assertTrue(before.raised().isEmpty());
        EvaluationOutcome reached = evaluator.tick(before.state(), plus("PT72H"));
        assertEquals(List.of("LABEL-2024-RESP-INTUBATION"), ruleIds(reached.raised()));
        assertEquals(plus("PT72H"), reached.raised().get(0).raisedAt());
        assertFalse(evaluator.tick(reached.state(), plus("PT72H30S")).changed());
    }

    @Test
    void aGradeChangeUpdatesTheFindingInsteadOfRaisingAnother() {
        PatientState state = evaluator.apply(PatientState.empty("p-1"), at("temperature", "40.2", T0), T0).state();
        ActiveFinding g3 = state.active().get("CTCAE-FEVER");
        assertEquals("MEDIUM", g3.severity());
        state = evaluator.apply(state, at("temperature", "40.4", plus("PT20H")), plus("PT20H")).state();
        EvaluationOutcome g4 = evaluator.tick(state, plus("PT24H"));
        assertTrue(g4.raised().isEmpty());
        assertEquals(1, g4.updated().size());
        assertEquals("HIGH", g4.updated().get(0).finding().severity());
        assertEquals("MEDIUM", g4.updated().get(0).previousSeverity());
        assertEquals(g3.findingId(), g4.updated().get(0).finding().findingId());
    }

    @Test
    void theBaselineWeightComesFromTheTherapyContext() {
        Evaluator consensus = new Evaluator(ProtocolCatalog.read("consensus-2014"));
        PatientState state = consensus.apply(PatientState.empty("p-1"), at("weight", "82", T0), T0).state();
        assertEquals(RuleState.NOT_EVALUABLE, state.statuses().get("DUTCHER-2014-MSK-WEIGHT-REL").state());
        EvaluationOutcome withCourse = consensus.applyTherapy(state,
                new TherapyContext("c-1", true, new BigDecimal("70"), null), plus("PT1M"));
        assertEquals(List.of("DUTCHER-2014-MSK-WEIGHT-REL"), ruleIds(withCourse.raised()), "82 kg is 17 % over 70 kg");
    }

    @Test
    void everyRuleHasAStatusAndMissingInputsSayWhy() {
        EvaluationOutcome outcome = evaluator.apply(PatientState.empty("p-1"), at("systolic-bp", "120", T0), T0);
        assertEquals(evaluator.protocol().rules().size(), outcome.state().statuses().size());
        RuleStatus spo2 = outcome.report().stream().filter(r -> r.ruleId().equals("LABEL-2024-RESP-SPO2")).findFirst().orElseThrow();
        assertEquals(RuleState.NOT_EVALUABLE, spo2.state());
        assertEquals("no spo2 observation", spo2.reason());
        assertEquals(RuleState.NOT_MET, outcome.state().statuses().get("LABEL-2024-CV-SBP").state());
    }

    @Test
    void aNewerValueThatChangesNoRuleIsStoredAndPublishedWithinTheRefreshInterval() {
        EvaluationOutcome first = evaluator.apply(PatientState.empty("p-1"), at("systolic-bp", "120", T0), T0);
        assertTrue(first.changed());
        EvaluationOutcome same = evaluator.apply(first.state(), at("systolic-bp", "122", plus("PT1M")), plus("PT1M"));
        assertFalse(same.changed(), "nothing a consumer acts on changed");
        assertTrue(same.dirty(), "but the newer value is kept");
        assertEquals(new BigDecimal("122"), same.state().latest("systolic-bp").value());
        assertFalse(evaluator.tick(same.state(), plus("PT4M")).changed());
        EvaluationOutcome refreshed = evaluator.tick(same.state(), plus("PT5M"));
        assertTrue(refreshed.changed(), "published within " + Evaluator.DEFAULT_SNAPSHOT_REFRESH + " so consumers see the newer input");
        assertFalse(evaluator.tick(refreshed.state(), plus("PT11M")).changed(), "and only once");
    }
}
