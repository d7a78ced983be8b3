package org.hdil2.dosing.api;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

public record CourseView(UUID id, String patientId, UUID screeningId, ProtocolRef protocol, BigDecimal dosingWeightKg,
                         Instant weightMeasuredAt, String weightSource, long doseIu, DoseBasis doseBasis,
                         Instant firstDoseAt, String status, Instant orderedAt, String orderedBy, String verifiedBy,
                         Instant verifiedAt, Instant stopFlaggedAt, String stopFlagReason, Instant endedAt,
                         String endedBy, String endReason, Instant dischargedAt, String displayZone, List<DoseView> doses) {

    public record ProtocolRef(String id, String version) {
    }

    /** How the dose was computed, with the rule it comes from. */
    public record DoseBasis(String ruleId, String ruleVersion, String source, long iuPerKg, String weightBasis, String calculation) {
    }

    /**
     * One slot: its status and the ledger entry that stands for it, and an override if a physician gave one.
     * {@code scheduledLocal} is the UTC time shown in the requested zone (stored times are always UTC).
     */
    public record DoseView(int doseNumber, int cycle, Instant scheduledAt, String scheduledLocal, String status,
                           RecordView record, OverrideView override) {
    }

    public record RecordView(UUID id, String kind, Instant startedAt, Instant endedAt, Long iuGiven, String administeredBy,
                             String verifiedBy, String reason, UUID corrects, Instant recordedAt, String recordedBy) {
    }

    public record OverrideView(String physician, String reason, Instant at) {
    }
}
