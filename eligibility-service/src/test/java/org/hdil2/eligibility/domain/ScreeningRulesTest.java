package org.hdil2.eligibility.domain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.InputStream;
import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.ObjectMapper;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;

/** The shipped protocols against the reference's numbers (sections 1.2, 3.1-3.4). */
class ScreeningRulesTest {

    static final Protocol LABEL = load("label-2024");
    static final Protocol CONSENSUS = load("consensus-2014");
    static final LocalDate AS_OF = LocalDate.of(2026, 6, 15);
    static final LocalDate RECENT = AS_OF.minusDays(10);

    /** A first-course candidate with every fact assessed, recent and unremarkable. */
    static Map<String, Fact> healthy() {
        Map<String, Fact> m = new LinkedHashMap<>();
        m.put("indication", fact(Indication.METASTATIC_RENAL_CELL_CARCINOMA));
        for (String flag : List.of("severeHypersensitivityHistory", "organAllograft", "abnormalEjectionFraction",
                "impairedWallMotion", "significantCoronaryArteryDisease", "significantRenalImpairment",
                "significantHepaticImpairment", "significantCnsImpairment", "untreatedActiveBacterialInfection",
                "untreatedBrainMetastases", "autoimmuneDisease", "systemicCorticosteroids", "femaleOfReproductivePotential",
                "priorAldesleukinCourse")) {
            m.put(flag, fact(false));
        }
        m.put("fev1Litres", fact(new BigDecimal("3.1")));
        m.put("fev1PercentPredicted", fact(new BigDecimal("92")));
        m.put("ejectionFractionPercent", fact(new BigDecimal("60")));
        m.put("ecogPerformanceStatus", fact(new BigDecimal("0")));
        m.put("ageYears", fact(new BigDecimal("55")));
        m.put("creatinineMgDl", fact(new BigDecimal("0.9")));
        m.put("bilirubinMgDl", fact(new BigDecimal("0.6")));
        m.put("astUnitsPerLitre", fact(new BigDecimal("22")));
        m.put("altUnitsPerLitre", fact(new BigDecimal("25")));
        m.put("plateletsPerNanolitre", fact(new BigDecimal("250")));
        m.put("neutrophilsPerNanolitre", fact(new BigDecimal("4.1")));
        return m;
    }

    static Fact fact(Object value) {
        return new Fact(value, null, RECENT, "test");
    }

    static List<CriterionResult> screen(Protocol p, Map<String, Fact> facts) {
        return ScreeningRules.evaluate(p, new CandidateFacts(AS_OF, facts));
    }

    static Map<String, Fact> with(String name, Object value) {
        Map<String, Fact> m = new HashMap<>(healthy());
        if (value == null) {
            m.remove(name);
        } else {
            m.put(name, fact(value));
        }
        return m;
    }

    static CriterionResult rule(List<CriterionResult> results, String id) {
        return results.stream().filter(r -> r.ruleId().equals(id)).findFirst().orElseThrow();
    }

    @Test
    void aHealthyFirstCourseCandidateIsEligibleWithLabLimitsReportedAsNotSet() {
        List<CriterionResult> results = screen(LABEL, healthy());
        assertEquals(19, results.size());
        assertEquals(Outcome.ELIGIBLE, Outcome.of(results));
        CriterionResult labs = rule(results, "LABEL-2024-LAB-LIMITS");
        assertEquals(CriterionStatus.NOT_EVALUABLE, labs.status());
        assertTrue(labs.explanation().contains("institution has not set"), labs.explanation());
        results.stream().filter(r -> !r.ruleId().equals("LABEL-2024-LAB-LIMITS"))
                .forEach(r -> assertEquals(CriterionStatus.NOT_MET, r.status(), r.ruleId() + ": " + r.explanation()));
        results.forEach(r -> assertNotEquals(null, r.source(), r.ruleId()));
        CriterionResult consistency = rule(results, "LABEL-2024-CONSISTENCY");
        assertTrue(consistency.explanation().contains("not cross-checked, the institution has not set the limit")
                && consistency.explanation().contains("abnormalEjectionFraction against ejectionFractionPercent 60 %"), consistency.explanation());
    }

