package org.hdil2.dosing.app;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

import org.hdil2.dosing.domain.Decision;
import org.hdil2.dosing.domain.PatientState;

/**
 * The pre-dose decision for one dose, with the findings and reasons behind it, and the window in which the dose may
 * be recorded ({@code givableFrom} until {@code missedAt}, after which it is skipped). {@code evaluationCurrent}: the
 * evaluation the decision rests on is known to include everything monitoring accepted and monitoring's evaluation
 * runs (else the reasons say why not, and the decision is not GIVE); {@code evaluationIntakeSequence}: up to which of the
 * patient's accepted observations (monitoring's intake sequence) that evaluation includes; {@code protocol}: the course's
 * protocol, whose pre-dose ({@code ruleId}) and stop rules decided.
 */
public record DecisionView(UUID courseId, String patientId, int doseNumber, int cycle, Instant scheduledAt,
                           Decision decision, List<String> reasons, List<PatientState.Finding> findings,
                           Instant evaluatedAt, Instant decidedAt, Instant givableFrom, Instant missedAt,
                           boolean overridden, String ruleId, String ruleVersion, ProtocolRef protocol,
                           boolean evaluationCurrent, Long evaluationIntakeSequence) {

    /** The protocol the decision applied: the course's. */
    public record ProtocolRef(String id, String version) {
    }
}
