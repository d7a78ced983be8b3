package org.hdil2.monitoring.domain;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;

/** Builds observations and patient states for the rule tests. */
final class Facts {

    static final Instant T0 = Instant.parse("2026-11-29T00:00:00Z");
    private static final Map<String, String> UNITS = Map.ofEntries(Map.entry("systolic-bp", "mm[Hg]"),
            Map.entry("heart-rate", "/min"), Map.entry("respiratory-rate", "/min"), Map.entry("spo2", "%"),
            Map.entry("oxygen-flow", "L/min"), Map.entry("fio2", "%"), Map.entry("temperature", "Cel"),
            Map.entry("weight", "kg"), Map.entry("urine-output", "mL"), Map.entry("diarrhea-volume", "mL"),
            Map.entry("creatinine", "mg/dL"), Map.entry("bilirubin", "mg/dL"), Map.entry("platelets", "10*3/uL"),
            Map.entry("potassium", "mmol/L"), Map.entry("bicarbonate", "mmol/L"), Map.entry("phenylephrine-rate", "ug/kg/min"),
            Map.entry("vt-run", "{beats}"), Map.entry("confusion-grade", "{grade}"), Map.entry("ast", "U/L"), Map.entry("alt", "U/L"));
    private static final Map<String, Map<String, Integer>> ORDINALS = Map.of(
            "acvpu", Map.of("A", 0, "C", 1, "V", 2, "P", 3, "U", 4),
            "rhythm", Map.of("SINUS", 0, "AF", 1, "SVT", 2, "BRADYCARDIA_TREATED", 3, "OTHER", 4),
            "airway", Map.of("EXTUBATED", 0, "INTUBATED", 1),
            "fit-fobt", Map.of("NEGATIVE", 0, "POSITIVE", 1));
    private static int counter;

    private Facts() {
    }

    static ObservationFact at(String parameter, String value, Instant time) {
        if (ORDINALS.containsKey(parameter)) {
            return new ObservationFact(id(), parameter, parameter, BigDecimal.valueOf(ORDINALS.get(parameter).get(value)), value,
                    "{code}", time, null, "NURSE");
        }
        return new ObservationFact(id(), parameter, parameter, new BigDecimal(value), null, UNITS.get(parameter), time, null, "NURSE");
    }

    /** A volume over the period ending at {@code end}. */
    static ObservationFact over(String parameter, String value, Instant end, Duration period) {
        return new ObservationFact(id(), parameter, parameter, new BigDecimal(value), null, "mL", end, end.minus(period), "NURSE");
    }

    static PatientState patient(ObservationFact... facts) {
        PatientState state = PatientState.empty("p-1");
        for (ObservationFact fact : facts) {
            state = state.with(fact, fact.effectiveTime(), Duration.ofDays(7), Evaluator.CAP_PER_PARAMETER);
        }
        return state;
    }

    static PatientState withBaseline(PatientState state, String kg, Instant lastDose) {
        return state.withTherapy(new TherapyContext(UUID.randomUUID().toString(), true, kg == null ? null : new BigDecimal(kg), lastDose));
    }

    private static String id() {
        return UUID.nameUUIDFromBytes(("fact-" + (++counter)).getBytes(StandardCharsets.UTF_8)).toString();
    }
}
