package org.hdil2.dosing.domain;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.function.Supplier;

import org.hdil2.dosing.config.DosingProtocols;
import org.hdil2.kit.problem.ProblemException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

/**
 * Every rule of the course lifecycle and the dose ledger on the plain-Java aggregate, both sides of each threshold
 * with the label-2024 protocol's numbers (screening 30 days, weight 72 h, retreatment 49 days, a dose recordable from
 * 1 h before to 2 h after its time, first dose within 7 days, infusion at most 2 h, a hold at most 24 h ahead).
 */
class CourseTest {

    private static final DosingProtocol LABEL = DosingProtocols.read("label-2024");
    private static final DosingProtocol.CourseRules RULES = LABEL.course();
    private static final Instant NOW = Instant.parse("2026-12-01T08:00:00Z");
    private static final Signer PHYSICIAN = new Signer("sub-dr", "dr-a", Set.of("physician"));
    private static final Signer PHARMACIST = new Signer("sub-ph", "ph-a", Set.of("pharmacist"));
    private static final Signer NURSE = new Signer("sub-n1", "nurse-a", Set.of("nurse"));
    private static final Signer SECOND_NURSE = new Signer("sub-n2", "nurse-b", Set.of("nurse"));
    private static final Course.Screening ELIGIBLE = new Course.Screening(UUID.randomUUID(), "ELIGIBLE", NOW.minus(Duration.ofDays(2)));
    private static final Supplier<DecisionTaken> GIVE = () -> new DecisionTaken(Decision.GIVE, List.of(), false, List.of(), "{}");

    private static CourseOrder order(Instant weighed, Instant firstDose) {
        return new CourseOrder("P-1", new BigDecimal("70.00"), weighed, "ward scale", firstDose, null);
    }

    private static Course.Ordered ordered(Optional<Course.Screening> screening, boolean open, Optional<Course.PreviousCourse> previous,
                                          CourseOrder o) {
        return Course.order(UUID.randomUUID(), o, PHYSICIAN, LABEL, screening, open, previous, NOW);
    }

    private static Course ordered() {
        return ordered(Optional.of(ELIGIBLE), false, Optional.empty(), order(NOW.minus(Duration.ofHours(1)), NOW)).course();
    }

    private static Course active() {
        Course c = ordered();
        c.verify(PHARMACIST, Preparation.of(c.state().doseIu(), LABEL.preparation()), NOW);
        return c;
    }

    private static String code(Executable e) {
        return assertThrows(ProblemException.class, e).code();
    }

    private static Administration ran(Instant start, long iu) {
        return new Administration(start, start.plus(Duration.ofMinutes(15)), iu);
    }

    /** Dose {@code dose} started at {@code at}, still running. */
    private static CourseEffect give(Course c, int dose, Instant at) {
        return c.give(dose, new Administration(at, null, c.state().doseIu()), false, NURSE, Optional.of(SECOND_NURSE), RULES, GIVE, null, at);
    }

    // ------------------------------------------------------------------------------------------- order

