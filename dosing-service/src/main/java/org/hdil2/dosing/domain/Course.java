package org.hdil2.dosing.domain;

import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.function.Supplier;

import org.hdil2.kit.problem.ProblemException;

/**
 * One course of high-dose aldesleukin with its dose ledger, as plain Java: ordered by a physician, verified by
 * another person (a pharmacist), doses given (two nurses), held, missed, corrected (entered in error; a given dose
 * voided by a physician or with a second signature), a hold overridden by a physician, the course completed or
 * discontinued. Each command checks its rules in order, refuses with the coded {@link ProblemException} (changing
 * nothing), or changes the course and returns the {@link CourseEffect} to persist and publish. The ledger is
 * append-only: a mistake is voided by a new entry, no entry is ever changed.
 */
public final class Course {

    /** Entries the service makes itself (a dose missed). */
    public static final Signer SYSTEM = new Signer("system", "system", Set.of());
    /** How far a client's clock may be ahead of the service's for a time it reports on the ledger. */
    static final Duration ADMINISTRATION_SKEW = Duration.ofMinutes(2);
    /** Clock skew tolerated on the times of an order or an ending. */
    static final Duration ORDER_SKEW = Duration.ofMinutes(5);

    /** The course itself (the slots and the ledger aside). */
    public record State(UUID id, String patientId, UUID screeningId, String protocolId, String protocolVersion,
                        BigDecimal dosingWeightKg, Instant weightMeasuredAt, String weightSource, long doseIu, Instant firstDoseAt,
                        CourseStatus status, Instant orderedAt, String orderedBy, String orderedBySubject, String verifiedBy,
                        String verifiedBySubject, Instant verifiedAt, Instant stopFlaggedAt, String stopFlagReason, Instant endedAt,
                        String endedBy, String endReason, Instant dischargedAt) {

        State verified(Signer pharmacist, Instant at) {
            return new State(id, patientId, screeningId, protocolId, protocolVersion, dosingWeightKg, weightMeasuredAt, weightSource,
                    doseIu, firstDoseAt, CourseStatus.ACTIVE, orderedAt, orderedBy, orderedBySubject, pharmacist.name(),
                    pharmacist.subject(), at, stopFlaggedAt, stopFlagReason, endedAt, endedBy, endReason, dischargedAt);
        }

        State ended(CourseStatus to, String physician, String reason, Instant discharged, Instant at) {
            return new State(id, patientId, screeningId, protocolId, protocolVersion, dosingWeightKg, weightMeasuredAt, weightSource,
                    doseIu, firstDoseAt, to, orderedAt, orderedBy, orderedBySubject, verifiedBy, verifiedBySubject, verifiedAt,
                    stopFlaggedAt, stopFlagReason, at, physician, reason, discharged);
        }

        State withProtocol(DosingProtocol to) {
            return new State(id, patientId, screeningId, to.id(), to.version(), dosingWeightKg, weightMeasuredAt, weightSource,
                    doseIu, firstDoseAt, status, orderedAt, orderedBy, orderedBySubject, verifiedBy, verifiedBySubject, verifiedAt,
                    stopFlaggedAt, stopFlagReason, endedAt, endedBy, endReason, dischargedAt);
        }

        State stopFlagCleared() {
            return new State(id, patientId, screeningId, protocolId, protocolVersion, dosingWeightKg, weightMeasuredAt, weightSource,
                    doseIu, firstDoseAt, status, orderedAt, orderedBy, orderedBySubject, verifiedBy, verifiedBySubject, verifiedAt,
                    null, null, endedAt, endedBy, endReason, dischargedAt);
        }
    }

    /** One q8h dose opportunity and what became of it. */
    public record Slot(int doseNumber, int cycle, Instant scheduledAt, SlotStatus status) {
        Slot with(SlotStatus s) {
            return new Slot(doseNumber, cycle, scheduledAt, s);
        }
    }

