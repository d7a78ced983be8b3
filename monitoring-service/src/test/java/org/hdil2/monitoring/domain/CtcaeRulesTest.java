package org.hdil2.monitoring.domain;

import static org.hdil2.monitoring.domain.Facts.T0;
import static org.hdil2.monitoring.domain.Facts.at;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigDecimal;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.hdil2.monitoring.config.ProtocolCatalog;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** CTCAE v5.0 grades where a number decides (reference 7): both sides of each grade edge; a finding from grade 3. */
class CtcaeRulesTest {

    private static Protocol withLimits() {
        Protocol p = ProtocolCatalog.read("label-2024");
        return new Protocol(p.id(), p.version(), p.title(), p.description(), p.news2Scale(), Map.of(
                "creatinine", new Limits(null, new BigDecimal("1.2")), "bilirubin", new Limits(null, new BigDecimal("1.2")),
                "ast", new Limits(null, new BigDecimal("40")), "alt", new Limits(null, new BigDecimal("40")),
                "platelets", new Limits(new BigDecimal("150"), null), "potassium", new Limits(new BigDecimal("3.5"), new BigDecimal("5.0"))),
                p.rules(), p.manualCriteria());
    }

    @ParameterizedTest(name = "{0} {1}={2} -> grade {3}, {4}")
    @CsvSource({
            "CTCAE-FEVER, temperature, 37.9, 0, NOT_MET", "CTCAE-FEVER, temperature, 38.0, 1, NOT_MET",
            "CTCAE-FEVER, temperature, 39.0, 1, NOT_MET", "CTCAE-FEVER, temperature, 39.1, 2, NOT_MET",
            "CTCAE-FEVER, temperature, 40.0, 2, NOT_MET", "CTCAE-FEVER, temperature, 40.1, 3, MET",
            "CTCAE-PLATELETS, platelets, 150, 0, NOT_MET", "CTCAE-PLATELETS, platelets, 149, 1, NOT_MET",
            "CTCAE-PLATELETS, platelets, 75, 1, NOT_MET", "CTCAE-PLATELETS, platelets, 74.9, 2, NOT_MET",
            "CTCAE-PLATELETS, platelets, 50, 2, NOT_MET", "CTCAE-PLATELETS, platelets, 49.9, 3, MET",
            "CTCAE-PLATELETS, platelets, 25, 3, MET", "CTCAE-PLATELETS, platelets, 24.9, 4, MET",
            "CTCAE-CREATININE, creatinine, 1.2, 0, NOT_MET", "CTCAE-CREATININE, creatinine, 1.21, 1, NOT_MET",
            "CTCAE-CREATININE, creatinine, 3.6, 2, NOT_MET", "CTCAE-CREATININE, creatinine, 3.61, 3, MET",
            "CTCAE-CREATININE, creatinine, 7.2, 3, MET", "CTCAE-CREATININE, creatinine, 7.21, 4, MET",
            "CTCAE-BILIRUBIN, bilirubin, 3.6, 2, NOT_MET", "CTCAE-BILIRUBIN, bilirubin, 3.61, 3, MET",
            "CTCAE-BILIRUBIN, bilirubin, 12.0, 3, MET", "CTCAE-BILIRUBIN, bilirubin, 12.1, 4, MET",
            "CTCAE-AST, ast, 200, 2, NOT_MET", "CTCAE-AST, ast, 201, 3, MET", "CTCAE-AST, ast, 800, 3, MET", "CTCAE-AST, ast, 801, 4, MET",
            "CTCAE-ALT, alt, 120, 1, NOT_MET", "CTCAE-ALT, alt, 121, 2, NOT_MET",
            "CTCAE-HYPERKALEMIA, potassium, 5.0, 0, NOT_MET", "CTCAE-HYPERKALEMIA, potassium, 5.5, 1, NOT_MET",
            "CTCAE-HYPERKALEMIA, potassium, 6.0, 2, NOT_MET", "CTCAE-HYPERKALEMIA, potassium, 6.1, 3, MET",
            "CTCAE-HYPERKALEMIA, potassium, 7.0, 3, MET", "CTCAE-HYPERKALEMIA, potassium, 7.1, 4, MET",
            "CTCAE-HYPOKALEMIA, potassium, 3.0, 1, NOT_MET", "CTCAE-HYPOKALEMIA, potassium, 2.9, 3, MET",
            "CTCAE-HYPOKALEMIA, potassium, 2.5, 3, MET", "CTCAE-HYPOKALEMIA, potassium, 2.4, 4, MET",
            "CTCAE-HYPOXIA, spo2, 88, 0, NOT_MET", "CTCAE-HYPOXIA, spo2, 87.9, 3, MET",
    })
    void gradeEdges(String ruleId, String parameter, String value, int grade, RuleState state) {
        Protocol protocol = withLimits();
        RuleResult result = new RuleEvaluator(protocol).evaluate(protocol.rule(ruleId).orElseThrow(),
                Facts.patient(at(parameter, value, T0)), T0);
        assertEquals(state, result.state(), result.reason());
        assertEquals(grade, result.detail().grade(), result.reason());
    }

