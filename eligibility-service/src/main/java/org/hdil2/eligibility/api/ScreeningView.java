package org.hdil2.eligibility.api;

import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.UUID;

import org.hdil2.eligibility.domain.CriterionResult;
import org.hdil2.eligibility.domain.Outcome;

/**
 * A stored screening: the outcome, the protocol version it was decided under, the date the facts were judged against
 * ({@code asOf}) and every criterion result with its inputs. {@code previousScreeningId} is set on a re-screening; {@code inputNotes} say what of a FHIR input was set aside
 * (no date, unit not accepted, two sources disagreeing).
 */
public record ScreeningView(UUID id, String patientId, ProtocolRef protocol, Outcome outcome, Instant screenedAt,
                            LocalDate asOf, String screenedBy, UUID previousScreeningId, List<String> inputNotes,
                            List<CriterionResult> criteria) {

    public record ProtocolRef(String id, String version) {
    }
}
