package org.hdil2.eligibility.domain;

import java.util.List;

public enum Outcome {
    ELIGIBLE,
    INELIGIBLE,
    NEEDS_REVIEW;

    /**
     * INELIGIBLE when an excluding criterion is MET; NEEDS_REVIEW when a review criterion is MET or a required one could
     * not be evaluated; ELIGIBLE only otherwise. A MET warning never changes the outcome.
     */
    public static Outcome of(List<CriterionResult> results) {
        if (results.isEmpty()) {
            return NEEDS_REVIEW;
        }
        if (results.stream().anyMatch(r -> r.status() == CriterionStatus.MET && effect(r).equals(RuleDefinition.EXCLUDE))) {
            return INELIGIBLE;
        }
        boolean review = results.stream().anyMatch(r ->
                (r.status() == CriterionStatus.MET && effect(r).equals(RuleDefinition.REVIEW))
                        || (r.status() == CriterionStatus.NOT_EVALUABLE && (r.required() == null || r.required())));
        return review ? NEEDS_REVIEW : ELIGIBLE;
    }

    private static String effect(CriterionResult r) {
        return r.effect() == null ? RuleDefinition.EXCLUDE : r.effect();
    }
}
