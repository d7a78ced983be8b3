package org.hdil2.eligibility.domain;

import java.math.BigDecimal;
import java.time.LocalDate;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Evaluates a protocol's rules against a candidate's facts on the screening date. Plain Java, no framework. */
public final class ScreeningRules {

    private static final Set<String> EFFECTS = Set.of(RuleDefinition.EXCLUDE, RuleDefinition.REVIEW, RuleDefinition.WARN);

    private ScreeningRules() {
    }

    /** Proves a protocol can be evaluated: known kinds, effects, fact names and parameters. */
    public static void check(Protocol protocol) {
        if (protocol.id() == null || protocol.version() == null || protocol.rules() == null || protocol.rules().isEmpty()) {
            throw new IllegalArgumentException("a protocol needs id, version and rules");
        }
        for (RuleDefinition rule : protocol.rules()) {
            if (rule.id() == null || rule.version() == null || rule.source() == null || rule.source().isBlank()) {
                throw new IllegalArgumentException("every rule needs id, version and source: " + rule.id());
            }
            if (!EFFECTS.contains(rule.effectOrDefault())) {
                throw new IllegalArgumentException("rule " + rule.id() + " has unknown effect " + rule.effect());
            }
        }
        evaluate(protocol, CandidateFacts.none(LocalDate.EPOCH));
    }

    public static List<CriterionResult> evaluate(Protocol protocol, CandidateFacts facts) {
        List<CriterionResult> results = new ArrayList<>();
        for (RuleDefinition rule : protocol.rules()) {
            for (String name : rule.inputs()) {
                if (!FactCatalog.known(name)) {
                    throw new IllegalArgumentException("rule " + rule.id() + " reads unknown fact " + name);
                }
            }
            Evaluation e = new Evaluation(rule, facts, protocol);
            results.add(switch (rule.kind()) {
                case RuleDefinition.INDICATION -> indication(e);
                case RuleDefinition.ANY_TRUE -> anyTrue(e);
                case RuleDefinition.FEV1 -> fev1(e);
                case RuleDefinition.WORKUP -> workup(e);
                case RuleDefinition.PRIOR_TOXICITY -> priorToxicity(e);
                case RuleDefinition.RETREATMENT -> retreatment(e);
                case RuleDefinition.MAX_VALUE -> maxValue(e);
                case RuleDefinition.LAB_LIMITS -> labLimits(e);
                case RuleDefinition.CONSISTENCY -> consistency(e);
                default -> throw new IllegalArgumentException("rule " + rule.id() + " has unknown kind " + rule.kind());
            });
        }
        return results;
    }

    private record Evaluation(RuleDefinition rule, CandidateFacts facts, Protocol protocol) {
        Object value(String name) {
            return facts.value(name);
        }

        Object param(String name) {
            Map<String, Object> p = rule.parameters() == null ? Map.of() : rule.parameters();
            if (!p.containsKey(name)) {
                throw new IllegalArgumentException("rule " + rule.id() + " needs parameter " + name);
            }
            return p.get(name);
        }

        CriterionResult result(CriterionStatus status, String why) {
            return new CriterionResult(rule.id(), rule.version(), rule.title(), status, why, facts.inputs(rule.inputs()),
                    rule.criterion(), rule.source(), rule.parameters() == null ? Map.of() : rule.parameters(),
                    rule.effectOrDefault(), rule.requiredOrDefault());
        }

        CriterionResult met(String why) {
            return result(CriterionStatus.MET, why);
        }

        CriterionResult notMet(String why) {
            return result(CriterionStatus.NOT_MET, why);
        }

        CriterionResult notEvaluable(String why) {
            return result(CriterionStatus.NOT_EVALUABLE, why);
        }
    }

    private static CriterionResult indication(Evaluation e) {
        Object indication = e.value("indication");
        @SuppressWarnings("unchecked")
        List<String> allowed = (List<String>) e.param("allowed");
        if (indication == null) {
            return e.notEvaluable("The diagnosis was not stated.");
        }
        if (allowed.contains(indication.toString())) {
            return e.notMet("The diagnosis " + indication + " is an approved indication.");
        }
        return e.met("The diagnosis is not an approved indication under this protocol.");
    }

