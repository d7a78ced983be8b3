package org.hdil2.dosing.persistence;

import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.LockModeType;
import jakarta.transaction.Transactional;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.hdil2.dosing.api.CourseRequest;
import org.hdil2.dosing.api.CourseView;
import org.hdil2.dosing.api.Requests;
import org.hdil2.dosing.domain.DoseCalculator;
import org.hdil2.dosing.domain.DoseSchedule;
import org.hdil2.dosing.domain.DoseSlot;
import org.hdil2.dosing.domain.DosingProtocol;
import org.hdil2.dosing.domain.Signer;
import org.hdil2.dosing.domain.Preparation;
import org.hdil2.kit.audit.AuditTrail;
import org.hdil2.kit.outbox.Outbox;
import org.hdil2.kit.problem.ProblemException;

/** The course lifecycle: order (physician), verify (another person, a pharmacist), complete or discontinue (physician). */
@ApplicationScoped
public class CourseStore {

    static final String COURSE_ORDERED = "org.hdil2.dosing.course-ordered.v1";
    static final String COURSE_VERIFIED = "org.hdil2.dosing.course-verified.v1";
    static final String COURSE_COMPLETED = "org.hdil2.dosing.course-completed.v1";
    static final String COURSE_DISCONTINUED = "org.hdil2.dosing.course-discontinued.v1";
    /** Clock skew tolerated on times a client states. */
    private static final Duration SKEW = Duration.ofMinutes(5);

    @Inject
    DosingProtocol protocol;

    @Inject
    CourseViews views;

    @Inject
    Outbox outbox;

    @Inject
    AuditTrail audit;

    @ConfigProperty(name = "hdil2.topics.dosing-events")
    String topic;

    @Transactional
    public CourseView order(CourseRequest request, Signer orderedBy) {
        Instant now = Instant.now();
        DosingProtocol.CourseRules rules = protocol.course();
        // the patient's screening row, locked: two orders for one patient at once are taken one after the other
        PatientScreeningEntity screening = PatientScreeningEntity.<PatientScreeningEntity>findByIdOptional(request.patientId(),
                        LockModeType.PESSIMISTIC_WRITE)
                .orElseThrow(() -> ProblemException.conflict("DOSE-0101", "Not screened",
                        "no screening of this patient has been received from eligibility-service"));
        if (!"ELIGIBLE".equals(screening.outcome)) {
            throw ProblemException.conflict("DOSE-0101", "Not eligible", "the patient's latest screening (" + screening.screeningId
                    + ", " + screening.screenedAt + ") is " + screening.outcome + ", not ELIGIBLE");
        }
        if (screening.screenedAt.plus(rules.screeningMaxAge()).isBefore(now)) {
            throw ProblemException.conflict("DOSE-0110", "Screening too old", "the latest screening is of " + screening.screenedAt
                    + "; at most " + rules.screeningMaxAge().toDays() + " days old is accepted (" + rules.id() + "): screen again");
        }
        if (CourseEntity.openOf(request.patientId()).isPresent()) {
            throw ProblemException.conflict("DOSE-0102", "Course already open", "the patient already has an ordered or active course");
        }
        checkRetreatmentInterval(request, rules);
        checkWeight(request, rules, now);
        checkFirstDose(request, rules, now);

        CourseEntity c = new CourseEntity();
        c.id = UUID.randomUUID();
        c.patientId = request.patientId();
        c.screeningId = screening.screeningId;
        c.protocolId = protocol.id();
        c.protocolVersion = protocol.version();
        c.dosingWeightKg = request.dosingWeightKg();
        c.weightMeasuredAt = request.weightMeasuredAt();
        c.weightSource = request.weightSource();
        c.doseIu = DoseCalculator.doseIu(protocol.dose(), request.dosingWeightKg());
        c.firstDoseAt = request.firstDoseAt();
        c.status = CourseEntity.ORDERED;
        c.orderedAt = now;
        c.orderedBy = orderedBy.name();
        c.orderedBySubject = orderedBy.subject();
        c.persist();
        List<DoseSlot> slots = DoseSchedule.layout(protocol.schedule(), c.firstDoseAt);
        for (DoseSlot slot : slots) {
            DoseOpportunityEntity o = new DoseOpportunityEntity();
            o.courseId = c.id;
            o.doseNumber = slot.doseNumber();
            o.cycle = slot.cycle();
            o.scheduledAt = slot.scheduledAt();
            o.status = DoseOpportunityEntity.SCHEDULED;
            o.persist();
        }
        audit.byCaller("course.order", c.patientId, "Course", c.id.toString(), Map.of("doseIu", c.doseIu, "doses", slots.size()));
        Map<String, Object> event = new LinkedHashMap<>();
        event.put("courseId", c.id.toString());
        event.put("patientId", c.patientId);
        event.put("screeningId", c.screeningId.toString());
        event.put("protocol", Map.of("id", c.protocolId, "version", c.protocolVersion));
        event.put("dosingWeightKg", c.dosingWeightKg);
        event.put("doseIu", c.doseIu);
        event.put("firstDoseAt", c.firstDoseAt.toString());
        event.put("plannedDoses", slots.size());
        event.put("orderedAt", c.orderedAt.toString());
        event.put("orderedBy", c.orderedBy);
        outbox.append(topic, c.patientId, COURSE_ORDERED, c.orderedAt, event);
        return views.of(c);
    }

