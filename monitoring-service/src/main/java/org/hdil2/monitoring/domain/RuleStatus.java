package org.hdil2.monitoring.domain;

import java.util.List;
import java.util.Objects;

/**
 * What the patient's evaluation reports for one rule. The stored copy keeps state, finding and detail only (what
 * decides whether anything changed); reason and observation ids are filled in the published report.
 */
public record RuleStatus(String ruleId, RuleState state, String findingId, Detail detail, String reason,
                         List<String> observationIds) {

    public boolean sameAs(RuleStatus other) {
        return other != null && state == other.state && Objects.equals(findingId, other.findingId)
                && Detail.sameMeaning(detail, other.detail);
    }

    RuleStatus compact() {
        return new RuleStatus(ruleId, state, findingId, detail, null, null);
    }
}