    /** One ledger entry. */
    public record Entry(UUID id, int doseNumber, EntryKind kind, Instant startedAt, Instant endedAt, Long iuGiven,
                        String administeredBy, String verifiedBy, String verifiedBySubject, String reason, String decision,
                        UUID corrects, Instant recordedAt, String recordedBy, String recordedBySubject, String idempotencyKey) {
    }

    /** A physician's lifting of the hold of one dose, for the findings active then only. */
    public record Override(int doseNumber, String physician, String reason, List<String> findingIds, Instant createdAt) {
    }

    /** The patient's latest screening as dosing knows it. */
    public record Screening(UUID screeningId, String outcome, Instant screenedAt) {
    }

    /** The patient's most recent course that has ended, for the retreatment interval. */
    public record PreviousCourse(UUID id, Instant dischargedAt) {
    }

    /** A new course and what ordering it did. */
    public record Ordered(Course course, CourseEffect effect) {
    }

    private State state;
    private final List<Slot> slots;
    private final List<Entry> entries;

    private Course(State state, List<Slot> slots, List<Entry> entries) {
        this.state = state;
        this.slots = new ArrayList<>(slots);
        this.entries = new ArrayList<>(entries);
    }

    /** @param entries the ledger in recording order */
    public static Course restore(State state, List<Slot> slots, List<Entry> entries) {
        return new Course(state, slots, entries);
    }

    // ------------------------------------------------------------------------------------------- the course

    /**
     * A physician's order: the patient's latest screening ELIGIBLE and recent, no other open course, the retreatment
     * interval since the previous discharge kept, a recent weight measured in the past, a first dose not already
     * missed and within the protocol's horizon. The dose is computed and the doses laid out.
     */
    public static Ordered order(UUID id, CourseOrder o, Signer by, DosingProtocol protocol, Optional<Screening> screening,
                                boolean openCourseExists, Optional<PreviousCourse> previous, Instant now) {
        DosingProtocol.CourseRules rules = protocol.course();
        Screening s = screening.orElseThrow(() -> ProblemException.conflict("DOSE-0129", "Not screened",
                "no screening of this patient has been received from eligibility-service"));
        if (!"ELIGIBLE".equals(s.outcome())) {
            throw ProblemException.conflict("DOSE-0101", "Not eligible", "the patient's latest screening (" + s.screeningId() + ", "
                    + s.screenedAt() + ") is " + s.outcome() + ", not ELIGIBLE");
        }
        if (s.screenedAt().plus(rules.screeningMaxAge()).isBefore(now)) {
            throw ProblemException.conflict("DOSE-0110", "Screening too old", "the latest screening is of " + s.screenedAt()
                    + "; at most " + rules.screeningMaxAge().toDays() + " days old is accepted (" + rules.id() + "): screen again");
        }
        if (openCourseExists) {
            throw ProblemException.conflict("DOSE-0102", "Course already open", "the patient already has an ordered or active course");
        }
        previous.ifPresent(p -> checkRetreatmentInterval(p, o.firstDoseAt(), rules));
        if (o.weightMeasuredAt().isAfter(now.plus(ORDER_SKEW))) {
            throw ProblemException.invalid("DOSE-0113", "weightMeasuredAt", "the weight cannot have been measured in the future");
        }
        if (o.weightMeasuredAt().plus(rules.weightMaxAge()).isBefore(now)) {
            throw ProblemException.conflict("DOSE-0112", "Dosing weight too old", "the weight was measured at " + o.weightMeasuredAt()
                    + "; at most " + rules.weightMaxAge().toHours() + " h old is accepted (" + rules.id() + ")");
        }
        if (o.firstDoseAt().plus(rules.missedAfter()).isBefore(now)) {
            throw ProblemException.invalid("DOSE-0113", "firstDoseAt", "the first dose would already be missed: plan it from now on");
        }
        if (o.firstDoseAt().isAfter(now.plus(rules.firstDoseHorizon()))) {
            throw ProblemException.invalid("DOSE-0130", "firstDoseAt", "the first dose may be at most " + rules.firstDoseHorizon().toDays()
                    + " days after the order (" + rules.id() + ")");
        }
        long doseIu = DoseCalculator.doseIu(protocol.dose(), o.dosingWeightKg());
        State st = new State(id, o.patientId(), s.screeningId(), protocol.id(), protocol.version(), o.dosingWeightKg(),
                o.weightMeasuredAt(), o.weightSource(), doseIu, o.firstDoseAt(), CourseStatus.ORDERED, now, by.name(), by.subject(),
                null, null, null, null, null, null, null, null, null);
        List<Slot> laid = DoseSchedule.layout(protocol.schedule(), o.firstDoseAt()).stream()
                .map(d -> new Slot(d.doseNumber(), d.cycle(), d.scheduledAt(), SlotStatus.SCHEDULED)).toList();
        Course c = new Course(st, laid, List.of());
        Map<String, Object> event = c.courseEvent();
        event.put("screeningId", st.screeningId().toString());
        event.put("protocol", Map.of("id", st.protocolId(), "version", st.protocolVersion()));
        event.put("dosingWeightKg", st.dosingWeightKg());
        event.put("doseIu", doseIu);
        event.put("firstDoseAt", st.firstDoseAt().toString());
        event.put("plannedDoses", laid.size());
        event.put("orderedAt", now.toString());
        event.put("orderedBy", by.name());
        return new Ordered(c, new CourseEffect(List.of(), laid, Optional.empty(),
                Optional.of(new CourseEffect.Published(CourseEventType.COURSE_ORDERED, now, event)),
                c.audit("course.order", Map.of("doseIu", doseIu, "doses", laid.size()))));
    }

