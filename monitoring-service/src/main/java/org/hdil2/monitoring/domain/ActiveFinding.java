package org.hdil2.monitoring.domain;

import java.time.Instant;
import java.util.List;

/** A rule met for a patient: since when, how severe, and on which observations. Lives until its resume condition holds. */
public record ActiveFinding(String findingId, String ruleId, String ruleVersion, String severity, Detail detail,
                            ObservationFact deciding, List<ObservationFact> evidence, Instant raisedAt) {
}
