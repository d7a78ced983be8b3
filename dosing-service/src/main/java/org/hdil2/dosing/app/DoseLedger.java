package org.hdil2.dosing.app;

import java.time.Instant;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Supplier;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;

import org.hdil2.dosing.config.DosingProtocols;
import org.hdil2.dosing.domain.Administration;
import org.hdil2.dosing.domain.Course;
import org.hdil2.dosing.domain.DecisionTaken;
import org.hdil2.dosing.domain.DosingProtocol;
import org.hdil2.dosing.domain.EntryKind;
import org.hdil2.dosing.domain.Signer;
import org.hdil2.dosing.persistence.DoseRecordEntity;
import org.hdil2.kit.audit.AuditTrail;
import org.hdil2.kit.problem.ProblemException;

/**
 * The dose ledger's commands: a dose given (two nurses), held, corrected (entered in error), a physician's override of
 * a hold, and the system's MISSED entries. Commands that carry an {@code Idempotency-Key} record once however often
 * they are retried.
 */
@ApplicationScoped
public class DoseLedger {

    @Inject
    DosingProtocols protocols;

    @Inject
    DoseDecisions decisions;

    @Inject
    CourseRecords records;

    @Inject
    AuditTrail audit;

    @Transactional
    public void give(UUID courseId, int doseNumber, Administration administration, boolean verifierNamedInBody, Signer nurse,
                     Optional<Signer> second, String idempotencyKey) {
        if (replayed(idempotencyKey, EntryKind.GIVEN, nurse, courseId, doseNumber)) {
            return;
        }
        Course c = records.locked(courseId);
        Instant now = Instant.now();
        records.saved(c, c.give(doseNumber, administration, verifierNamedInBody, nurse, second, rules(c),
                decisionNow(c, doseNumber, now), idempotencyKey, now));
    }

    @Transactional
    public void hold(UUID courseId, int doseNumber, String reason, Signer user, String idempotencyKey) {
        if (replayed(idempotencyKey, EntryKind.HELD, user, courseId, doseNumber)) {
            return;
        }
        Course c = records.locked(courseId);
        Instant now = Instant.now();
        records.saved(c, c.hold(doseNumber, reason, user, rules(c), decisionNow(c, doseNumber, now), idempotencyKey, now));
    }

    @Transactional
    public void correct(UUID courseId, int doseNumber, String reason, Signer user, Optional<Signer> second, String idempotencyKey) {
        if (replayed(idempotencyKey, EntryKind.ENTERED_IN_ERROR, user, courseId, doseNumber)) {
            return;
        }
        Course c = records.locked(courseId);
        records.saved(c, c.correct(doseNumber, reason, user, second, idempotencyKey, Instant.now()));
    }

    /** A physician lifts the HOLD of the dose, for the findings active now only; returns the decision after it. */
    @Transactional
    public DecisionView override(UUID courseId, int doseNumber, String reason, String physician) {
        Course c = records.locked(courseId);
        Instant now = Instant.now();
        Course.Slot slot = slotOf(c, doseNumber);
        DecisionTaken current = decisions.taken(decisions.decide(c.state(), slot, now));
        records.saved(c, c.overrideHold(doseNumber, current, reason, physician, now));
        DoseRecordEntity.getEntityManager().flush();
        return decisions.decide(c.state(), slot, Instant.now());
    }

    /** Marks one overdue slot MISSED: it is skipped, never made up. */
    @Transactional
    public void markMissed(UUID courseId, int doseNumber, Instant now) {
        Course c = records.locked(courseId);
        c.markMissed(doseNumber, rules(c), now).ifPresent(effect -> records.saved(c, effect, (patient, line) ->
                audit.byEvent("dosing.missed-doses", line.entityId(), line.action(), patient, line.entityType(), line.entityId(),
                        line.details())));
    }

    private DosingProtocol.CourseRules rules(Course c) {
        return protocols.of(c.state().protocolId()).course();
    }

    private Supplier<DecisionTaken> decisionNow(Course c, int doseNumber, Instant now) {
        return () -> decisions.taken(decisions.decide(c.state(), slotOf(c, doseNumber), now));
    }

    private static Course.Slot slotOf(Course c, int doseNumber) {
        return c.slots().stream().filter(s -> s.doseNumber() == doseNumber).findFirst()
                .orElseThrow(() -> ProblemException.notFound("DOSE-0104", "dose " + doseNumber + " of course " + c.state().id()));
    }

    /**
     * Whether this command has been recorded already: an {@code Idempotency-Key} stands for one command (its kind) by
     * one caller on one dose. A retry that arrives while the first is still running waits for it (a transaction lock on
     * the key) and then answers as the first did; a key reused for anything else is refused.
     */
    private static boolean replayed(String idempotencyKey, EntryKind kind, Signer caller, UUID courseId, int doseNumber) {
        if (idempotencyKey == null) {
            return false;
        }
        DoseRecordEntity.getEntityManager().createNativeQuery("select pg_advisory_xact_lock(hashtextextended(:key, 7))")
                .setParameter("key", idempotencyKey).getSingleResult();
        return DoseRecordEntity.byIdempotencyKey(idempotencyKey).map(r -> {
            boolean sameCaller = r.recordedBySubject == null ? r.recordedBy.equals(caller.name()) : r.recordedBySubject.equals(caller.subject());
            if (!r.courseId.equals(courseId) || r.doseNumber != doseNumber || r.kind != kind || !sameCaller) {
                throw ProblemException.conflict("DOSE-0117", "Idempotency key reused",
                        "this Idempotency-Key was already used for another command, dose or caller");
            }
            return true;
        }).orElse(false);
    }
}
