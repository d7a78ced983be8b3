package org.hdil2.dosing.persistence;

import java.time.Instant;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;

/** The patient's newest evaluation as monitoring-service announced it (JSON as received, for the decision). */
@Entity
@Table(name = "patient_evaluation")
public class PatientEvaluationEntity extends PanacheEntityBase {

    @Id
    @Column(name = "patient_id")
    public String patientId;

    @Column(nullable = false)
    public long sequence;

    @Column(name = "evaluated_at", nullable = false)
    public Instant evaluatedAt;

    @Column(name = "protocol_id", nullable = false)
    public String protocolId;

    @Column(name = "latest_inputs", nullable = false)
    public String latestInputs;

    @Column(name = "active_findings", nullable = false)
    public String activeFindings;

    @Column(name = "received_at", nullable = false)
    public Instant receivedAt;

    @Column(name = "event_id", nullable = false)
    public String eventId;

    /** Pre-dose rules monitoring could not evaluate (JSON array of rule and reason); any one means ASSESS. */
    @Column(name = "pre_dose_gaps", nullable = false)
    public String preDoseGaps = "[]";

    /** The highest intake sequence of the patient's accepted observations this evaluation includes (checkpoints raise it). */
    @Column(name = "intake_sequence", nullable = false)
    public long intakeSequence;

    /** When monitoring began the patient's evaluation state; evaluations are ordered by (epoch, sequence); null before epochs. */
    @Column(name = "state_epoch")
    public Instant stateEpoch;

    /** Whether a withhold criterion was met at this evaluation (for hold-started / hold-ended events). */
    @Column(nullable = false)
    public boolean holding;
}
