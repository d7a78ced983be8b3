package org.hdil2.dosing.persistence;

import java.time.Instant;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.LockModeType;
import jakarta.transaction.Transactional;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.hdil2.dosing.api.CourseView;
import org.hdil2.dosing.api.DecisionView;
import org.hdil2.dosing.api.Requests;
import org.hdil2.dosing.domain.CourseContext;
import org.hdil2.dosing.domain.CourseGates;
import org.hdil2.dosing.domain.Decision;
import org.hdil2.dosing.domain.DosingProtocol;
import org.hdil2.dosing.domain.EvaluationCurrency;
import org.hdil2.dosing.domain.PatientState;
import org.hdil2.dosing.domain.PreDoseDecision;
import org.hdil2.dosing.domain.Signer;
import org.hdil2.kit.audit.AuditTrail;
import org.hdil2.kit.outbox.Outbox;
import org.hdil2.kit.problem.ProblemException;

/**
 * The dose ledger: the pre-dose decision, and the entries nurses and physicians make — given (two nurses), held,
 * corrected (entered in error), a physician's override of a hold — and the system's MISSED entries. Commands that
 * carry an {@code Idempotency-Key} record once however often they are retried.
 */
@ApplicationScoped
public class LedgerStore {

    static final String DOSE_GIVEN = "org.hdil2.dosing.dose-given.v1";
    static final String DOSE_HELD = "org.hdil2.dosing.dose-held.v1";
    static final String DOSE_MISSED = "org.hdil2.dosing.dose-missed.v1";
    static final String DOSE_CORRECTED = "org.hdil2.dosing.dose-corrected.v1";
    /** Entries the service makes itself (a dose missed). */
    private static final Signer SYSTEM = new Signer("system", "system", Set.of());
    /** How far a client's clock may be ahead of the service's for a time it reports. */
    static final java.time.Duration CLOCK_SKEW = java.time.Duration.ofMinutes(2);

    @Inject
    DosingProtocol protocol;

    @Inject
    PatientStates patientStates;

    @Inject
    EvaluationCurrencyCheck currencyCheck;

    @Inject
    CourseStore courses;

    @Inject
    CourseViews views;

    @Inject
    Outbox outbox;

    @Inject
    AuditTrail audit;

    @Inject
    ObjectMapper json;

    @ConfigProperty(name = "hdil2.topics.dosing-events")
    String topic;

    /** Read-only; one transaction so that its few queries share one connection and one snapshot. */
    @Transactional
    public DecisionView nextDecision(UUID courseId, Instant now) {
        CourseEntity c = courses.course(courseId);
        if (!c.isOpen()) {
            throw ProblemException.conflict("DOSE-0116", "Course ended", "the course is " + c.status);
        }
        DoseOpportunityEntity next = DoseOpportunityEntity.nextScheduled(courseId).orElseThrow(() ->
                ProblemException.conflict("DOSE-0103", "No dose pending", "every dose opportunity of this course has been recorded"));
        return decide(c, next, now);
    }

    DecisionView decide(CourseEntity c, DoseOpportunityEntity dose, Instant now) {
        Optional<CourseContext.Override> override = DoseOverrideEntity.<DoseOverrideEntity>findByIdOptional(
                DoseOpportunityEntity.key(c.id, dose.doseNumber)).map(o -> new CourseContext.Override(o.physician, o.reason,
                Set.copyOf(Arrays.asList(o.findingIds.split(",")))));
        // held doses are counted only where a protocol stops on them
        long held = protocol.stop().maxHeldDoses() == null ? 0 : DoseOpportunityEntity.countWithStatus(c.id, DoseRecordEntity.HELD);
        // the order's gates again before the course's first dose: it may have been ordered days ahead
        List<String> unmetGates = DoseOpportunityEntity.countWithStatus(c.id, DoseRecordEntity.GIVEN) > 0 ? List.of()
                : CourseGates.atFirstDose(protocol.course(), PatientScreeningEntity.<PatientScreeningEntity>findByIdOptional(c.patientId)
                        .map(p -> new CourseGates.Screening(p.outcome, p.screenedAt)), c.weightMeasuredAt, now);
        CourseContext context = new CourseContext(CourseEntity.ACTIVE.equals(c.status), Optional.ofNullable(c.stopFlagReason),
                held, override, unmetGates);
        Optional<PatientState> state = patientStates.of(c.patientId);
        EvaluationCurrency currency = state.map(s -> currencyCheck.of(c.patientId, s, now)).orElse(EvaluationCurrency.confirmed());
        PreDoseDecision.Result r = PreDoseDecision.decide(protocol.preDose(), protocol.stop(), context, state, currency, now);
        DosingProtocol.CourseRules rules = protocol.course();
        return new DecisionView(c.id, c.patientId, dose.doseNumber, dose.cycle, dose.scheduledAt, r.decision(), r.reasons(),
                r.findings(), r.evaluatedAt().orElse(null), now, dose.scheduledAt.minus(rules.windowBefore()),
                dose.scheduledAt.plus(rules.missedAfter()), r.overridden(), protocol.preDose().id(), protocol.preDose().version(),
                state.isPresent() && currency.isCurrent(), state.map(PatientState::intakeSequence).orElse(null));
    }