    @Test
    void aPhysicianMovesAnOpenCourseToAnotherProtocolWithTheSameDoseAndSchedule() {
        DosingProtocol consensus = DosingProtocols.read("consensus-2014");
        Course c = active();
        CourseEffect moved = c.changeProtocol(LABEL, consensus, "ward adopts the consensus criteria", "dr-b", NOW);
        assertEquals("consensus-2014", c.state().protocolId());
        assertEquals(consensus.version(), c.state().protocolVersion());
        CourseEffect.Published event = moved.event().orElseThrow();
        assertEquals(CourseEventType.COURSE_PROTOCOL_CHANGED, event.type());
        assertEquals(java.util.Map.of("id", "label-2024", "version", LABEL.version()), event.data().get("previousProtocol"));
        assertEquals("ward adopts the consensus criteria", event.data().get("reason"));
        assertEquals("course.protocol-change", moved.audit().action());
        assertEquals("DOSE-0134", code(() -> c.changeProtocol(consensus, consensus, "again", "dr-b", NOW)));

        DosingProtocol otherDose = new DosingProtocol("other", "1", "t", new DosingProtocol.Dose("D", "1", "s", 720_000, "ACTUAL_BODY_WEIGHT"),
                LABEL.schedule(), LABEL.preDose(), LABEL.preparation(), LABEL.course(), LABEL.stop(), LABEL.currency());
        assertEquals("DOSE-0133", code(() -> c.changeProtocol(consensus, otherDose, "more", "dr-b", NOW)));
        DosingProtocol.Schedule s = LABEL.schedule();
        DosingProtocol otherSchedule = new DosingProtocol("other", "1", "t", LABEL.dose(), new DosingProtocol.Schedule(s.id(), s.version(),
                s.source(), 12, s.cycleDays(), s.restDays(), s.cycles(), s.maxDosesPerCycle()), LABEL.preDose(), LABEL.preparation(),
                LABEL.course(), LABEL.stop(), LABEL.currency());
        assertEquals("DOSE-0133", code(() -> c.changeProtocol(consensus, otherSchedule, "q12h", "dr-b", NOW)));

        c.end(false, "stopped", NOW, "dr-b", NOW.plusSeconds(60));
        assertEquals("DOSE-0116", code(() -> c.changeProtocol(consensus, LABEL, "back", "dr-b", NOW.plusSeconds(120))));
    }

    @Test
    void anOrderComputesTheDoseLaysOutTwentyEightDosesAndPublishesIt() {
        Course.Ordered o = ordered(Optional.of(ELIGIBLE), false, Optional.empty(), order(NOW.minus(Duration.ofHours(1)), NOW));
        assertEquals(42_000_000L, o.course().state().doseIu(), "600,000 IU/kg x 70 kg");
        assertEquals(CourseStatus.ORDERED, o.course().state().status());
        assertEquals(28, o.effect().slots().size());
        assertEquals(CourseEventType.COURSE_ORDERED, o.effect().event().orElseThrow().type());
        assertEquals(28, o.effect().event().orElseThrow().data().get("plannedDoses"));
        assertEquals("course.order", o.effect().audit().action());
    }

    @Test
    void anOrderNeedsAnEligibleScreeningNoOlderThanThirtyDays() {
        CourseOrder o = order(NOW.minus(Duration.ofHours(1)), NOW);
        assertEquals("DOSE-0129", code(() -> ordered(Optional.empty(), false, Optional.empty(), o)));
        assertEquals("DOSE-0101", code(() -> ordered(Optional.of(new Course.Screening(UUID.randomUUID(), "NEEDS_REVIEW", NOW)), false,
                Optional.empty(), o)));
        Course.Screening thirtyDays = new Course.Screening(UUID.randomUUID(), "ELIGIBLE", NOW.minus(Duration.ofDays(30)));
        assertDoesNotThrow(() -> ordered(Optional.of(thirtyDays), false, Optional.empty(), o));
        Course.Screening older = new Course.Screening(UUID.randomUUID(), "ELIGIBLE", NOW.minus(Duration.ofDays(30)).minusSeconds(1));
        assertEquals("DOSE-0110", code(() -> ordered(Optional.of(older), false, Optional.empty(), o)));
        assertEquals("DOSE-0102", code(() -> ordered(Optional.of(ELIGIBLE), true, Optional.empty(), o)));
    }

    @Test
    void aNewCourseStartsAtLeastFortyNineDaysAfterThePreviousDischarge() {
        Instant discharged = NOW.minus(Duration.ofDays(49));
        CourseOrder o = order(NOW.minus(Duration.ofHours(1)), NOW);
        assertDoesNotThrow(() -> ordered(Optional.of(ELIGIBLE), false, Optional.of(new Course.PreviousCourse(UUID.randomUUID(), discharged)), o));
        assertEquals("DOSE-0111", code(() -> ordered(Optional.of(ELIGIBLE), false,
                Optional.of(new Course.PreviousCourse(UUID.randomUUID(), discharged.plusSeconds(1))), o)));
        assertEquals("DOSE-0111", code(() -> ordered(Optional.of(ELIGIBLE), false, Optional.of(new Course.PreviousCourse(UUID.randomUUID(), null)), o)),
                "no discharge time: the interval cannot be checked");
    }

