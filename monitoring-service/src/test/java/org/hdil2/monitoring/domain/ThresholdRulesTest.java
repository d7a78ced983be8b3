package org.hdil2.monitoring.domain;

import static org.hdil2.monitoring.domain.Facts.T0;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Instant;

import org.hdil2.monitoring.config.ProtocolCatalog;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Both sides of every single-value threshold of the shipped protocols, with the reference's numbers (sections 4.2,
 * 4.3, 4.4). {@code resumed} is whether the rule's resume condition holds, which is what clears an active finding.
 */
class ThresholdRulesTest {

    @ParameterizedTest(name = "{0} {1}: {2}={3} -> {4}")
    @CsvSource({
            // LABEL-2024 Table 2 (4.2)
            "label-2024, LABEL-2024-CV-SBP, systolic-bp, 89.9, MET, false",
            "label-2024, LABEL-2024-CV-SBP, systolic-bp, 90, NOT_MET, true",
            "label-2024, LABEL-2024-RESP-SPO2, spo2, 89, MET, false",
            "label-2024, LABEL-2024-RESP-SPO2, spo2, 90, NOT_MET, false",
            "label-2024, LABEL-2024-RESP-SPO2, spo2, 91, NOT_MET, true",
            "label-2024, LABEL-2024-CV-VT, vt-run, 5, MET, false",
            "label-2024, LABEL-2024-CV-VT, vt-run, 4, NOT_MET, true",
            "label-2024, LABEL-2024-NEURO-CONFUSION, confusion-grade, 2, MET, false",
            "label-2024, LABEL-2024-NEURO-CONFUSION, confusion-grade, 1, NOT_MET, false",
            "label-2024, LABEL-2024-NEURO-CONFUSION, confusion-grade, 0, NOT_MET, true",
            "label-2024, LABEL-2024-CV-ARRHYTHMIA, rhythm, AF, MET, false",
            "label-2024, LABEL-2024-CV-ARRHYTHMIA, rhythm, SVT, MET, false",
            "label-2024, LABEL-2024-CV-ARRHYTHMIA, rhythm, BRADYCARDIA_TREATED, MET, false",
            "label-2024, LABEL-2024-CV-ARRHYTHMIA, rhythm, OTHER, NOT_MET, false",
            "label-2024, LABEL-2024-CV-ARRHYTHMIA, rhythm, SINUS, NOT_MET, true",
            "label-2024, LABEL-2024-GI-FIT, fit-fobt, POSITIVE, MET, false",
            "label-2024, LABEL-2024-GI-FIT, fit-fobt, NEGATIVE, NOT_MET, true",
            // LABEL-OLD, unverified (4.3)
            "label-2024, LABEL-OLD-RENAL-CREATININE, creatinine, 4.6, MET, false",
            "label-2024, LABEL-OLD-RENAL-CREATININE, creatinine, 4.5, NOT_MET, false",
            "label-2024, LABEL-OLD-RENAL-CREATININE, creatinine, 4.0, NOT_MET, false",
            "label-2024, LABEL-OLD-RENAL-CREATININE, creatinine, 3.9, NOT_MET, true",
            // Dutcher 2014 Table 3 (4.4)
            "consensus-2014, DUTCHER-2014-CV-TACHYCARDIA-REL, heart-rate, 99, NOT_MET, true",
            "consensus-2014, DUTCHER-2014-CV-TACHYCARDIA-REL, heart-rate, 100, MET, false",
            "consensus-2014, DUTCHER-2014-CV-TACHYCARDIA-REL, heart-rate, 130, MET, false",
            "consensus-2014, DUTCHER-2014-CV-TACHYCARDIA-REL, heart-rate, 131, NOT_MET, true",
            "consensus-2014, DUTCHER-2014-CV-TACHYCARDIA-ABS, heart-rate, 130, NOT_MET, true",
            "consensus-2014, DUTCHER-2014-CV-TACHYCARDIA-ABS, heart-rate, 131, MET, false",
            "consensus-2014, DUTCHER-2014-CV-ARRHYTHMIA-ABS, rhythm, AF, MET, false",
            "consensus-2014, DUTCHER-2014-CV-ARRHYTHMIA-ABS, rhythm, SINUS, NOT_MET, true",
            "consensus-2014, DUTCHER-2014-CV-VENTRICULAR-ABS, vt-run, 1, MET, false",
            "consensus-2014, DUTCHER-2014-GI-BILIRUBIN-REL, bilirubin, 7, NOT_MET, true",
            "consensus-2014, DUTCHER-2014-GI-BILIRUBIN-REL, bilirubin, 7.1, MET, false",
            "consensus-2014, DUTCHER-2014-HD-PHENYLEPHRINE-MIN-REL, phenylephrine-rate, 0.5, NOT_MET, true",
            "consensus-2014, DUTCHER-2014-HD-PHENYLEPHRINE-MIN-REL, phenylephrine-rate, 0.51, MET, false",
            "consensus-2014, DUTCHER-2014-HD-PHENYLEPHRINE-MIN-REL, phenylephrine-rate, 0.8, MET, false",
            "consensus-2014, DUTCHER-2014-HD-PHENYLEPHRINE-MIN-ABS, phenylephrine-rate, 0.8, NOT_MET, true",
            "consensus-2014, DUTCHER-2014-HD-PHENYLEPHRINE-MIN-ABS, phenylephrine-rate, 0.81, MET, false",
            "consensus-2014, DUTCHER-2014-HEME-PLATELETS-REL, platelets, 29.9, NOT_MET, true",
            "consensus-2014, DUTCHER-2014-HEME-PLATELETS-REL, platelets, 30, MET, false",
            "consensus-2014, DUTCHER-2014-HEME-PLATELETS-REL, platelets, 50, MET, false",
            "consensus-2014, DUTCHER-2014-HEME-PLATELETS-REL, platelets, 50.1, NOT_MET, true",
            "consensus-2014, DUTCHER-2014-HEME-PLATELETS-ABS, platelets, 29.9, MET, false",
            "consensus-2014, DUTCHER-2014-HEME-PLATELETS-ABS, platelets, 30, NOT_MET, true",
            "consensus-2014, DUTCHER-2014-PULM-O2-REL, oxygen-flow, 2.9, NOT_MET, true",
            "consensus-2014, DUTCHER-2014-PULM-O2-REL, oxygen-flow, 3, MET, false",
            "consensus-2014, DUTCHER-2014-PULM-O2-REL, oxygen-flow, 4, MET, false",
            "consensus-2014, DUTCHER-2014-PULM-O2-ABS, oxygen-flow, 4, NOT_MET, true",
            "consensus-2014, DUTCHER-2014-PULM-O2-ABS, oxygen-flow, 4.1, MET, false",
            "consensus-2014, DUTCHER-2014-PULM-FIO2-ABS, fio2, 39, NOT_MET, true",
            "consensus-2014, DUTCHER-2014-PULM-FIO2-ABS, fio2, 40, MET, false",
            "consensus-2014, DUTCHER-2014-PULM-INTUBATION-ABS, airway, INTUBATED, MET, false",
            "consensus-2014, DUTCHER-2014-PULM-INTUBATION-ABS, airway, EXTUBATED, NOT_MET, true",
            "consensus-2014, DUTCHER-2014-RENAL-CREATININE-REL, creatinine, 2.4, NOT_MET, true",
            "consensus-2014, DUTCHER-2014-RENAL-CREATININE-REL, creatinine, 2.5, MET, false",
            "consensus-2014, DUTCHER-2014-RENAL-CREATININE-REL, creatinine, 2.9, MET, false",
            "consensus-2014, DUTCHER-2014-RENAL-CREATININE-REL, creatinine, 3.0, NOT_MET, true",
            "consensus-2014, DUTCHER-2014-RENAL-CREATININE-ABS, creatinine, 2.9, NOT_MET, true",
            "consensus-2014, DUTCHER-2014-RENAL-CREATININE-ABS, creatinine, 3.0, MET, false",
            "consensus-2014, DUTCHER-2014-RENAL-BICARBONATE-ABS, bicarbonate, 18, MET, false",
            "consensus-2014, DUTCHER-2014-RENAL-BICARBONATE-ABS, bicarbonate, 18.1, NOT_MET, true",
    })
    void latestValueAgainstTheThreshold(String protocolId, String ruleId, String parameter, String value, RuleState expected,
                                        boolean resumed) {
        Protocol protocol = ProtocolCatalog.read(protocolId);
        RuleDefinition rule = protocol.rule(ruleId).orElseThrow();
        Instant at = T0.plusSeconds(60);
        RuleResult result = new RuleEvaluator(protocol).evaluate(rule, Facts.patient(Facts.at(parameter, value, T0)), at);
        assertEquals(expected, result.state(), result.reason());
        assertEquals(resumed, result.resumed(), "resume condition");
    }

