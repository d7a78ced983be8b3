package org.hdil2.monitoring.domain;

import java.time.Instant;
import java.util.List;

/**
 * A rule judged for one patient at one moment. {@code deciding} is the observation that decided (the latest one the
 * rule read); {@code evidence} every observation it used; {@code metSince} when the criterion began to be met (for a
 * duration rule: when the duration was reached); {@code resumed} whether the rule's resume condition holds, which is
 * what clears an active finding.
 */
public record RuleResult(RuleState state, String severity, Detail detail, ObservationFact deciding,
                         List<ObservationFact> evidence, Instant metSince, boolean resumed, String reason) {

    public static RuleResult notEvaluable(String reason) {
        return new RuleResult(RuleState.NOT_EVALUABLE, null, null, null, List.of(), null, false, reason);
    }
}
