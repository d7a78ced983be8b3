package org.hdil2.dosing.persistence;

import java.time.Instant;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;

/** The newest evaluation checkpoint of one partition of monitoring's evaluation, as received. */
@Entity
@Table(name = "evaluation_checkpoint")
public class EvaluationCheckpointEntity extends PanacheEntityBase {

    @Id
    @Column(name = "partition_no")
    public int partition;

    /** How many partitions the findings topic has (the checkpoint says; patients are mapped to partitions with it). */
    @Column(nullable = false)
    public int partitions;

    /** monitoring's wall clock when it wrote the checkpoint: its evaluation of the partition was alive and this far. */
    @Column(name = "checkpoint_at", nullable = false)
    public Instant checkpointAt;

    @Column(name = "received_at", nullable = false)
    public Instant receivedAt;

    /** The partition's failures as published (JSON array); every patient listed is ASSESS. */
    @Column(nullable = false)
    public String failures = "[]";

    @Column(name = "failures_truncated", nullable = false)
    public boolean failuresTruncated;
}