    @ParameterizedTest(name = "weight {0} kg on a 70 kg baseline -> {1}")
    @CsvSource({ "80.5, NOT_MET", "80.6, MET" })
    void dutcherWeightGainOverFifteenPercentOfThePreTreatmentWeight(String kg, RuleState expected) {
        Protocol protocol = ProtocolCatalog.read("consensus-2014");
        RuleDefinition rule = protocol.rule("DUTCHER-2014-MSK-WEIGHT-REL").orElseThrow();
        PatientState state = Facts.withBaseline(Facts.patient(Facts.at("weight", kg, T0)), "70", null);
        assertEquals(expected, new RuleEvaluator(protocol).evaluate(rule, state, T0).state());
    }

    @ParameterizedTest(name = "SBP 84 observed {0} before -> {1}")
    @CsvSource({ "PT3H59M, MET", "PT4H, MET", "PT4H1S, NOT_EVALUABLE" })
    void aStaleInputIsNotEvaluableNeverNormal(java.time.Duration age, RuleState expected) {
        Protocol protocol = ProtocolCatalog.read("label-2024");
        RuleDefinition rule = protocol.rule("LABEL-2024-CV-SBP").orElseThrow();
        RuleResult result = new RuleEvaluator(protocol).evaluate(rule, Facts.patient(Facts.at("systolic-bp", "84", T0)), T0.plus(age));
        assertEquals(expected, result.state());
    }

