package org.hdil2.eligibility.domain;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.InputStream;
import java.math.BigDecimal;
import java.util.List;

import com.fasterxml.jackson.databind.ObjectMapper;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The label-2024 protocol as shipped, against the reference's numbers (section 3.2). */
class ScreeningRulesTest {

    private static final Protocol LABEL = load();

    static CandidateFacts healthy() {
        return new CandidateFacts(Indication.METASTATIC_RENAL_CELL_CARCINOMA, false, false, false, false, false,
                new BigDecimal("3.10"), new BigDecimal("92"), false, false, false);
    }

    private static CriterionResult rule(List<CriterionResult> results, String id) {
        return results.stream().filter(r -> r.ruleId().equals(id)).findFirst().orElseThrow();
    }

    @Test
    void aCandidateWithEveryCriterionAssessedAndAbsentIsEligible() {
        List<CriterionResult> results = ScreeningRules.evaluate(LABEL, healthy());
        assertEquals(8, results.size());
        results.forEach(r -> assertEquals(CriterionStatus.NOT_MET, r.status(), r.ruleId()));
        assertEquals(Outcome.ELIGIBLE, Outcome.of(results));
    }

    @ParameterizedTest(name = "FEV1 {0} L, {1} % predicted -> {2}")
    @CsvSource({
            "2.00, 90, MET",       // at 2 L: excluded (<= 2 L)
            "2.01, 90, NOT_MET",   // just above 2 L
            "1.50, 90, MET",
            "3.00, 74.9, MET",     // just below 75 %
            "3.00, 75, NOT_MET",   // at 75 %: accepted (< 75 % excludes)
            "2.00, 74, MET",
    })
    void pulmonaryLimitsOfTheLabel(String litres, String percent, CriterionStatus expected) {
        CandidateFacts f = healthy();
        CandidateFacts facts = new CandidateFacts(f.indication(), false, false, false, false, false,
                new BigDecimal(litres), new BigDecimal(percent), false, false, false);
        CriterionResult result = rule(ScreeningRules.evaluate(LABEL, facts), "LABEL-2024-CI-PULMONARY");
        assertEquals(expected, result.status(), result.explanation());
        assertEquals(expected == CriterionStatus.MET ? Outcome.INELIGIBLE : Outcome.ELIGIBLE,
                Outcome.of(ScreeningRules.evaluate(LABEL, facts)));
    }

    @Test
    void aMissingPulmonaryValueIsNotEvaluableUnlessTheOtherAlreadyExcludes() {
        CandidateFacts onlyLitres = new CandidateFacts(Indication.METASTATIC_MELANOMA, false, false, false, false, false,
                new BigDecimal("3.0"), null, false, false, false);
        assertEquals(CriterionStatus.NOT_EVALUABLE, rule(ScreeningRules.evaluate(LABEL, onlyLitres), "LABEL-2024-CI-PULMONARY").status());
        assertEquals(Outcome.NEEDS_REVIEW, Outcome.of(ScreeningRules.evaluate(LABEL, onlyLitres)));
        CandidateFacts lowLitres = new CandidateFacts(Indication.METASTATIC_MELANOMA, false, false, false, false, false,
                new BigDecimal("1.9"), null, false, false, false);
        assertEquals(CriterionStatus.MET, rule(ScreeningRules.evaluate(LABEL, lowLitres), "LABEL-2024-CI-PULMONARY").status());
    }

    @Test
    void eachContraindicationExcludesAndEachUnassessedOneNeedsReview() {
        String[] rules = { "LABEL-2024-CI-HYPERSENSITIVITY", "LABEL-2024-CI-ALLOGRAFT", "LABEL-2024-CI-CARDIAC",
                "LABEL-2024-CI-CARDIAC", "LABEL-2024-CI-CARDIAC", "LABEL-2024-CI-RENAL", "LABEL-2024-CI-HEPATIC", "LABEL-2024-CI-CNS" };
        for (int i = 0; i < rules.length; i++) {
            CandidateFacts present = withBoolean(i, true);
            CandidateFacts unknown = withBoolean(i, null);
            assertEquals(CriterionStatus.MET, rule(ScreeningRules.evaluate(LABEL, present), rules[i]).status(), rules[i]);
            assertEquals(Outcome.INELIGIBLE, Outcome.of(ScreeningRules.evaluate(LABEL, present)), rules[i]);
            assertEquals(CriterionStatus.NOT_EVALUABLE, rule(ScreeningRules.evaluate(LABEL, unknown), rules[i]).status(), rules[i]);
            assertEquals(Outcome.NEEDS_REVIEW, Outcome.of(ScreeningRules.evaluate(LABEL, unknown)), rules[i]);
        }
    }

    @Test
    void indicationOutsideTheLabelExcludesAndAMissingOneNeedsReview() {
        CandidateFacts f = healthy();
        CandidateFacts other = new CandidateFacts(Indication.OTHER, false, false, false, false, false,
                f.fev1Litres(), f.fev1PercentPredicted(), false, false, false);
        assertEquals(Outcome.INELIGIBLE, Outcome.of(ScreeningRules.evaluate(LABEL, other)));
        CandidateFacts melanoma = new CandidateFacts(Indication.METASTATIC_MELANOMA, false, false, false, false, false,
                f.fev1Litres(), f.fev1PercentPredicted(), false, false, false);
        assertEquals(Outcome.ELIGIBLE, Outcome.of(ScreeningRules.evaluate(LABEL, melanoma)));
        CandidateFacts none = new CandidateFacts(null, false, false, false, false, false,
                f.fev1Litres(), f.fev1PercentPredicted(), false, false, false);
        assertEquals(Outcome.NEEDS_REVIEW, Outcome.of(ScreeningRules.evaluate(LABEL, none)));
    }

    @Test
    void aContraindicationWinsOverMissingData() {
        CandidateFacts facts = new CandidateFacts(Indication.METASTATIC_MELANOMA, null, true, null, null, null, null, null,
                null, null, null);
        assertEquals(Outcome.INELIGIBLE, Outcome.of(ScreeningRules.evaluate(LABEL, facts)));
    }

    @Test
    void noResultsIsNeverEligible() {
        assertEquals(Outcome.NEEDS_REVIEW, Outcome.of(List.of()));
    }

    /** Sets the i-th boolean finding (in label order) to {@code value}, every other one to false. */
    private static CandidateFacts withBoolean(int i, Boolean value) {
        Boolean[] b = { false, false, false, false, false, false, false, false };
        b[i] = value;
        return new CandidateFacts(Indication.METASTATIC_RENAL_CELL_CARCINOMA, b[0], b[1], b[2], b[3], b[4],
                new BigDecimal("3.1"), new BigDecimal("92"), b[5], b[6], b[7]);
    }

    private static Protocol load() {
        try (InputStream in = ScreeningRulesTest.class.getClassLoader().getResourceAsStream("protocols/label-2024.json")) {
            return new ObjectMapper().readValue(in, Protocol.class);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
