package org.hdil2.monitoring.persistence;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.UUID;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;

/** A patient's therapy context as the dosing events describe it: the current course, its baseline weight, the last dose. */
@Entity
@Table(name = "patient_therapy")
public class TherapyEntity extends PanacheEntityBase {

    @Id
    @Column(name = "patient_id")
    public String patientId;

    @Column(name = "course_id", nullable = false)
    public UUID courseId;

    @Column(name = "on_therapy", nullable = false)
    public boolean onTherapy;

    @Column(name = "baseline_weight_kg", precision = 7, scale = 3)
    public BigDecimal baselineWeightKg;

    @Column(name = "ordered_at")
    public Instant orderedAt;

    @Column(name = "last_dose_at")
    public Instant lastDoseAt;

    /** The course's protocol, null when the course was announced before courses named one. */
    @Column(name = "protocol_id")
    public String protocolId;

    @Column(name = "protocol_version")
    public String protocolVersion;

    @Column(name = "updated_at", nullable = false)
    public Instant updatedAt;
}