    @Test
    void theWeightIsAtMostSeventyTwoHoursOldAndNotInTheFuture() {
        assertDoesNotThrow(() -> ordered(Optional.of(ELIGIBLE), false, Optional.empty(), order(NOW.minus(Duration.ofHours(72)), NOW)));
        assertEquals("DOSE-0112", code(() -> ordered(Optional.of(ELIGIBLE), false, Optional.empty(),
                order(NOW.minus(Duration.ofHours(72)).minusSeconds(1), NOW))));
        assertDoesNotThrow(() -> ordered(Optional.of(ELIGIBLE), false, Optional.empty(), order(NOW.plus(Duration.ofMinutes(5)), NOW)));
        assertEquals("DOSE-0113", code(() -> ordered(Optional.of(ELIGIBLE), false, Optional.empty(),
                order(NOW.plus(Duration.ofMinutes(5)).plusSeconds(1), NOW))));
    }

    @Test
    void theFirstDoseIsNotAlreadyMissedAndWithinSevenDays() {
        Instant weighed = NOW.minus(Duration.ofHours(1));
        assertDoesNotThrow(() -> ordered(Optional.of(ELIGIBLE), false, Optional.empty(), order(weighed, NOW.minus(Duration.ofHours(2)))));
        assertEquals("DOSE-0113", code(() -> ordered(Optional.of(ELIGIBLE), false, Optional.empty(),
                order(weighed, NOW.minus(Duration.ofHours(2)).minusSeconds(1)))));
        assertDoesNotThrow(() -> ordered(Optional.of(ELIGIBLE), false, Optional.empty(), order(weighed, NOW.plus(Duration.ofDays(7)))));
        assertEquals("DOSE-0130", code(() -> ordered(Optional.of(ELIGIBLE), false, Optional.empty(),
                order(weighed, NOW.plus(Duration.ofDays(7)).plusSeconds(1)))));
    }

    // ------------------------------------------------------------------------------------------- verify

    @Test
    void anotherPersonThanThePrescriberVerifiesOnce() {
        Course c = ordered();
        Signer prescriberAsPharmacist = new Signer(PHYSICIAN.subject(), "dr-a", Set.of("pharmacist"));
        assertEquals("DOSE-0115", code(() -> c.verify(prescriberAsPharmacist, Preparation.of(c.state().doseIu(), LABEL.preparation()), NOW)));
        CourseEffect e = c.verify(PHARMACIST, Preparation.of(c.state().doseIu(), LABEL.preparation()), NOW);
        assertEquals(CourseStatus.ACTIVE, c.state().status());
        assertEquals("ph-a", c.state().verifiedBy());
        assertEquals(CourseEventType.COURSE_VERIFIED, e.event().orElseThrow().type());
        assertEquals("DOSE-0114", code(() -> c.verify(PHARMACIST, Preparation.of(c.state().doseIu(), LABEL.preparation()), NOW)));
    }

    // ------------------------------------------------------------------------------------------- give

    @Test
    void aDoseIsGivenOnlyOnAVerifiedCourseAsTheNextDoseWithinItsWindow() {
        assertEquals("DOSE-0108", code(() -> give(ordered(), 1, NOW)));
        Course c = active();
        assertEquals("DOSE-0106", code(() -> give(c, 2, NOW)), "not the next dose");
        assertEquals("DOSE-0104", code(() -> give(c, 29, NOW)));
        Instant second = c.slots().get(1).scheduledAt();
        give(c, 1, NOW);
        assertEquals("DOSE-0105", code(() -> give(c, 1, NOW)), "recorded already");
        assertEquals("DOSE-0109", code(() -> give(c, 2, second.minus(Duration.ofHours(1)).minusSeconds(1))));
        assertDoesNotThrow(() -> give(c, 2, second.minus(Duration.ofHours(1))));
    }

