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
    public static final String GIVEN = "GIVEN";

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

    @Column(nullable = false)
    public String status;

    @Column(name = "recorded_at")
    public Instant recordedAt;

    @Column(name = "recorded_by")
    public String recordedBy;

    @Column(name = "given_at")
    public Instant givenAt;

    /** The pre-dose decision the record was made on, JSON. */
    @Column
    public String decision;

    public static List<DoseOpportunityEntity> ofCourse(UUID courseId) {
        return list("courseId", Sort.ascending("doseNumber"), courseId);
    }

    public static Optional<DoseOpportunityEntity> nextScheduled(UUID courseId) {
        return find("courseId = ?1 and status = ?2", Sort.ascending("doseNumber"), courseId, SCHEDULED).firstResultOptional();
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
