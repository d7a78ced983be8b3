package org.hdil2.eligibility.api;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

import org.hdil2.eligibility.domain.CriterionResult;
import org.hdil2.eligibility.domain.Outcome;

public record ScreeningView(UUID id, String patientId, ProtocolRef protocol, Outcome outcome, Instant screenedAt,
                            String screenedBy, List<CriterionResult> criteria) {

    public record ProtocolRef(String id, String version) {
    }
}