    private static void checkRetreatmentInterval(PreviousCourse previous, Instant firstDoseAt, DosingProtocol.CourseRules rules) {
        if (previous.dischargedAt() == null) {
            throw ProblemException.conflict("DOSE-0111", "Retreatment interval unknown", "the previous course " + previous.id()
                    + " has no discharge time recorded, so the interval since it cannot be checked (" + rules.id() + ")");
        }
        Instant earliest = previous.dischargedAt().plus(rules.retreatmentMinInterval());
        if (firstDoseAt.isBefore(earliest)) {
            throw ProblemException.conflict("DOSE-0111", "Too soon after the previous course", "a new course may start from "
                    + earliest + ", " + rules.retreatmentMinInterval().toDays() + " days after the previous discharge (" + rules.id() + ")");
        }
    }

    /** Verification by another person than the prescriber: the course becomes active. */
    public CourseEffect verify(Signer pharmacist, Preparation p, Instant now) {
        if (state.status() != CourseStatus.ORDERED) {
            throw ProblemException.conflict("DOSE-0114", "Not awaiting verification", "the course is " + state.status());
        }
        if (state.orderedBySubject() == null ? pharmacist.name().equals(state.orderedBy())
                : pharmacist.subject().equals(state.orderedBySubject())) {
            throw ProblemException.conflict("DOSE-0115", "Verifier is the prescriber",
                    "a course is verified by another person than the one who ordered it");
        }
        state = state.verified(pharmacist, now);
        Map<String, Object> event = courseEvent();
        event.put("verifiedBy", pharmacist.name());
        event.put("verifiedAt", now.toString());
        event.put("doseIu", state.doseIu());
        event.put("preparation", Map.of("vials", p.vials(), "drawMl", p.drawMl(), "d5wMl", p.d5wMl(),
                "finalMgPerMl", p.finalMgPerMl(), "concentrationInRange", p.concentrationInRange(),
                "concentrationBasis", p.concentrationBasis().name()));
        return new CourseEffect(List.of(), List.of(), Optional.empty(),
                Optional.of(new CourseEffect.Published(CourseEventType.COURSE_VERIFIED, now, event)),
                audit("course.verify", Map.of("concentrationInRange", p.concentrationInRange())));
    }

