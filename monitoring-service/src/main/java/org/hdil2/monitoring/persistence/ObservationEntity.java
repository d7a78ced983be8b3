package org.hdil2.monitoring.persistence;

import java.math.BigDecimal;
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

/** An accepted observation: the normalised value and, for the record, what was submitted. Never updated. */
@Entity
@Table(name = "observation")
public class ObservationEntity extends PanacheEntityBase {

    @Id
    public UUID id;

    @Column(name = "patient_id", nullable = false)
    public String patientId;

    @Column(name = "code_system", nullable = false)
    public String codeSystem;

    @Column(nullable = false)
    public String code;

    @Column(nullable = false, precision = 12, scale = 3)
    public BigDecimal value;

    @Column(nullable = false)
    public String unit;

    @Column(name = "original_value", nullable = false, precision = 12, scale = 3)
    public BigDecimal originalValue;

    @Column(name = "original_unit", nullable = false)
    public String originalUnit;

    @Column(name = "effective_time", nullable = false)
    public Instant effectiveTime;

    @Column(name = "recorded_at", nullable = false)
    public Instant recordedAt;

    @Column(name = "recorded_by", nullable = false)
    public String recordedBy;

    @Column(name = "source_kind", nullable = false)
    public String sourceKind;

    public static List<ObservationEntity> ofPatient(String patientId, int page, int size) {
        return find("patientId", Sort.descending("effectiveTime"), patientId).page(Page.of(page, size)).list();
    }
}