    private static CriterionResult anyTrue(Evaluation e) {
        List<String> present = e.rule().inputs().stream().filter(n -> Boolean.TRUE.equals(e.value(n))).toList();
        if (!present.isEmpty()) {
            return e.met(switch (e.rule().effectOrDefault()) {
                case RuleDefinition.WARN -> "Warning: ";
                case RuleDefinition.REVIEW -> "Needs review: ";
                default -> "Contraindication present: ";
            } + String.join(", ", present) + ".");
        }
        List<String> missing = e.rule().inputs().stream().filter(n -> e.value(n) == null).toList();
        if (!missing.isEmpty()) {
            return e.notEvaluable("Not assessed: " + String.join(", ", missing) + ".");
        }
        return e.notMet("Assessed and absent.");
    }

    /** Label: significant pulmonary impairment includes FEV1 at or below 2 L, or below 75 % of predicted. */
    private static CriterionResult fev1(Evaluation e) {
        BigDecimal litres = (BigDecimal) e.value("fev1Litres");
        BigDecimal percent = (BigDecimal) e.value("fev1PercentPredicted");
        BigDecimal maxExcludingLitres = decimal(e, "maxExcludingFev1Litres");
        BigDecimal minAcceptedPercent = decimal(e, "minAcceptedPercentPredicted");
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
            return e.met(String.join("; ", why) + ".");
        }
        if (litres == null || percent == null) {
            return e.notEvaluable("FEV1 in litres and as % of predicted are both needed; missing: "
                    + (litres == null ? "fev1Litres" : "") + (litres == null && percent == null ? ", " : "")
                    + (percent == null ? "fev1PercentPredicted" : "") + ".");
        }
        return e.notMet("FEV1 " + litres.toPlainString() + " L and " + percent.toPlainString()
                + " % of predicted are above the limits.");
    }

    /**
     * The baseline work-up: each item's facts must be present and dated within {@code maxAgeDays} before the screening
     * date. An item with {@code onlyIf} applies when that fact is true (pregnancy status for females of reproductive
     * potential) and cannot be judged while that fact is unknown. Missing or stale work-up is never MET: it is
     * NOT_EVALUABLE, which keeps a required rule from ELIGIBLE.
     */
    @SuppressWarnings("unchecked")
    private static CriterionResult workup(Evaluation e) {
        Object maxAge = e.param("maxAgeDays");
        if (maxAge == null) {
            return e.notEvaluable("The institution has not set how recent the baseline work-up must be (maxAgeDays).");
        }
        long maxAgeDays = Long.parseLong(maxAge.toString());
        List<Map<String, Object>> items = (List<Map<String, Object>>) e.param("items");
        List<String> problems = new ArrayList<>();
        for (Map<String, Object> item : items) {
            String name = (String) item.get("name");
            Collection<String> needed = (Collection<String>) item.get("facts");
            for (String n : needed) {
                if (!e.rule().inputs().contains(n)) {
                    throw new IllegalArgumentException("rule " + e.rule().id() + " item " + name + " reads " + n + " not among its inputs");
                }
            }
            String onlyIf = (String) item.get("onlyIf");
            if (onlyIf != null) {
                if (!e.rule().inputs().contains(onlyIf)) {
                    throw new IllegalArgumentException("rule " + e.rule().id() + " item " + name + " reads " + onlyIf + " not among its inputs");
                }
                Object applies = e.value(onlyIf);
                if (applies == null) {
                    problems.add(name + ": unknown whether it applies (" + onlyIf + " not stated)");
                    continue;
                }
                if (Boolean.FALSE.equals(applies)) {
                    if (needed.stream().anyMatch(n -> Boolean.TRUE.equals(e.value(n)))) {
                        problems.add(name + ": contradictory (" + onlyIf + " is false but " + String.join(", ", needed) + " is stated true)");
                    }
                    continue;
                }
            }
            for (String n : needed) {
                Fact f = e.facts().get(n);
                if (f == null || f.value() == null) {
                    problems.add(name + ": " + n + " missing");
                } else if (f.date() == null) {
                    problems.add(name + ": " + n + " has no date");
                } else {
                    long age = ChronoUnit.DAYS.between(f.date(), e.facts().asOf());
                    if (age > maxAgeDays) {
                        problems.add(name + ": " + n + " of " + f.date() + " is " + age + " days old (limit " + maxAgeDays + ")");
                    }
                }
            }
        }
        if (!problems.isEmpty()) {
            return e.notEvaluable("Baseline work-up incomplete or not recent: " + String.join("; ", problems) + ".");
        }
        return e.notMet("Every baseline work-up item is present and within " + maxAgeDays + " days.");
    }

    /** Any listed toxicity during an earlier course forbids every further course (reference 3.3). */
    @SuppressWarnings("unchecked")
    private static CriterionResult priorToxicity(Evaluation e) {
        Object prior = e.value("priorAldesleukinCourse");
        Object toxicities = e.value("priorCourseToxicities");
        List<String> listed = (List<String>) e.param("toxicities");
        if (prior == null) {
            return e.notEvaluable("Not stated whether the patient had a prior aldesleukin course.");
        }
        if (Boolean.FALSE.equals(prior)) {
            if (toxicities instanceof Collection<?> c && !c.isEmpty()) {
                return e.notEvaluable("Contradictory: no prior course stated, yet prior-course toxicities are listed.");
            }
            return e.notMet("First course: no prior-course toxicity applies.");
        }
        if (!(toxicities instanceof Collection<?> c)) {
            return e.notEvaluable("A prior course is stated but its toxicities were not assessed.");
        }
        List<String> found = c.stream().map(Object::toString).filter(listed::contains).toList();
        if (!found.isEmpty()) {
            return e.met("Permanently ineligible: prior-course toxicity " + String.join(", ", found) + ".");
        }
        return e.notMet("Prior course without any listed toxicity.");
    }

    /** A further course needs tumour shrinkage after the last one and a minimum interval since discharge (reference 1.2). */
    private static CriterionResult retreatment(Evaluation e) {
        Object prior = e.value("priorAldesleukinCourse");
        long minDays = Long.parseLong(e.param("minDaysSinceDischarge").toString());
        if (prior == null) {
            return e.notEvaluable("Not stated whether the patient had a prior aldesleukin course.");
        }
        Object shrinkage = e.value("tumourShrinkageAfterLastCourse");
        LocalDate discharge = (LocalDate) e.value("lastCourseDischargeDate");
        if (Boolean.FALSE.equals(prior)) {
            if (shrinkage != null || discharge != null) {
                return e.notEvaluable("Contradictory: no prior course stated, yet a last course's response or discharge is given.");
            }
            return e.notMet("First course: the retreatment conditions do not apply.");
        }
        if (Boolean.FALSE.equals(shrinkage)) {
            return e.met("No tumour shrinkage after the last course: a further course is not indicated.");
        }
        if (discharge != null && discharge.isAfter(e.facts().asOf())) {
            return e.notEvaluable("Contradictory: the last discharge date " + discharge + " is after the screening date.");
        }
        if (discharge != null) {
            long days = ChronoUnit.DAYS.between(discharge, e.facts().asOf());
            if (days < minDays) {
                return e.met("Only " + days + " days since discharge from the last course; at least " + minDays
                        + " are required (earliest " + discharge.plusDays(minDays) + ").");
            }
        }
        if (shrinkage == null || discharge == null) {
            return e.notEvaluable("A further course needs the last course's response and discharge date; missing: "
                    + (shrinkage == null ? "tumourShrinkageAfterLastCourse " : "") + (discharge == null ? "lastCourseDischargeDate" : "") + ".");
        }
        long days = ChronoUnit.DAYS.between(discharge, e.facts().asOf());
        return e.notMet("Tumour shrinkage after the last course and " + days + " days since discharge (at least " + minDays + ").");
    }

    /** MET when the single input exceeds {@code max}. */
    private static CriterionResult maxValue(Evaluation e) {
        String name = e.rule().inputs().get(0);
        BigDecimal max = decimal(e, "max");
        Object v = e.value(name);
        if (v == null) {
            return e.notEvaluable("Not assessed: " + name + ".");
        }
        BigDecimal value = new BigDecimal(v.toString());
        if (value.compareTo(max) > 0) {
            return e.met(name + " " + value.toPlainString() + " is above " + max.toPlainString() + ".");
        }
        return e.notMet(name + " " + value.toPlainString() + " is at or below " + max.toPlainString() + ".");
    }

    /**
     * Organ-function lab limits. No label or consensus source fixes them (reference 3.4, 10 item 13): each limit is an
     * institution setting, and a limit not yet set makes the rule NOT_EVALUABLE with that reason.
     */
    @SuppressWarnings("unchecked")
    private static CriterionResult labLimits(Evaluation e) {
        Map<String, Object> limits = (Map<String, Object>) e.param("limits");
        List<String> unset = new ArrayList<>();
        List<String> missing = new ArrayList<>();
        List<String> outside = new ArrayList<>();
        for (Map.Entry<String, Object> entry : limits.entrySet()) {
            String name = entry.getKey();
            if (!e.rule().inputs().contains(name)) {
                throw new IllegalArgumentException("rule " + e.rule().id() + " limits " + name + " not among its inputs");
            }
            Map<String, Object> limit = entry.getValue() == null ? Map.of() : (Map<String, Object>) entry.getValue();
            Object min = limit.get("min");
            Object max = limit.get("max");
            if (min == null && max == null) {
                unset.add(name);
                continue;
            }
            Object v = e.value(name);
            if (v == null) {
                missing.add(name);
                continue;
            }
            BigDecimal value = new BigDecimal(v.toString());
            if (max != null && value.compareTo(new BigDecimal(max.toString())) > 0) {
                outside.add(name + " " + value.toPlainString() + " above " + max);
            }
            if (min != null && value.compareTo(new BigDecimal(min.toString())) < 0) {
                outside.add(name + " " + value.toPlainString() + " below " + min);
            }
        }
        if (!outside.isEmpty()) {
            return e.met("Outside the institution's limits: " + String.join(", ", outside) + ".");
        }
        if (!unset.isEmpty() || !missing.isEmpty()) {
            List<String> why = new ArrayList<>();
            if (!unset.isEmpty()) {
                why.add("the institution has not set a limit for " + String.join(", ", unset) + " (no label or consensus value exists)");
            }
            if (!missing.isEmpty()) {
                why.add("not measured: " + String.join(", ", missing));
            }
            return e.notEvaluable("Not evaluable: " + String.join("; ", why) + ".");
        }
        return e.notMet("Every lab value is within the institution's limits.");
    }

    /**
     * Measured values against the yes/no findings that summarise them (abnormal ejection fraction against the EF %,
     * significant renal impairment against creatinine...). A measure is abnormal beyond the institution's limit for it,
     * read from the LAB_LIMITS rule named by {@code limitsFrom}, so one setting serves both rules. A disagreement is
     * NOT_EVALUABLE "contradictory data", which keeps a required rule from ELIGIBLE. A pair is {@code twoWay} when the
     * finding is about that measure alone: then a finding of "abnormal" over a measure within the limit disagrees too.
     * A pair whose limit is unset cannot be cross-checked and says so; a missing input is the work-up rule's concern.
     */
    @SuppressWarnings("unchecked")
    private static CriterionResult consistency(Evaluation e) {
        Map<String, Object> limits = limitsOf(e);
        List<Map<String, Object>> pairs = (List<Map<String, Object>>) e.param("pairs");
        List<String> contradictions = new ArrayList<>();
        List<String> consistent = new ArrayList<>();
        List<String> unchecked = new ArrayList<>();
        for (Map<String, Object> pair : pairs) {
            String flag = (String) pair.get("flag");
            String measure = (String) pair.get("measure");
            if (!e.rule().inputs().contains(flag) || !e.rule().inputs().contains(measure)) {
                throw new IllegalArgumentException("rule " + e.rule().id() + " pairs " + flag + " and " + measure + " not both among its inputs");
            }
            if (!limits.containsKey(measure)) {
                throw new IllegalArgumentException("rule " + e.rule().id() + " reads a limit for " + measure + " that " + e.param("limitsFrom") + " does not define");
            }
            boolean twoWay = Boolean.TRUE.equals(pair.get("twoWay"));
            Object stated = e.value(flag);
            Object v = e.value(measure);
            if (stated == null || v == null) {
                continue;
            }
            Map<String, Object> limit = limits.get(measure) == null ? Map.of() : (Map<String, Object>) limits.get(measure);
            BigDecimal value = new BigDecimal(v.toString());
            String unit = FactCatalog.UNITS.get(measure);
            String measured = measure + " " + value.toPlainString() + (unit.isEmpty() ? "" : " " + unit);
            String beyond = beyond(value, limit);
            if (beyond == null && limit.get("min") == null && limit.get("max") == null) {
                unchecked.add(flag + " against " + measured);
            } else if (beyond != null && Boolean.FALSE.equals(stated)) {
                contradictions.add(flag + " is false, but " + measured + " is " + beyond);
            } else if (beyond == null && Boolean.TRUE.equals(stated) && twoWay) {
                contradictions.add(flag + " is true, but " + measured + " is within the institution's limit (" + within(limit) + ")");
            } else {
                consistent.add(flag + " " + stated + " with " + measured);
            }
        }
        if (!contradictions.isEmpty()) {
            return e.notEvaluable("Contradictory data: " + String.join("; ", contradictions)
                    + ". Correct the finding or the measurement and screen again.");
        }
        List<String> why = new ArrayList<>();
        why.add(consistent.isEmpty() ? "No measured value contradicts a finding" : "Consistent: " + String.join("; ", consistent));
        if (!unchecked.isEmpty()) {
            why.add("not cross-checked, the institution has not set the limit (no label or consensus value exists): "
                    + String.join("; ", unchecked));
        }
        return e.notMet(String.join(". ", why) + ".");
    }

    /** The limits of the LAB_LIMITS rule a CONSISTENCY rule names, so a measure's limit is set in one place. */
    @SuppressWarnings("unchecked")
    private static Map<String, Object> limitsOf(Evaluation e) {
        Object from = e.param("limitsFrom");
        RuleDefinition source = e.protocol().rules().stream().filter(r -> r.id().equals(from)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("rule " + e.rule().id() + " reads limits from " + from + ", not in the protocol"));
        if (!RuleDefinition.LAB_LIMITS.equals(source.kind()) || source.parameters() == null
                || !(source.parameters().get("limits") instanceof Map<?, ?> limits)) {
            throw new IllegalArgumentException("rule " + e.rule().id() + " reads limits from " + from + ", which is not a LAB_LIMITS rule");
        }
        return (Map<String, Object>) limits;
    }

    /** How {@code value} lies beyond the limit, or null when within it or when no limit is set. */
    private static String beyond(BigDecimal value, Map<String, Object> limit) {
        Object min = limit.get("min");
        Object max = limit.get("max");
        if (max != null && value.compareTo(new BigDecimal(max.toString())) > 0) {
            return "above the institution's limit " + max;
        }
        if (min != null && value.compareTo(new BigDecimal(min.toString())) < 0) {
            return "below the institution's limit " + min;
        }
        return null;
    }

    private static String within(Map<String, Object> limit) {
        List<String> parts = new ArrayList<>();
        if (limit.get("min") != null) {
            parts.add("min " + limit.get("min"));
        }
        if (limit.get("max") != null) {
            parts.add("max " + limit.get("max"));
        }
        return String.join(", ", parts);
    }

    private static BigDecimal decimal(Evaluation e, String name) {
        Object value = e.param(name);
        if (value == null) {
            throw new IllegalArgumentException("rule " + e.rule().id() + " needs a value for " + name);
        }
        return new BigDecimal(value.toString());
    }

}
