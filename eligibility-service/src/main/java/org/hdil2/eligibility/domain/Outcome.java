package org.hdil2.eligibility.domain;

import java.util.List;

public enum Outcome {
    ELIGIBLE,
    INELIGIBLE,
    NEEDS_REVIEW;

    /** INELIGIBLE when any criterion excludes; NEEDS_REVIEW when any could not be evaluated; ELIGIBLE only otherwise. */
    public static Outcome of(List<CriterionResult> results) {
        if (results.isEmpty()) {
            return NEEDS_REVIEW;
        }
        if (results.stream().anyMatch(r -> r.status() == CriterionStatus.MET)) {
            return INELIGIBLE;
        }
        if (results.stream().anyMatch(r -> r.status() == CriterionStatus.NOT_EVALUABLE)) {
            return NEEDS_REVIEW;
        }
        return ELIGIBLE;
    }
}
