package org.hdil2.alert.persistence;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import io.quarkus.panache.common.Page;
import io.quarkus.panache.common.Parameters;
import io.quarkus.panache.common.Sort;

@Entity
@Table(name = "alert")
public class AlertEntity extends PanacheEntityBase {

    public static final String ACTIVE = "ACTIVE";
    public static final String RESOLVED = "RESOLVED";

    @Id
    public UUID id;

    @Column(name = "patient_id", nullable = false)
    public String patientId;

    @Column(name = "finding_id", nullable = false, unique = true)
    public UUID findingId;

    @Column(name = "rule_id", nullable = false)
    public String ruleId;

    @Column(name = "rule_version", nullable = false)
    public String ruleVersion;

    @Column(nullable = false)
    public String priority;

    @Column(nullable = false)
    public String status;

    @Column(nullable = false)
    public String title;

    @Column(nullable = false)
    public String detail;

    @Column(name = "raised_at", nullable = false)
    public Instant raisedAt;

    @Column(name = "resolved_at")
    public Instant resolvedAt;

    @Column(name = "resolved_reason")
    public String resolvedReason;

    public static AlertEntity byFinding(UUID findingId) {
        return find("findingId", findingId).firstResult();
    }

    public static AlertEntity activeFor(String patientId, String ruleId) {
        return find("patientId = ?1 and ruleId = ?2 and status = ?3", patientId, ruleId, ACTIVE).firstResult();
    }

    public static List<AlertEntity> search(String patientId, String status, int page, int size) {
        StringBuilder q = new StringBuilder("1 = 1");
        Parameters p = new Parameters();
        if (patientId != null) {
            q.append(" and patientId = :patient");
            p.and("patient", patientId);
        }
        if (status != null) {
            q.append(" and status = :status");
            p.and("status", status);
        }
        return find(q.toString(), Sort.descending("raisedAt"), p).page(Page.of(page, size)).list();
    }
}
