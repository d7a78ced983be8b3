package org.hdil2.monitoring.persistence;

import java.time.Instant;
import java.util.UUID;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;

/** One back-test: who asked for which protocol over which patients, how far it has come, and its report. */
@Entity
@Table(name = "backtest")
public class BacktestEntity extends PanacheEntityBase {

    public static final String QUEUED = "QUEUED";
    public static final String RUNNING = "RUNNING";
    public static final String DONE = "DONE";
    public static final String FAILED = "FAILED";

    @Id
    public UUID id;

    @Column(name = "requested_by", nullable = false)
    public String requestedBy;

    @Column(name = "requested_at", nullable = false)
    public Instant requestedAt;

    @Column(name = "protocol_id", nullable = false)
    public String protocolId;

    @Column(name = "protocol_version", nullable = false)
    public String protocolVersion;

    @Column(nullable = false)
    public boolean draft;

    /** The request as accepted, patients resolved: {"protocol": ..., "patients": [...], "from": ..., "to": ...}. */
    @Column(nullable = false)
    public String request;

    @Column(nullable = false)
    public String status;

    @Column(name = "patients_total", nullable = false)
    public int patientsTotal;

    @Column(name = "patients_done", nullable = false)
    public int patientsDone;

    /** The {@code BacktestReport} as JSON, once DONE. */
    public String report;

    public String error;

    @Column(name = "finished_at")
    public Instant finishedAt;

    /** The worker's heartbeat: set with each patient replayed. */
    @Column(name = "updated_at", nullable = false)
    public Instant updatedAt;
}
