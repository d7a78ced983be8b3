package org.hdil2.eligibility.domain;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Evaluates a protocol's rules against a candidate's facts. Plain Java, no framework. */
public final class ScreeningRules {

    private ScreeningRules() {
    }

    public static List<CriterionResult> evaluate(Protocol protocol, CandidateFacts facts) {
        Map<String, Object> known = facts.byName();
        List<CriterionResult> results = new ArrayList<>();
        for (RuleDefinition rule : protocol.rules()) {
            Map<String, Object> inputs = new LinkedHashMap<>();
            for (String name : rule.inputs()) {
                if (!known.containsKey(name)) {
                    throw new IllegalArgumentException("rule " + rule.id() + " reads unknown fact " + name);
                }
                inputs.put(name, known.get(name));
            }
            results.add(switch (rule.kind()) {
                case RuleDefinition.INDICATION -> indication(rule, inputs);
                case RuleDefinition.ANY_TRUE -> anyTrue(rule, inputs);
                case RuleDefinition.FEV1 -> fev1(rule, inputs);
                default -> throw new IllegalArgumentException("rule " + rule.id() + " has unknown kind " + rule.kind());
            });
        }
        return results;
    }

    private static CriterionResult indication(RuleDefinition rule, Map<String, Object> inputs) {
        Object indication = inputs.get("indication");
        @SuppressWarnings("unchecked")
        List<String> allowed = (List<String>) rule.parameters().get("allowed");
        if (indication == null) {
            return result(rule, inputs, CriterionStatus.NOT_EVALUABLE, "The diagnosis was not stated.");
        }
        if (allowed.contains(indication.toString())) {
            return result(rule, inputs, CriterionStatus.NOT_MET, "The diagnosis " + indication + " is an approved indication.");
        }
        return result(rule, inputs, CriterionStatus.MET, "The diagnosis is not an approved indication under this protocol.");
    }

    private static CriterionResult anyTrue(RuleDefinition rule, Map<String, Object> inputs) {
        List<String> present = inputs.entrySet().stream().filter(e -> Boolean.TRUE.equals(e.getValue())).map(Map.Entry::getKey).toList();
        if (!present.isEmpty()) {
            return result(rule, inputs, CriterionStatus.MET, "Contraindication present: " + String.join(", ", present) + ".");
        }
        List<String> missing = inputs.entrySet().stream().filter(e -> e.getValue() == null).map(Map.Entry::getKey).toList();
        if (!missing.isEmpty()) {
            return result(rule, inputs, CriterionStatus.NOT_EVALUABLE, "Not assessed: " + String.join(", ", missing) + ".");
        }
        return result(rule, inputs, CriterionStatus.NOT_MET, "Assessed and absent.");
    }

    /** Label: significant pulmonary impairment includes FEV1 at or below 2 L, or below 75 % of predicted. */
    private static CriterionResult fev1(RuleDefinition rule, Map<String, Object> inputs) {
        BigDecimal litres = (BigDecimal) inputs.get("fev1Litres");
        BigDecimal percent = (BigDecimal) inputs.get("fev1PercentPredicted");
        BigDecimal maxExcludingLitres = decimal(rule.parameters().get("maxExcludingFev1Litres"));
        BigDecimal minAcceptedPercent = decimal(rule.parameters().get("minAcceptedPercentPredicted"));
        boolean litresExclude = litres != null && litres.compareTo(maxExcludingLitres) <= 0;
        boolean percentExcludes = percent != null && percent.compareTo(minAcceptedPercent) < 0;
        if (litresExclude || percentExcludes) {
            List<String> why = new ArrayList<>();
            if (litresExclude) {
                why.add("FEV1 " + litres.toPlainString() + " L is at or below " + maxExcludingLitres.toPlainString() + " L");
            }
            if (percentExcludes) {
                why.add("FEV1 " + percent.toPlainString() + " % of predicted is below " + minAcceptedPercent.toPlainString() + " %");
            }
            return result(rule, inputs, CriterionStatus.MET, String.join("; ", why) + ".");
        }
        if (litres == null || percent == null) {
            return result(rule, inputs, CriterionStatus.NOT_EVALUABLE,
                    "FEV1 in litres and as % of predicted are both needed; missing: "
                            + (litres == null ? "fev1Litres" : "") + (litres == null && percent == null ? ", " : "")
                            + (percent == null ? "fev1PercentPredicted" : "") + ".");
        }
        return result(rule, inputs, CriterionStatus.NOT_MET, "FEV1 " + litres.toPlainString() + " L and "
                + percent.toPlainString() + " % of predicted are above the limits.");
    }

    private static BigDecimal decimal(Object value) {
        if (value == null) {
            throw new IllegalArgumentException("FEV1 rule needs maxExcludingFev1Litres and minAcceptedPercentPredicted");
        }
        return new BigDecimal(value.toString());
    }

    private static CriterionResult result(RuleDefinition rule, Map<String, Object> inputs, CriterionStatus status, String why) {
        return new CriterionResult(rule.id(), rule.version(), rule.title(), status, why, inputs, rule.criterion(), rule.source());
    }
}
