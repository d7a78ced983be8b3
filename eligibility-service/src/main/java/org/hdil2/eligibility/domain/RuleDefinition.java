package org.hdil2.eligibility.domain;

import java.util.List;
import java.util.Map;

/**
 * One screening rule as protocol content: identity, source citation, the criterion in words, how it is evaluated
 * ({@code kind}), which facts it reads and its thresholds. {@code effect} says what a MET result does: EXCLUDE
 * (INELIGIBLE, the default), REVIEW (NEEDS_REVIEW) or WARN (shown, does not change the outcome). {@code required}
 * (default true) says whether a NOT_EVALUABLE result keeps the candidate from ELIGIBLE.
 */
public record RuleDefinition(String id, String version, String kind, String title, String source, String criterion,
                             List<String> inputs, Map<String, Object> parameters, String effect, Boolean required) {

    public static final String INDICATION = "INDICATION";
    public static final String ANY_TRUE = "ANY_TRUE";
    public static final String FEV1 = "FEV1";
    public static final String WORKUP = "WORKUP";
    public static final String PRIOR_TOXICITY = "PRIOR_TOXICITY";
    public static final String RETREATMENT = "RETREATMENT";
    public static final String MAX_VALUE = "MAX_VALUE";
    public static final String LAB_LIMITS = "LAB_LIMITS";
    public static final String CONSISTENCY = "CONSISTENCY";

    public static final String EXCLUDE = "EXCLUDE";
    public static final String REVIEW = "REVIEW";
    public static final String WARN = "WARN";

    public String effectOrDefault() {
        return effect == null ? EXCLUDE : effect;
    }

    public boolean requiredOrDefault() {
        return required == null || required;
    }
}