    @Test
    void aDoseGivenNeedsASecondNurseWithHerOwnCredential() {
        Course c = active();
        long iu = c.state().doseIu();
        assertEquals("DOSE-0125", code(() -> c.give(1, ran(NOW, iu), true, NURSE, Optional.of(SECOND_NURSE), RULES, GIVE, null, NOW)),
                "a name in the body is refused");
        assertEquals("DOSE-0125", code(() -> c.give(1, ran(NOW, iu), false, NURSE, Optional.empty(), RULES, GIVE, null, NOW)));
        Signer herself = new Signer(NURSE.subject(), "NURSE-A", Set.of("nurse"));
        assertEquals("DOSE-0118", code(() -> c.give(1, ran(NOW, iu), false, NURSE, Optional.of(herself), RULES, GIVE, null, NOW)));
        ProblemException physician = assertThrows(ProblemException.class,
                () -> c.give(1, ran(NOW, iu), false, NURSE, Optional.of(PHYSICIAN), RULES, GIVE, null, NOW));
        assertEquals("DOSE-0127", physician.code());
        assertEquals(403, physician.status());
        CourseEffect e = c.give(1, ran(NOW, iu), false, NURSE, Optional.of(SECOND_NURSE), RULES, GIVE, "key-1", NOW.plus(Duration.ofMinutes(20)));
        Course.Entry r = e.entries().get(0);
        assertEquals(EntryKind.GIVEN, r.kind());
        assertEquals("nurse-b", r.verifiedBy());
        assertEquals("sub-n2", r.verifiedBySubject());
        assertEquals("key-1", r.idempotencyKey());
        assertEquals(SlotStatus.GIVEN, c.slots().get(0).status());
        assertEquals(CourseEventType.DOSE_GIVEN, e.event().orElseThrow().type());
    }

    @Test
    void whatIsRecordedAsGivenCannotExceedThePrescriptionOrTheClock() {
        Course c = active();
        long iu = c.state().doseIu();
        assertEquals("DOSE-0119", code(() -> c.give(1, ran(NOW, iu + 1), false, NURSE, Optional.of(SECOND_NURSE), RULES, GIVE, null, NOW)));
        assertEquals("DOSE-0119", code(() -> c.give(1, new Administration(NOW.minus(Duration.ofHours(1)).minusSeconds(1), null, iu), false,
                NURSE, Optional.of(SECOND_NURSE), RULES, GIVE, null, NOW)), "started before the window");
        assertEquals("DOSE-0119", code(() -> c.give(1, new Administration(NOW.plus(Duration.ofMinutes(2)).plusSeconds(1), null, iu), false,
                NURSE, Optional.of(SECOND_NURSE), RULES, GIVE, null, NOW)), "started in the future");
        Instant start = NOW.minus(Duration.ofHours(1));
        assertEquals("DOSE-0119", code(() -> c.give(1, new Administration(start, start.plus(Duration.ofHours(2)).plusSeconds(1), iu), false,
                NURSE, Optional.of(SECOND_NURSE), RULES, GIVE, null, NOW.plus(Duration.ofHours(1).plusSeconds(1)))), "longer than 2 h");
        assertEquals("DOSE-0119", code(() -> c.give(1, ran(NOW, iu), false, NURSE, Optional.of(SECOND_NURSE), RULES, GIVE, null, NOW)),
                "ended in the future");
        CourseEffect partial = c.give(1, ran(NOW, iu - 1), false, NURSE, Optional.of(SECOND_NURSE), RULES, GIVE, null,
                NOW.plus(Duration.ofMinutes(20)));
        assertTrue(partial.entries().get(0).reason().startsWith("partial dose"));
    }

    @Test
    void aDoseIsGivenOnlyOnAGiveDecisionAskedLast() {
        Course c = active();
        Supplier<DecisionTaken> hold = () -> new DecisionTaken(Decision.HOLD, List.of("SBP 84 < 90"), false, List.of("f-1"), "{}");
        ProblemException e = assertThrows(ProblemException.class, () -> c.give(1, ran(NOW, c.state().doseIu()), false, NURSE,
                Optional.of(SECOND_NURSE), RULES, hold, null, NOW.plus(Duration.ofMinutes(20))));
        assertEquals("DOSE-0107", e.code());
        assertTrue(e.getMessage().contains("SBP 84 < 90"));
        assertEquals(SlotStatus.SCHEDULED, c.slots().get(0).status(), "a refusal changes nothing");
        Supplier<DecisionTaken> never = () -> {
            throw new AssertionError("the decision is not asked before the cheaper checks pass");
        };
        assertEquals("DOSE-0125", code(() -> c.give(1, ran(NOW, c.state().doseIu()), false, NURSE, Optional.empty(), RULES, never, null, NOW)));
    }

