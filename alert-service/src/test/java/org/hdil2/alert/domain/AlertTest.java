package org.hdil2.alert.domain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

import org.hdil2.alert.domain.AlertEffect.Measure;
import org.hdil2.kit.problem.ProblemException;
import org.junit.jupiter.api.Test;

/** Every rule of the alert lifecycle, on the plain-Java aggregate: no Quarkus, no database. */
class AlertTest {

    private static final Instant T0 = Instant.parse("2026-12-01T08:00:00Z");
    private static final Duration FLAP = Duration.ofMinutes(10);
    private static final String SYSTEM = "system:alert.findings";
    private static final Map<Priority, EscalationPolicy> POLICY = Map.of(
            Priority.HIGH, EscalationPolicy.parse("PRIMARY_NURSE,CHARGE_NURSE@PT2M,PHYSICIAN@PT5M"),
            Priority.MEDIUM, EscalationPolicy.parse("PRIMARY_NURSE,CHARGE_NURSE@PT10M"),
            Priority.LOW, EscalationPolicy.parse("PRIMARY_NURSE"));
    private static final Alert.EscalationPolicies POLICIES = POLICY::get;
    private static final Alert.Recipients COVERERS = (a, role) -> role == AssignmentRole.PHYSICIAN ? List.of() : List.of(role.name().toLowerCase() + "-1");

    private static Finding finding(Priority priority, String severity, String value) {
        return finding(priority, severity, value, "label-2024", "1");
    }

    private static Finding finding(Priority priority, String severity, String value, String protocolId, String protocolVersion) {
        return new Finding("HOLD-SBP-LT-90", "1", priority == Priority.HIGH ? "WITHHOLD" : "NOTIFY", protocolId, protocolVersion,
                severity, priority, "Withhold aldesleukin: SBP < 90 mmHg (" + value + " mm[Hg])", "Rule HOLD-SBP-LT-90 v1",
                "{\"value\":" + value + "}");
    }

    private static Alert.Raised raise(Priority priority) {
        return Alert.raise(UUID.randomUUID(), "P-1", UUID.randomUUID(), finding(priority, priority.name(), "84"), "W-7", "12",
                POLICIES, COVERERS, SYSTEM, T0);
    }

    private static Instant at(int minutes) {
        return T0.plus(Duration.ofMinutes(minutes));
    }

    @Test
    void aFindingRaisesAnActiveAlertNotifiedAtOnceToTheFirstStepWithItsTimerSet() {
        Alert.Raised r = raise(Priority.HIGH);
        Alert a = r.alert();
        assertEquals(AlertStatus.ACTIVE, a.status());
        assertEquals(Condition.PRESENT, a.condition());
        assertTrue(a.latching(), "a HIGH alert latches");
        assertEquals(at(2), a.nextEscalationAt());
        AlertEffect e = r.effect();
        assertEquals("RAISE", e.transition().action());
        assertNull(e.transition().from());
        assertEquals(new AlertEffect.Notice(Phase.START, Change.RAISED, AssignmentRole.PRIMARY_NURSE, List.of("primary_nurse-1")),
                e.notice().orElseThrow());
        assertTrue(e.event() instanceof AlertEvent.Raised);
        assertEquals("alert.raise", e.audit().action());
        assertEquals(Set.of(Measure.RAISED), e.measures());
        assertFalse(raise(Priority.MEDIUM).alert().latching(), "a MEDIUM alert does not latch");
        assertNull(raise(Priority.LOW).alert().nextEscalationAt(), "a one-step policy has no later step");
    }

    @Test
    void aHighAlertWhoseConditionClearsUnacknowledgedLatchesAndEndsOnAcknowledgement() {
        Alert a = raise(Priority.HIGH).alert();
        AlertEffect cleared = a.onFindingCleared("condition cleared: 104 mm[Hg]", SYSTEM, at(1)).orElseThrow();
        assertEquals(AlertStatus.LATCHED, a.status());
        assertEquals(Condition.CLEARED, a.condition());
        assertEquals(Change.CONDITION_CLEARED, cleared.notice().orElseThrow().change());
        assertEquals("alert.latch", cleared.audit().action());
        assertTrue(a.onFindingCleared("again", SYSTEM, at(2)).isEmpty(), "a second clearing changes nothing");
        assertTrue(a.status().escalates(), "a latched alert still escalates until someone acknowledges it");

        AlertEffect ack = a.acknowledge("nurse-a", "seen", at(3));
        assertEquals(AlertStatus.RESOLVED, a.status());
        AlertEvent.Ended ended = (AlertEvent.Ended) ack.event();
        assertEquals(EndCause.ACKNOWLEDGED_AFTER_CLEARING, ended.outcome());
        assertEquals("condition cleared: 104 mm[Hg]; acknowledged by nurse-a", ended.reason());
        assertEquals(Set.of(Measure.ACKNOWLEDGED, Measure.ENDED), ack.measures());
        assertEquals("acknowledged: seen", ack.transition().detail());
        assertNull(a.nextEscalationAt());
    }