    /**
     * A physician moves the open course to another protocol: from now on its pre-dose, withhold and stop rules decide
     * (monitoring evaluates the patient under it once the event reaches it). Refused for the protocol the course has, and
     * when the two would give another dose or schedule: the dose was computed and verified under the first, so that
     * takes discontinuing and ordering anew.
     */
    public CourseEffect changeProtocol(DosingProtocol from, DosingProtocol to, String reason, String physician, Instant now) {
        if (!state.status().open()) {
            throw ProblemException.conflict("DOSE-0116", "Course ended", "the course is " + state.status());
        }
        if (to.id().equals(state.protocolId())) {
            throw ProblemException.conflict("DOSE-0134", "Same protocol", "the course is already under " + to.id() + " " + state.protocolVersion());
        }
        DosingProtocol.Dose a = from.dose();
        DosingProtocol.Dose b = to.dose();
        DosingProtocol.Schedule x = from.schedule();
        DosingProtocol.Schedule y = to.schedule();
        if (a.iuPerKg() != b.iuPerKg() || !java.util.Objects.equals(a.weightBasis(), b.weightBasis())
                || x.intervalHours() != y.intervalHours() || x.cycleDays() != y.cycleDays() || x.restDays() != y.restDays()
                || x.cycles() != y.cycles() || x.maxDosesPerCycle() != y.maxDosesPerCycle()) {
            throw ProblemException.conflict("DOSE-0133", "Protocols differ in dose or schedule", from.id() + " and " + to.id()
                    + " compute the dose or lay out the doses differently: discontinue this course and order one under " + to.id());
        }
        String previousId = state.protocolId();
        String previousVersion = state.protocolVersion();
        state = state.withProtocol(to);
        Map<String, Object> event = courseEvent();
        event.put("protocol", Map.of("id", to.id(), "version", to.version()));
        event.put("previousProtocol", Map.of("id", previousId, "version", previousVersion));
        event.put("reason", reason);
        event.put("changedBy", physician);
        event.put("changedAt", now.toString());
        return new CourseEffect(List.of(), List.of(), Optional.empty(),
                Optional.of(new CourseEffect.Published(CourseEventType.COURSE_PROTOCOL_CHANGED, now, event)),
                audit("course.protocol-change", Map.of("from", previousId + " " + previousVersion, "to", to.id() + " " + to.version(),
                        "reason", reason)));
    }

    /**
     * Ends an open course: every dose still scheduled is cancelled; the discharge time (not in the future, not before
     * the course's last event) starts the retreatment interval.
     */
    public CourseEffect end(boolean completed, String reason, Instant dischargedAt, String physician, Instant now) {
        if (!state.status().open()) {
            throw ProblemException.conflict("DOSE-0116", "Course already ended", "the course is " + state.status());
        }
        if (dischargedAt != null && dischargedAt.isAfter(now.plus(ORDER_SKEW))) {
            throw ProblemException.invalid("DOSE-0113", "dischargedAt", "the discharge cannot be in the future");
        }
        if (dischargedAt != null && dischargedAt.isBefore(lastEvent())) {
            throw ProblemException.invalid("DOSE-0113", "dischargedAt", "the discharge cannot be before the course's last event ("
                    + lastEvent() + ")");
        }
        List<Entry> cancellations = new ArrayList<>();
        List<Slot> cancelled = new ArrayList<>();
        for (Slot slot : List.copyOf(slots)) {
            if (slot.status() == SlotStatus.SCHEDULED) {
                cancellations.add(append(new Entry(UUID.randomUUID(), slot.doseNumber(), EntryKind.CANCELLED, null, null, null, null, null,
                        null, (completed ? "course completed: " : "course discontinued: ") + reason, null, null, now, physician, null,
                        null)));
                cancelled.add(set(slot.with(SlotStatus.CANCELLED)));
            }
        }
        state = state.ended(completed ? CourseStatus.COMPLETED : CourseStatus.DISCONTINUED, physician, reason, dischargedAt, now);
        long given = count(SlotStatus.GIVEN);
        Map<String, Object> event = courseEvent();
        event.put("endedBy", physician);
        event.put("endedAt", now.toString());
        event.put("reason", reason);
        if (dischargedAt != null) {
            event.put("dischargedAt", dischargedAt.toString());
        }
        event.put("dosesGiven", given);
        event.put("dosesCancelled", cancelled.size());
        return new CourseEffect(cancellations, cancelled, Optional.empty(), Optional.of(new CourseEffect.Published(
                completed ? CourseEventType.COURSE_COMPLETED : CourseEventType.COURSE_DISCONTINUED, now, event)),
                audit(completed ? "course.complete" : "course.discontinue", Map.of("dosesGiven", given, "dosesCancelled", cancelled.size())));
    }