    @Test
    void inputsCarryValueUnitDateAndSource() {
        Map<String, Fact> facts = healthy();
        facts.put("fev1Litres", new Fact(new BigDecimal("3.1"), "L", RECENT, "PFT lab"));
        @SuppressWarnings("unchecked")
        Map<String, Object> fev1 = (Map<String, Object>) rule(screen(LABEL, facts), "LABEL-2024-CI-PULMONARY").inputs().get("fev1Litres");
        assertEquals(Map.of("value", new BigDecimal("3.1"), "unit", "L", "date", RECENT, "source", "PFT lab"), fev1);
    }

    @ParameterizedTest(name = "FEV1 {0} L, {1} % predicted -> {2}")
    @CsvSource({
            "2.00, 90, MET",       // at 2 L: excluded (<= 2 L)
            "2.01, 90, NOT_MET",   // just above 2 L
            "3.00, 74.9, MET",     // just below 75 %
            "3.00, 75, NOT_MET",   // at 75 %: accepted (< 75 % excludes)
    })
    void pulmonaryLimitsOfTheLabel(String litres, String percent, CriterionStatus expected) {
        Map<String, Fact> facts = with("fev1Litres", new BigDecimal(litres));
        facts.put("fev1PercentPredicted", fact(new BigDecimal(percent)));
        List<CriterionResult> results = screen(LABEL, facts);
        assertEquals(expected, rule(results, "LABEL-2024-CI-PULMONARY").status());
        assertEquals(expected == CriterionStatus.MET ? Outcome.INELIGIBLE : Outcome.ELIGIBLE, Outcome.of(results));
    }

    @Test
    void eachContraindicationExcludes() {
        Map<String, String> flags = Map.of("severeHypersensitivityHistory", "LABEL-2024-CI-HYPERSENSITIVITY",
                "organAllograft", "LABEL-2024-CI-ALLOGRAFT", "abnormalEjectionFraction", "LABEL-2024-CI-CARDIAC",
                "impairedWallMotion", "LABEL-2024-CI-CARDIAC", "significantCoronaryArteryDisease", "LABEL-2024-CI-CARDIAC",
                "significantRenalImpairment", "LABEL-2024-CI-RENAL", "significantHepaticImpairment", "LABEL-2024-CI-HEPATIC",
                "significantCnsImpairment", "LABEL-2024-CI-CNS", "untreatedActiveBacterialInfection", "LABEL-2024-INFECTION");
        flags.forEach((flag, ruleId) -> {
            List<CriterionResult> results = screen(LABEL, with(flag, true));
            assertEquals(CriterionStatus.MET, rule(results, ruleId).status(), flag);
            assertEquals(Outcome.INELIGIBLE, Outcome.of(results), flag);
        });
        assertEquals(Outcome.INELIGIBLE, Outcome.of(screen(LABEL, with("indication", Indication.OTHER))));
        assertEquals(Outcome.ELIGIBLE, Outcome.of(screen(LABEL, with("indication", Indication.METASTATIC_MELANOMA))));
    }

    /** Every fact a required label rule reads: without it, or with it stale, the outcome is never ELIGIBLE. */
    static Stream<String> requiredInputs() {
        return Stream.of("indication", "severeHypersensitivityHistory", "organAllograft", "abnormalEjectionFraction",
                "impairedWallMotion", "significantCoronaryArteryDisease", "fev1Litres", "fev1PercentPredicted",
                "significantRenalImpairment", "significantHepaticImpairment", "significantCnsImpairment",
                "untreatedActiveBacterialInfection", "priorAldesleukinCourse", "femaleOfReproductivePotential",
                "ejectionFractionPercent", "creatinineMgDl", "bilirubinMgDl", "astUnitsPerLitre", "altUnitsPerLitre",
                "plateletsPerNanolitre", "neutrophilsPerNanolitre");
    }