    /**
     * Two observations of one parameter at one time that disagree (two monitors, or a monitor and a nurse): the rule is
     * not evaluable, on both sides of the threshold, until a newer observation settles it; twins that agree are fine.
     */
    @ParameterizedTest(name = "SBP {0} and {1} at one time -> {2}")
    @CsvSource({ "84, 120, NOT_EVALUABLE", "120, 84, NOT_EVALUABLE", "84, 84, MET", "120, 120.0, NOT_MET" })
    void observationsOfOneTimeThatDisagreeAreNotEvaluable(String first, String second, RuleState expected) {
        Protocol protocol = ProtocolCatalog.read("label-2024");
        RuleDefinition rule = protocol.rule("LABEL-2024-CV-SBP").orElseThrow();
        RuleEvaluator rules = new RuleEvaluator(protocol);
        PatientState state = Facts.patient(Facts.at("systolic-bp", first, T0), Facts.at("systolic-bp", second, T0));
        RuleResult result = rules.evaluate(rule, state, T0.plusSeconds(60));
        assertEquals(expected, result.state(), result.reason());
        if (expected == RuleState.NOT_EVALUABLE) {
            org.junit.jupiter.api.Assertions.assertTrue(result.reason().startsWith("contradictory data: systolic-bp observations at "
                    + T0 + " disagree"), result.reason());
            org.junit.jupiter.api.Assertions.assertTrue(result.reason().contains("84 mm[Hg]") && result.reason().contains("120 mm[Hg]"));
            // a newer observation settles it, whichever way it goes
            PatientState settled = state.with(Facts.at("systolic-bp", "84", T0.plusSeconds(30)), T0.plusSeconds(30),
                    java.time.Duration.ofDays(7), Evaluator.CAP_PER_PARAMETER);
            assertEquals(RuleState.MET, rules.evaluate(rule, settled, T0.plusSeconds(60)).state());
            // NEWS2 does not score either value
            News2.Result news2 = rules.news2(state, T0.plusSeconds(60));
            org.junit.jupiter.api.Assertions.assertTrue(news2.missing().contains("systolic-bp"), news2.missing().toString());
        }
    }

    @ParameterizedTest(name = "NEWS2 with two heart rates {0} and {1} at one time -> {2}")
    @CsvSource({ "80, 135, NOT_EVALUABLE", "80, 80, MET" })
    void aNews2InputThatDisagreesWithItselfLeavesNoScore(String first, String second, RuleState expected) {
        Protocol protocol = ProtocolCatalog.read("label-2024");
        RuleDefinition rule = protocol.rules().stream().filter(r -> r.kind() == RuleDefinition.Kind.NEWS2
                && !"SINGLE_PARAMETER".equals(r.news2Mode())).findFirst().orElseThrow();
        RuleEvaluator rules = new RuleEvaluator(protocol);
        // a complete, high-scoring NEWS2 set (SBP 85: 3, RR 26: 3, SpO2 90: 3) with the heart rate given twice
        PatientState state = Facts.patient(Facts.at("systolic-bp", "85", T0), Facts.at("respiratory-rate", "26", T0),
                Facts.at("spo2", "90", T0), Facts.at("oxygen-flow", "0", T0), Facts.at("acvpu", "A", T0),
                Facts.at("temperature", "37", T0), Facts.at("heart-rate", first, T0), Facts.at("heart-rate", second, T0));
        RuleResult result = rules.evaluate(rule, state, T0.plusSeconds(60));
        assertEquals(expected, result.state(), result.reason());
        assertEquals(expected == RuleState.MET, rules.news2(state, T0.plusSeconds(60)).evaluable());
    }
}
