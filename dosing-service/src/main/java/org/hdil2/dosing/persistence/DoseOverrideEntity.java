package org.hdil2.dosing.persistence;

import java.time.Instant;
import java.util.UUID;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.IdClass;
import jakarta.persistence.Table;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;

/** A physician's override of a HOLD for one dose, valid only for the findings active when it was given. */
@Entity
@Table(name = "dose_override")
@IdClass(DoseOpportunityEntity.Key.class)
public class DoseOverrideEntity extends PanacheEntityBase {

    @Id
    @Column(name = "course_id")
    public UUID courseId;

    @Id
    @Column(name = "dose_number")
    public int doseNumber;

    @Column(nullable = false)
    public String physician;

    @Column(nullable = false)
    public String reason;

    /** The overridden finding ids, comma-separated. */
    @Column(name = "finding_ids", nullable = false)
    public String findingIds;

    @Column(name = "created_at", nullable = false)
    public Instant createdAt;
}