    @ParameterizedTest(name = "missing {0} -> not ELIGIBLE")
    @MethodSource("requiredInputs")
    void aMissingRequiredInputIsNeverEligible(String name) {
        List<CriterionResult> results = screen(LABEL, with(name, null));
        assertEquals(Outcome.NEEDS_REVIEW, Outcome.of(results), name);
        assertTrue(results.stream().anyMatch(r -> r.status() == CriterionStatus.NOT_EVALUABLE && r.required()), name);
    }

    /** The work-up items: dated 31 days before the screening they are stale (window 30 days); 30 days is still recent. */
    @ParameterizedTest(name = "stale {0} -> not ELIGIBLE")
    @CsvSource({ "fev1Litres", "fev1PercentPredicted", "ejectionFractionPercent", "significantCnsImpairment",
            "creatinineMgDl", "bilirubinMgDl", "astUnitsPerLitre", "altUnitsPerLitre", "plateletsPerNanolitre",
            "neutrophilsPerNanolitre", "pregnant" })
    void aStaleWorkupItemIsNeverEligible(String name) {
        Map<String, Fact> facts = healthy();
        facts.put("femaleOfReproductivePotential", fact(true));
        facts.put("pregnant", fact(false));
        Fact current = facts.get(name);
        facts.put(name, new Fact(current.value(), null, AS_OF.minusDays(30), "test"));
        assertEquals(Outcome.ELIGIBLE, Outcome.of(screen(LABEL, facts)), name + " at 30 days");
        facts.put(name, new Fact(current.value(), null, AS_OF.minusDays(31), "test"));
        List<CriterionResult> results = screen(LABEL, facts);
        assertEquals(Outcome.NEEDS_REVIEW, Outcome.of(results), name + " at 31 days");
        CriterionResult workup = rule(results, "LABEL-2024-WORKUP");
        assertEquals(CriterionStatus.NOT_EVALUABLE, workup.status());
        assertTrue(workup.explanation().contains(name + " of " + AS_OF.minusDays(31) + " is 31 days old"), workup.explanation());
    }

    @Test
    void pregnancyStatusIsRequiredOnlyForFemalesOfReproductivePotential() {
        Map<String, Fact> female = with("femaleOfReproductivePotential", true);
        assertEquals(Outcome.NEEDS_REVIEW, Outcome.of(screen(LABEL, female)));
        assertTrue(rule(screen(LABEL, female), "LABEL-2024-WORKUP").explanation().contains("pregnancy status: pregnant missing"));
        female.put("pregnant", fact(false));
        assertEquals(Outcome.ELIGIBLE, Outcome.of(screen(LABEL, female)));
        Map<String, Fact> conflicting = with("pregnant", true);
        CriterionResult workup = rule(screen(LABEL, conflicting), "LABEL-2024-WORKUP");
        assertEquals(CriterionStatus.NOT_EVALUABLE, workup.status());
        assertTrue(workup.explanation().contains("contradictory"), workup.explanation());
    }

    static Stream<PriorToxicity> toxicities() {
        return Stream.of(PriorToxicity.values());
    }

    @ParameterizedTest(name = "prior {0} -> permanently INELIGIBLE")
    @MethodSource("toxicities")
    void eachPriorCourseToxicityBlocksRetreatmentPermanently(PriorToxicity toxicity) {
        Map<String, Fact> facts = retreatment(true, AS_OF.minusDays(60));
        facts.put("priorCourseToxicities", fact(List.of(toxicity.name())));
        List<CriterionResult> results = screen(LABEL, facts);
        assertEquals(CriterionStatus.MET, rule(results, "LABEL-2024-RETREAT-TOXICITY").status());
        assertEquals(Outcome.INELIGIBLE, Outcome.of(results));
    }

    static Map<String, Fact> retreatment(Boolean shrinkage, LocalDate discharge) {
        Map<String, Fact> facts = with("priorAldesleukinCourse", true);
        facts.put("priorCourseToxicities", fact(List.of()));
        if (shrinkage != null) {
            facts.put("tumourShrinkageAfterLastCourse", fact(shrinkage));
        }
        if (discharge != null) {
            facts.put("lastCourseDischargeDate", new Fact(discharge, null, discharge, "test"));
        }
        return facts;
    }

