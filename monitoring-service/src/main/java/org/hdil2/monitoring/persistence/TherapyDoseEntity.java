package org.hdil2.monitoring.persistence;

import java.time.Instant;
import java.util.UUID;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;

/** A dose given, by its ledger record; {@code corrected} once dosing marks the record entered in error. */
@Entity
@Table(name = "therapy_dose")
public class TherapyDoseEntity extends PanacheEntityBase {

    @Id
    @Column(name = "record_id")
    public UUID recordId;

    @Column(name = "course_id", nullable = false)
    public UUID courseId;

    @Column(name = "patient_id", nullable = false)
    public String patientId;

    @Column(name = "started_at", nullable = false)
    public Instant startedAt;

    @Column(nullable = false)
    public boolean corrected;
}
