package org.hdil2.eligibility.domain;

import java.util.Map;

/** How one rule judged one candidate, with everything needed to see why. */
public record CriterionResult(String ruleId, String ruleVersion, String title, CriterionStatus status,
                              String explanation, Map<String, Object> inputs, String criterion, String source) {
}