    @ParameterizedTest(name = "shrinkage {0}, discharged {1} days ago -> {2}")
    @CsvSource({ "true, 49, NOT_MET", "true, 48, MET", "false, 90, MET", ", 90, NOT_EVALUABLE", "true, , NOT_EVALUABLE",
            ", 20, MET" })
    void aFurtherCourseNeedsShrinkageAndSevenWeeksSinceDischarge(Boolean shrinkage, Integer daysAgo, CriterionStatus expected) {
        List<CriterionResult> results = screen(LABEL, retreatment(shrinkage, daysAgo == null ? null : AS_OF.minusDays(daysAgo)));
        CriterionResult r = rule(results, "LABEL-2024-RETREAT-COURSE");
        assertEquals(expected, r.status(), r.explanation());
        assertEquals(switch (expected) {
            case MET -> Outcome.INELIGIBLE;
            case NOT_MET -> Outcome.ELIGIBLE;
            case NOT_EVALUABLE -> Outcome.NEEDS_REVIEW;
        }, Outcome.of(results));
    }

    @Test
    void contradictoryRetreatmentFactsAreNotEvaluable() {
        Map<String, Fact> facts = healthy();
        facts.put("priorCourseToxicities", fact(List.of("CARDIAC_TAMPONADE")));
        assertEquals(CriterionStatus.NOT_EVALUABLE, rule(screen(LABEL, facts), "LABEL-2024-RETREAT-TOXICITY").status());
        Map<String, Fact> discharged = healthy();
        discharged.put("lastCourseDischargeDate", new Fact(AS_OF.minusDays(80), null, AS_OF.minusDays(80), "test"));
        List<CriterionResult> results = screen(LABEL, discharged);
        assertEquals(CriterionStatus.NOT_EVALUABLE, rule(results, "LABEL-2024-RETREAT-COURSE").status());
        assertEquals(Outcome.NEEDS_REVIEW, Outcome.of(results));
        Map<String, Fact> noToxicityAssessment = retreatment(true, AS_OF.minusDays(60));
        noToxicityAssessment.remove("priorCourseToxicities");
        assertEquals(Outcome.NEEDS_REVIEW, Outcome.of(screen(LABEL, noToxicityAssessment)));
    }

    @ParameterizedTest(name = "{0} = {1}: label {2}, consensus {3}")
    @CsvSource({
            "ecogPerformanceStatus, 1, ELIGIBLE, ELIGIBLE",
            "ecogPerformanceStatus, 2, ELIGIBLE, NEEDS_REVIEW",
            "ageYears, 70, ELIGIBLE, ELIGIBLE",
            "ageYears, 71, ELIGIBLE, ELIGIBLE",
            "untreatedBrainMetastases, true, ELIGIBLE, NEEDS_REVIEW",
            "autoimmuneDisease, true, ELIGIBLE, ELIGIBLE",
            "systemicCorticosteroids, true, ELIGIBLE, ELIGIBLE" })
    void selectionFactorsWarnUnderTheLabelAndSomeNeedReviewUnderTheConsensus(String name, String value, Outcome label, Outcome consensus) {
        Object v = value.equals("true") ? Boolean.TRUE : new BigDecimal(value);
        List<CriterionResult> underLabel = screen(LABEL, with(name, v));
        assertEquals(label, Outcome.of(underLabel));
        assertEquals(consensus, Outcome.of(screen(CONSENSUS, with(name, v))));
        boolean above = v instanceof Boolean || (name.equals("ecogPerformanceStatus") ? ((BigDecimal) v).intValue() > 1 : ((BigDecimal) v).intValue() > 70);
        long warnings = underLabel.stream().filter(r -> r.status() == CriterionStatus.MET && r.effect().equals("WARN")).count();
        assertEquals(above ? 1 : 0, warnings, name + "=" + value);
    }