    /** A physician's answer to a stop flag: confirm discontinues the course; reject clears the flag. */
    public CourseEffect reviewStop(boolean confirm, String reason, Instant dischargedAt, String physician, Instant now) {
        if (state.stopFlaggedAt() == null) {
            throw ProblemException.conflict("DOSE-0122", "No stop flag", "the course is not flagged for a stop review");
        }
        if (confirm) {
            return end(false, reason, dischargedAt, physician, now);
        }
        String flag = state.stopFlagReason();
        state = state.stopFlagCleared();
        return new CourseEffect(List.of(), List.of(), Optional.empty(), Optional.empty(),
                audit("course.stop-flag.reject", Map.of("flag", flag == null ? "" : flag)));
    }

    // ------------------------------------------------------------------------------------------- the ledger

    /**
     * A dose given: the course verified, the dose the next one and due, signed by two nurses (the caller and a second
     * nurse with her own credential), no more than prescribed, the infusion's times within the dose's window and not in
     * the future, and the pre-dose decision GIVE at this moment (asked last: it is the costliest check).
     */
    public CourseEffect give(int doseNumber, Administration a, boolean verifierNamedInBody, Signer nurse, Optional<Signer> second,
                             DosingProtocol.CourseRules rules, Supplier<DecisionTaken> decision, String idempotencyKey, Instant now) {
        if (state.status() == CourseStatus.ORDERED) {
            throw ProblemException.conflict("DOSE-0108", "Course not verified", "a pharmacist must verify the course before any dose");
        }
        Slot slot = openSlot(doseNumber);
        Slot next = nextScheduled().orElseThrow();
        if (next.doseNumber() != doseNumber) {
            throw ProblemException.conflict("DOSE-0106", "Not the next dose", "the next dose of this course is " + next.doseNumber());
        }
        if (now.isBefore(slot.scheduledAt().minus(rules.windowBefore()))) {
            throw ProblemException.conflict("DOSE-0109", "Not due yet", "dose " + doseNumber + " may be given from "
                    + slot.scheduledAt().minus(rules.windowBefore()) + " (" + rules.id() + ")");
        }
        if (verifierNamedInBody) {
            throw ProblemException.invalid("DOSE-0125", "verifiedBy", "the second nurse is not named in the body: she signs with "
                    + "her own token in the Second-Signature header");
        }
        Signer verifier = secondSigner(nurse, second, Set.of("nurse"), "the second nurse who checked the dose signs with her own token "
                + "in the Second-Signature header");
        if (a.iuGiven() > state.doseIu()) {
            throw ProblemException.invalid("DOSE-0119", "iuGiven", "more than the prescribed " + state.doseIu() + " IU cannot have been given");
        }
        CourseGates.administrationTimes(rules, slot.scheduledAt(), a.startedAt(), a.endedAt(), now, ADMINISTRATION_SKEW).ifPresent(why -> {
            throw ProblemException.invalid("DOSE-0119", why.startsWith("endedAt") || why.startsWith("an infusion") ? "endedAt" : "startedAt",
                    why);
        });
        DecisionTaken d = decision.get();
        if (d.decision() != Decision.GIVE) {
            throw ProblemException.conflict("DOSE-0107", "Dose may not be given",
                    "the pre-dose decision is " + d.decision() + ": " + String.join("; ", d.reasons()));
        }
        String partial = a.iuGiven() < state.doseIu() ? "partial dose: " + a.iuGiven() + " of " + state.doseIu() + " IU" : null;
        Entry r = append(new Entry(UUID.randomUUID(), doseNumber, EntryKind.GIVEN, a.startedAt(), a.endedAt(), a.iuGiven(), nurse.name(),
                verifier.name(), verifier.subject(), partial, d.recorded(), null, now, nurse.name(), nurse.subject(), idempotencyKey));
        Slot given = set(slot.with(SlotStatus.GIVEN));
        Map<String, Object> event = slotEvent(given, r);
        event.put("startedAt", a.startedAt().toString());
        if (a.endedAt() != null) {
            event.put("endedAt", a.endedAt().toString());
        }
        event.put("iuGiven", a.iuGiven());
        event.put("prescribedIu", state.doseIu());
        event.put("administeredBy", nurse.name());
        event.put("verifiedBy", verifier.name());
        event.put("overridden", d.overridden());
        return new CourseEffect(List.of(r), List.of(given), Optional.empty(),
                Optional.of(new CourseEffect.Published(CourseEventType.DOSE_GIVEN, now, event)),
                new CourseEffect.AuditLine("dose.given", "DoseRecord", r.id().toString(), Map.of("doseNumber", doseNumber,
                        "iuGiven", a.iuGiven(), "overridden", d.overridden(), "verifiedBy", verifier.name())));
    }

