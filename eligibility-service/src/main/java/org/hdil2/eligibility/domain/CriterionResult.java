package org.hdil2.eligibility.domain;

import java.util.Map;

/**
 * How one rule judged one candidate, with everything needed to see why. {@code effect} and {@code required} are the
 * rule's at the time of screening, so the stored result explains the outcome even after the protocol changes.
 */
public record CriterionResult(String ruleId, String ruleVersion, String title, CriterionStatus status,
                              String explanation, Map<String, Object> inputs, String criterion, String source,
                              Map<String, Object> thresholds, String effect, Boolean required) {
}
