package org.hdil2.alert.persistence;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.Id;
import jakarta.persistence.LockModeType;
import jakarta.persistence.Table;

import org.hdil2.alert.domain.AlertState;
import org.hdil2.alert.domain.AlertStatus;
import org.hdil2.alert.domain.Condition;
import org.hdil2.alert.domain.DismissReason;
import org.hdil2.alert.domain.EndCause;
import org.hdil2.alert.domain.Phase;
import org.hdil2.alert.domain.Priority;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import io.quarkus.panache.common.Page;
import io.quarkus.panache.common.Parameters;
import io.quarkus.panache.common.Sort;

@Entity
@Table(name = "alert")
public class AlertEntity extends PanacheEntityBase {

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

    /** The protocol the finding was evaluated under (the newer finding's after an update); null for alerts stored before. */
    @Column(name = "protocol_id", length = 64)
    public String protocolId;

    /** That protocol's version; null when the finding did not name it. */
    @Column(name = "protocol_version", length = 32)
    public String protocolVersion;

    @Column(nullable = false)
    public String severity;

    @Enumerated(EnumType.STRING)
    @Column(nullable = false)
    public Priority priority;

    @Enumerated(EnumType.STRING)
    @Column(nullable = false)
    public AlertStatus status;

    /** The clinical condition, independent of who has seen the alert. */
    @Enumerated(EnumType.STRING)
    @Column(nullable = false)
    public Condition condition;

    @Column(name = "condition_changed_at", nullable = false)
    public Instant conditionChangedAt;

    /** True once the alert has been HIGH: it then stays until acknowledged even if the condition clears. */
    @Column(nullable = false)
    public boolean latching;

    /** ACM phase of the last change. */
    @Enumerated(EnumType.STRING)
    @Column(nullable = false)
    public Phase phase;

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

    @Enumerated(EnumType.STRING)
    @Column(name = "end_cause")
    public EndCause endCause;

    @Enumerated(EnumType.STRING)
    @Column(name = "dismiss_reason")
    public DismissReason dismissReason;

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

    public AlertState state() {
        return new AlertState(id, patientId, findingId, currentFindingId, ruleId, ruleVersion, ruleAction, protocolId, protocolVersion,
                severity, priority, status, condition, conditionChangedAt, latching, phase, ward, bed, title, detail, sourceObservation, raisedAt, updatedAt,
                acknowledgedAt, acknowledgedBy, endedAt, endCause, dismissReason, resolvedAt, resolvedReason, escalationLevel,
                nextEscalationAt, reopenCount);
    }

    /** A new row holding {@code s}. */
    public static AlertEntity of(AlertState s) {
        AlertEntity e = new AlertEntity();
        e.id = s.id();
        e.patientId = s.patientId();
        e.findingId = s.findingId();
        e.ruleId = s.ruleId();
        e.raisedAt = s.raisedAt();
        e.write(s);
        return e;
    }

    /** Takes what an alert's lifecycle may change (its identity, rule, start and place stay). */
    public void write(AlertState s) {
        currentFindingId = s.currentFindingId();
        ruleVersion = s.ruleVersion();
        ruleAction = s.ruleAction();
        protocolId = s.protocolId();
        protocolVersion = s.protocolVersion();
        severity = s.severity();
        priority = s.priority();
        status = s.status();
        condition = s.condition();
        conditionChangedAt = s.conditionChangedAt();
        latching = s.latching();
        phase = s.phase();
        ward = s.ward();
        bed = s.bed();
        title = s.title();
        detail = s.detail();
        sourceObservation = s.sourceObservation();
        updatedAt = s.updatedAt();
        acknowledgedAt = s.acknowledgedAt();
        acknowledgedBy = s.acknowledgedBy();
        endedAt = s.endedAt();
        endCause = s.endCause();
        dismissReason = s.dismissReason();
        resolvedAt = s.resolvedAt();
        resolvedReason = s.resolvedReason();
        escalationLevel = s.escalationLevel();
        nextEscalationAt = s.nextEscalationAt();
        reopenCount = s.reopenCount();
    }

    // The two lookups a finding makes are SQL: as HQL with a lock, Hibernate translated them anew on every call, which
    // was a sixth of the finding consumer's CPU (bench/alert-drain.sh with JFR).

    /** The open alert of a patient and rule, locked for the change about to be made. */
    public static AlertEntity openFor(String patientId, String ruleId) {
        // at most one: the unique index alert_open_per_rule
        return first(getEntityManager().createNativeQuery("select * from alert where patient_id = ?1 and rule_id = ?2 "
                + "and ended_at is null for update", AlertEntity.class).setParameter(1, patientId).setParameter(2, ruleId));
    }

    /** The alert of this patient and rule that ended latest at or after {@code since} because its condition cleared (not dismissed). */
    public static AlertEntity endedByClearingSince(String patientId, String ruleId, Instant since) {
        return first(getEntityManager().createNativeQuery("select * from alert where patient_id = ?1 and rule_id = ?2 "
                        + "and ended_at >= ?3 and end_cause in (?4, ?5) order by ended_at desc limit 1 for update", AlertEntity.class)
                .setParameter(1, patientId).setParameter(2, ruleId).setParameter(3, since)
                .setParameter(4, EndCause.CONDITION_CLEARED.name()).setParameter(5, EndCause.ACKNOWLEDGED_AFTER_CLEARING.name()));
    }

    /** The first row ({@code setMaxResults} would append a row limit after {@code for update}, which PostgreSQL refuses). */
    private static AlertEntity first(jakarta.persistence.Query query) {
        List<?> rows = query.getResultList();
        return rows.isEmpty() ? null : (AlertEntity) rows.get(0);
    }

    public static AlertEntity locked(UUID id) {
        return findById(id, LockModeType.PESSIMISTIC_WRITE);
    }

    public static List<AlertEntity> search(String patientId, List<AlertStatus> statuses, String ward, List<Priority> priorities,
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