    /** A dose held ahead: only a dose due within the protocol's hold horizon (the next ones, not days ahead). */
    public CourseEffect hold(int doseNumber, String reason, Signer user, DosingProtocol.CourseRules rules, Supplier<DecisionTaken> decision,
                             String idempotencyKey, Instant now) {
        Slot slot = openSlot(doseNumber);
        if (slot.scheduledAt().isAfter(now.plus(rules.holdHorizon()))) {
            throw ProblemException.conflict("DOSE-0128", "Too far ahead", "dose " + doseNumber + " is due at " + slot.scheduledAt()
                    + "; a dose may be held at most " + rules.holdHorizon().toHours() + " h before it is due (" + rules.id() + ")");
        }
        Entry r = append(new Entry(UUID.randomUUID(), doseNumber, EntryKind.HELD, null, null, null, null, null, null, reason,
                decision.get().recorded(), null, now, user.name(), user.subject(), idempotencyKey));
        Slot held = set(slot.with(SlotStatus.HELD));
        return new CourseEffect(List.of(r), List.of(held), Optional.empty(),
                Optional.of(new CourseEffect.Published(CourseEventType.DOSE_HELD, now, reasonEvent(held, r))),
                new CourseEffect.AuditLine("dose.held", "DoseRecord", r.id().toString(), Map.of("doseNumber", doseNumber)));
    }

