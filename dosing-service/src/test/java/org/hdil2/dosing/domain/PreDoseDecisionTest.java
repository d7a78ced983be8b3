package org.hdil2.dosing.domain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

import org.hdil2.dosing.config.DosingProtocols;
import org.junit.jupiter.api.Test;

class PreDoseDecisionTest {

    private final DosingProtocol.PreDose preDose = DosingProtocols.read("label-2024").preDose();
    private static final Instant NOW = Instant.parse("2026-11-29T16:00:00Z");
    private static final EvaluationCurrency CURRENT = EvaluationCurrency.confirmed();

    static PatientState.Input sbp(int value, Instant at) {
        return new PatientState.Input("systolic-bp", "8480-6", BigDecimal.valueOf(value), "mm[Hg]", at, "o-" + value);
    }

    static PatientState.Finding finding(String action) {
        return new PatientState.Finding("f-1", "LABEL-2024-CV-SBP", "1", action, "8480-6 < 90 mm[Hg]", "LABEL-2024 Table 2",
                BigDecimal.valueOf(84), "mm[Hg]", NOW.minusSeconds(600), "o-84");
    }

    @Test
    void noEvaluationMeansAssess() {
        assertEquals(Decision.ASSESS, PreDoseDecision.decide(preDose, Optional.empty(), CURRENT, NOW).decision());
    }

    @Test
    void aFreshNormalPressureWithNoFindingMeansGive() {
        PatientState s = new PatientState(3, NOW.minusSeconds(600), List.of(sbp(112, NOW.minusSeconds(600))), List.of());
        assertEquals(Decision.GIVE, PreDoseDecision.decide(preDose, Optional.of(s), CURRENT, NOW).decision());
    }

    @Test
    void anActiveWithholdFindingMeansHoldCitingIt() {
        PatientState s = new PatientState(3, NOW.minusSeconds(600), List.of(sbp(84, NOW.minusSeconds(600))), List.of(finding("WITHHOLD")));
        PreDoseDecision.Result r = PreDoseDecision.decide(preDose, Optional.of(s), CURRENT, NOW);
        assertEquals(Decision.HOLD, r.decision());
        assertEquals("LABEL-2024-CV-SBP", r.findings().get(0).ruleId());
        assertTrue(r.reasons().get(0).contains("84 mm[Hg]"));
    }

    @Test
    void aDiscontinueFindingMeansStopEvenWithAHold() {
        PatientState s = new PatientState(3, NOW, List.of(sbp(84, NOW)), List.of(finding("WITHHOLD"), finding("DISCONTINUE")));
        assertEquals(Decision.STOP, PreDoseDecision.decide(preDose, Optional.of(s), CURRENT, NOW).decision());
    }

    @Test
    void aPressureOlderThanFourHoursMeansAssessAndExactlyFourHoursStillCounts() {
        PatientState stale = new PatientState(3, NOW, List.of(sbp(120, NOW.minus(Duration.ofHours(4)).minusSeconds(1))), List.of());
        PreDoseDecision.Result r = PreDoseDecision.decide(preDose, Optional.of(stale), CURRENT, NOW);
        assertEquals(Decision.ASSESS, r.decision());
        assertTrue(r.reasons().get(0).contains("240 min allowed"));
        PatientState edge = new PatientState(3, NOW, List.of(sbp(120, NOW.minus(Duration.ofHours(4)))), List.of());
        assertEquals(Decision.GIVE, PreDoseDecision.decide(preDose, Optional.of(edge), CURRENT, NOW).decision());
    }

    @Test
    void aPreDoseRuleMonitoringCannotEvaluateMeansAssessWithItsReason() {
        PatientState s = new PatientState(3, NOW, List.of(sbp(112, NOW)), List.of(),
                List.of(new PatientState.Gap("LABEL-2024-RESP-SPO2 v1", "no spo2 observation")));
        PreDoseDecision.Result r = PreDoseDecision.decide(preDose, Optional.of(s), CURRENT, NOW);
        assertEquals(Decision.ASSESS, r.decision());
        assertTrue(r.reasons().get(0).contains("LABEL-2024-RESP-SPO2 v1") && r.reasons().get(0).contains("no spo2 observation"),
                r.reasons().toString());
    }

    @Test
    void anEvaluationWithoutThePressureMeansAssess() {
        PatientState s = new PatientState(1, NOW, List.of(), List.of());
        assertEquals(Decision.ASSESS, PreDoseDecision.decide(preDose, Optional.of(s), CURRENT, NOW).decision());
    }

