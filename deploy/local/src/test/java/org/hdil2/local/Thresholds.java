package org.hdil2.local;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

import com.fasterxml.jackson.databind.JsonNode;

import org.hdil2.contract.ObservationParameters;

/**
 * Both sides of a protocol's single-value thresholds, as observations: for each bound of each rule of a parameter the
 * bound itself and its neighbour one step (the parameter's scale) across, and what the evaluation must say of each
 * rule after it. Written from the rule's JSON as monitoring's API shows it, independently of monitoring's code.
 */
final class Thresholds {

    static final String LOCAL = "https://hdil2.org/fhir/CodeSystem/observation";
    /** The baseline weight of the courses in the test (their dosing weight), for the weight-gain rule. */
    static final BigDecimal BASELINE_KG = new BigDecimal("70.0");

    private Thresholds() {
    }

    record Parameter(ObservationParameters.Parameter catalog, BigDecimal step) {
        boolean coded() {
            return catalog.coded();
        }
    }

    static Parameter parameter(String id) {
        ObservationParameters.Parameter p = ObservationParameters.require(id);
        int scale = p.scale() == null ? 0 : p.scale();
        return new Parameter(p, BigDecimal.ONE.movePointLeft(Math.min(scale, 2)));
    }

    /** The values to post, in ascending order (coded: the ordinals of the answers). */
    static List<BigDecimal> candidates(Parameter p, List<JsonNode> rules) {
        Set<BigDecimal> values = new TreeSet<>();
        if (p.coded()) {
            for (int i = 0; i < p.catalog().answers().size(); i++) {
                values.add(BigDecimal.valueOf(i));
            }
            return new ArrayList<>(values);
        }
        for (JsonNode rule : rules) {
            JsonNode when = rule.path("when");
            for (String op : new String[] { "lt", "le", "gt", "ge" }) {
                if (when.hasNonNull(op)) {
                    BigDecimal bound = new BigDecimal(when.path(op).asText());
                    if (percentOfBaseline(rule)) {
                        // 15 % of 70 kg is 80.5 kg; the derived percentage is rounded to 0.1 %, so 80.57 kg is 15.1 %
                        BigDecimal kg = BASELINE_KG.multiply(BigDecimal.ONE.add(bound.movePointLeft(2)));
                        values.add(kg);
                        values.add(kg.add(new BigDecimal("0.07")));
                        values.add(kg.subtract(new BigDecimal("0.07")));
                    } else {
                        values.add(bound);
                        values.add(bound.add(p.step()));
                        values.add(bound.subtract(p.step()));
                    }
                }
            }
        }
        List<BigDecimal> inRange = new ArrayList<>();
        for (BigDecimal v : values) {
            if ((p.catalog().min() == null || v.compareTo(p.catalog().min()) >= 0) && (p.catalog().max() == null || v.compareTo(p.catalog().max()) <= 0)) {
                inRange.add(v);
            }
        }
        return inRange;
    }

    static boolean percentOfBaseline(JsonNode rule) {
        return "PERCENT_CHANGE_FROM_BASELINE_WEIGHT".equals(rule.path("derive").asText());
    }

    static String observation(String patient, Parameter p, BigDecimal value, Instant at) {
        ObservationParameters.Code code = p.catalog().codes().get(0);
        if (p.coded()) {
            return """
                    {"patientId":"%s","system":"%s","code":"%s","valueCode":"%s","effectiveTime":"%s"}"""
                    .formatted(patient, code.system(), code.code(), p.catalog().answers().get(value.intValueExact()), at);
        }
        return """
                {"patientId":"%s","system":"%s","code":"%s","value":%s,"unit":"%s","effectiveTime":"%s"}"""
                .formatted(patient, code.system(), code.code(), value.toPlainString(), p.catalog().unit(), at);
    }

    /**
     * The state the evaluation must report for {@code rule} after {@code value}: MET while the condition holds, and
     * afterwards while a finding raised before has not seen its resume condition (the rule's own, else the condition
     * no longer holding). {@code active} keeps the rules with a finding, per rule id.
     */
    static String expected(JsonNode rule, Parameter p, BigDecimal value, Set<String> active) {
        String id = rule.path("id").asText();
        BigDecimal judged = percentOfBaseline(rule)
                ? value.subtract(BASELINE_KG).movePointRight(2).divide(BASELINE_KG, 1, java.math.RoundingMode.HALF_UP)
                : value;
        String code = p.coded() ? p.catalog().answers().get(value.intValueExact()) : null;
        boolean met = holds(rule.path("when"), judged, code);
        boolean resumed = rule.hasNonNull("resumeWhen") && !rule.path("resumeWhen").isEmpty()
                ? holds(rule.path("resumeWhen"), judged, code) : !met;
        boolean stays = active.contains(id) && !met && !resumed;
        if (met) {
            active.add(id);
        } else if (!stays) {
            active.remove(id);
        }
        return met || stays ? "MET" : "NOT_MET";
    }

    private static boolean holds(JsonNode when, BigDecimal value, String code) {
        if (when.hasNonNull("in") && when.path("in").isArray() && !when.path("in").isEmpty()) {
            for (JsonNode c : when.path("in")) {
                if (c.asText().equals(code)) {
                    return true;
                }
            }
            return false;
        }
        boolean ok = true;
        if (when.hasNonNull("lt")) {
            ok &= value.compareTo(new BigDecimal(when.path("lt").asText())) < 0;
        }
        if (when.hasNonNull("le")) {
            ok &= value.compareTo(new BigDecimal(when.path("le").asText())) <= 0;
        }
        if (when.hasNonNull("gt")) {
            ok &= value.compareTo(new BigDecimal(when.path("gt").asText())) > 0;
        }
        if (when.hasNonNull("ge")) {
            ok &= value.compareTo(new BigDecimal(when.path("ge").asText())) >= 0;
        }
        return ok;
    }

    /** The state the evaluation reports for a rule, or null when the rule is not in its protocol. */
    static String state(JsonNode evaluation, String ruleId) {
        for (JsonNode r : evaluation.path("rules")) {
            if (ruleId.equals(r.path("id").asText())) {
                return r.path("state").asText();
            }
        }
        return null;
    }
}
