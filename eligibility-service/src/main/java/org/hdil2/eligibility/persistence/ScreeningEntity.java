package org.hdil2.eligibility.persistence;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import io.quarkus.panache.common.Page;
import io.quarkus.panache.common.Sort;

/** A completed screening. Never updated: a re-screening is a new row. */
@Entity
@Table(name = "screening")
public class ScreeningEntity extends PanacheEntityBase {

    @Id
    public UUID id;

    @Column(name = "patient_id", nullable = false)
    public String patientId;

    @Column(name = "protocol_id", nullable = false)
    public String protocolId;

    @Column(name = "protocol_version", nullable = false)
    public String protocolVersion;

    @Column(nullable = false)
    public String outcome;

    @Column(name = "screened_at", nullable = false)
    public Instant screenedAt;

    @Column(name = "screened_by", nullable = false)
    public String screenedBy;

    @Column(name = "as_of")
    public java.time.LocalDate asOf;

    @Column(name = "previous_screening_id")
    public UUID previousScreeningId;

    /** The input as submitted (indication and findings), JSON. */
    @Column(nullable = false)
    public String facts;

    /** The criterion results, JSON: what the outcome was decided on, kept as it was. */
    @Column(nullable = false)
    public String criteria;

    public static List<ScreeningEntity> ofPatient(String patientId, int page, int size) {
        return find("patientId", Sort.descending("screenedAt"), patientId).page(Page.of(page, size)).list();
    }
}
