package org.hdil2.dosing.api;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

public record CourseView(UUID id, String patientId, UUID screeningId, ProtocolRef protocol, BigDecimal dosingWeightKg,
                         long doseIu, DoseBasis doseBasis, Instant firstDoseAt, String status, Instant orderedAt,
                         String orderedBy, List<DoseView> doses) {

    public record ProtocolRef(String id, String version) {
    }

    /** How the dose was computed, with the rule it comes from. */
    public record DoseBasis(String ruleId, String ruleVersion, String source, long iuPerKg, String calculation) {
    }

    public record DoseView(int doseNumber, int cycle, Instant scheduledAt, String status, Instant givenAt,
                           String recordedBy) {
    }
}
