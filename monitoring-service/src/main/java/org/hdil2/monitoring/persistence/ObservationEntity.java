package org.hdil2.monitoring.persistence;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import io.quarkus.panache.common.Page;
import io.quarkus.panache.common.Sort;

/**
 * An accepted observation: the canonical value and, for the record, what was submitted. Written once by
 * {@code app.ObservationRecording} (insert ... on conflict do nothing, so the same id is stored once); never updated.
 */
@Entity
@Table(name = "observation")
public class ObservationEntity extends PanacheEntityBase {

    @Id
    public UUID id;

    @Column(name = "patient_id", nullable = false)
    public String patientId;

    @Column(nullable = false)
    public String parameter;

    @Column(name = "code_system", nullable = false)
    public String codeSystem;

    @Column(nullable = false)
    public String code;

    @Column(nullable = false, precision = 12, scale = 3)
    public BigDecimal value;

    @Column(name = "value_code")
    public String valueCode;

    @Column(nullable = false)
    public String unit;

    @Column(name = "original_value", precision = 12, scale = 3)
    public BigDecimal originalValue;

    @Column(name = "original_unit")
    public String originalUnit;

    @Column(name = "effective_time", nullable = false)
    public Instant effectiveTime;

    @Column(name = "effective_start")
    public Instant effectiveStart;

    @Column(nullable = false)
    public String status;

    @Column(name = "recorded_at", nullable = false)
    public Instant recordedAt;

    @Column(name = "recorded_by", nullable = false)
    public String recordedBy;

    @Column(name = "source_kind", nullable = false)
    public String sourceKind;

    @Column(name = "source_id")
    public String sourceId;

    @Column(name = "sender_id")
    public String senderId;

    /** Per patient, the order in which it was accepted (null for observations stored before intake sequences). */
    @Column(name = "intake_sequence")
    public Long intakeSequence;

    /** Filter of a search: patient (required), parameter or code, effective time from (inclusive) and to (exclusive). */
    public record Query(String patientId, String parameter, String codeSystem, String code, Instant from, Instant to) {
    }

    /** Newest effective time first. */
    public static List<ObservationEntity> search(Query q, int page, int size) {
        StringBuilder where = new StringBuilder("patientId = :patientId");
        Map<String, Object> params = new LinkedHashMap<>();
        params.put("patientId", q.patientId());
        if (q.parameter() != null) {
            where.append(" and parameter = :parameter");
            params.put("parameter", q.parameter());
        }
        if (q.code() != null) {
            where.append(" and code = :code");
            params.put("code", q.code());
        }
        if (q.codeSystem() != null) {
            where.append(" and codeSystem = :codeSystem");
            params.put("codeSystem", q.codeSystem());
        }
        if (q.from() != null) {
            where.append(" and effectiveTime >= :from");
            params.put("from", q.from());
        }
        if (q.to() != null) {
            where.append(" and effectiveTime < :to");
            params.put("to", q.to());
        }
        return find(where.toString(), Sort.descending("effectiveTime").and("id"), params).page(Page.of(page, size)).list();
    }
}
