package org.hdil2.monitoring.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Set;
import java.util.UUID;

import org.hdil2.kit.problem.ProblemException;
import org.hdil2.monitoring.app.ObservationIntake.Normalized;
import org.hdil2.monitoring.domain.ObservationCatalog;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The catalog and the intake, without the service: every rejection class, both sides of each limit, every conversion. */
class ObservationIntakeTest {

    static final Instant NOW = Instant.parse("2026-11-29T12:00:00Z");
    static final Instant T = NOW.minus(1, ChronoUnit.HOURS);
    static final ObservationIntake.Submitter NURSE = new ObservationIntake.Submitter(Set.of("NURSE", "LAB"), "NURSE", "nurse-joy");

    static ObservationRequest quantity(String system, String code, String value, String unit) {
        return new ObservationRequest(null, "p-1", system, code, value == null ? null : new BigDecimal(value), null, unit, T, null, null, null);
    }

    static ObservationRequest loinc(String code, String value, String unit) {
        return quantity(null, code, value, unit);
    }

    static ObservationRequest coded(String code, String valueCode) {
        return new ObservationRequest(null, "p-1", ObservationCatalog.LOCAL, code, null, valueCode, null, T, null, null, null);
    }

    static Normalized accept(ObservationRequest r) {
        return ObservationIntake.normalise(r, NURSE, NOW);
    }

    static String rejected(ObservationRequest r) {
        ProblemException e = assertThrows(ProblemException.class, () -> accept(r));
        assertEquals(400, e.status());
        assertTrue(e.errors().size() == 1 && !e.errors().get(0).field().isBlank(), "names the field");
        return e.code() + " " + e.errors().get(0).field();
    }

    @ParameterizedTest(name = "{1} {2} -> {4} {3} ({0})")
    @CsvSource({
            "systolic-bp, 8480-6, 12, kPa, 90.0, mm[Hg]",
            "systolic-bp, 8480-6, 84, mmHg, 84, mm[Hg]",
            "systolic-bp, 8480-6, 84, mm Hg, 84, mm[Hg]",
            "temperature, 8310-5, 100.4, [degF], 38.0, Cel",
            "temperature, 8310-5, 104, degF, 40.0, Cel",
            "temperature, 8310-5, 38.5, degC, 38.5, Cel",
            "weight, 29463-7, 160, [lb_av], 72.57, kg",
            "weight, 29463-7, 154.32, lb, 70.00, kg",
            "weight, 29463-7, 72500, g, 72.50, kg",
            "creatinine, 14682-9, 88.4, umol/L, 1.00, mg/dL",
            "creatinine, 14682-9, 265, µmol/L, 3.00, mg/dL",
            "bilirubin, 14631-6, 119.7, umol/L, 7.00, mg/dL",
            "platelets, 777-3, 45, 10*9/L, 45, 10*3/uL",
            "platelets, 777-3, 45, 10^9/L, 45, 10*3/uL",
            "fio2, 3150-0, 0.4, 1, 40.0, %",
            "heart-rate, 8867-4, 112, {beats}/min, 112, /min",
            "potassium, 2823-3, 5.6, mEq/L, 5.6, mmol/L",
            "bicarbonate, 2028-9, 18, mEq/L, 18, mmol/L",
            "phenylephrine-rate, phenylephrine-rate, 0.8, mcg/kg/min, 0.8, ug/kg/min" })
    void convertsToTheCanonicalUnit(String parameter, String code, String value, String unit, String expected, String canonical) {
        String system = code.matches("\\d+-\\d") ? ObservationCatalog.LOINC : ObservationCatalog.LOCAL;
        Normalized n = accept(quantity(system, code, value, unit));
        assertEquals(parameter, n.parameter().id());
        assertEquals(canonical, n.unit());
        assertEquals(0, new BigDecimal(expected).compareTo(n.value()), n.value().toPlainString());
        assertEquals(new BigDecimal(value), n.originalValue());
        assertEquals(unit, n.originalUnit());
    }