    @Test
    void severityFollowsTheGradeAndFeverOver40For24HoursIsGradeFour() {
        Protocol protocol = withLimits();
        RuleDefinition fever = protocol.rule("CTCAE-FEVER").orElseThrow();
        PatientState hot = Facts.patient(at("temperature", "40.2", T0), at("temperature", "40.3", T0.plus(Duration.ofHours(22))),
                at("temperature", "40.1", T0.plus(Duration.ofHours(24))));
        RuleResult g4 = new RuleEvaluator(protocol).evaluate(fever, hot, T0.plus(Duration.ofHours(24)));
        assertEquals(4, g4.detail().grade());
        assertEquals("HIGH", g4.severity());
        RuleResult g3 = new RuleEvaluator(protocol).evaluate(fever, hot, T0.plus(Duration.ofHours(24)).minusSeconds(1));
        assertEquals(3, g3.detail().grade());
        assertEquals("MEDIUM", g3.severity());
    }

    @Test
    void withoutTheInstitutionsLimitsUlnRulesAreNotEvaluableButAbsoluteGradesStillWork() {
        Protocol shipped = ProtocolCatalog.read("label-2024");
        RuleEvaluator evaluator = new RuleEvaluator(shipped);
        RuleResult creatinine = evaluator.evaluate(shipped.rule("CTCAE-CREATININE").orElseThrow(), Facts.patient(at("creatinine", "9", T0)), T0);
        assertEquals(RuleState.NOT_EVALUABLE, creatinine.state());
        assertTrue(creatinine.reason().contains("has not set the ULN of creatinine"), creatinine.reason());
        RuleResult platelets = evaluator.evaluate(shipped.rule("CTCAE-PLATELETS").orElseThrow(), Facts.patient(at("platelets", "20", T0)), T0);
        assertEquals(RuleState.MET, platelets.state(), "grade 4 needs no LLN");
        RuleResult normalPlatelets = evaluator.evaluate(shipped.rule("CTCAE-PLATELETS").orElseThrow(), Facts.patient(at("platelets", "200", T0)), T0);
        assertEquals(RuleState.NOT_MET, normalPlatelets.state(), "under grade 3 for sure; grade 1 needs the LLN");
    }

    @ParameterizedTest(name = "weight gain {0} kg on 70 kg -> grade {1}")
    @CsvSource({ "73.4, 0", "73.5, 1", "76.9, 1", "77.0, 2", "83.9, 2", "84.0, 3" })
    void weightGainFromThePreTreatmentWeight(String kg, int grade) {
        Protocol protocol = withLimits();
        PatientState state = Facts.withBaseline(Facts.patient(at("weight", kg, T0)), "70", null);
        RuleResult result = new RuleEvaluator(protocol).evaluate(protocol.rule("CTCAE-WEIGHT-GAIN").orElseThrow(), state, T0);
        assertEquals(grade, result.detail().grade(), result.reason());
    }

    @Test
    void everyShippedRuleCarriesItsSourceVersionAndCriterion() {
        for (String id : ProtocolCatalog.SHIPPED) {
            Protocol protocol = ProtocolCatalog.read(id);
            assertTrue(protocol.rules().size() > 20, id);
            for (RuleDefinition rule : protocol.rules()) {
                assertTrue(rule.source().contains("reference") && !rule.version().isBlank() && !rule.criterion().isBlank(), rule.id());
            }
            assertTrue(!protocol.manualCriteria().isEmpty(), id + " lists the criteria it cannot evaluate");
        }
        List<RuleDefinition> unverified = ProtocolCatalog.read("label-2024").rules().stream().filter(RuleDefinition::unverified).toList();
        assertEquals(List.of("LABEL-OLD-RENAL-CREATININE", "LABEL-OLD-RENAL-OLIGURIA"), unverified.stream().map(RuleDefinition::id).toList());
    }
}
