package org.hdil2.dosing.domain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigDecimal;
import java.util.List;

import org.hdil2.dosing.config.DosingProtocols;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Reference section 2: 22 MIU (1.3 mg) vials, 1.2 mL sterile water to 18 MIU/mL, D5W 25 / 50 / 100 mL by dose band,
 * final 0.03-0.07 mg/mL. What is in the bag: D5W + the reconstituted volume drawn. The shipped protocols check the
 * window on both readings of "final concentration" (BOTH) and flag a value within 5 % of a limit.
 */
class PreparationTest {

    private final Preparation.Facts facts = DosingProtocols.read("label-2024").preparation();

    @ParameterizedTest(name = "{0} kg: {1} IU -> {2} vials, draw {3} mL, {4} mL D5W, {5} mg/mL in the bag, {6} over D5W alone")
    @CsvSource({
            // kg, IU, vials, draw mL, D5W mL, mg/mL over D5W + drawn, mg/mL over D5W alone, mg, in the window on both, compliant D5W
            "40,  24000000, 2, 1.33, 25,  0.0539, 0.0567, 1.4182, true,",
            "55,  33000000, 2, 1.83, 50,  0.0376, 0.0390, 1.9500, true,",
            "70,  42000000, 2, 2.33, 50,  0.0474, 0.0496, 2.4818, true,",
            "100, 60000000, 3, 3.33, 50,  0.0665, 0.0709, 3.5455, false, 51",
            "150, 90000000, 5, 5.00, 100, 0.0506, 0.0532, 5.3182, true,",
            "200, 120000000, 6, 6.67, 100, 0.0665, 0.0709, 7.0909, false, 102",
    })
    void theWeightTable(int kg, long iu, int vials, String drawMl, int d5wMl, String bagMgPerMl, String d5wOnlyMgPerMl,
                        String mg, boolean inRange, Integer compliantD5wMl) {
        assertEquals(iu, DoseCalculator.doseIu(DosingProtocols.read("label-2024").dose(), BigDecimal.valueOf(kg)));
        Preparation p = Preparation.of(iu, facts);
        assertEquals(vials, p.vials());
        assertEquals(new BigDecimal(drawMl), p.drawMl());
        assertEquals(d5wMl, p.d5wMl());
        assertEquals(new BigDecimal(bagMgPerMl), p.finalMgPerMl());
        assertEquals(new BigDecimal(mg), p.doseMg());
        assertEquals(Preparation.ConcentrationBasis.BOTH, p.concentrationBasis());
        assertEquals(List.of(Preparation.ConcentrationBasis.D5W_ONLY, Preparation.ConcentrationBasis.D5W_PLUS_DRUG),
                p.concentrations().stream().map(Preparation.Concentration::basis).toList());
        assertEquals(new BigDecimal(d5wOnlyMgPerMl), p.concentrations().get(0).mgPerMl());
        assertEquals(new BigDecimal(bagMgPerMl), p.concentrations().get(1).mgPerMl());
        assertEquals(inRange, p.concentrationInRange());
        assertEquals(compliantD5wMl, p.compliantD5wMl());
    }

    /** The case: 100 kg, 60 MIU, 3.33 mL into 50 mL. Each basis decides it differently; the near-limit flag either way. */
    @Test
    void theBasisDecidesWhetherOneHundredKilogramsIsInTheWindow() {
        Preparation bag = Preparation.of(60_000_000, withBasis(Preparation.ConcentrationBasis.D5W_PLUS_DRUG, "5"));
        assertTrue(bag.concentrationInRange(), "3.5455 mg / 53.33 mL = 0.0665 mg/mL");
        assertEquals(1, bag.concentrations().size());
        assertTrue(bag.concentrations().get(0).nearLimit(), "0.0665 is within 5 % of 0.07 (0.0665 and above)");
        assertTrue(bag.flags().stream().anyMatch(f -> f.contains("0.0665 mg/mL over 53.33 mL") && f.contains("within 5 %")),
                bag.flags().toString());
        assertNull(bag.compliantD5wMl());

        Preparation d5wOnly = Preparation.of(60_000_000, withBasis(Preparation.ConcentrationBasis.D5W_ONLY, "5"));
        assertFalse(d5wOnly.concentrationInRange(), "3.5455 mg / 50 mL = 0.0709 mg/mL");
        assertEquals(51, d5wOnly.compliantD5wMl(), "3.5455 / 0.07 = 50.65 mL of D5W");
        assertTrue(d5wOnly.flags().get(0).contains("0.0709 mg/mL over 50 mL D5W alone is outside 0.03-0.07 mg/mL"),
                d5wOnly.flags().toString());

        Preparation both = Preparation.of(60_000_000, facts);
        assertFalse(both.concentrationInRange());
        assertEquals(51, both.compliantD5wMl(), "the volume must satisfy the stricter reading");
    }

