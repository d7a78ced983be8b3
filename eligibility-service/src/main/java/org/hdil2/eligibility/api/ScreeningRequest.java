package org.hdil2.eligibility.api;

import java.math.BigDecimal;

import jakarta.validation.Valid;
import jakarta.validation.constraints.DecimalMax;
import jakarta.validation.constraints.DecimalMin;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;

import org.hdil2.eligibility.domain.CandidateFacts;
import org.hdil2.eligibility.domain.Indication;

/**
 * A screening request. {@code findings} must be present; each of its fields may be null, meaning "not assessed",
 * which makes the criterion that needs it NOT_EVALUABLE.
 */
public record ScreeningRequest(
        @NotBlank @Size(max = 64) @Pattern(regexp = "[A-Za-z0-9._-]+", message = "letters, digits, '.', '_' and '-' only") String patientId,
        @Size(max = 64) String protocolId,
        @NotNull Indication indication,
        @NotNull @Valid Findings findings) {

    public record Findings(
            Boolean severeHypersensitivityHistory,
            Boolean organAllograft,
            Boolean abnormalEjectionFraction,
            Boolean impairedWallMotion,
            Boolean significantCoronaryArteryDisease,
            @DecimalMin(value = "0.1") @DecimalMax(value = "10.0") BigDecimal fev1Litres,
            @DecimalMin(value = "1") @DecimalMax(value = "200") BigDecimal fev1PercentPredicted,
            Boolean significantRenalImpairment,
            Boolean significantHepaticImpairment,
            Boolean significantCnsImpairment) {
    }

    CandidateFacts toFacts() {
        return new CandidateFacts(indication, findings.severeHypersensitivityHistory(), findings.organAllograft(),
                findings.abnormalEjectionFraction(), findings.impairedWallMotion(), findings.significantCoronaryArteryDisease(),
                findings.fev1Litres(), findings.fev1PercentPredicted(), findings.significantRenalImpairment(),
                findings.significantHepaticImpairment(), findings.significantCnsImpairment());
    }
}