    /**
     * A dose given, signed by two nurses: the caller, and a second nurse with her own credential ({@code second}); the
     * infusion's times are checked against the dose's window and now.
     */
    @Transactional
    public CourseView give(UUID courseId, int doseNumber, Requests.Administration request, Signer nurse, Optional<Signer> second,
                           String idempotencyKey) {
        Optional<CourseView> replay = replay(idempotencyKey, DoseRecordEntity.GIVEN, nurse, courseId, doseNumber);
        if (replay.isPresent()) {
            return replay.get();
        }
        CourseEntity c = courses.course(courseId);
        if (CourseEntity.ORDERED.equals(c.status)) {
            throw ProblemException.conflict("DOSE-0108", "Course not verified", "a pharmacist must verify the course before any dose");
        }
        DoseOpportunityEntity slot = openSlot(c, doseNumber);
        DoseOpportunityEntity next = DoseOpportunityEntity.nextScheduled(courseId).orElseThrow();
        if (next.doseNumber != doseNumber) {
            throw ProblemException.conflict("DOSE-0106", "Not the next dose", "the next dose of this course is " + next.doseNumber);
        }
        Instant now = Instant.now();
        DosingProtocol.CourseRules rules = protocol.course();
        if (now.isBefore(slot.scheduledAt.minus(rules.windowBefore()))) {
            throw ProblemException.conflict("DOSE-0109", "Not due yet", "dose " + doseNumber + " may be given from "
                    + slot.scheduledAt.minus(rules.windowBefore()) + " (" + rules.id() + ")");
        }
        if (request.verifiedBy() != null) {
            throw ProblemException.invalid("DOSE-0125", "verifiedBy", "the second nurse is not named in the body: she signs with "
                    + "her own token in the Second-Signature header");
        }
        Signer verifier = secondSigner(nurse, second, Set.of("nurse"), "the second nurse who checked the dose signs with her own token "
                + "in the Second-Signature header");
        if (request.iuGiven() > c.doseIu) {
            throw ProblemException.invalid("DOSE-0119", "iuGiven", "more than the prescribed " + c.doseIu + " IU cannot have been given");
        }
        CourseGates.administrationTimes(rules, slot.scheduledAt, request.startedAt(), request.endedAt(), now, CLOCK_SKEW)
                .ifPresent(why -> {
                    throw ProblemException.invalid("DOSE-0119", why.startsWith("endedAt") || why.startsWith("an infusion")
                            ? "endedAt" : "startedAt", why);
                });
        DecisionView decision = decide(c, slot, now);
        if (decision.decision() != Decision.GIVE) {
            throw ProblemException.conflict("DOSE-0107", "Dose may not be given",
                    "the pre-dose decision is " + decision.decision() + ": " + String.join("; ", decision.reasons()));
        }
        DoseRecordEntity r = entry(c, slot, DoseRecordEntity.GIVEN, nurse, idempotencyKey, now);
        r.startedAt = request.startedAt();
        r.endedAt = request.endedAt();
        r.iuGiven = request.iuGiven();
        r.administeredBy = nurse.name();
        r.verifiedBy = verifier.name();
        r.verifiedBySubject = verifier.subject();
        r.decision = write(decision);
        r.reason = request.iuGiven() < c.doseIu ? "partial dose: " + request.iuGiven() + " of " + c.doseIu + " IU" : null;
        r.persist();
        slot.status = DoseRecordEntity.GIVEN;
        audit.byCaller("dose.given", c.patientId, "DoseRecord", r.id.toString(), Map.of("doseNumber", doseNumber,
                "iuGiven", r.iuGiven, "overridden", decision.overridden(), "verifiedBy", verifier.name()));
        Map<String, Object> event = slotEvent(c, slot, r);
        event.put("startedAt", r.startedAt.toString());
        if (r.endedAt != null) {
            event.put("endedAt", r.endedAt.toString());
        }
        event.put("iuGiven", r.iuGiven);
        event.put("prescribedIu", c.doseIu);
        event.put("administeredBy", nurse.name());
        event.put("verifiedBy", r.verifiedBy);
        event.put("overridden", decision.overridden());
        outbox.append(topic, c.patientId, DOSE_GIVEN, now, event);
        return views.of(c);
    }