    @ParameterizedTest(name = "{0} {1} {2}: {3}")
    @CsvSource({
            "8480-6, 20, mm[Hg], true", "8480-6, 19.9, mm[Hg], false", "8480-6, 300, mm[Hg], true", "8480-6, 300.1, mm[Hg], false",
            "8462-4, 10, mm[Hg], true", "8462-4, 9, mm[Hg], false", "8462-4, 200, mm[Hg], true", "8462-4, 201, mm[Hg], false",
            "8478-0, 250, mm[Hg], true", "8478-0, 251, mm[Hg], false",
            "8867-4, 0, /min, true", "8867-4, -1, /min, false", "8867-4, 300, /min, true", "8867-4, 301, /min, false",
            "9279-1, 80, /min, true", "9279-1, 81, /min, false",
            "59408-5, 100, %, true", "59408-5, 100.1, %, false", "2708-6, 0, %, true", "2708-6, -0.1, %, false",
            "3151-8, 60, L/min, true", "3151-8, 60.5, L/min, false",
            "3150-0, 21, %, true", "3150-0, 20, %, false",
            "8310-5, 25, Cel, true", "8310-5, 24.9, Cel, false", "8310-5, 45, Cel, true", "8310-5, 45.1, Cel, false",
            "8310-5, 113, [degF], true", "8310-5, 113.5, [degF], false",
            "29463-7, 20, kg, true", "29463-7, 19.99, kg, false", "29463-7, 400, kg, true", "29463-7, 882, [lb_av], false",
            "2160-0, 0.1, mg/dL, true", "2160-0, 0.09, mg/dL, false", "2160-0, 30, mg/dL, true", "2160-0, 30.1, mg/dL, false",
            "1975-2, 50, mg/dL, true", "1975-2, 50.1, mg/dL, false",
            "1920-8, 20000, U/L, true", "1920-8, 20001, U/L, false", "1742-6, 20001, U/L, false",
            "777-3, 2000, 10*3/uL, true", "777-3, 2001, 10*9/L, false",
            "2823-3, 1, mmol/L, true", "2823-3, 0.9, mmol/L, false", "2823-3, 10, mmol/L, true", "2823-3, 10.1, mmol/L, false",
            "1963-8, 60, mmol/L, true", "1963-8, 61, mmol/L, false" })
    void plausibleRangesHoldOnBothSides(String code, String value, String unit, boolean accepted) {
        if (accepted) {
            accept(loinc(code, value, unit));
        } else {
            assertEquals("MON-0103 value", rejected(loinc(code, value, unit)));
        }
    }

    @Test
    void volumesNeedAPeriodOfAtMostADayAndAreNeverNegative() {
        ObservationRequest.Period eightHours = new ObservationRequest.Period(T.minus(8, ChronoUnit.HOURS), T);
        Normalized urine = accept(new ObservationRequest("u-1", "p-1", null, "9187-6", new BigDecimal("0.06"), null, "L", null,
                eightHours, null, null));
        assertEquals(0, new BigDecimal("60").compareTo(urine.value()));
        assertEquals(T, urine.effectiveTime());
        assertEquals(eightHours.start(), urine.effectiveStart());
        assertEquals("MON-0107 effectivePeriod", rejected(loinc("9187-6", "60", "mL")));
        assertEquals("MON-0103 value", rejected(new ObservationRequest(null, "p-1", null, "9187-6", new BigDecimal("-5"), null, "mL", null,
                eightHours, null, null)));
        assertEquals("MON-0107 effectivePeriod", rejected(new ObservationRequest(null, "p-1", null, "9187-6", BigDecimal.TEN, null, "mL",
                null, new ObservationRequest.Period(T, T.minusSeconds(1)), null, null)));
        assertEquals("MON-0107 effectivePeriod", rejected(new ObservationRequest(null, "p-1", null, "9187-6", BigDecimal.TEN, null, "mL",
                null, new ObservationRequest.Period(T.minus(25, ChronoUnit.HOURS), T), null, null)));
        accept(new ObservationRequest(null, "p-1", null, "9187-6", BigDecimal.TEN, null, "mL", null,
                new ObservationRequest.Period(T.minus(24, ChronoUnit.HOURS), T), null, null));
        assertEquals("MON-0107 effectiveTime", rejected(new ObservationRequest(null, "p-1", null, "9187-6", BigDecimal.TEN, null, "mL",
                T.minusSeconds(60), eightHours, null, null)));
        Normalized diarrhoea = accept(new ObservationRequest(null, "p-1", ObservationCatalog.LOCAL, "diarrhea-volume", new BigDecimal("1.2"),
                null, "L", null, eightHours, null, null));
        assertEquals(0, new BigDecimal("1200").compareTo(diarrhoea.value()));
    }

