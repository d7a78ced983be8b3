package org.hdil2.alert.domain;

import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Who is notified of an unacknowledged alert, and when: a list of steps, the first at once, each later one a
 * duration after the alert started (e.g. {@code PRIMARY_NURSE,CHARGE_NURSE@PT2M,PHYSICIAN@PT5M}).
 * Level 0 is the first step; escalating moves to the next level.
 */
public final class EscalationPolicy {

    public record Step(AssignmentRole role, Duration after) {
    }

    private final List<Step> steps;

    private EscalationPolicy(List<Step> steps) {
        this.steps = List.copyOf(steps);
    }

    /**
     * @throws IllegalArgumentException for an unknown role, a malformed duration, or steps out of order
     */
    public static EscalationPolicy parse(String spec) {
        List<Step> steps = new ArrayList<>();
        if (spec != null && !spec.isBlank() && !spec.trim().equalsIgnoreCase("NONE")) {
            for (String part : spec.split(",")) {
                String[] roleAt = part.trim().split("@");
                AssignmentRole role;
                try {
                    role = AssignmentRole.valueOf(roleAt[0].trim());
                } catch (IllegalArgumentException e) {
                    throw new IllegalArgumentException("escalation step '" + part.trim() + "': unknown role");
                }
                Duration after = Duration.ZERO;
                if (roleAt.length == 2) {
                    try {
                        after = Duration.parse(roleAt[1].trim());
                    } catch (DateTimeParseException e) {
                        throw new IllegalArgumentException("escalation step '" + part.trim() + "': not an ISO-8601 duration");
                    }
                } else if (roleAt.length > 2) {
                    throw new IllegalArgumentException("escalation step '" + part.trim() + "' is not ROLE[@DURATION]");
                }
                if (!steps.isEmpty() && after.compareTo(steps.get(steps.size() - 1).after()) <= 0) {
                    throw new IllegalArgumentException("escalation steps must come later one after another: " + spec);
                }
                if (steps.isEmpty() && !after.isZero()) {
                    throw new IllegalArgumentException("the first escalation step is notified at once: " + spec);
                }
                steps.add(new Step(role, after));
            }
        }
        return new EscalationPolicy(steps);
    }

    public List<Step> steps() {
        return steps;
    }

    /** The role notified at {@code level}, if the policy has that step. */
    public Optional<AssignmentRole> roleAt(int level) {
        return level >= 0 && level < steps.size() ? Optional.of(steps.get(level).role()) : Optional.empty();
    }

    /** When the alert that started at {@code startedAt} and is at {@code level} escalates next, or empty at the end. */
    public Optional<Instant> nextDue(int level, Instant startedAt) {
        int next = level + 1;
        return next < steps.size() ? Optional.of(startedAt.plus(steps.get(next).after())) : Optional.empty();
    }

    /**
     * When an alert at {@code level} that (re)started at {@code restartedAt} escalates next: the policy's gap between
     * this step and the next, counted from the restart (a reopened alert does not escalate at once for time it spent
     * ended).
     */
    public Optional<Instant> nextDueAfterRestart(int level, Instant restartedAt) {
        int next = level + 1;
        if (next >= steps.size()) {
            return Optional.empty();
        }
        Duration current = level >= 0 && level < steps.size() ? steps.get(level).after() : Duration.ZERO;
        return Optional.of(restartedAt.plus(steps.get(next).after().minus(current)));
    }
}