    @Test
    void consensusNeedsEcogAndBrainMetastasesAssessedTheLabelDoesNot() {
        assertEquals(Outcome.ELIGIBLE, Outcome.of(screen(LABEL, with("ecogPerformanceStatus", null))));
        assertEquals(Outcome.NEEDS_REVIEW, Outcome.of(screen(CONSENSUS, with("ecogPerformanceStatus", null))));
        assertEquals(Outcome.NEEDS_REVIEW, Outcome.of(screen(CONSENSUS, with("untreatedBrainMetastases", null))));
        assertEquals(Outcome.ELIGIBLE, Outcome.of(screen(CONSENSUS, healthy())));
    }

    @ParameterizedTest(name = "{0} {1} with limit {2} {3} -> {4}")
    @CsvSource({
            "creatinineMgDl, 1.5, max, 1.5, NOT_MET", "creatinineMgDl, 1.6, max, 1.5, MET",
            "plateletsPerNanolitre, 100, min, 100, NOT_MET", "plateletsPerNanolitre, 99, min, 100, MET" })
    void institutionLabLimitsOnceSetDecideBothSides(String name, String value, String bound, String limit, CriterionStatus expected) {
        Protocol hospital = withLimits(Map.of(name, Map.of(bound, new BigDecimal(limit))));
        List<CriterionResult> results = screen(hospital, with(name, new BigDecimal(value)));
        CriterionResult r = rule(results, "LABEL-2024-LAB-LIMITS");
        // the limits not set by this hospital stay NOT_EVALUABLE, unless one that is set is exceeded
        assertEquals(expected == CriterionStatus.MET ? CriterionStatus.MET : CriterionStatus.NOT_EVALUABLE, r.status(), r.explanation());
        assertEquals(expected == CriterionStatus.MET ? Outcome.INELIGIBLE : Outcome.NEEDS_REVIEW, Outcome.of(results));
        Map<String, Object> all = new HashMap<>();
        for (String lab : List.of("creatinineMgDl", "bilirubinMgDl", "astUnitsPerLitre", "altUnitsPerLitre")) {
            all.put(lab, Map.of("max", new BigDecimal("1000")));
        }
        for (String lab : List.of("plateletsPerNanolitre", "neutrophilsPerNanolitre", "ejectionFractionPercent")) {
            all.put(lab, Map.of("min", BigDecimal.ZERO));
        }
        all.put(name, Map.of(bound, new BigDecimal(limit)));
        List<CriterionResult> allSet = screen(withLimits(all), with(name, new BigDecimal(value)));
        assertEquals(expected, rule(allSet, "LABEL-2024-LAB-LIMITS").status());
        assertEquals(expected == CriterionStatus.MET ? Outcome.INELIGIBLE : Outcome.ELIGIBLE, Outcome.of(allSet));
    }

    /** Every limit set, far from the healthy candidate, so only the pair under test can decide. */
    static Map<String, Object> everyLimitSet() {
        Map<String, Object> all = new HashMap<>();
        for (String lab : List.of("creatinineMgDl", "bilirubinMgDl", "astUnitsPerLitre", "altUnitsPerLitre")) {
            all.put(lab, Map.of("max", new BigDecimal("1000")));
        }
        for (String lab : List.of("plateletsPerNanolitre", "neutrophilsPerNanolitre", "ejectionFractionPercent")) {
            all.put(lab, Map.of("min", BigDecimal.ZERO));
        }
        return all;
    }

