package org.hdil2.dosing.persistence;

import java.time.Instant;
import java.util.UUID;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;

/** The patient's latest screening as eligibility-service announced it. */
@Entity
@Table(name = "patient_screening")
public class PatientScreeningEntity extends PanacheEntityBase {

    @Id
    @Column(name = "patient_id")
    public String patientId;

    @Column(name = "screening_id", nullable = false)
    public UUID screeningId;

    @Column(nullable = false)
    public String outcome;

    @Column(name = "protocol_id", nullable = false)
    public String protocolId;

    @Column(name = "protocol_version", nullable = false)
    public String protocolVersion;

    @Column(name = "screened_at", nullable = false)
    public Instant screenedAt;

    @Column(name = "event_id", nullable = false)
    public String eventId;
}
