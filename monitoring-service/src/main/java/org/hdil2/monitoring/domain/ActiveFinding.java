package org.hdil2.monitoring.domain;

/** A rule met for a patient since {@code observation}. */
public record ActiveFinding(String findingId, ThresholdRule rule, ObservationFact observation) {
}