    @Test
    void codedObservationsCarryTheirOrdinal() {
        Normalized c = accept(coded("acvpu", "C"));
        assertEquals("acvpu", c.parameter().id());
        assertEquals("C", c.valueCode());
        assertEquals(0, BigDecimal.ONE.compareTo(c.value()));
        assertEquals("{score}", c.unit());
        assertEquals(4, accept(coded("rhythm", "other")).value().intValue());
        assertEquals(1, accept(coded("airway", "INTUBATED")).value().intValue());
        assertEquals(1, accept(coded("fit-fobt", "POSITIVE")).value().intValue());
        assertEquals("MODERATE", accept(new ObservationRequest(null, "p-1", ObservationCatalog.LOCAL, "confusion-grade", new BigDecimal("2"),
                null, "{grade}", T, null, null, null)).valueCode());
        assertEquals(3, accept(coded("confusion-grade", "SEVERE")).value().intValue());
        assertEquals("MON-0103 value", rejected(new ObservationRequest(null, "p-1", ObservationCatalog.LOCAL, "confusion-grade",
                new BigDecimal("5"), null, null, T, null, null, null)));
        assertEquals("MON-0103 value", rejected(new ObservationRequest(null, "p-1", ObservationCatalog.LOCAL, "confusion-grade",
                new BigDecimal("1.5"), null, null, T, null, null, null)));
        assertEquals("MON-0103 value", rejected(new ObservationRequest(null, "p-1", ObservationCatalog.LOCAL, "confusion-grade",
                new BigDecimal("1E+20"), null, null, T, null, null, null)));
        assertEquals("MON-0106 valueCode", rejected(coded("acvpu", "X")));
        assertEquals("MON-0105 valueCode", rejected(coded("acvpu", null)));
        assertEquals("MON-0105 value", rejected(new ObservationRequest(null, "p-1", ObservationCatalog.LOCAL, "acvpu", new BigDecimal("2"),
                "C", null, T, null, null, null)));
        assertEquals("MON-0102 unit", rejected(new ObservationRequest(null, "p-1", ObservationCatalog.LOCAL, "acvpu", null, "A", "mm[Hg]",
                T, null, null, null)));
        Normalized vt = accept(quantity(ObservationCatalog.LOCAL, "vt-run", "6", "{beats}"));
        assertEquals(0, new BigDecimal(6).compareTo(vt.value()));
        assertEquals(0, new BigDecimal(7).compareTo(accept(quantity(ObservationCatalog.LOCAL, "vt-run", "7", null)).value()),
                "a count needs no unit");
        assertEquals("MON-0103 value", rejected(quantity(ObservationCatalog.LOCAL, "vt-run", "0", "{beats}")));
        assertEquals("MON-0105 value", rejected(quantity(ObservationCatalog.LOCAL, "vt-run", "5.5", "{beats}")));
    }