    @Test
    void aNonLatchingAlertEndsWhenItsConditionClears() {
        Alert a = raise(Priority.MEDIUM).alert();
        AlertEffect e = a.onFindingCleared("condition cleared", SYSTEM, at(1)).orElseThrow();
        assertEquals(AlertStatus.RESOLVED, a.status());
        assertEquals(Phase.END, e.notice().orElseThrow().phase());
        assertEquals(EndCause.CONDITION_CLEARED, ((AlertEvent.Ended) e.event()).outcome());
        assertEquals(Set.of(Measure.ENDED), e.measures());
        assertTrue(a.onFindingUpdated(UUID.randomUUID(), finding(Priority.HIGH, "HIGH", "70"), POLICIES, SYSTEM, at(2)).isEmpty(),
                "an ended alert takes no update");
    }

    @Test
    void anAcknowledgedAlertStopsEscalatingEndsWhenClearedAndCannotBeAcknowledgedAgain() {
        Alert a = raise(Priority.HIGH).alert();
        AlertEffect ack = a.acknowledge("nurse-a", null, at(1));
        assertEquals(AlertStatus.ACKNOWLEDGED, a.status());
        assertEquals(List.of("nurse-a"), ack.notice().orElseThrow().recipients());
        assertNull(a.nextEscalationAt());
        ProblemException twice = assertThrows(ProblemException.class, () -> a.acknowledge("nurse-b", null, at(2)));
        assertEquals("ALRT-0103", twice.code());
        assertTrue(a.escalate(POLICIES, COVERERS, "system:alert.escalation", at(30)).isEmpty());

        a.onFindingCleared("condition cleared", SYSTEM, at(3)).orElseThrow();
        assertEquals(AlertStatus.RESOLVED, a.status(), "acknowledged, then cleared: it ends even though it latches");
        ProblemException ended = assertThrows(ProblemException.class, () -> a.acknowledge("nurse-b", null, at(4)));
        assertEquals("ALRT-0104", ended.code());
        assertEquals(409, ended.status());
    }

    @Test
    void aConditionMetAgainWithinTheFlapWindowReopensTheSameAlertButNotAfterIt() {
        Alert a = raise(Priority.MEDIUM).alert();
        a.acknowledge("nurse-a", null, at(1));
        a.onFindingCleared("cleared", SYSTEM, at(2));
        AlertEffect reopened = a.reopen(UUID.randomUUID(), finding(Priority.MEDIUM, "MEDIUM", "86"), POLICIES, FLAP, SYSTEM, at(5));
        assertEquals(AlertStatus.ACKNOWLEDGED, a.status(), "a non-latching alert acknowledged while present keeps its owner");
        assertEquals("nurse-a", a.acknowledgedBy());
        assertEquals(1, a.reopenCount());
        assertNull(a.nextEscalationAt(), "an owned alert does not escalate");
        assertEquals(Set.of(Measure.REOPENED), reopened.measures());
        assertEquals(Change.REOPENED, ((AlertEvent.Updated) reopened.event()).change());

        a.onFindingCleared("cleared", SYSTEM, at(6));
        assertThrows(IllegalStateException.class, () -> a.reopen(UUID.randomUUID(), finding(Priority.MEDIUM, "MEDIUM", "86"), POLICIES,
                FLAP, SYSTEM, at(17)), "past the flap window a new alert is raised instead");
    }

    @Test
    void aHighConditionRecurringAfterAcknowledgementNeedsANewAcknowledgementAndEscalatesFromTheRestart() {
        Alert a = raise(Priority.HIGH).alert();
        a.acknowledge("nurse-a", null, at(1));
        a.onFindingCleared("cleared", SYSTEM, at(2));
        a.reopen(UUID.randomUUID(), finding(Priority.HIGH, "HIGH", "82"), POLICIES, FLAP, SYSTEM, at(8));
        assertEquals(AlertStatus.ACTIVE, a.status(), "a HIGH recurrence is never hidden behind an earlier acknowledgement");
        assertNull(a.acknowledgedBy());
        assertEquals(at(10), a.nextEscalationAt(), "the gap to the next step counts from the reopening");
    }

