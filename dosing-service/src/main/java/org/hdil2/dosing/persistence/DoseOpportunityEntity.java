package org.hdil2.dosing.persistence;

import java.io.Serializable;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.IdClass;
import jakarta.persistence.Table;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import io.quarkus.panache.common.Sort;

/** One q8h dose opportunity and what became of it. */
@Entity
@Table(name = "dose_opportunity")
@IdClass(DoseOpportunityEntity.Key.class)
public class DoseOpportunityEntity extends PanacheEntityBase {

    public static final String SCHEDULED = "SCHEDULED";

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
    @Column(nullable = false)
    public String status;

    public static List<DoseOpportunityEntity> ofCourse(UUID courseId) {
        return list("courseId", Sort.ascending("doseNumber"), courseId);
    }

    public static Optional<DoseOpportunityEntity> nextScheduled(UUID courseId) {
        return find("courseId = ?1 and status = ?2", Sort.ascending("doseNumber"), courseId, SCHEDULED).firstResultOptional();
    }

    public static long countWithStatus(UUID courseId, String status) {
        return count("courseId = ?1 and status = ?2", courseId, status);
    }

    /** Scheduled slots whose time is so far past that they can no longer be given. */
    public static List<DoseOpportunityEntity> overdue(Instant scheduledBefore) {
        return list("status = ?1 and scheduledAt < ?2", SCHEDULED, scheduledBefore);
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
