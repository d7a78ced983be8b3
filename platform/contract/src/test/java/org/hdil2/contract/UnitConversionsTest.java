package org.hdil2.contract;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;

import org.junit.jupiter.api.Test;

class UnitConversionsTest {

    /** µmol/L per mg/dL from the molar mass the entry cites: 10 mg/L / (g/mol) × 1000. */
    private static BigDecimal fromMolarMass(String gramsPerMole) {
        return new BigDecimal("10000").divide(new BigDecimal(gramsPerMole), MathContext.DECIMAL64).setScale(1, RoundingMode.HALF_UP);
    }

    @Test
    void eachDivisorFollowsFromTheMolarMassItCites() {
        assertEquals(fromMolarMass("113.12"), UnitConversions.of("creatinine", "umol/L").divideBy());
        assertEquals(fromMolarMass("584.66"), UnitConversions.of("bilirubin", "umol/L").divideBy());
        assertEquals("mg/dL", UnitConversions.of("creatinine", "umol/L").to());
    }

    @Test
    void anUnknownConversionIsAProgrammingErrorNotASilentFactorOfOne() {
        assertThrows(IllegalArgumentException.class, () -> UnitConversions.of("creatinine", "mmol/L"));
    }
}