    @Test
    void theNearLimitFlagHasItsEdgeOnTheRoundedFigure() {
        // 0.0665 mg/mL: 4.99 % below 0.07 is flagged at 5 %, not at 4.9 %
        assertTrue(Preparation.of(60_000_000, withBasis(Preparation.ConcentrationBasis.D5W_PLUS_DRUG, "5")).concentrations().get(0).nearLimit());
        assertFalse(Preparation.of(60_000_000, withBasis(Preparation.ConcentrationBasis.D5W_PLUS_DRUG, "4.9")).concentrations().get(0).nearLimit());
        // 42 MIU at 70 kg, 0.0474 mg/mL, is far from both limits
        Preparation mid = Preparation.of(42_000_000, facts);
        assertTrue(mid.concentrations().stream().noneMatch(Preparation.Concentration::nearLimit));
        assertTrue(mid.flags().stream().noneMatch(f -> f.contains("within")));
        // 1.5009 mg in 50 mL D5W alone is 0.0300: in the window, and within 5 % of the lower limit (0.0315 and below)
        Preparation low = Preparation.of(25_400_001, withBasis(Preparation.ConcentrationBasis.D5W_ONLY, "5"));
        assertTrue(low.concentrationInRange());
        assertTrue(low.concentrations().get(0).nearLimit());
    }

    @Test
    void aProtocolMustStateItsBasisAndMargin() {
        assertThrows(IllegalArgumentException.class, () -> withBasis(null, "5"));
        assertThrows(IllegalArgumentException.class, () -> withBasis(Preparation.ConcentrationBasis.BOTH, null));
        assertThrows(IllegalArgumentException.class, () -> withBasis(Preparation.ConcentrationBasis.BOTH, "-1"));
        assertThrows(IllegalArgumentException.class, () -> withBasis(Preparation.ConcentrationBasis.BOTH, "50"));
    }

    private Preparation.Facts withBasis(Preparation.ConcentrationBasis basis, String nearLimitPercent) {
        return new Preparation.Facts(facts.id(), facts.version(), facts.source(), facts.iuPerVial(), facts.mgPerVial(),
                facts.reconstitutionMl(), facts.reconstitutionDiluent(), facts.reconstitutedIuPerMl(), facts.d5wBands(),
                facts.minMgPerMl(), facts.maxMgPerMl(), basis, nearLimitPercent == null ? null : new BigDecimal(nearLimitPercent),
                facts.warnings());
    }

    @Test
    void theBandEdgesFallInTheLowerBand() {
        assertEquals(25, Preparation.of(25_400_000, facts).d5wMl());
        assertEquals(50, Preparation.of(25_400_001, facts).d5wMl());
        assertEquals(50, Preparation.of(60_000_000, facts).d5wMl());
        assertEquals(100, Preparation.of(60_000_001, facts).d5wMl());
    }

    @Test
    void justAboveTheFirstBandTheConcentrationIsTooLowAndTheNearestCompliantVolumeIsGiven() {
        Preparation p = Preparation.of(25_400_001, facts);
        // 1.5009 mg in 50 + 1.41 mL = 0.0292 mg/mL, below 0.03 (over 50 mL alone 0.0300, just in)
        assertEquals(new BigDecimal("0.0292"), p.finalMgPerMl());
        assertFalse(p.concentrationInRange());
        assertEquals(48, p.compliantD5wMl(), "1.5009 / 0.03 = 50.03 mL in all, 48 mL of D5W beside 1.41 mL drawn");
        assertTrue(p.flags().get(0).contains("nearest compliant D5W volume: 48 mL"), p.flags().toString());
    }

    @Test
    void aVeryHeavyPatientsDoseIsTooConcentratedInOneHundredMl() {
        Preparation p = Preparation.of(210_000_000, facts);
        assertEquals(100, p.d5wMl());
        assertFalse(p.concentrationInRange());
        // 12.4091 mg needs at least 177.3 mL: 166 mL D5W beside 11.67 mL drawn, 178 mL over D5W alone; BOTH takes 178
        assertEquals(178, p.compliantD5wMl());
        assertEquals(166, Preparation.of(210_000_000, withBasis(Preparation.ConcentrationBasis.D5W_PLUS_DRUG, "5")).compliantD5wMl());
    }

    @Test
    void theUnusedPartOfTheLastVialIsDiscardedAndTheWarningsAreShown() {
        Preparation p = Preparation.of(42_000_000, facts);
        assertTrue(p.flags().stream().anyMatch(f -> f.contains("discard the unused 2.00 million IU")));
        assertTrue(p.warnings().stream().anyMatch(w -> w.contains("Bacteriostatic")));
        assertTrue(p.warnings().stream().anyMatch(w -> w.contains("in-line filter")));
        assertTrue(p.warnings().stream().anyMatch(w -> w.contains("do not shake")));
        assertTrue(p.warnings().stream().anyMatch(w -> w.contains("48 h")));
        assertEquals(new BigDecimal("1.2"), p.reconstitutionMlPerVial());
    }
}