    @Test
    void aDismissedAlertIsNeverReopened() {
        Alert a = raise(Priority.HIGH).alert();
        a.dismiss("dr-a", DismissReason.ARTEFACT, null, at(1));
        assertThrows(IllegalStateException.class, () -> a.reopen(UUID.randomUUID(), finding(Priority.HIGH, "HIGH", "82"), POLICIES,
                FLAP, SYSTEM, at(2)));
    }

    @Test
    void aLatchedAlertMetAgainBecomesActiveAgain() {
        Alert a = raise(Priority.HIGH).alert();
        a.onFindingCleared("cleared", SYSTEM, at(1));
        AlertEffect e = a.onFindingStarted(UUID.randomUUID(), finding(Priority.HIGH, "HIGH", "80"), POLICIES, SYSTEM, at(2)).orElseThrow();
        assertEquals(AlertStatus.ACTIVE, a.status());
        assertEquals(Condition.PRESENT, a.condition());
        assertEquals("CONDITION_PRESENT", e.transition().action());
        assertEquals(AlertStatus.LATCHED, e.transition().from());
    }

    @Test
    void aFindingUpdateThatRaisesThePriorityMakesTheAlertLatchAndFollowTheNewEscalationPolicy() {
        Alert a = raise(Priority.MEDIUM).alert();
        assertEquals(at(10), a.nextEscalationAt());
        assertTrue(a.onFindingUpdated(UUID.randomUUID(), finding(Priority.MEDIUM, "MEDIUM", "84"), POLICIES, SYSTEM, at(1)).isEmpty(),
                "nothing people see changed: nothing to tell");
        AlertEffect e = a.onFindingUpdated(UUID.randomUUID(), finding(Priority.HIGH, "HIGH", "78"), POLICIES, SYSTEM, at(1)).orElseThrow();
        assertEquals(Priority.HIGH, a.priority());
        assertTrue(a.latching());
        assertEquals(at(2), a.nextEscalationAt(), "the HIGH policy's next step, from the level reached");
        assertEquals("priority MEDIUM → HIGH", e.transition().detail());
        assertEquals(Priority.MEDIUM, ((AlertEvent.Updated) e.event()).previousPriority());
        AlertEffect severity = a.onFindingUpdated(UUID.randomUUID(), new Finding("HOLD-SBP-LT-90", "1", "WITHHOLD", "label-2024",
                "1", "CRITICAL", Priority.HIGH, a.title(), "d", "{}"), POLICIES, SYSTEM, at(2)).orElseThrow();
        assertEquals("severity HIGH → CRITICAL", severity.transition().detail());
        assertNull(((AlertEvent.Updated) severity.event()).previousPriority());
    }

    @Test
    void theAlertNamesTheProtocolOfTheFindingItReflectsTheNewerOneAfterAnUpdate() {
        Alert a = raise(Priority.MEDIUM).alert();
        assertEquals("label-2024", a.protocolId());
        assertEquals("1", a.protocolVersion());
        // the same values under another protocol: nothing people are told changes, the alert names the newer protocol
        assertTrue(a.onFindingUpdated(UUID.randomUUID(), finding(Priority.MEDIUM, "MEDIUM", "84", "consensus-2014", "1"), POLICIES,
                SYSTEM, at(1)).isEmpty());
        assertEquals("consensus-2014", a.protocolId());
        a.onFindingStarted(UUID.randomUUID(), finding(Priority.HIGH, "HIGH", "78", "consensus-2014", "2"), POLICIES, SYSTEM, at(2))
                .orElseThrow();
        assertEquals("2", a.protocolVersion());
        a.onFindingUpdated(UUID.randomUUID(), finding(Priority.HIGH, "HIGH", "78", "label-2024", null), POLICIES, SYSTEM, at(3));
        assertEquals("label-2024", a.protocolId());
        assertNull(a.protocolVersion(), "the version goes with the id: a finding without one does not keep the older protocol's");
        assertEquals(a.state(), Alert.restore(a.state()).state());
        assertNull(raiseUnder(null).protocolId(), "a finding that names no protocol: unknown");
    }