    /** The second person of a two-person step: present, another person than the caller, holding one of {@code roles}. */
    private static Signer secondSigner(Signer caller, Optional<Signer> second, Set<String> roles, String howToSign) {
        Signer s = second.orElseThrow(() -> new ProblemException(400, "DOSE-0125", "Second signature required", howToSign));
        if (s.isSamePersonAs(caller)) {
            throw ProblemException.invalid("DOSE-0118", "Second-Signature", "the second signature must be another person's than the caller's");
        }
        if (roles.stream().noneMatch(s::has)) {
            throw new ProblemException(403, "DOSE-0127", "Second signer's role does not allow this", "the second signature must be "
                    + "that of a " + String.join(" or a ", new java.util.TreeSet<>(roles)));
        }
        return s;
    }

    /** A dose held ahead: only a dose due within the protocol's hold horizon (the next ones, not days ahead). */
    @Transactional
    public CourseView hold(UUID courseId, int doseNumber, String reason, Signer user, String idempotencyKey) {
        Optional<CourseView> replay = replay(idempotencyKey, DoseRecordEntity.HELD, user, courseId, doseNumber);
        if (replay.isPresent()) {
            return replay.get();
        }
        CourseEntity c = courses.course(courseId);
        DoseOpportunityEntity slot = openSlot(c, doseNumber);
        Instant now = Instant.now();
        DosingProtocol.CourseRules rules = protocol.course();
        if (slot.scheduledAt.isAfter(now.plus(rules.holdHorizon()))) {
            throw ProblemException.conflict("DOSE-0128", "Too far ahead", "dose " + doseNumber + " is due at " + slot.scheduledAt
                    + "; a dose may be held at most " + rules.holdHorizon().toHours() + " h before it is due (" + rules.id() + ")");
        }
        DoseRecordEntity r = entry(c, slot, DoseRecordEntity.HELD, user, idempotencyKey, now);
        r.reason = reason;
        r.decision = write(decide(c, slot, now));
        r.persist();
        slot.status = DoseRecordEntity.HELD;
        audit.byCaller("dose.held", c.patientId, "DoseRecord", r.id.toString(), Map.of("doseNumber", doseNumber));
        outbox.append(topic, c.patientId, DOSE_HELD, now, reasonEvent(c, slot, r));
        return views.of(c);
    }

