package org.hdil2.alert.persistence;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.LockModeType;
import jakarta.persistence.Table;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import io.quarkus.panache.common.Page;
import io.quarkus.panache.common.Parameters;
import io.quarkus.panache.common.Sort;

@Entity
@Table(name = "alert")
public class AlertEntity extends PanacheEntityBase {

    public static final String PRESENT = "PRESENT";
    public static final String CLEARED = "CLEARED";

    @Id
    public UUID id;

    @Column(name = "patient_id", nullable = false)
    public String patientId;

    /** The finding that started the alert. */
    @Column(name = "finding_id", nullable = false, unique = true)
    public UUID findingId;

    /** The finding the alert currently reflects (a reopened alert has a newer one). */
    @Column(name = "current_finding_id", nullable = false)
    public UUID currentFindingId;

    @Column(name = "rule_id", nullable = false)
    public String ruleId;

    @Column(name = "rule_version", nullable = false)
    public String ruleVersion;

    @Column(name = "rule_action", nullable = false)
    public String ruleAction;

    @Column(nullable = false)
    public String severity;

    @Column(nullable = false)
    public String priority;

    /** {@link org.hdil2.alert.domain.AlertStatus} name. */
    @Column(nullable = false)
    public String status;

    /** PRESENT or CLEARED: the clinical condition, independent of who has seen the alert. */
    @Column(nullable = false)
    public String condition;

    @Column(name = "condition_changed_at", nullable = false)
    public Instant conditionChangedAt;

    /** True once the alert has been HIGH: it then stays until acknowledged even if the condition clears. */
    @Column(nullable = false)
    public boolean latching;

    /** ACM phase of the last change. */
    @Column(nullable = false)
    public String phase;

    public String ward;

    public String bed;

    @Column(nullable = false)
    public String title;

    @Column(nullable = false)
    public String detail;

    /** The deciding observation, as JSON. */
    @Column(name = "source_observation", nullable = false)
    public String sourceObservation;

    @Column(name = "raised_at", nullable = false)
    public Instant raisedAt;

    @Column(name = "updated_at", nullable = false)
    public Instant updatedAt;

    @Column(name = "acknowledged_at")
    public Instant acknowledgedAt;

    @Column(name = "acknowledged_by")
    public String acknowledgedBy;

    @Column(name = "ended_at")
    public Instant endedAt;

    /** CONDITION_CLEARED, ACKNOWLEDGED_AFTER_CLEARING or DISMISSED. */
    @Column(name = "end_cause")
    public String endCause;

    @Column(name = "dismiss_reason")
    public String dismissReason;

    @Column(name = "resolved_at")
    public Instant resolvedAt;

    @Column(name = "resolved_reason")
    public String resolvedReason;

    @Column(name = "escalation_level", nullable = false)
    public int escalationLevel;

    @Column(name = "next_escalation_at")
    public Instant nextEscalationAt;

    @Column(name = "reopen_count", nullable = false)
    public int reopenCount;

    @jakarta.persistence.Version
    @Column(nullable = false)
    public long version;

    /** The open alert of a patient and rule, locked for the change about to be made. */
    public static AlertEntity openFor(String patientId, String ruleId) {
        return find("patientId = ?1 and ruleId = ?2 and endedAt is null", patientId, ruleId)
                .withLock(LockModeType.PESSIMISTIC_WRITE).firstResult();
    }

    /** The alert of this patient and rule that ended latest at or after {@code since} because its condition cleared (not dismissed). */
    public static AlertEntity endedByClearingSince(String patientId, String ruleId, Instant since) {
        return find("patientId = ?1 and ruleId = ?2 and endedAt >= ?3 and endCause in ('CONDITION_CLEARED', 'ACKNOWLEDGED_AFTER_CLEARING')",
                Sort.descending("endedAt"), patientId, ruleId, since).withLock(LockModeType.PESSIMISTIC_WRITE).firstResult();
    }

    public static AlertEntity locked(UUID id) {
        return findById(id, LockModeType.PESSIMISTIC_WRITE);
    }

    public static List<AlertEntity> search(String patientId, List<String> statuses, String ward, List<String> priorities,
                                           int page, int size) {
        StringBuilder q = new StringBuilder("1 = 1");
        Parameters p = new Parameters();
        if (patientId != null) {
            q.append(" and patientId = :patient");
            p.and("patient", patientId);
        }
        if (statuses != null) {
            q.append(" and status in :statuses");
            p.and("statuses", statuses);
        }
        if (ward != null) {
            q.append(" and ward = :ward");
            p.and("ward", ward);
        }
        if (priorities != null) {
            q.append(" and priority in :priorities");
            p.and("priorities", priorities);
        }
        return find(q.toString(), Sort.descending("raisedAt").and("id"), p).page(Page.of(page, size)).list();
    }
}
