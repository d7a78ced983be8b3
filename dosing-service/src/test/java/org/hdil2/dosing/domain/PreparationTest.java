package org.hdil2.dosing.domain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigDecimal;

import org.hdil2.dosing.config.DosingProtocols;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Reference section 2: 22 MIU (1.3 mg) vials, 1.2 mL sterile water to 18 MIU/mL, D5W 25 / 50 / 100 mL by dose band,
 * final 0.03-0.07 mg/mL. Final volume = D5W + the reconstituted volume drawn.
 */
class PreparationTest {

    private final Preparation.Facts facts = DosingProtocols.read("label-2024").preparation();

    @ParameterizedTest(name = "{0} kg: {1} IU -> {2} vials, draw {3} mL, {4} mL D5W, {5} mg/mL")
    @CsvSource({
            // kg, IU, vials, draw mL, D5W mL, mg/mL, mg
            "40,  24000000, 2, 1.33, 25,  0.0539, 1.4182",
            "55,  33000000, 2, 1.83, 50,  0.0376, 1.9500",
            "70,  42000000, 2, 2.33, 50,  0.0474, 2.4818",
            "100, 60000000, 3, 3.33, 50,  0.0665, 3.5455",
            "150, 90000000, 5, 5.00, 100, 0.0506, 5.3182",
            "200, 120000000, 6, 6.67, 100, 0.0665, 7.0909",
    })
    void theWeightTable(int kg, long iu, int vials, String drawMl, int d5wMl, String mgPerMl, String mg) {
        assertEquals(iu, DoseCalculator.doseIu(DosingProtocols.read("label-2024").dose(), BigDecimal.valueOf(kg)));
        Preparation p = Preparation.of(iu, facts);
        assertEquals(vials, p.vials());
        assertEquals(new BigDecimal(drawMl), p.drawMl());
        assertEquals(d5wMl, p.d5wMl());
        assertEquals(new BigDecimal(mgPerMl), p.finalMgPerMl());
        assertEquals(new BigDecimal(mg), p.doseMg());
        assertTrue(p.concentrationInRange());
        assertNull(p.compliantD5wMl());
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
        // 1.5009 mg in 50 + 1.41 mL = 0.0292 mg/mL, below 0.03
        assertEquals(new BigDecimal("0.0292"), p.finalMgPerMl());
        assertFalse(p.concentrationInRange());
        assertEquals(48, p.compliantD5wMl());
        assertTrue(p.flags().get(0).contains("nearest compliant D5W volume: 48 mL"));
    }

    @Test
    void aVeryHeavyPatientsDoseIsTooConcentratedInOneHundredMl() {
        Preparation p = Preparation.of(210_000_000, facts);
        assertEquals(100, p.d5wMl());
        assertFalse(p.concentrationInRange());
        // 12.4091 mg needs at least 177.3 mL in all: 166 mL D5W with 11.67 mL drawn
        assertEquals(166, p.compliantD5wMl());
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
