package org.hdil2.monitoring.domain;

import static org.hdil2.monitoring.domain.Facts.T0;
import static org.hdil2.monitoring.domain.Facts.at;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

import org.hdil2.monitoring.config.ProtocolCatalog;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** NEWS2 Chart 1 scores on both sides of every band edge, Chart 4 bands, and the response rules (reference 8). */
class News2Test {

    /** Everything scoring 0: RR 16, SpO2 97 on air, SBP 120, HR 70, alert, 37.0 Cel. */
    private static Map<String, String> normal() {
        Map<String, String> m = new HashMap<>(Map.of("respiratory-rate", "16", "spo2", "97", "oxygen-flow", "0",
                "systolic-bp", "120", "heart-rate", "70", "acvpu", "A", "temperature", "37.0"));
        return m;
    }

    private static News2.Result score(Map<String, String> values, int scale) {
        PatientState state = PatientState.empty("p-1");
        for (Map.Entry<String, String> e : values.entrySet()) {
            state = state.with(at(e.getKey(), e.getValue(), T0), T0, Duration.ofDays(1), 128);
        }
        return News2.score(state::latest, T0, Duration.ofHours(4), scale);
    }

    @ParameterizedTest(name = "{0}={1} scores {2}")
    @CsvSource({
            "respiratory-rate, 8, 3", "respiratory-rate, 9, 1", "respiratory-rate, 11, 1", "respiratory-rate, 12, 0",
            "respiratory-rate, 20, 0", "respiratory-rate, 21, 2", "respiratory-rate, 24, 2", "respiratory-rate, 25, 3",
            "spo2, 91, 3", "spo2, 92, 2", "spo2, 93, 2", "spo2, 94, 1", "spo2, 95, 1", "spo2, 96, 0",
            "systolic-bp, 90, 3", "systolic-bp, 91, 2", "systolic-bp, 100, 2", "systolic-bp, 101, 1", "systolic-bp, 110, 1",
            "systolic-bp, 111, 0", "systolic-bp, 219, 0", "systolic-bp, 220, 3",
            "heart-rate, 40, 3", "heart-rate, 41, 1", "heart-rate, 50, 1", "heart-rate, 51, 0", "heart-rate, 90, 0",
            "heart-rate, 91, 1", "heart-rate, 110, 1", "heart-rate, 111, 2", "heart-rate, 130, 2", "heart-rate, 131, 3",
            "temperature, 35.0, 3", "temperature, 35.1, 1", "temperature, 36.0, 1", "temperature, 36.1, 0",
            "temperature, 38.0, 0", "temperature, 38.1, 1", "temperature, 39.0, 1", "temperature, 39.1, 2",
            "acvpu, A, 0", "acvpu, C, 3", "acvpu, V, 3", "acvpu, P, 3", "acvpu, U, 3",
            "oxygen-flow, 2, 2", "oxygen-flow, 0, 0",
    })
    void scaleOneComponentScores(String parameter, String value, int expected) {
        Map<String, String> values = normal();
        values.put(parameter, value);
        News2.Result result = score(values, 1);
        assertTrue(result.evaluable());
        assertEquals(expected, result.total(), "only " + parameter + " differs from a score of 0");
    }

    @ParameterizedTest(name = "scale 2: SpO2 {0} on {1} scores {2}")
    @CsvSource({
            "83, 0, 3", "84, 0, 2", "85, 0, 2", "86, 0, 1", "87, 0, 1", "88, 0, 0", "92, 0, 0", "93, 0, 0", "99, 0, 0",
            "93, 2, 3", "94, 2, 3", "95, 2, 4", "96, 2, 4", "97, 2, 5",
    })
    void scaleTwoScoresHighSaturationOnOxygen(String spo2, String flow, int expectedTotal) {
        Map<String, String> values = normal();
        values.put("spo2", spo2);
        values.put("oxygen-flow", flow);
        assertEquals(expectedTotal, score(values, 2).total(), "total includes 2 for oxygen when on oxygen");
    }

    @Test
    void aMissingOrStaleParameterMakesTheScoreNotEvaluable() {
        Map<String, String> values = normal();
        values.remove("temperature");
        News2.Result result = score(values, 1);
        assertFalse(result.evaluable());
        assertEquals(java.util.List.of("temperature"), result.missing());
        PatientState state = PatientState.empty("p-1");
        for (Map.Entry<String, String> e : normal().entrySet()) {
            state = state.with(at(e.getKey(), e.getValue(), T0), T0, Duration.ofDays(1), 128);
        }
        assertFalse(News2.score(state::latest, T0.plus(Duration.ofHours(4)).plusSeconds(1), Duration.ofHours(4), 1).evaluable());
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource({
            // total 7: RR 25 (3) + SpO2 94 (1) + HR 111 (2) + temp 38.1 (1)
            "'respiratory-rate=25,spo2=94,heart-rate=111,temperature=38.1', NEWS2-EMERGENCY",
            // total 6: HR 111 (2) + SBP 101 (1) + SpO2 94 (1) + RR 21 (2)
            "'heart-rate=111,systolic-bp=101,spo2=94,respiratory-rate=21', NEWS2-URGENT",
            // total 5: RR 21 (2) + HR 111 (2) + temp 38.1 (1)
            "'respiratory-rate=21,heart-rate=111,temperature=38.1', NEWS2-URGENT",
            // total 3, one parameter scoring 3
            "'acvpu=C', NEWS2-SINGLE-3",
    })
    void responseThresholds(String changes, String expectedRule) {
        Map<String, String> values = normal();
        for (String change : changes.split(",")) {
            String[] kv = change.split("=");
            values.put(kv[0], kv[1]);
        }
        Protocol protocol = ProtocolCatalog.read("label-2024");
        PatientState state = PatientState.empty("p-1");
        for (Map.Entry<String, String> e : values.entrySet()) {
            state = state.with(at(e.getKey(), e.getValue(), T0), T0, Duration.ofDays(1), 128);
        }
        RuleEvaluator evaluator = new RuleEvaluator(protocol);
        for (String rule : java.util.List.of("NEWS2-EMERGENCY", "NEWS2-URGENT", "NEWS2-SINGLE-3")) {
            RuleState state2 = evaluator.evaluate(protocol.rule(rule).orElseThrow(), state, T0).state();
            if (rule.equals(expectedRule)) {
                assertEquals(RuleState.MET, state2, rule);
            } else if (!rule.equals("NEWS2-SINGLE-3")) {
                assertEquals(RuleState.NOT_MET, state2, rule);
            }
        }
    }

    @Test
    void totalsFourAndSixSitOnEitherSideOfTheUrgentBand() {
        Protocol protocol = ProtocolCatalog.read("label-2024");
        RuleEvaluator evaluator = new RuleEvaluator(protocol);
        Map<String, String> four = normal();
        four.put("heart-rate", "111");
        four.put("respiratory-rate", "21");
        PatientState state = PatientState.empty("p-1");
        for (Map.Entry<String, String> e : four.entrySet()) {
            state = state.with(at(e.getKey(), e.getValue(), T0), T0, Duration.ofDays(1), 128);
        }
        assertEquals(RuleState.NOT_MET, evaluator.evaluate(protocol.rule("NEWS2-URGENT").orElseThrow(), state, T0).state());
        assertEquals(RuleState.NOT_MET, evaluator.evaluate(protocol.rule("NEWS2-SINGLE-3").orElseThrow(), state, T0).state());
    }
}
