package org.hdil2.eligibility.api;

import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;

import org.hdil2.eligibility.domain.Indication;

import org.hdil2.eligibility.app.Findings;

/**
 * A screening request in the service's own JSON. {@code findings} must be present; each finding may be omitted,
 * meaning "not assessed", which makes the criterion that needs it NOT_EVALUABLE. A finding that is given carries its
 * value, the date it was observed or assessed, and optionally its source.
 */
public record ScreeningRequest(
        @NotBlank @Size(max = 64) @Pattern(regexp = "[A-Za-z0-9._-]+", message = "letters, digits, '.', '_' and '-' only") String patientId,
        @Size(max = 64) String protocolId,
        @NotNull Indication indication,
        @NotNull @Valid Findings findings) {
}
