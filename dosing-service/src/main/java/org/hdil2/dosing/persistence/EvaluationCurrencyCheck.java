package org.hdil2.dosing.persistence;

import java.time.Instant;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.hdil2.dosing.config.DosingProtocols;
import org.hdil2.dosing.domain.EvaluationCurrency;
import org.hdil2.dosing.domain.PatientState;
import org.hdil2.dosing.messaging.MonitoringIntake;

/**
 * Whether the evaluation held for a patient is current: first what monitoring's checkpoints say (alive, not behind,
 * no failure for the patient); only then, monitoring's intake is asked whether it accepted anything the evaluation
 * does not include (no point waiting for a monitoring that is known to be down).
 */
@ApplicationScoped
public class EvaluationCurrencyCheck {

    @Inject
    EvaluationCheckpoints checkpoints;

    @Inject
    MonitoringIntake intake;

    @Inject
    DosingProtocols protocols;

    public EvaluationCurrency of(String patientId, PatientState state, Instant now) {
        EvaluationCurrency.Rule rule = protocols.currency();
        EvaluationCheckpoints.OfPatient checkpoint = checkpoints.forPatient(patientId);
        EvaluationCurrency byCheckpoint = EvaluationCurrency.ofCheckpoint(rule, checkpoint.checkpoint(), checkpoint.partitionLabel(), now);
        if (!byCheckpoint.isCurrent()) {
            return byCheckpoint;
        }
        return EvaluationCurrency.ofIntake(rule, state.intakeSequence(), intake.of(patientId, state.intakeSequence()), now);
    }
}
