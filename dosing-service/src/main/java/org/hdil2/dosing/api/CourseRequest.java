package org.hdil2.dosing.api;

import java.math.BigDecimal;
import java.time.Instant;

import jakarta.validation.constraints.DecimalMax;
import jakarta.validation.constraints.DecimalMin;
import jakarta.validation.constraints.Digits;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;

/**
 * A course order: the patient, the dosing weight (actual body weight, kg) with when and how it was measured, when
 * the first dose is planned, and the protocol (absent: the deployment's default; {@code GET /api/v1/protocols} lists them).
 */
public record CourseRequest(
        @NotBlank @Size(max = 64) @Pattern(regexp = "[A-Za-z0-9._-]+", message = "letters, digits, '.', '_' and '-' only") String patientId,
        @NotNull @DecimalMin("20.0") @DecimalMax("350.0") @Digits(integer = 3, fraction = 2) BigDecimal dosingWeightKg,
        @NotNull Instant weightMeasuredAt,
        @NotBlank @Size(max = 100) String weightSource,
        @NotNull Instant firstDoseAt,
        @Size(max = 64) @Pattern(regexp = "[A-Za-z0-9._-]+", message = "letters, digits, '.', '_' and '-' only") String protocolId) {
}
