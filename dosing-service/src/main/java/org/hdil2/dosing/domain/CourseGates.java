package org.hdil2.dosing.domain;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The order's gates judged again when the first dose is due: a course may be ordered days ahead, and what was recent
 * at the order (the ELIGIBLE screening, the dosing weight) may not be at the bedside. Each unmet gate is a reason.
 */
public final class CourseGates {

    /** The patient's latest screening as dosing knows it. */
    public record Screening(String outcome, Instant screenedAt) {
    }

    private CourseGates() {
    }

    public static List<String> atFirstDose(DosingProtocol.CourseRules rules, Optional<Screening> latest, Instant weightMeasuredAt,
                                           Instant now) {
        List<String> unmet = new ArrayList<>();
        if (latest.isEmpty()) {
            unmet.add("no screening of this patient is known (" + rules.id() + ")");
        } else {
            if (!"ELIGIBLE".equals(latest.get().outcome())) {
                unmet.add("the latest screening (" + latest.get().screenedAt() + ") is " + latest.get().outcome() + ", not ELIGIBLE");
            }
            if (latest.get().screenedAt().plus(rules.screeningMaxAge()).isBefore(now)) {
                unmet.add("the latest screening is of " + latest.get().screenedAt() + "; at most " + rules.screeningMaxAge().toDays()
                        + " days old at the first dose (" + rules.id() + "): screen again");
            }
        }
        if (weightMeasuredAt == null || weightMeasuredAt.plus(rules.weightMaxAge()).isBefore(now)) {
            unmet.add("the dosing weight was measured at " + weightMeasuredAt + "; at most " + rules.weightMaxAge().toHours()
                    + " h old at the first dose (" + rules.id() + "): weigh again and order anew");
        }
        return unmet;
    }

    /** The infusion's recorded times: started within the dose's window and not in the future, ended after and within bounds. */
    public static Optional<String> administrationTimes(DosingProtocol.CourseRules rules, Instant scheduledAt, Instant startedAt,
                                                       Instant endedAt, Instant now, Duration skew) {
        Instant windowOpens = scheduledAt.minus(rules.windowBefore());
        Instant windowCloses = scheduledAt.plus(rules.missedAfter());
        if (startedAt.isAfter(now.plus(skew))) {
            return Optional.of("startedAt " + startedAt + " is in the future");
        }
        if (startedAt.isBefore(windowOpens) || startedAt.isAfter(windowCloses)) {
            return Optional.of("startedAt " + startedAt + " is outside the dose's window " + windowOpens + " – " + windowCloses
                    + " (" + rules.id() + ")");
        }
        if (endedAt != null) {
            if (!endedAt.isAfter(startedAt)) {
                return Optional.of("endedAt must be after startedAt");
            }
            if (endedAt.isAfter(now.plus(skew))) {
                return Optional.of("endedAt " + endedAt + " is in the future");
            }
            if (Duration.between(startedAt, endedAt).compareTo(rules.maxInfusion()) > 0) {
                return Optional.of("an infusion of " + Duration.between(startedAt, endedAt).toMinutes() + " min is longer than the "
                        + rules.maxInfusion().toMinutes() + " min accepted (" + rules.id() + ")");
            }
        }
        return Optional.empty();
    }
}