    /**
     * Each measured / finding pair on both sides of an institution's limit (EF min 50 %, creatinine max 1.5 mg/dL,
     * bilirubin max 1.2 mg/dL: a hospital's numbers, none is a label or consensus value). The lab-limit rule is made a
     * warning here, so the outcome shows what the contradiction alone does.
     */
    @ParameterizedTest(name = "{0} {1} with {2}={3} -> {4}, {5}")
    @CsvSource({
            "ejectionFractionPercent, 49,  abnormalEjectionFraction, false, NOT_EVALUABLE, NEEDS_REVIEW",
            "ejectionFractionPercent, 50,  abnormalEjectionFraction, false, NOT_MET, ELIGIBLE",
            "ejectionFractionPercent, 50,  abnormalEjectionFraction, true,  NOT_EVALUABLE, INELIGIBLE",
            "ejectionFractionPercent, 49,  abnormalEjectionFraction, true,  NOT_MET, INELIGIBLE",
            "creatinineMgDl,          1.6, significantRenalImpairment, false, NOT_EVALUABLE, NEEDS_REVIEW",
            "creatinineMgDl,          1.5, significantRenalImpairment, false, NOT_MET, ELIGIBLE",
            // a finding of significant renal impairment may rest on more than creatinine: not a contradiction
            "creatinineMgDl,          1.5, significantRenalImpairment, true,  NOT_MET, INELIGIBLE",
            "bilirubinMgDl,           1.3, significantHepaticImpairment, false, NOT_EVALUABLE, NEEDS_REVIEW",
            "bilirubinMgDl,           1.2, significantHepaticImpairment, false, NOT_MET, ELIGIBLE",
            "bilirubinMgDl,           1.2, significantHepaticImpairment, true,  NOT_MET, INELIGIBLE" })
    void aMeasuredValueThatContradictsItsFindingIsNeverEligible(String measure, String value, String flag, boolean stated,
                                                               CriterionStatus consistency, Outcome outcome) {
        Map<String, Object> limits = everyLimitSet();
        limits.put("ejectionFractionPercent", Map.of("min", new BigDecimal("50")));
        limits.put("creatinineMgDl", Map.of("max", new BigDecimal("1.5")));
        limits.put("bilirubinMgDl", Map.of("max", new BigDecimal("1.2")));
        Protocol hospital = withLabRule(limits, RuleDefinition.WARN);
        Map<String, Fact> facts = with(measure, new BigDecimal(value));
        facts.put(flag, fact(stated));
        List<CriterionResult> results = screen(hospital, facts);
        CriterionResult r = rule(results, "LABEL-2024-CONSISTENCY");
        assertEquals(consistency, r.status(), r.explanation());
        assertEquals(outcome, Outcome.of(results));
        if (consistency == CriterionStatus.NOT_EVALUABLE) {
            assertTrue(r.explanation().startsWith("Contradictory data: " + flag + " is " + stated), r.explanation());
            @SuppressWarnings("unchecked")
            Map<String, Object> shown = (Map<String, Object>) r.inputs().get(measure);
            assertEquals(new BigDecimal(value), shown.get("value"), "both inputs are shown");
            assertTrue(r.inputs().get(flag) instanceof Map<?, ?> m && m.get("value").equals(stated));
        }
    }

    /** The case: EF 35 % sent with "no abnormal ejection fraction". */
    @Test
    void anEjectionFractionBeyondTheInstitutionsLimitExcludesAndContradictsItsFinding() {
        Map<String, Fact> facts = with("ejectionFractionPercent", new BigDecimal("35"));
        Map<String, Object> limits = everyLimitSet();
        limits.put("ejectionFractionPercent", Map.of("min", new BigDecimal("50")));
        List<CriterionResult> results = screen(withLimits(limits), facts);
        assertEquals(Outcome.INELIGIBLE, Outcome.of(results));
        assertEquals(CriterionStatus.MET, rule(results, "LABEL-2024-LAB-LIMITS").status());
        assertTrue(rule(results, "LABEL-2024-CONSISTENCY").explanation()
                .contains("abnormalEjectionFraction is false, but ejectionFractionPercent 35 % is below the institution's limit 50"));
        // EF alone, the finding not stated: the limit still excludes
        Map<String, Fact> alone = new HashMap<>(facts);
        alone.remove("abnormalEjectionFraction");
        assertEquals(Outcome.INELIGIBLE, Outcome.of(screen(withLimits(limits), alone)));
        // the shipped protocols set no EF limit (no source gives one): the pair is reported as not cross-checked
        CriterionResult shipped = rule(screen(LABEL, facts), "LABEL-2024-CONSISTENCY");
        assertEquals(CriterionStatus.NOT_MET, shipped.status());
        assertTrue(shipped.explanation().contains("not cross-checked"), shipped.explanation());
    }

