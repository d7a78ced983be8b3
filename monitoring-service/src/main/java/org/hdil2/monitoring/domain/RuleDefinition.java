package org.hdil2.monitoring.domain;

import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * One rule of a protocol, as data: what it watches, the test, how fresh its inputs must be, what to do when met
 * (withhold, discontinue, notify), when a met rule may be considered resolved, and where it comes from.
 *
 * <p>Kinds: {@code THRESHOLD} (latest value), {@code SUSTAINED} (the test held continuously for {@code duration}),
 * {@code WINDOW_SUM} (sum over {@code window}, {@code consecutive} windows in a row), {@code WINDOW_MAX} (maximum
 * since the last dose, or over {@code window}), {@code NEWS2} (aggregate or single-parameter score),
 * {@code CTCAE_GRADE} (grade from {@code bands}).
 */
public record RuleDefinition(String id, String version, String title, Kind kind, String action, String severity,
                             String source, boolean unverified, boolean preDose, String criterion, String parameter,
                             Derive derive, Condition when, Condition resumeWhen, String resumeCondition,
                             Duration freshness, Duration duration, Duration window, Integer consecutive,
                             boolean sinceLastDose, String news2Mode, List<Band> bands, Integer notifyFromGrade,
                             Map<String, String> severityByGrade, boolean multiplesOfUln) {

    public enum Kind { THRESHOLD, SUSTAINED, WINDOW_SUM, WINDOW_MAX, NEWS2, CTCAE_GRADE }

    /** What number the test sees: the value itself, a rate per hour of a period, or the % change from baseline weight. */
    public enum Derive { VALUE, RATE_PER_HOUR, PERCENT_CHANGE_FROM_BASELINE_WEIGHT }

    public Derive deriveOrValue() {
        return derive == null ? Derive.VALUE : derive;
    }

    public int consecutiveOrOne() {
        return consecutive == null ? 1 : consecutive;
    }

    /** Severity of a finding of this rule at a grade (CTCAE rules), else the rule's. */
    public String severityAt(Integer grade) {
        if (grade != null && severityByGrade != null && severityByGrade.containsKey(String.valueOf(grade))) {
            return severityByGrade.get(String.valueOf(grade));
        }
        return severity;
    }
}
