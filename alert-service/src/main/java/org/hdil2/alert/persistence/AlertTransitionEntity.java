package org.hdil2.alert.persistence;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import io.quarkus.panache.common.Sort;

/** One step in an alert's history: who, when, what, from which status to which. */
@Entity
@Table(name = "alert_transition")
public class AlertTransitionEntity extends PanacheEntityBase {

    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    public Long id;

    @Column(name = "alert_id", nullable = false)
    public UUID alertId;

    @Column(nullable = false)
    public Instant at;

    @Column(nullable = false)
    public String actor;

    @Column(nullable = false)
    public String action;

    @Column(name = "from_status")
    public String fromStatus;

    @Column(name = "to_status", nullable = false)
    public String toStatus;

    public String detail;

    public static List<AlertTransitionEntity> of(UUID alertId) {
        return list("alertId", Sort.ascending("id"), alertId);
    }
}
