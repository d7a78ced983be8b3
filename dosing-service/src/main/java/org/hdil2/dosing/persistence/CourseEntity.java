package org.hdil2.dosing.persistence;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import io.quarkus.panache.common.Sort;

@Entity
@Table(name = "course")
public class CourseEntity extends PanacheEntityBase {

    public static final String ACTIVE = "ACTIVE";

    @Id
    public UUID id;

    @Column(name = "patient_id", nullable = false)
    public String patientId;

    @Column(name = "screening_id", nullable = false)
    public UUID screeningId;

    @Column(name = "protocol_id", nullable = false)
    public String protocolId;

    @Column(name = "protocol_version", nullable = false)
    public String protocolVersion;

    @Column(name = "dosing_weight_kg", nullable = false, precision = 6, scale = 2)
    public BigDecimal dosingWeightKg;

    @Column(name = "dose_iu", nullable = false)
    public long doseIu;

    @Column(name = "first_dose_at", nullable = false)
    public Instant firstDoseAt;

    @Column(nullable = false)
    public String status;

    @Column(name = "ordered_at", nullable = false)
    public Instant orderedAt;

    @Column(name = "ordered_by", nullable = false)
    public String orderedBy;

    public static Optional<CourseEntity> activeOf(String patientId) {
        return find("patientId = ?1 and status = ?2", patientId, ACTIVE).firstResultOptional();
    }

    public static List<CourseEntity> ofPatient(String patientId) {
        return list("patientId", Sort.descending("orderedAt"), patientId);
    }
}
