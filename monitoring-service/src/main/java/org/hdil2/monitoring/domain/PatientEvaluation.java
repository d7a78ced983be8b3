package org.hdil2.monitoring.domain;

import java.time.Instant;
import java.util.Comparator;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * What the evaluation knows of one patient: the latest observation per code (by effective time), the findings active
 * now, and a sequence number that grows with every change so consumers can keep the newest.
 */
public record PatientEvaluation(String patientId, long sequence, Map<String, ObservationFact> latestByCode,
                                Map<String, ActiveFinding> activeByRule) {

    public static PatientEvaluation empty(String patientId) {
        return new PatientEvaluation(patientId, 0, new TreeMap<>(), new TreeMap<>());
    }

    public Optional<Instant> evaluatedAt() {
        return latestByCode.values().stream().map(ObservationFact::effectiveTime).max(Comparator.naturalOrder());
    }
}