    private static Alert raiseUnder(String protocolId) {
        return Alert.raise(UUID.randomUUID(), "P-1", UUID.randomUUID(), finding(Priority.LOW, "LOW", "84", protocolId, null), "W-7",
                "12", POLICIES, COVERERS, SYSTEM, T0).alert();
    }

    @Test
    void aPhysicianDismissesWithACodedReasonAndOtherNeedsAText() {
        Alert a = raise(Priority.HIGH).alert();
        ProblemException noText = assertThrows(ProblemException.class, () -> a.dismiss("dr-a", DismissReason.OTHER, " ", at(1)));
        assertEquals("ALRT-0105", noText.code());
        assertEquals(AlertStatus.ACTIVE, a.status(), "a refused dismissal changes nothing");
        AlertEffect e = a.dismiss("dr-a", DismissReason.OTHER, "bed change", at(1));
        assertEquals(AlertStatus.DISMISSED, a.status());
        assertEquals("DISMISS", e.transition().action());
        assertEquals("dismissed: OTHER (bed change)", e.transition().detail());
        assertEquals("dismissed: OTHER", ((AlertEvent.Ended) e.event()).reason());
        assertEquals(Set.of(Measure.DISMISSED, Measure.ENDED), e.measures());
        assertEquals("ALRT-0104", assertThrows(ProblemException.class, () -> a.dismiss("dr-a", DismissReason.ARTEFACT, null, at(2))).code());
    }

    @Test
    void escalationTakesEachStepWhenDueAndStopsAfterTheLast() {
        Alert a = raise(Priority.HIGH).alert();
        String actor = "system:alert.escalation";
        assertTrue(a.escalate(POLICIES, COVERERS, actor, at(1)).isEmpty(), "not due yet");
        AlertEffect charge = a.escalate(POLICIES, COVERERS, actor, at(2)).orElseThrow();
        assertEquals(1, a.escalationLevel());
        assertEquals(new AlertEffect.Notice(Phase.ESCALATE, Change.ESCALATED, AssignmentRole.CHARGE_NURSE, List.of("charge_nurse-1")),
                charge.notice().orElseThrow());
        assertEquals(at(5), a.nextEscalationAt());
        AlertEffect physician = a.escalate(POLICIES, COVERERS, actor, at(5)).orElseThrow();
        assertEquals("level 2: PHYSICIAN (nobody assigned: ward team)", physician.transition().detail());
        assertEquals(AssignmentRole.PHYSICIAN, ((AlertEvent.Updated) physician.event()).targetRole());
        assertNull(a.nextEscalationAt(), "the last step");
        assertTrue(a.escalate(POLICIES, COVERERS, actor, at(60)).isEmpty());
    }

    @Test
    void aTimerPastThePolicysLastStepIsClearedWithoutTellingAnyone() {
        AlertState s = raise(Priority.LOW).alert().state();
        Alert a = Alert.restore(new AlertState(s.id(), s.patientId(), s.findingId(), s.currentFindingId(), s.ruleId(), s.ruleVersion(),
                s.ruleAction(), s.protocolId(), s.protocolVersion(), s.severity(), s.priority(), s.status(), s.condition(), s.conditionChangedAt(), s.latching(), s.phase(),
                s.ward(), s.bed(), s.title(), s.detail(), s.sourceObservation(), s.raisedAt(), s.updatedAt(), null, null, null, null,
                null, null, null, 0, at(1), 0));
        assertEquals(Optional.empty(), a.escalate(POLICIES, COVERERS, "system:alert.escalation", at(2)));
        assertNull(a.nextEscalationAt());
    }

    @Test
    void aCommentChangesNoStatusAndNotifiesNobody() {
        Alert a = raise(Priority.MEDIUM).alert();
        AlertEffect e = a.comment("nurse-a", "  fluids started ", at(1));
        assertEquals(AlertStatus.ACTIVE, a.status());
        assertTrue(e.notice().isEmpty());
        assertEquals("fluids started", e.transition().detail());
        assertEquals(Change.COMMENTED, ((AlertEvent.Updated) e.event()).change());
    }

    @Test
    void stateRoundTripsThroughRestore() {
        Alert a = raise(Priority.HIGH).alert();
        a.acknowledge("nurse-a", null, at(1));
        assertEquals(a.state(), Alert.restore(a.state()).state());
    }
}
