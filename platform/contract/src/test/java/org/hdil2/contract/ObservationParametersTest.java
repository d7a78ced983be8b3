package org.hdil2.contract;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigDecimal;
import java.math.MathContext;
import java.util.HashSet;
import java.util.Set;

import org.hdil2.contract.ObservationParameters.Parameter;
import org.hdil2.contract.ObservationParameters.UnitConversion;
import org.junit.jupiter.api.Test;

class ObservationParametersTest {

    @Test
    void idsAndCodesAreUniqueSoEveryCodeNamesOneParameter() {
        Set<String> ids = new HashSet<>();
        Set<String> codes = new HashSet<>();
        for (Parameter p : ObservationParameters.all()) {
            assertTrue(p.id().matches("[a-z0-9-]+"), p.id());
            assertTrue(ids.add(p.id()), "parameter " + p.id() + " twice");
            assertFalse(p.codes().isEmpty(), p.id() + " has no code");
            p.codes().forEach(c -> assertTrue(codes.add(c.system() + "|" + c.code()), c.code() + " names two parameters"));
        }
    }

    @Test
    void quantitiesHaveARangeAScaleAndTheirCanonicalUnitCodedOnesTheirAnswers() {
        for (Parameter p : ObservationParameters.all()) {
            if (p.coded()) {
                assertNull(p.min(), p.id());
                assertTrue(p.codes().stream().allMatch(c -> c.units().isEmpty()), p.id() + ": a coded parameter's unit is its own");
            } else {
                assertNotNull(p.scale(), p.id());
                assertTrue(p.min().compareTo(p.max()) < 0, p.id());
                assertTrue(p.codes().stream().anyMatch(c -> c.units().containsKey(p.unit()) && c.units().get(p.unit()).identity()),
                        p.id() + ": its canonical unit converts by 1");
            }
        }
    }

    @Test
    void siLabsDivideByTheSharedDivisorAndSayWhere() {
        UnitConversion si = ObservationParameters.byCode("http://loinc.org", "14682-9").orElseThrow().codes().get(1).units().get("umol/L");
        assertEquals(BigDecimal.ONE.divide(new BigDecimal("88.4"), MathContext.DECIMAL64), si.factor());
        assertTrue(si.source().contains("113.12"), si.source());
        assertEquals("creatinine", ObservationParameters.byCode("http://loinc.org", "14682-9").orElseThrow().id());
    }

    @Test
    void fahrenheitConvertsWithItsOffset() {
        UnitConversion f = ObservationParameters.require("temperature").codes().get(0).units().get("[degF]");
        BigDecimal celsius = new BigDecimal("98.6").add(f.offset()).multiply(f.factor(), MathContext.DECIMAL64);
        assertEquals(0, new BigDecimal("37.0").compareTo(celsius.setScale(1, java.math.RoundingMode.HALF_UP)));
    }

    @Test
    void anUnknownParameterIsAConfigurationErrorNotAnEmptyRule() {
        assertThrows(IllegalArgumentException.class, () -> ObservationParameters.require("systolic"));
        assertEquals("systolic-bp", ObservationParameters.byCode("http://loinc.org", "8480-6").orElseThrow().id());
    }
}
