package org.hdil2.monitoring.domain;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A protocol as data: its rules, the institution's reference limits the CTCAE rules need, the NEWS2 SpO2 scale,
 * and the criteria of its sources that need a clinician's judgement and are therefore not evaluated automatically.
 */
public record Protocol(String id, String version, String title, String description, int news2Scale,
                       Map<String, Limits> limits, List<RuleDefinition> rules, List<ManualCriterion> manualCriteria) {

    /** A criterion from the source that no observation in the catalog decides (e.g. ECG ischaemia, tamponade). */
    public record ManualCriterion(String system, String criterion, String action, String source) {
    }

    public Limits limitsOf(String parameter) {
        return limits == null ? null : limits.get(parameter);
    }

    public Optional<RuleDefinition> rule(String id) {
        return rules.stream().filter(r -> r.id().equals(id)).findFirst();
    }

    /** The parameters the rules required before a dose read: a new value of one may change the pre-dose decision. */
    public java.util.Set<String> preDoseParameters() {
        java.util.Set<String> parameters = new java.util.TreeSet<>();
        for (RuleDefinition r : rules) {
            if (r.preDose()) {
                if (r.kind() == RuleDefinition.Kind.NEWS2) {
                    parameters.addAll(News2.PARAMETERS);
                } else if (r.parameter() != null) {
                    parameters.add(r.parameter());
                }
            }
        }
        return parameters;
    }
}