    /**
     * Voids the slot's standing entry with a new ENTERED_IN_ERROR entry; the slot's status follows what then stands. A
     * GIVEN entry is voided by a physician, or by a nurse with a second person's signature (a nurse's or a physician's).
     */
    @Transactional
    public CourseView correct(UUID courseId, int doseNumber, String reason, Signer user, Optional<Signer> second,
                              String idempotencyKey) {
        Optional<CourseView> replay = replay(idempotencyKey, DoseRecordEntity.ENTERED_IN_ERROR, user, courseId, doseNumber);
        if (replay.isPresent()) {
            return replay.get();
        }
        CourseEntity c = courses.course(courseId);
        DoseOpportunityEntity slot = lockSlot(c, doseNumber);
        DoseRecordEntity standing = DoseRecordEntity.standing(DoseRecordEntity.ofSlot(c.id, doseNumber)).orElseThrow(() ->
                ProblemException.conflict("DOSE-0120", "Nothing to correct", "dose " + doseNumber + " has no ledger entry"));
        Optional<Signer> cosigner = Optional.empty();
        if (DoseRecordEntity.GIVEN.equals(standing.kind) && !user.has("physician")) {
            cosigner = Optional.of(secondSigner(user, second, Set.of("nurse", "physician"), "voiding a given dose takes a physician, or a "
                    + "second person (nurse or physician) signing with her own token in the Second-Signature header"));
        }
        Instant now = Instant.now();
        DoseRecordEntity r = entry(c, slot, DoseRecordEntity.ENTERED_IN_ERROR, user, idempotencyKey, now);
        r.reason = reason;
        r.corrects = standing.id;
        cosigner.ifPresent(co -> {
            r.verifiedBy = co.name();
            r.verifiedBySubject = co.subject();
        });
        r.persist();
        List<DoseRecordEntity> after = DoseRecordEntity.ofSlot(c.id, doseNumber);
        slot.status = DoseRecordEntity.standing(after).map(e -> e.kind).orElse(DoseOpportunityEntity.SCHEDULED);
        audit.byCaller("dose.corrected", c.patientId, "DoseRecord", r.id.toString(), Map.of("corrects", standing.id.toString(),
                "slotStatus", slot.status, "verifiedBy", cosigner.map(Signer::name).orElse("")));
        Map<String, Object> event = new LinkedHashMap<>();
        event.put("courseId", c.id.toString());
        event.put("patientId", c.patientId);
        event.put("recordId", r.id.toString());
        event.put("correctedRecordId", standing.id.toString());
        event.put("doseNumber", doseNumber);
        event.put("slotStatus", slot.status);
        event.put("reason", reason);
        event.put("recordedBy", user.name());
        cosigner.ifPresent(co -> event.put("verifiedBy", co.name()));
        event.put("recordedAt", now.toString());
        outbox.append(topic, c.patientId, DOSE_CORRECTED, now, event);
        return views.of(c);
    }

    /** A physician lifts the HOLD of the next dose, for the findings active now only. */
    @Transactional
    public DecisionView override(UUID courseId, int doseNumber, String reason, String physician) {
        CourseEntity c = courses.course(courseId);
        DoseOpportunityEntity slot = openSlot(c, doseNumber);
        DecisionView current = decide(c, slot, Instant.now());
        if (current.decision() != Decision.HOLD) {
            throw ProblemException.conflict("DOSE-0121", "Nothing to override", "only a HOLD can be overridden; the decision is "
                    + current.decision() + ": " + String.join("; ", current.reasons()));
        }
        DoseOverrideEntity.deleteById(DoseOpportunityEntity.key(c.id, doseNumber));
        DoseOverrideEntity o = new DoseOverrideEntity();
        o.courseId = c.id;
        o.doseNumber = doseNumber;
        o.physician = physician;
        o.reason = reason;
        o.findingIds = current.findings().stream().map(PatientState.Finding::findingId).collect(Collectors.joining(","));
        o.createdAt = Instant.now();
        o.persist();
        audit.byCaller("dose.override", c.patientId, "DoseOpportunity", c.id + "/" + doseNumber, Map.of("findings", o.findingIds,
                "reason", reason));
        return decide(c, slot, Instant.now());
    }

    /** Marks one overdue slot MISSED: it is skipped, never made up. */
    @Transactional
    public void markMissed(UUID courseId, int doseNumber, Instant now) {
        CourseEntity c = courses.course(courseId);
        DoseOpportunityEntity slot = lockSlot(c, doseNumber);
        if (!DoseOpportunityEntity.SCHEDULED.equals(slot.status) || !c.isOpen()) {
            return;
        }
        DoseRecordEntity r = entry(c, slot, DoseRecordEntity.MISSED, SYSTEM, null, now);
        r.reason = "no record within " + protocol.course().missedAfter().toMinutes() + " min of the scheduled time ("
                + protocol.course().id() + ")";
        r.persist();
        slot.status = DoseRecordEntity.MISSED;
        audit.byEvent("dosing.missed-doses", r.id.toString(), "dose.missed", c.patientId, "DoseRecord", r.id.toString(),
                Map.of("doseNumber", doseNumber));
        outbox.append(topic, c.patientId, DOSE_MISSED, now, reasonEvent(c, slot, r));
    }

