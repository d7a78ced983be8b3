package org.hdil2.eligibility.cds;

import java.time.Instant;
import java.util.UUID;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;

/** A card returned to an EHR, kept so its feedback can be tied to the screening behind it. */
@Entity
@Table(name = "cds_card")
public class CdsCardEntity extends PanacheEntityBase {

    @Id
    public UUID id;

    @Column(name = "service_id", nullable = false)
    public String serviceId;

    @Column(name = "hook_instance", nullable = false)
    public String hookInstance;

    @Column(name = "screening_id")
    public UUID screeningId;

    @Column(name = "patient_id", nullable = false)
    public String patientId;

    @Column(nullable = false)
    public String indicator;

    @Column(name = "issued_at", nullable = false)
    public Instant issuedAt;
}