    /**
     * Voids the slot's standing entry with a new ENTERED_IN_ERROR entry; the slot's status follows what then stands. A
     * GIVEN entry is voided by a physician, or by a nurse with a second person's signature (a nurse's or a physician's).
     */
    public CourseEffect correct(int doseNumber, String reason, Signer user, Optional<Signer> second, String idempotencyKey, Instant now) {
        slot(doseNumber);
        Entry standing = standing(doseNumber).orElseThrow(() ->
                ProblemException.conflict("DOSE-0120", "Nothing to correct", "dose " + doseNumber + " has no ledger entry"));
        Optional<Signer> cosigner = Optional.empty();
        if (standing.kind() == EntryKind.GIVEN && !user.has("physician")) {
            cosigner = Optional.of(secondSigner(user, second, Set.of("nurse", "physician"), "voiding a given dose takes a physician, or a "
                    + "second person (nurse or physician) signing with her own token in the Second-Signature header"));
        }
        Entry r = append(new Entry(UUID.randomUUID(), doseNumber, EntryKind.ENTERED_IN_ERROR, null, null, null, null,
                cosigner.map(Signer::name).orElse(null), cosigner.map(Signer::subject).orElse(null), reason, null, standing.id(), now,
                user.name(), user.subject(), idempotencyKey));
        Slot after = set(slot(doseNumber).with(standing(doseNumber).map(e -> e.kind().slotStatus()).orElse(SlotStatus.SCHEDULED)));
        Map<String, Object> event = courseEvent();
        event.put("recordId", r.id().toString());
        event.put("correctedRecordId", standing.id().toString());
        event.put("doseNumber", doseNumber);
        event.put("slotStatus", after.status().name());
        event.put("reason", reason);
        event.put("recordedBy", user.name());
        cosigner.ifPresent(co -> event.put("verifiedBy", co.name()));
        event.put("recordedAt", now.toString());
        return new CourseEffect(List.of(r), List.of(after), Optional.empty(),
                Optional.of(new CourseEffect.Published(CourseEventType.DOSE_CORRECTED, now, event)),
                new CourseEffect.AuditLine("dose.corrected", "DoseRecord", r.id().toString(), Map.of("corrects", standing.id().toString(),
                        "slotStatus", after.status().name(), "verifiedBy", cosigner.map(Signer::name).orElse(""))));
    }

    /** A physician lifts the HOLD of an open dose, for the findings active now only (a new finding holds again). */
    public CourseEffect overrideHold(int doseNumber, DecisionTaken current, String reason, String physician, Instant now) {
        openSlot(doseNumber);
        if (current.decision() != Decision.HOLD) {
            throw ProblemException.conflict("DOSE-0121", "Nothing to override", "only a HOLD can be overridden; the decision is "
                    + current.decision() + ": " + String.join("; ", current.reasons()));
        }
        Override o = new Override(doseNumber, physician, reason, current.findingIds(), now);
        return new CourseEffect(List.of(), List.of(), Optional.of(o), Optional.empty(), new CourseEffect.AuditLine("dose.override",
                "DoseOpportunity", state.id() + "/" + doseNumber, Map.of("findings", String.join(",", o.findingIds()), "reason", reason)));
    }

    /** A scheduled dose of an open course past its window: MISSED, skipped, never made up. Empty when it is not. */
    public Optional<CourseEffect> markMissed(int doseNumber, DosingProtocol.CourseRules rules, Instant now) {
        Slot slot = slot(doseNumber);
        // the sweep reads from the shortest window of any protocol: a slot is missed only by its own course's
        if (slot.status() != SlotStatus.SCHEDULED || !state.status().open() || slot.scheduledAt().plus(rules.missedAfter()).isAfter(now)) {
            return Optional.empty();
        }
        Entry r = append(new Entry(UUID.randomUUID(), doseNumber, EntryKind.MISSED, null, null, null, null, null, null,
                "no record within " + rules.missedAfter().toMinutes() + " min of the scheduled time (" + rules.id() + ")", null, null, now,
                SYSTEM.name(), SYSTEM.subject(), null));
        Slot missed = set(slot.with(SlotStatus.MISSED));
        return Optional.of(new CourseEffect(List.of(r), List.of(missed), Optional.empty(),
                Optional.of(new CourseEffect.Published(CourseEventType.DOSE_MISSED, now, reasonEvent(missed, r))),
                new CourseEffect.AuditLine("dose.missed", "DoseRecord", r.id().toString(), Map.of("doseNumber", doseNumber))));
    }

    // ------------------------------------------------------------------------------------------- rules

    /** The second person of a two-person step: present, another person than the caller, holding one of {@code roles}. */
    private static Signer secondSigner(Signer caller, Optional<Signer> second, Set<String> roles, String howToSign) {
        Signer s = second.orElseThrow(() -> new ProblemException(400, "DOSE-0125", "Second signature required", howToSign));
        if (s.isSamePersonAs(caller)) {
            throw ProblemException.invalid("DOSE-0118", "Second-Signature", "the second signature must be another person's than the caller's");
        }
        if (roles.stream().noneMatch(s::has)) {
            throw new ProblemException(403, "DOSE-0127", "Second signer's role does not allow this", "the second signature must be "
                    + "that of a " + String.join(" or a ", new TreeSet<>(roles)));
        }
        return s;
    }

