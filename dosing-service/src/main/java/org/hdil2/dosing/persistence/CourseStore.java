package org.hdil2.dosing.persistence;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.hdil2.dosing.api.AdministrationRequest;
import org.hdil2.dosing.api.CourseRequest;
import org.hdil2.dosing.api.CourseView;
import org.hdil2.dosing.api.DecisionView;
import org.hdil2.dosing.domain.Decision;
import org.hdil2.dosing.domain.DoseCalculator;
import org.hdil2.dosing.domain.DoseSchedule;
import org.hdil2.dosing.domain.DoseSlot;
import org.hdil2.dosing.domain.DosingProtocol;
import org.hdil2.dosing.domain.PreDoseDecision;
import org.hdil2.kit.audit.AuditTrail;
import org.hdil2.kit.outbox.Outbox;
import org.hdil2.kit.problem.ProblemException;

/** Courses and the dose ledger: ordering, the pre-dose decision, recording a dose given. */
@ApplicationScoped
public class CourseStore {

    static final String COURSE_ORDERED = "org.hdil2.dosing.course-ordered.v1";
    static final String DOSE_GIVEN = "org.hdil2.dosing.dose-given.v1";

    @Inject
    DosingProtocol protocol;

    @Inject
    PatientStates patientStates;

    @Inject
    Outbox outbox;

    @Inject
    AuditTrail audit;

    @Inject
    ObjectMapper json;

    @ConfigProperty(name = "hdil2.topics.dosing-events")
    String topic;

    @Transactional
    public CourseView order(CourseRequest request, String orderedBy) {
        PatientScreeningEntity screening = PatientScreeningEntity.<PatientScreeningEntity>findByIdOptional(request.patientId())
                .orElseThrow(() -> ProblemException.conflict("DOSE-0101", "Not screened",
                        "no screening of this patient has been received from eligibility-service"));
        if (!"ELIGIBLE".equals(screening.outcome)) {
            throw ProblemException.conflict("DOSE-0101", "Not eligible", "the patient's latest screening (" + screening.screeningId
                    + ", " + screening.screenedAt + ") is " + screening.outcome + ", not ELIGIBLE");
        }
        if (CourseEntity.activeOf(request.patientId()).isPresent()) {
            throw ProblemException.conflict("DOSE-0102", "Course already active", "the patient already has an active course");
        }
        CourseEntity c = new CourseEntity();
        c.id = UUID.randomUUID();
        c.patientId = request.patientId();
        c.screeningId = screening.screeningId;
        c.protocolId = protocol.id();
        c.protocolVersion = protocol.version();
        c.dosingWeightKg = request.dosingWeightKg();
        c.doseIu = DoseCalculator.doseIu(protocol.dose(), request.dosingWeightKg());
        c.firstDoseAt = request.firstDoseAt();
        c.status = CourseEntity.ACTIVE;
        c.orderedAt = Instant.now();
        c.orderedBy = orderedBy;
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
        return view(c);
    }

    public Optional<CourseView> find(UUID id) {
        return CourseEntity.<CourseEntity>findByIdOptional(id).map(this::view);
    }

    public List<CourseView> ofPatient(String patientId) {
        return CourseEntity.ofPatient(patientId).stream().map(this::view).toList();
    }

    public DecisionView nextDecision(UUID courseId, Instant now) {
        CourseEntity c = course(courseId);
        DoseOpportunityEntity next = DoseOpportunityEntity.nextScheduled(courseId).orElseThrow(() ->
                ProblemException.conflict("DOSE-0103", "No dose pending", "every dose opportunity of this course has been recorded"));
        return decide(c, next, now);
    }