    @Test
    void aHoldOutranksStaleData() {
        PatientState s = new PatientState(3, NOW, List.of(sbp(84, NOW.minus(Duration.ofHours(9)))), List.of(finding("WITHHOLD")));
        PreDoseDecision.Result r = PreDoseDecision.decide(preDose, Optional.of(s), CURRENT, NOW);
        assertEquals(Decision.HOLD, r.decision());
        assertEquals(2, r.reasons().size());
    }

    @Test
    void anUnverifiedCourseMeansAssess() {
        PatientState s = new PatientState(3, NOW, List.of(sbp(112, NOW)), List.of());
        CourseContext unverified = new CourseContext(false, Optional.empty(), 0, Optional.empty());
        PreDoseDecision.Result r = PreDoseDecision.decide(preDose, null, unverified, Optional.of(s), CURRENT, NOW);
        assertEquals(Decision.ASSESS, r.decision());
        assertTrue(r.reasons().get(0).contains("pharmacist"));
    }

    /** After an order or a change of protocol, until monitoring evaluates the patient under the course's protocol. */
    @Test
    void anEvaluationUnderAnotherProtocolThanTheCoursesMeansAssess() {
        CourseContext consensusCourse = new CourseContext(true, Optional.empty(), 0, Optional.empty(), List.of(), "consensus-2014");
        PatientState underLabel = new PatientState(3, NOW, List.of(sbp(112, NOW)), List.of(), List.of(), 0, "label-2024");
        PreDoseDecision.Result r = PreDoseDecision.decide(preDose, null, consensusCourse, Optional.of(underLabel), CURRENT, NOW);
        assertEquals(Decision.ASSESS, r.decision());
        assertTrue(r.reasons().get(0).contains("under protocol label-2024, the course is under consensus-2014"), r.reasons().toString());
        PatientState underConsensus = new PatientState(3, NOW, List.of(sbp(112, NOW)), List.of(), List.of(), 0, "consensus-2014");
        assertEquals(Decision.GIVE, PreDoseDecision.decide(preDose, null, consensusCourse, Optional.of(underConsensus), CURRENT, NOW).decision());
        // a hold found under the other protocol still holds: a mismatch never makes a decision milder
        PatientState holdUnderLabel = new PatientState(3, NOW, List.of(sbp(84, NOW)), List.of(finding("WITHHOLD")), List.of(), 0, "label-2024");
        assertEquals(Decision.HOLD, PreDoseDecision.decide(preDose, null, consensusCourse, Optional.of(holdUnderLabel), CURRENT, NOW).decision());
    }

    @Test
    void aStopFlagMeansStopEvenAfterTheFindingCleared() {
        PatientState s = new PatientState(3, NOW, List.of(sbp(112, NOW)), List.of());
        CourseContext flagged = new CourseContext(true, Optional.of("sustained VT"), 0, Optional.empty());
        assertEquals(Decision.STOP, PreDoseDecision.decide(preDose, null, flagged, Optional.of(s), CURRENT, NOW).decision());
    }

    @Test
    void underTheConsensusThreeHeldDosesStopTheCourseAndTwoDoNot() {
        DosingProtocol.StopRules consensus = DosingProtocols.read("consensus-2014").stop();
        PatientState s = new PatientState(3, NOW, List.of(sbp(112, NOW)), List.of());
        assertEquals(Decision.GIVE, PreDoseDecision.decide(preDose, consensus,
                new CourseContext(true, Optional.empty(), 2, Optional.empty()), Optional.of(s), CURRENT, NOW).decision());
        assertEquals(Decision.STOP, PreDoseDecision.decide(preDose, consensus,
                new CourseContext(true, Optional.empty(), 3, Optional.empty()), Optional.of(s), CURRENT, NOW).decision());
        DosingProtocol.StopRules label = DosingProtocols.read("label-2024").stop();
        assertEquals(Decision.GIVE, PreDoseDecision.decide(preDose, label,
                new CourseContext(true, Optional.empty(), 5, Optional.empty()), Optional.of(s), CURRENT, NOW).decision());
    }

    @Test
    void underTheConsensusThreeWithholdCriteriaAtOnceStopTheCourse() {
        DosingProtocol.StopRules consensus = DosingProtocols.read("consensus-2014").stop();
        List<PatientState.Finding> three = List.of(finding("WITHHOLD", "R1"), finding("WITHHOLD", "R2"), finding("WITHHOLD", "R3"));
        PatientState s = new PatientState(3, NOW, List.of(sbp(84, NOW)), three);
        assertEquals(Decision.STOP, PreDoseDecision.decide(preDose, consensus, CourseContext.verifiedCourse(), Optional.of(s), CURRENT, NOW).decision());
        PatientState two = new PatientState(3, NOW, List.of(sbp(84, NOW)), three.subList(0, 2));
        assertEquals(Decision.HOLD, PreDoseDecision.decide(preDose, consensus, CourseContext.verifiedCourse(), Optional.of(two), CURRENT, NOW).decision());
    }

