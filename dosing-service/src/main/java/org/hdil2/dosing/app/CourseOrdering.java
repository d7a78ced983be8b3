package org.hdil2.dosing.app;

import java.time.Instant;
import java.util.Optional;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.LockModeType;
import jakarta.transaction.Transactional;

import org.hdil2.dosing.config.DosingProtocols;
import org.hdil2.dosing.domain.Course;
import org.hdil2.dosing.domain.CourseEffect;
import org.hdil2.dosing.domain.CourseOrder;
import org.hdil2.dosing.domain.DosingProtocol;
import org.hdil2.dosing.domain.Preparation;
import org.hdil2.dosing.domain.Signer;
import org.hdil2.dosing.persistence.CourseEntity;
import org.hdil2.dosing.persistence.PatientScreeningEntity;
import org.hdil2.kit.problem.ProblemException;

/** The course lifecycle: order (physician), verify (another person, a pharmacist), complete, discontinue, review a stop flag. */
@ApplicationScoped
public class CourseOrdering {

    @Inject
    DosingProtocols protocols;

    @Inject
    CourseRecords records;

    /** @return the new course's id */
    @Transactional
    public UUID order(CourseOrder order, Signer orderedBy) {
        Instant now = Instant.now();
        // the patient's screening row, locked: two orders for one patient at once are taken one after the other
        Optional<Course.Screening> screening = PatientScreeningEntity.<PatientScreeningEntity>findByIdOptional(order.patientId(),
                LockModeType.PESSIMISTIC_WRITE).map(s -> new Course.Screening(s.screeningId, s.outcome, s.screenedAt));
        Optional<Course.PreviousCourse> previous = CourseEntity.lastEndedOf(order.patientId())
                .map(c -> new Course.PreviousCourse(c.id, c.dischargedAt));
        DosingProtocol protocol = order.protocolId() == null ? protocols.defaultProtocol() : named(order.protocolId());
        Course.Ordered ordered = Course.order(UUID.randomUUID(), order, orderedBy, protocol, screening,
                CourseEntity.openOf(order.patientId()).isPresent(), previous, now);
        records.created(ordered.course(), ordered.effect());
        return ordered.course().state().id();
    }

    @Transactional
    public void verify(UUID courseId, Signer pharmacist) {
        Course c = records.locked(courseId);
        records.saved(c, c.verify(pharmacist, preparation(c.state()), Instant.now()));
    }

    /** Ends an open course: remaining scheduled doses are cancelled; the discharge time starts the retreatment interval. */
    @Transactional
    public void end(UUID courseId, boolean completed, String reason, Instant dischargedAt, String physician) {
        Course c = records.locked(courseId);
        records.saved(c, c.end(completed, reason, dischargedAt, physician, Instant.now()));
    }

    /** A physician moves the open course to another of the deployment's protocols (audited, announced). */
    @Transactional
    public void changeProtocol(UUID courseId, String protocolId, String reason, String physician) {
        Course c = records.locked(courseId);
        DosingProtocol to = named(protocolId);
        records.saved(c, c.changeProtocol(protocols.of(c.state().protocolId()), to, reason, physician, Instant.now()));
    }

    /** A physician's answer to a stop flag: confirm discontinues the course; reject clears the flag (audited). */
    @Transactional
    public void reviewStop(UUID courseId, boolean confirm, String reason, Instant dischargedAt, String physician) {
        Course c = records.locked(courseId);
        CourseEffect effect = c.reviewStop(confirm, reason, dischargedAt, physician, Instant.now());
        records.saved(c, effect);
    }

    /** A protocol a physician names (an order's, a change's): one of the deployment's, else 400 {@code DOSE-0132}. */
    private DosingProtocol named(String protocolId) {
        return protocols.find(protocolId).orElseThrow(() -> ProblemException.invalid("DOSE-0132", "protocolId", "no dosing protocol "
                + protocolId + " in this deployment; known: " + protocols.all().stream().map(DosingProtocol::id).toList()));
    }

    /** The preparation of the course's dose under the course's protocol. */
    public Preparation preparation(Course.State course) {
        return Preparation.of(course.doseIu(), protocols.of(course.protocolId()).preparation());
    }
}