    // ------------------------------------------------------------------------------------------- hold, correct, miss, override

    @Test
    void aDoseIsHeldAtMostTwentyFourHoursAhead() {
        Course c = active();
        Instant third = c.slots().get(2).scheduledAt();
        assertEquals("DOSE-0128", code(() -> c.hold(3, "fever", NURSE, RULES, GIVE, null, third.minus(Duration.ofHours(24)).minusSeconds(1))));
        CourseEffect e = c.hold(3, "fever", NURSE, RULES, GIVE, null, third.minus(Duration.ofHours(24)));
        assertEquals(SlotStatus.HELD, c.slots().get(2).status());
        assertEquals(CourseEventType.DOSE_HELD, e.event().orElseThrow().type());
        assertEquals("DOSE-0105", code(() -> c.hold(3, "again", NURSE, RULES, GIVE, null, third)));
    }

    @Test
    void aGivenDoseIsVoidedByAPhysicianOrWithASecondSignatureAndTheSlotFollowsWhatStands() {
        Course c = active();
        assertEquals("DOSE-0120", code(() -> c.correct(1, "wrong", NURSE, Optional.empty(), null, NOW)));
        give(c, 1, NOW);
        assertEquals("DOSE-0125", code(() -> c.correct(1, "wrong patient", NURSE, Optional.empty(), null, NOW)), "a nurse alone cannot");
        assertEquals("DOSE-0118", code(() -> c.correct(1, "wrong patient", NURSE, Optional.of(NURSE), null, NOW)));
        CourseEffect e = c.correct(1, "wrong patient", NURSE, Optional.of(PHYSICIAN), null, NOW);
        assertEquals(EntryKind.ENTERED_IN_ERROR, e.entries().get(0).kind());
        assertEquals("dr-a", e.entries().get(0).verifiedBy());
        assertEquals(SlotStatus.SCHEDULED, c.slots().get(0).status(), "nothing stands: the dose is open again");
        give(c, 1, NOW);
        CourseEffect byPhysician = c.correct(1, "duplicate", PHYSICIAN, Optional.empty(), null, NOW);
        assertEquals(null, byPhysician.entries().get(0).verifiedBy(), "a physician voids alone");
        c.hold(1, "refused", NURSE, RULES, GIVE, null, NOW);
        c.correct(1, "not held", NURSE, Optional.empty(), null, NOW);
        assertEquals(SlotStatus.SCHEDULED, c.slots().get(0).status(), "a held entry is voided by one person");
        assertEquals(6, c.entries().size(), "the ledger only grows");
    }

    @Test
    void aDosePastItsWindowIsMissedOnceAndNeverMadeUp() {
        Course c = active();
        // dose 1 at NOW, missed 2 h after: not a second before, whatever window the sweep read from
        assertTrue(c.markMissed(1, RULES, NOW.plus(Duration.ofHours(2)).minusSeconds(1)).isEmpty(), "still recordable");
        assertTrue(active().markMissed(1, RULES, NOW.plus(Duration.ofHours(2))).isPresent(), "missed from 2 h after its time");
        CourseEffect e = c.markMissed(1, RULES, NOW.plus(Duration.ofHours(3))).orElseThrow();
        assertEquals(EntryKind.MISSED, e.entries().get(0).kind());
        assertEquals("system", e.entries().get(0).recordedBy());
        assertEquals(SlotStatus.MISSED, c.slots().get(0).status());
        assertTrue(c.markMissed(1, RULES, NOW.plus(Duration.ofHours(4))).isEmpty(), "once");
        assertEquals(2, c.nextScheduled().orElseThrow().doseNumber());
    }