    private Slot openSlot(int doseNumber) {
        if (!state.status().open()) {
            throw ProblemException.conflict("DOSE-0116", "Course ended", "the course is " + state.status());
        }
        Slot slot = slot(doseNumber);
        if (slot.status() != SlotStatus.SCHEDULED) {
            throw ProblemException.conflict("DOSE-0105", "Already recorded", "dose " + doseNumber + " is " + slot.status());
        }
        return slot;
    }

    private Slot slot(int doseNumber) {
        return slots.stream().filter(s -> s.doseNumber() == doseNumber).findFirst()
                .orElseThrow(() -> ProblemException.notFound("DOSE-0104", "dose " + doseNumber + " of course " + state.id()));
    }

    /** The latest time the course itself records: its order, its verification, the start or end of a dose given. */
    private Instant lastEvent() {
        Instant last = state.verifiedAt() != null && state.verifiedAt().isAfter(state.orderedAt()) ? state.verifiedAt() : state.orderedAt();
        for (Entry r : entries) {
            for (Instant t : new Instant[] { r.startedAt(), r.endedAt() }) {
                if (t != null && t.isAfter(last) && r.kind() == EntryKind.GIVEN) {
                    last = t;
                }
            }
        }
        return last;
    }

    private Entry append(Entry e) {
        entries.add(e);
        return e;
    }

    private Slot set(Slot changed) {
        slots.replaceAll(s -> s.doseNumber() == changed.doseNumber() ? changed : s);
        return changed;
    }

    private Map<String, Object> courseEvent() {
        Map<String, Object> event = new LinkedHashMap<>();
        event.put("courseId", state.id().toString());
        event.put("patientId", state.patientId());
        return event;
    }

    private Map<String, Object> slotEvent(Slot slot, Entry r) {
        Map<String, Object> event = courseEvent();
        event.put("recordId", r.id().toString());
        event.put("doseNumber", slot.doseNumber());
        event.put("cycle", slot.cycle());
        event.put("scheduledAt", slot.scheduledAt().toString());
        return event;
    }

    private Map<String, Object> reasonEvent(Slot slot, Entry r) {
        Map<String, Object> event = slotEvent(slot, r);
        event.put("reason", r.reason());
        event.put("recordedBy", r.recordedBy());
        event.put("recordedAt", r.recordedAt().toString());
        return event;
    }

    private CourseEffect.AuditLine audit(String action, Map<String, Object> details) {
        return new CourseEffect.AuditLine(action, "Course", state.id().toString(), details);
    }

    // ------------------------------------------------------------------------------------------- reading

    public State state() {
        return state;
    }

    public List<Slot> slots() {
        return List.copyOf(slots);
    }

    public List<Entry> entries() {
        return List.copyOf(entries);
    }

    public Optional<Slot> nextScheduled() {
        return slots.stream().filter(s -> s.status() == SlotStatus.SCHEDULED).findFirst();
    }

    public long count(SlotStatus status) {
        return slots.stream().filter(s -> s.status() == status).count();
    }

    /** Of one slot's entries in recording order, the latest that is not itself a correction and that no correction voids. */
    public Optional<Entry> standing(int doseNumber) {
        return standing(entries.stream().filter(e -> e.doseNumber() == doseNumber).toList());
    }

    /** The standing entry among one slot's entries (in recording order). */
    public static Optional<Entry> standing(List<Entry> slotEntries) {
        List<UUID> voided = slotEntries.stream().filter(e -> e.corrects() != null).map(Entry::corrects).toList();
        return slotEntries.stream().filter(e -> e.kind() != EntryKind.ENTERED_IN_ERROR && !voided.contains(e.id()))
                .reduce((first, second) -> second);
    }
}
