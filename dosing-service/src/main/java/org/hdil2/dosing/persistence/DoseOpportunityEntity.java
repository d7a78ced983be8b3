package org.hdil2.dosing.persistence;

import java.io.Serializable;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.Id;
import jakarta.persistence.IdClass;
import jakarta.persistence.Table;

import org.hdil2.dosing.domain.Course;
import org.hdil2.dosing.domain.SlotStatus;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import io.quarkus.panache.common.Sort;

/** One q8h dose opportunity and what became of it. */
@Entity
@Table(name = "dose_opportunity")
@IdClass(DoseOpportunityEntity.Key.class)
public class DoseOpportunityEntity extends PanacheEntityBase {

    @Id
    @Column(name = "course_id")
    public UUID courseId;

    @Id
    @Column(name = "dose_number")
    public int doseNumber;

    @Column(nullable = false)
    public int cycle;

    @Column(name = "scheduled_at", nullable = false)
    public Instant scheduledAt;

    /** SCHEDULED, or the kind of the slot's latest record that is not entered in error (GIVEN, HELD, MISSED, CANCELLED). */
    @Enumerated(EnumType.STRING)
    @Column(nullable = false)
    public SlotStatus status;

    public static List<DoseOpportunityEntity> ofCourse(UUID courseId) {
        return list("courseId", Sort.ascending("doseNumber"), courseId);
    }

    public static Optional<DoseOpportunityEntity> nextScheduled(UUID courseId) {
        return find("courseId = ?1 and status = ?2", Sort.ascending("doseNumber"), courseId, SlotStatus.SCHEDULED).firstResultOptional();
    }

    /** A course's held and given slots. */
    public record Counts(long held, long given) {
    }

    /** The pre-dose decision needs both counts: one query, not one per status. */
    public static Counts counts(UUID courseId) {
        Object[] row = getEntityManager().createQuery("select count(case when o.status = :held then 1 end), "
                        + "count(case when o.status = :given then 1 end) from DoseOpportunityEntity o where o.courseId = :course", Object[].class)
                .setParameter("held", SlotStatus.HELD).setParameter("given", SlotStatus.GIVEN).setParameter("course", courseId)
                .getSingleResult();
        return new Counts((Long) row[0], (Long) row[1]);
    }

    /** Scheduled slots whose time is so far past that they can no longer be given. */
    public static List<DoseOpportunityEntity> overdue(Instant scheduledBefore) {
        return list("status = ?1 and scheduledAt < ?2", SlotStatus.SCHEDULED, scheduledBefore);
    }

    public Course.Slot slot() {
        return new Course.Slot(doseNumber, cycle, scheduledAt, status);
    }

    public static DoseOpportunityEntity of(UUID courseId, Course.Slot s) {
        DoseOpportunityEntity o = new DoseOpportunityEntity();
        o.courseId = courseId;
        o.doseNumber = s.doseNumber();
        o.cycle = s.cycle();
        o.scheduledAt = s.scheduledAt();
        o.status = s.status();
        return o;
    }

    public static Key key(UUID courseId, int doseNumber) {
        Key k = new Key();
        k.courseId = courseId;
        k.doseNumber = doseNumber;
        return k;
    }

    public static class Key implements Serializable {
        public UUID courseId;
        public int doseNumber;

        @Override
        public boolean equals(Object o) {
            return o instanceof Key k && Objects.equals(courseId, k.courseId) && doseNumber == k.doseNumber;
        }

        @Override
        public int hashCode() {
            return Objects.hash(courseId, doseNumber);
        }
    }
}