    @Test
    void aConsistencyRuleMustNameLimitsTheProtocolDefines() {
        RuleDefinition shipped = LABEL.rules().stream().filter(r -> r.kind().equals(RuleDefinition.CONSISTENCY)).findFirst().orElseThrow();
        RuleDefinition unknownSource = new RuleDefinition("C", "1", RuleDefinition.CONSISTENCY, "c", "s", "c", shipped.inputs(),
                Map.of("limitsFrom", "NOPE", "pairs", shipped.parameters().get("pairs")), null, true);
        assertThrows(IllegalArgumentException.class, () -> ScreeningRules.check(new Protocol("x", "1", "x", "s", List.of(unknownSource))));
        RuleDefinition noLimit = new RuleDefinition("C", "1", RuleDefinition.CONSISTENCY, "c", "s", "c",
                List.of("organAllograft", "ageYears"), Map.of("limitsFrom", "LABEL-2024-LAB-LIMITS",
                "pairs", List.of(Map.of("flag", "organAllograft", "measure", "ageYears"))), null, true);
        List<RuleDefinition> rules = new ArrayList<>(LABEL.rules());
        rules.add(noLimit);
        assertThrows(IllegalArgumentException.class, () -> ScreeningRules.check(new Protocol("x", "1", "x", "s", rules)));
    }

    /** A hospital protocol: the label's with lab limits set and the lab rule required. */
    static Protocol withLimits(Map<String, ?> limits) {
        return withLabRule(limits, null);
    }

    static Protocol withLabRule(Map<String, ?> limits, String effect) {
        List<RuleDefinition> rules = new ArrayList<>();
        for (RuleDefinition r : LABEL.rules()) {
            if (r.kind().equals(RuleDefinition.LAB_LIMITS)) {
                Map<String, Object> merged = new LinkedHashMap<>();
                @SuppressWarnings("unchecked")
                Map<String, Object> shipped = (Map<String, Object>) r.parameters().get("limits");
                merged.putAll(shipped);
                merged.putAll(limits);
                r = new RuleDefinition(r.id(), r.version(), r.kind(), r.title(), r.source(), r.criterion(), r.inputs(),
                        Map.of("limits", merged), effect == null ? r.effect() : effect, true);
            }
            rules.add(r);
        }
        return new Protocol("hospital", "1", "hospital", "test", rules);
    }

    @Test
    void aContraindicationWinsOverMissingData() {
        Map<String, Fact> facts = new HashMap<>();
        facts.put("organAllograft", fact(true));
        assertEquals(Outcome.INELIGIBLE, Outcome.of(screen(LABEL, facts)));
        assertEquals(Outcome.NEEDS_REVIEW, Outcome.of(screen(LABEL, Map.of())));
    }

    @Test
    void noResultsIsNeverEligibleAndABrokenProtocolIsRejected() {
        assertEquals(Outcome.NEEDS_REVIEW, Outcome.of(List.of()));
        RuleDefinition unknownFact = new RuleDefinition("X", "1", "ANY_TRUE", "x", "s", "c", List.of("nope"), Map.of(), null, null);
        assertThrows(IllegalArgumentException.class, () -> ScreeningRules.check(new Protocol("x", "1", "x", "s", List.of(unknownFact))));
        RuleDefinition badEffect = new RuleDefinition("X", "1", "ANY_TRUE", "x", "s", "c", List.of("organAllograft"), Map.of(), "MAYBE", null);
        assertThrows(IllegalArgumentException.class, () -> ScreeningRules.check(new Protocol("x", "1", "x", "s", List.of(badEffect))));
        ScreeningRules.check(LABEL);
        ScreeningRules.check(CONSENSUS);
    }

    static Protocol load(String id) {
        try (InputStream in = ScreeningRulesTest.class.getClassLoader().getResourceAsStream("protocols/" + id + ".json")) {
            return new ObjectMapper().readValue(in, Protocol.class);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
