package org.hdil2.alert.persistence;

import java.time.Instant;
import java.util.UUID;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;

/** One finding that fed an alert; a finding id seen again is a repeat and changes nothing. */
@Entity
@Table(name = "alert_finding")
public class AlertFindingEntity extends PanacheEntityBase {

    @Id
    @Column(name = "finding_id")
    public UUID findingId;

    @Column(name = "alert_id", nullable = false)
    public UUID alertId;

    @Column(nullable = false)
    public String severity;

    @Column(name = "raised_at", nullable = false)
    public Instant raisedAt;

    @Column(name = "cleared_at")
    public Instant clearedAt;
}
