package org.hdil2.eligibility.domain;

import java.util.List;
import java.util.Map;

/**
 * One screening rule as protocol content: identity, source citation, the criterion in words, how it is evaluated
 * ({@code kind}), which facts it reads and its thresholds.
 */
public record RuleDefinition(String id, String version, String kind, String title, String source, String criterion,
                             List<String> inputs, Map<String, Object> parameters) {

    public static final String INDICATION = "INDICATION";
    public static final String ANY_TRUE = "ANY_TRUE";
    public static final String FEV1 = "FEV1";
}