    @Test
    void anOverrideLiftsTheHoldItCoversAndNothingElse() {
        PatientState s = new PatientState(3, NOW, List.of(sbp(84, NOW)), List.of(finding("WITHHOLD", "R1")));
        CourseContext covering = new CourseContext(true, Optional.empty(), 0,
                Optional.of(new CourseContext.Override("dr-x", "MAP adequate on review", java.util.Set.of("f-R1"))));
        PreDoseDecision.Result r = PreDoseDecision.decide(preDose, null, covering, Optional.of(s), CURRENT, NOW);
        assertEquals(Decision.GIVE, r.decision());
        assertTrue(r.overridden());
        PatientState newFinding = new PatientState(4, NOW, List.of(sbp(84, NOW)), List.of(finding("WITHHOLD", "R1"), finding("WITHHOLD", "R2")));
        assertEquals(Decision.HOLD, PreDoseDecision.decide(preDose, null, covering, Optional.of(newFinding), CURRENT, NOW).decision());
        PatientState stale = new PatientState(3, NOW, List.of(sbp(84, NOW.minus(Duration.ofHours(5)))), List.of(finding("WITHHOLD", "R1")));
        assertEquals(Decision.ASSESS, PreDoseDecision.decide(preDose, null, covering, Optional.of(stale), CURRENT, NOW).decision());
        PatientState stop = new PatientState(3, NOW, List.of(sbp(84, NOW)), List.of(finding("WITHHOLD", "R1"), finding("DISCONTINUE", "R9")));
        assertEquals(Decision.STOP, PreDoseDecision.decide(preDose, null, covering, Optional.of(stop), CURRENT, NOW).decision());
    }

    @Test
    void anEvaluationThatIsNotCurrentMeansAssessWithTheReasonAndAHoldStaysAHold() {
        PatientState s = new PatientState(3, NOW.minusSeconds(600), List.of(sbp(112, NOW.minusSeconds(600))), List.of());
        EvaluationCurrency behind = new EvaluationCurrency(List.of("monitoring evaluation not current since 2026-11-29T15:59:30Z"),
                Optional.of(NOW.minusSeconds(30)));
        PreDoseDecision.Result r = PreDoseDecision.decide(preDose, Optional.of(s), behind, NOW);
        assertEquals(Decision.ASSESS, r.decision());
        assertTrue(r.reasons().contains("monitoring evaluation not current since 2026-11-29T15:59:30Z"), r.reasons().toString());
        PatientState holding = new PatientState(3, NOW, List.of(sbp(84, NOW)), List.of(finding("WITHHOLD")));
        PreDoseDecision.Result held = PreDoseDecision.decide(preDose, Optional.of(holding), behind, NOW);
        assertEquals(Decision.HOLD, held.decision(), "a known hold is never weakened to ASSESS");
        assertTrue(held.reasons().stream().anyMatch(x -> x.contains("not current")));
    }

    static PatientState.Finding finding(String action, String rule) {
        return new PatientState.Finding("f-" + rule, rule, "1", action, "criterion", "source", BigDecimal.valueOf(84), "mm[Hg]",
                NOW.minusSeconds(600), "o-" + rule);
    }

    @Test
    void theHoldEventsAndTheDecisionReadOneAnswerOfWhatIsActive() {
        PatientState notify = new PatientState(3, NOW, List.of(sbp(84, NOW)), List.of(finding("NOTIFY")));
        assertTrue(!notify.holding(), "a NOTIFY finding holds nothing");
        assertEquals(Decision.GIVE, PreDoseDecision.decide(preDose, java.util.Optional.of(notify), CURRENT, NOW).decision());
        PatientState withhold = new PatientState(3, NOW, List.of(sbp(84, NOW)), List.of(finding("NOTIFY"), finding("WITHHOLD")));
        assertTrue(withhold.holding());
        PreDoseDecision.Result r = PreDoseDecision.decide(preDose, java.util.Optional.of(withhold), CURRENT, NOW);
        assertEquals(Decision.HOLD, r.decision());
        assertEquals(withhold.findingsWith(PatientState.WITHHOLD), r.findings(), "the decision cites exactly what the hold event announces");
    }
}