    private void checkRetreatmentInterval(CourseRequest request, DosingProtocol.CourseRules rules) {
        Optional<CourseEntity> previous = CourseEntity.lastEndedOf(request.patientId());
        if (previous.isEmpty()) {
            return;
        }
        Instant discharged = previous.get().dischargedAt;
        if (discharged == null) {
            throw ProblemException.conflict("DOSE-0111", "Retreatment interval unknown", "the previous course " + previous.get().id
                    + " has no discharge time recorded, so the interval since it cannot be checked (" + rules.id() + ")");
        }
        Instant earliest = discharged.plus(rules.retreatmentMinInterval());
        if (request.firstDoseAt().isBefore(earliest)) {
            throw ProblemException.conflict("DOSE-0111", "Too soon after the previous course", "a new course may start from "
                    + earliest + ", " + rules.retreatmentMinInterval().toDays() + " days after the previous discharge (" + rules.id() + ")");
        }
    }

    private static void checkFirstDose(CourseRequest request, DosingProtocol.CourseRules rules, Instant now) {
        if (request.firstDoseAt().plus(rules.missedAfter()).isBefore(now)) {
            throw ProblemException.invalid("DOSE-0113", "firstDoseAt", "the first dose would already be missed: plan it from now on");
        }
        if (request.firstDoseAt().isAfter(now.plus(rules.firstDoseHorizon()))) {
            throw ProblemException.invalid("DOSE-0113", "firstDoseAt", "the first dose may be at most " + rules.firstDoseHorizon().toDays()
                    + " days after the order (" + rules.id() + ")");
        }
    }

    private static void checkWeight(CourseRequest request, DosingProtocol.CourseRules rules, Instant now) {
        if (request.weightMeasuredAt().isAfter(now.plus(SKEW))) {
            throw ProblemException.invalid("DOSE-0113", "weightMeasuredAt", "the weight cannot have been measured in the future");
        }
        if (request.weightMeasuredAt().plus(rules.weightMaxAge()).isBefore(now)) {
            throw ProblemException.conflict("DOSE-0112", "Dosing weight too old", "the weight was measured at "
                    + request.weightMeasuredAt() + "; at most " + rules.weightMaxAge().toHours() + " h old is accepted (" + rules.id() + ")");
        }
    }

    @Transactional
    public CourseView verify(UUID courseId, Signer pharmacist) {
        CourseEntity c = lock(courseId);
        if (!CourseEntity.ORDERED.equals(c.status)) {
            throw ProblemException.conflict("DOSE-0114", "Not awaiting verification", "the course is " + c.status);
        }
        if (c.orderedBySubject == null ? pharmacist.name().equals(c.orderedBy) : pharmacist.subject().equals(c.orderedBySubject)) {
            throw ProblemException.conflict("DOSE-0115", "Verifier is the prescriber", "a course is verified by another person than the one who ordered it");
        }
        c.status = CourseEntity.ACTIVE;
        c.verifiedBy = pharmacist.name();
        c.verifiedBySubject = pharmacist.subject();
        c.verifiedAt = Instant.now();
        Preparation p = preparation(c);
        audit.byCaller("course.verify", c.patientId, "Course", c.id.toString(), Map.of("concentrationInRange", p.concentrationInRange()));
        Map<String, Object> event = new LinkedHashMap<>();
        event.put("courseId", c.id.toString());
        event.put("patientId", c.patientId);
        event.put("verifiedBy", pharmacist.name());
        event.put("verifiedAt", c.verifiedAt.toString());
        event.put("doseIu", c.doseIu);
        event.put("preparation", Map.of("vials", p.vials(), "drawMl", p.drawMl(), "d5wMl", p.d5wMl(),
                "finalMgPerMl", p.finalMgPerMl(), "concentrationInRange", p.concentrationInRange()));
        outbox.append(topic, c.patientId, COURSE_VERIFIED, c.verifiedAt, event);
        return views.of(c);
    }