    @Transactional
    public CourseView recordGiven(UUID courseId, int doseNumber, AdministrationRequest request, String nurse) {
        CourseEntity c = course(courseId);
        // the row lock makes two nurses recording the same dose at once record it once
        DoseOpportunityEntity dose = DoseOpportunityEntity.<DoseOpportunityEntity>findByIdOptional(key(courseId, doseNumber),
                        jakarta.persistence.LockModeType.PESSIMISTIC_WRITE)
                .orElseThrow(() -> ProblemException.notFound("DOSE-0104", "dose " + doseNumber + " of course " + courseId));
        if (!DoseOpportunityEntity.SCHEDULED.equals(dose.status)) {
            throw ProblemException.conflict("DOSE-0105", "Already recorded", "dose " + doseNumber + " is " + dose.status);
        }
        DoseOpportunityEntity next = DoseOpportunityEntity.nextScheduled(courseId).orElseThrow();
        if (next.doseNumber != doseNumber) {
            throw ProblemException.conflict("DOSE-0106", "Not the next dose", "the next dose of this course is " + next.doseNumber);
        }
        Instant now = Instant.now();
        DecisionView decision = decide(c, dose, now);
        if (decision.decision() != Decision.GIVE) {
            throw ProblemException.conflict("DOSE-0107", "Dose may not be given",
                    "the pre-dose decision is " + decision.decision() + ": " + String.join("; ", decision.reasons()));
        }
        dose.status = DoseOpportunityEntity.GIVEN;
        dose.givenAt = request == null || request.givenAt() == null ? now : request.givenAt();
        dose.recordedAt = now;
        dose.recordedBy = nurse;
        dose.decision = write(decision);
        audit.byCaller("dose.given", c.patientId, "DoseOpportunity", courseId + "/" + doseNumber, Map.of("doseIu", c.doseIu));
        Map<String, Object> event = new LinkedHashMap<>();
        event.put("courseId", c.id.toString());
        event.put("patientId", c.patientId);
        event.put("doseNumber", dose.doseNumber);
        event.put("cycle", dose.cycle);
        event.put("scheduledAt", dose.scheduledAt.toString());
        event.put("givenAt", dose.givenAt.toString());
        event.put("doseIu", c.doseIu);
        event.put("recordedBy", nurse);
        outbox.append(topic, c.patientId, DOSE_GIVEN, now, event);
        return view(c);
    }

    private DecisionView decide(CourseEntity c, DoseOpportunityEntity dose, Instant now) {
        PreDoseDecision.Result r = PreDoseDecision.decide(protocol.preDose(), patientStates.of(c.patientId), now);
        return new DecisionView(c.id, c.patientId, dose.doseNumber, dose.cycle, dose.scheduledAt, r.decision(), r.reasons(),
                r.findings(), r.evaluatedAt().orElse(null), now, protocol.preDose().id(), protocol.preDose().version());
    }

    private static CourseEntity course(UUID id) {
        return CourseEntity.<CourseEntity>findByIdOptional(id).orElseThrow(() -> ProblemException.notFound("DOSE-0104", "course " + id));
    }

    private static DoseOpportunityEntity.Key key(UUID courseId, int doseNumber) {
        DoseOpportunityEntity.Key k = new DoseOpportunityEntity.Key();
        k.courseId = courseId;
        k.doseNumber = doseNumber;
        return k;
    }

    private CourseView view(CourseEntity c) {
        DosingProtocol.Dose d = protocol.dose();
        CourseView.DoseBasis basis = new CourseView.DoseBasis(d.id(), d.version(), d.source(), d.iuPerKg(),
                d.iuPerKg() + " IU/kg x " + c.dosingWeightKg.toPlainString() + " kg = " + c.doseIu + " IU (rounded half-up to whole IU)");
        List<CourseView.DoseView> doses = DoseOpportunityEntity.ofCourse(c.id).stream()
                .map(o -> new CourseView.DoseView(o.doseNumber, o.cycle, o.scheduledAt, o.status, o.givenAt, o.recordedBy)).toList();
        return new CourseView(c.id, c.patientId, c.screeningId, new CourseView.ProtocolRef(c.protocolId, c.protocolVersion),
                c.dosingWeightKg, c.doseIu, basis, c.firstDoseAt, c.status, c.orderedAt, c.orderedBy, doses);
    }

    private String write(Object value) {
        try {
            return json.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