    @Test
    void onlyAHoldIsOverriddenForTheFindingsActiveNow() {
        Course c = active();
        assertEquals("DOSE-0121", code(() -> c.overrideHold(1, GIVE.get(), "reviewed", "dr-a", NOW)));
        CourseEffect e = c.overrideHold(1, new DecisionTaken(Decision.HOLD, List.of("SBP"), false, List.of("f-1", "f-2"), "{}"),
                "reviewed at bedside", "dr-a", NOW);
        assertEquals(List.of("f-1", "f-2"), e.override().orElseThrow().findingIds());
        assertTrue(e.event().isEmpty());
        assertEquals("dose.override", e.audit().action());
    }

    // ------------------------------------------------------------------------------------------- end

    @Test
    void endingCancelsEveryScheduledDoseAndTheDischargeIsNeitherFutureNorBeforeTheLastDose() {
        Course c = active();
        c.give(1, ran(NOW, c.state().doseIu()), false, NURSE, Optional.of(SECOND_NURSE), RULES, GIVE, null, NOW.plus(Duration.ofMinutes(20)));
        Instant doseEnded = NOW.plus(Duration.ofMinutes(15));
        assertEquals("DOSE-0113", code(() -> c.end(true, "done", doseEnded.minusSeconds(1), "dr-a", NOW.plus(Duration.ofHours(1)))));
        assertEquals("DOSE-0113", code(() -> c.end(true, "done", NOW.plus(Duration.ofHours(1)).plus(Duration.ofMinutes(5)).plusSeconds(1),
                "dr-a", NOW.plus(Duration.ofHours(1)))));
        CourseEffect e = c.end(false, "hypotension", doseEnded, "dr-a", NOW.plus(Duration.ofHours(1)));
        assertEquals(CourseStatus.DISCONTINUED, c.state().status());
        assertEquals(27, e.entries().size());
        assertTrue(e.entries().stream().allMatch(r -> r.kind() == EntryKind.CANCELLED));
        assertEquals(CourseEventType.COURSE_DISCONTINUED, e.event().orElseThrow().type());
        assertEquals(1L, e.event().orElseThrow().data().get("dosesGiven"));
        assertEquals("DOSE-0116", code(() -> c.end(true, "again", null, "dr-a", NOW.plus(Duration.ofHours(2)))));
        assertEquals("DOSE-0116", code(() -> give(c, 2, c.slots().get(1).scheduledAt())));
        assertTrue(c.markMissed(2, RULES, NOW.plus(Duration.ofDays(1))).isEmpty(), "an ended course misses nothing");
    }

    @Test
    void aStopFlagIsConfirmedByDiscontinuingOrRejectedByClearingIt() {
        Course c = active();
        assertEquals("DOSE-0122", code(() -> c.reviewStop(false, "no", null, "dr-a", NOW)));
        Course.State s = c.state();
        Course flagged = Course.restore(new Course.State(s.id(), s.patientId(), s.screeningId(), s.protocolId(), s.protocolVersion(),
                s.dosingWeightKg(), s.weightMeasuredAt(), s.weightSource(), s.doseIu(), s.firstDoseAt(), s.status(), s.orderedAt(),
                s.orderedBy(), s.orderedBySubject(), s.verifiedBy(), s.verifiedBySubject(), s.verifiedAt(), NOW, "grade 4 toxicity",
                null, null, null, null), c.slots(), c.entries());
        CourseEffect rejected = flagged.reviewStop(false, "not confirmed", null, "dr-a", NOW);
        assertEquals(null, flagged.state().stopFlaggedAt());
        assertEquals("course.stop-flag.reject", rejected.audit().action());
        assertTrue(rejected.event().isEmpty());
        Course again = Course.restore(new Course.State(s.id(), s.patientId(), s.screeningId(), s.protocolId(), s.protocolVersion(),
                s.dosingWeightKg(), s.weightMeasuredAt(), s.weightSource(), s.doseIu(), s.firstDoseAt(), s.status(), s.orderedAt(),
                s.orderedBy(), s.orderedBySubject(), s.verifiedBy(), s.verifiedBySubject(), s.verifiedAt(), NOW, "grade 4 toxicity",
                null, null, null, null), c.slots(), c.entries());
        again.reviewStop(true, "confirmed", null, "dr-a", NOW);
        assertEquals(CourseStatus.DISCONTINUED, again.state().status());
    }
}
