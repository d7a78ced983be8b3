package org.hdil2.monitoring.api;

import java.math.BigDecimal;
import java.time.Instant;

import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;

/** One observation as a nurse app, a device gateway or the lab submits it. {@code system} defaults to LOINC. */
public record ObservationRequest(
        @NotBlank @Size(max = 64) @Pattern(regexp = "[A-Za-z0-9._-]+", message = "letters, digits, '.', '_' and '-' only") String patientId,
        @Size(max = 200) String system,
        @NotBlank @Size(max = 32) String code,
        @NotNull BigDecimal value,
        @NotBlank @Size(max = 32) String unit,
        @NotNull Instant effectiveTime) {
}
