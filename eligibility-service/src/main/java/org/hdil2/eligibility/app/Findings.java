package org.hdil2.eligibility.app;

import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.List;

import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;

import org.hdil2.eligibility.domain.PriorToxicity;

/**
 * The dated facts of a screening, one explicit field per fact (an unknown field is rejected). Units are fixed by the
 * field: litres for {@code fev1Litres}, mg/dL for creatinine and bilirubin, U/L for AST and ALT, 10^9/L for platelets
 * and neutrophils, percent, years, ECOG score.
 */
public record Findings(
        @Valid Flag severeHypersensitivityHistory,
        @Valid Flag organAllograft,
        @Valid Flag abnormalEjectionFraction,
        @Valid Flag impairedWallMotion,
        @Valid Flag significantCoronaryArteryDisease,
        @Valid Flag significantRenalImpairment,
        @Valid Flag significantHepaticImpairment,
        @Valid Flag significantCnsImpairment,
        @Valid Flag untreatedActiveBacterialInfection,
        @Valid Flag untreatedBrainMetastases,
        @Valid Flag autoimmuneDisease,
        @Valid Flag systemicCorticosteroids,
        @Valid Flag femaleOfReproductivePotential,
        @Valid Flag pregnant,
        @Valid Flag priorAldesleukinCourse,
        @Valid Flag tumourShrinkageAfterLastCourse,
        @Valid Toxicities priorCourseToxicities,
        @Valid DateFact lastCourseDischargeDate,
        @Valid Measure fev1Litres,
        @Valid Measure fev1PercentPredicted,
        @Valid Measure ejectionFractionPercent,
        @Valid Measure ecogPerformanceStatus,
        @Valid Measure ageYears,
        @Valid Measure creatinineMgDl,
        @Valid Measure bilirubinMgDl,
        @Valid Measure astUnitsPerLitre,
        @Valid Measure altUnitsPerLitre,
        @Valid Measure plateletsPerNanolitre,
        @Valid Measure neutrophilsPerNanolitre) {

    public static final Findings NONE = new Findings(null, null, null, null, null, null, null, null, null, null, null,
            null, null, null, null, null, null, null, null, null, null, null, null, null, null, null, null, null, null);

    /** A yes/no finding. */
    public record Flag(@NotNull Boolean value, @NotNull LocalDate date, @Size(max = 200) String source) {
    }

    /** A measured value in the field's unit. */
    public record Measure(@NotNull BigDecimal value, @NotNull LocalDate date, @Size(max = 200) String source) {
    }

    /** A date that is itself the fact, such as the last discharge. */
    public record DateFact(@NotNull LocalDate value, @Size(max = 200) String source) {
    }

    /** The toxicities of the earlier courses; an empty list means assessed and none. */
    public record Toxicities(@NotNull List<@NotNull PriorToxicity> value, @NotNull LocalDate date, @Size(max = 200) String source) {
    }
}
