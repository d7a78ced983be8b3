package org.hdil2.dosing.app;

import java.util.List;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.LockModeType;

import org.hdil2.dosing.config.Topics;
import org.hdil2.dosing.domain.Course;
import org.hdil2.dosing.domain.CourseEffect;
import org.hdil2.dosing.persistence.CourseEntity;
import org.hdil2.dosing.persistence.DoseOpportunityEntity;
import org.hdil2.dosing.persistence.DoseOverrideEntity;
import org.hdil2.dosing.persistence.DoseRecordEntity;
import org.hdil2.kit.audit.AuditTrail;
import org.hdil2.kit.outbox.Outbox;
import org.hdil2.kit.problem.ProblemException;

/**
 * Loads a course with its slots and ledger under a row lock (two commands on one course run one after the other),
 * and writes what a command decided: the course row, changed slots, new entries, an override, the outbox event and
 * the audit line, all in the caller's transaction.
 */
@ApplicationScoped
class CourseRecords {

    /** Who the audit trail names for a change. */
    @FunctionalInterface
    interface AuditSource {
        void record(String patientId, CourseEffect.AuditLine line);
    }

    @Inject
    Outbox outbox;

    @Inject
    AuditTrail audit;

    @Inject
    Topics topics;

    Course locked(UUID id) {
        CourseEntity c = CourseEntity.<CourseEntity>findByIdOptional(id, LockModeType.PESSIMISTIC_WRITE)
                .orElseThrow(() -> ProblemException.notFound("DOSE-0104", "course " + id));
        List<Course.Slot> slots = DoseOpportunityEntity.ofCourse(id).stream().map(DoseOpportunityEntity::slot).toList();
        List<Course.Entry> entries = DoseRecordEntity.ofCourse(id).stream().map(DoseRecordEntity::entry).toList();
        return Course.restore(c.state(), slots, entries);
    }

    /** A course ordered just now: its row and every slot are new. */
    void created(Course course, CourseEffect effect) {
        new CourseEntity().write(course.state()).persist();
        for (Course.Slot s : effect.slots()) {
            DoseOpportunityEntity.of(course.state().id(), s).persist();
        }
        published(course, effect, this::byCaller);
    }

    void saved(Course course, CourseEffect effect) {
        saved(course, effect, this::byCaller);
    }

    void saved(Course course, CourseEffect effect, AuditSource source) {
        UUID id = course.state().id();
        CourseEntity.<CourseEntity>findByIdOptional(id).orElseThrow().write(course.state());
        for (Course.Slot s : effect.slots()) {
            DoseOpportunityEntity.<DoseOpportunityEntity>findByIdOptional(DoseOpportunityEntity.key(id, s.doseNumber())).orElseThrow()
                    .status = s.status();
        }
        effect.override().ifPresent(o -> {
            DoseOverrideEntity.deleteById(DoseOpportunityEntity.key(id, o.doseNumber()));
            DoseOverrideEntity row = new DoseOverrideEntity();
            row.courseId = id;
            row.doseNumber = o.doseNumber();
            row.physician = o.physician();
            row.reason = o.reason();
            row.findingIds = String.join(",", o.findingIds());
            row.createdAt = o.createdAt();
            row.persist();
        });
        published(course, effect, source);
    }

    private void published(Course course, CourseEffect effect, AuditSource source) {
        for (Course.Entry e : effect.entries()) {
            DoseRecordEntity.of(course.state().id(), e).persist();
        }
        String patient = course.state().patientId();
        effect.event().ifPresent(p -> outbox.append(topics.dosingEvents(), patient, p.type().type(), p.at(), p.data()));
        source.record(patient, effect.audit());
    }

    private void byCaller(String patientId, CourseEffect.AuditLine line) {
        audit.byCaller(line.action(), patientId, line.entityType(), line.entityId(), line.details());
    }
}