    @Test
    void everyRejectionClassHasItsCode() {
        assertEquals("MON-0101 code", rejected(loinc("1234-5", "84", "mm[Hg]")));
        assertEquals("MON-0101 system", rejected(quantity("http://snomed.info/sct", "8480-6", "84", "mm[Hg]")));
        assertEquals("MON-0101 code", rejected(quantity(ObservationCatalog.LOINC, "acvpu", "1", null)));
        assertEquals("MON-0102 unit", rejected(loinc("8480-6", "84", "psi")));
        assertEquals("MON-0102 unit", rejected(loinc("8480-6", "84", null)));
        assertEquals("MON-0102 unit", rejected(loinc("2160-0", "88", "umol/L")));
        assertEquals("MON-0105 value", rejected(loinc("8480-6", null, "mm[Hg]")));
        assertEquals("MON-0105 valueCode", rejected(new ObservationRequest(null, "p-1", null, "8480-6", null, "LOW", "mm[Hg]", T, null, null, null)));
        assertEquals("MON-0104 effectiveTime", rejected(new ObservationRequest(null, "p-1", null, "8480-6", BigDecimal.TEN.multiply(BigDecimal.TEN),
                null, "mm[Hg]", NOW.plus(6, ChronoUnit.MINUTES), null, null, null)));
        accept(new ObservationRequest(null, "p-1", null, "8480-6", new BigDecimal("100"), null, "mm[Hg]", NOW.plus(4, ChronoUnit.MINUTES),
                null, null, null));
        assertEquals("MON-0107 effectiveTime", rejected(new ObservationRequest(null, "p-1", null, "8480-6", new BigDecimal("100"), null,
                "mm[Hg]", null, null, null, null)));
        assertEquals("MON-0108 status", rejected(new ObservationRequest(null, "p-1", null, "8480-6", new BigDecimal("100"), null, "mm[Hg]", T,
                null, "entered-in-error", null)));
        assertEquals("MON-0108 status", rejected(new ObservationRequest(null, "p-1", null, "8480-6", new BigDecimal("100"), null, "mm[Hg]", T,
                null, "cancelled", null)));
        assertEquals("MON-0109 source.kind", rejected(new ObservationRequest(null, "p-1", null, "8480-6", new BigDecimal("100"), null,
                "mm[Hg]", T, null, null, new ObservationRequest.Source("DEVICE", null))));
        assertEquals("MON-0002 patientId", rejected(new ObservationRequest(null, "p 1", null, "8480-6", new BigDecimal("100"), null,
                "mm[Hg]", T, null, null, null)));
        assertEquals("MON-0002 observationId", rejected(new ObservationRequest("x".repeat(65), "p-1", null, "8480-6", new BigDecimal("100"),
                null, "mm[Hg]", T, null, null, null)));
    }

    @Test
    void theObservationIdIsTheSendersOrDerivedFromWhatWasObserved() {
        UUID sender = UUID.randomUUID();
        assertEquals(sender, accept(new ObservationRequest(sender.toString(), "p-1", null, "8867-4", new BigDecimal("80"), null, "/min", T,
                null, null, null)).id());
        Normalized named = accept(new ObservationRequest("mon-bed12-1", "p-1", null, "8867-4", new BigDecimal("80"), null, "/min", T, null,
                null, null));
        assertEquals(UUID.nameUUIDFromBytes("p-1|mon-bed12-1".getBytes(java.nio.charset.StandardCharsets.UTF_8)), named.id());
        assertEquals("mon-bed12-1", named.senderId());
        Normalized a = accept(loinc("8867-4", "80", "/min"));
        Normalized b = accept(loinc("8867-4", "80.0", "/min"));
        Normalized c = accept(loinc("8867-4", "81", "/min"));
        assertEquals(a.id(), b.id(), "the same observation resent");
        assertNotEquals(a.id(), c.id());
        assertNull(a.senderId());
        assertEquals("final", a.status());
        assertEquals("NURSE", a.sourceKind());
        assertEquals("nurse-joy", a.sourceId());
    }

    @Test
    void theCatalogAnswersByCodeAndByParameter() {
        assertEquals("creatinine", ObservationCatalog.find(ObservationCatalog.LOINC, "14682-9").orElseThrow().id());
        assertEquals("spo2", ObservationCatalog.find(ObservationCatalog.LOINC, "2708-6").orElseThrow().id());
        assertEquals("bicarbonate", ObservationCatalog.find("2028-9").orElseThrow().id());
        assertEquals("acvpu", ObservationCatalog.find("acvpu").orElseThrow().id());
        assertTrue(ObservationCatalog.find(ObservationCatalog.LOCAL, "8480-6").isEmpty());
        assertEquals(26, ObservationCatalog.parameters().size());
        assertTrue(ObservationCatalog.parameter("urine-output").orElseThrow().periodRequired());
    }
}