    /**
     * The answer to a retried command: an {@code Idempotency-Key} stands for one command (its kind) by one caller on one
     * dose. A retry that arrives while the first is still running waits for it (a transaction lock on the key) and
     * then replays its answer; a key reused for anything else is refused.
     */
    private Optional<CourseView> replay(String idempotencyKey, String kind, Signer caller, UUID courseId, int doseNumber) {
        if (idempotencyKey == null) {
            return Optional.empty();
        }
        DoseRecordEntity.getEntityManager().createNativeQuery("select pg_advisory_xact_lock(hashtextextended(:key, 7))")
                .setParameter("key", idempotencyKey).getSingleResult();
        return DoseRecordEntity.byIdempotencyKey(idempotencyKey).map(r -> {
            boolean sameCaller = r.recordedBySubject == null ? r.recordedBy.equals(caller.name()) : r.recordedBySubject.equals(caller.subject());
            if (!r.courseId.equals(courseId) || r.doseNumber != doseNumber || !r.kind.equals(kind) || !sameCaller) {
                throw ProblemException.conflict("DOSE-0117", "Idempotency key reused",
                        "this Idempotency-Key was already used for another command, dose or caller");
            }
            return views.of(courses.course(courseId));
        });
    }

    private DoseOpportunityEntity openSlot(CourseEntity c, int doseNumber) {
        if (!c.isOpen()) {
            throw ProblemException.conflict("DOSE-0116", "Course ended", "the course is " + c.status);
        }
        DoseOpportunityEntity slot = lockSlot(c, doseNumber);
        if (!DoseOpportunityEntity.SCHEDULED.equals(slot.status)) {
            throw ProblemException.conflict("DOSE-0105", "Already recorded", "dose " + doseNumber + " is " + slot.status);
        }
        return slot;
    }

    /** The row lock makes two people recording the same dose at once record it once. */
    private static DoseOpportunityEntity lockSlot(CourseEntity c, int doseNumber) {
        return DoseOpportunityEntity.<DoseOpportunityEntity>findByIdOptional(DoseOpportunityEntity.key(c.id, doseNumber),
                LockModeType.PESSIMISTIC_WRITE).orElseThrow(() -> ProblemException.notFound("DOSE-0104", "dose " + doseNumber
                + " of course " + c.id));
    }

    private static DoseRecordEntity entry(CourseEntity c, DoseOpportunityEntity slot, String kind, Signer user,
                                          String idempotencyKey, Instant now) {
        DoseRecordEntity r = new DoseRecordEntity();
        r.id = UUID.randomUUID();
        r.courseId = c.id;
        r.doseNumber = slot.doseNumber;
        r.kind = kind;
        r.recordedAt = now;
        r.recordedBy = user.name();
        r.recordedBySubject = user.subject();
        r.idempotencyKey = idempotencyKey;
        return r;
    }

    private static Map<String, Object> slotEvent(CourseEntity c, DoseOpportunityEntity slot, DoseRecordEntity r) {
        Map<String, Object> event = new LinkedHashMap<>();
        event.put("courseId", c.id.toString());
        event.put("patientId", c.patientId);
        event.put("recordId", r.id.toString());
        event.put("doseNumber", slot.doseNumber);
        event.put("cycle", slot.cycle);
        event.put("scheduledAt", slot.scheduledAt.toString());
        return event;
    }

    private static Map<String, Object> reasonEvent(CourseEntity c, DoseOpportunityEntity slot, DoseRecordEntity r) {
        Map<String, Object> event = slotEvent(c, slot, r);
        event.put("reason", r.reason);
        event.put("recordedBy", r.recordedBy);
        event.put("recordedAt", r.recordedAt.toString());
        return event;
    }

    private String write(Object value) {
        try {
            return json.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