    /** Ends an open course: remaining scheduled doses are cancelled; the discharge time starts the retreatment interval. */
    @Transactional
    public CourseView end(UUID courseId, boolean completed, Requests.Ending ending, String physician) {
        CourseEntity c = lock(courseId);
        if (!c.isOpen()) {
            throw ProblemException.conflict("DOSE-0116", "Course already ended", "the course is " + c.status);
        }
        Instant now = Instant.now();
        if (ending.dischargedAt() != null && ending.dischargedAt().isAfter(now.plus(SKEW))) {
            throw ProblemException.invalid("DOSE-0113", "dischargedAt", "the discharge cannot be in the future");
        }
        if (ending.dischargedAt() != null) {
            Instant lastEvent = lastEventOf(c);
            if (ending.dischargedAt().isBefore(lastEvent)) {
                throw ProblemException.invalid("DOSE-0113", "dischargedAt", "the discharge cannot be before the course's last event ("
                        + lastEvent + ")");
            }
        }
        int cancelled = 0;
        for (DoseOpportunityEntity slot : DoseOpportunityEntity.ofCourse(c.id)) {
            if (DoseOpportunityEntity.SCHEDULED.equals(slot.status)) {
                slot.status = DoseRecordEntity.CANCELLED;
                DoseRecordEntity r = new DoseRecordEntity();
                r.id = UUID.randomUUID();
                r.courseId = c.id;
                r.doseNumber = slot.doseNumber;
                r.kind = DoseRecordEntity.CANCELLED;
                r.reason = (completed ? "course completed: " : "course discontinued: ") + ending.reason();
                r.recordedAt = now;
                r.recordedBy = physician;
                r.persist();
                cancelled++;
            }
        }
        c.status = completed ? CourseEntity.COMPLETED : CourseEntity.DISCONTINUED;
        c.endedAt = now;
        c.endedBy = physician;
        c.endReason = ending.reason();
        c.dischargedAt = ending.dischargedAt();
        long given = DoseOpportunityEntity.countWithStatus(c.id, DoseRecordEntity.GIVEN);
        audit.byCaller(completed ? "course.complete" : "course.discontinue", c.patientId, "Course", c.id.toString(),
                Map.of("dosesGiven", given, "dosesCancelled", cancelled));
        Map<String, Object> event = new LinkedHashMap<>();
        event.put("courseId", c.id.toString());
        event.put("patientId", c.patientId);
        event.put("endedBy", physician);
        event.put("endedAt", now.toString());
        event.put("reason", ending.reason());
        if (c.dischargedAt != null) {
            event.put("dischargedAt", c.dischargedAt.toString());
        }
        event.put("dosesGiven", given);
        event.put("dosesCancelled", cancelled);
        outbox.append(topic, c.patientId, completed ? COURSE_COMPLETED : COURSE_DISCONTINUED, now, event);
        return views.of(c);
    }

    /** A physician's answer to a stop flag: confirm discontinues the course; reject clears the flag (audited). */
    @Transactional
    public CourseView reviewStop(UUID courseId, Requests.StopReview review, String physician) {
        CourseEntity c = lock(courseId);
        if (c.stopFlaggedAt == null) {
            throw ProblemException.conflict("DOSE-0122", "No stop flag", "the course is not flagged for a stop review");
        }
        if (review.confirm()) {
            return end(courseId, false, new Requests.Ending(review.reason(), review.dischargedAt()), physician);
        }
        audit.byCaller("course.stop-flag.reject", c.patientId, "Course", c.id.toString(), Map.of("flag", c.stopFlagReason));
        c.stopFlaggedAt = null;
        c.stopFlagReason = null;
        return views.of(c);
    }

    /** The latest time the course itself records: its order, its verification, the start or end of a dose given. */
    private static Instant lastEventOf(CourseEntity c) {
        Instant last = c.verifiedAt != null && c.verifiedAt.isAfter(c.orderedAt) ? c.verifiedAt : c.orderedAt;
        for (DoseRecordEntity r : DoseRecordEntity.ofCourse(c.id)) {
            for (Instant t : new Instant[] { r.startedAt, r.endedAt }) {
                if (t != null && t.isAfter(last) && DoseRecordEntity.GIVEN.equals(r.kind)) {
                    last = t;
                }
            }
        }
        return last;
    }

    public Preparation preparation(CourseEntity c) {
        return Preparation.of(c.doseIu, protocol.preparation());
    }

    public CourseEntity course(UUID id) {
        return CourseEntity.<CourseEntity>findByIdOptional(id).orElseThrow(() -> ProblemException.notFound("DOSE-0104", "course " + id));
    }

    public Optional<CourseView> find(UUID id) {
        return find(id, java.time.ZoneOffset.UTC);
    }

    public Optional<CourseView> find(UUID id, java.time.ZoneId zone) {
        return CourseEntity.<CourseEntity>findByIdOptional(id).map(c -> views.of(c, zone));
    }

    public List<CourseView.RecordView> ledgerOf(UUID id) {
        return views.ledger(course(id));
    }

    public List<CourseView> ofPatient(String patientId) {
        return CourseEntity.ofPatient(patientId).stream().map(views::of).toList();
    }

    private static CourseEntity lock(UUID id) {
        return CourseEntity.<CourseEntity>findByIdOptional(id, LockModeType.PESSIMISTIC_WRITE)
                .orElseThrow(() -> ProblemException.notFound("DOSE-0104", "course " + id));
    }
}
