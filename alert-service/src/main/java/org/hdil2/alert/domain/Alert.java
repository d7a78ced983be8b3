package org.hdil2.alert.domain;

import java.time.Duration;
import java.time.Instant;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

import org.hdil2.alert.domain.AlertEffect.AuditLine;
import org.hdil2.alert.domain.AlertEffect.Measure;
import org.hdil2.alert.domain.AlertEffect.Notice;
import org.hdil2.alert.domain.AlertEffect.Transition;
import org.hdil2.kit.problem.ProblemException;

/**
 * One alert's lifecycle (IHE PCD ACM phases start / update / escalate / end), as plain Java. One open alert per
 * patient and rule: a finding's start raises it, a change of the finding updates it, its clearing ends it unless it
 * latches (HIGH alerts stay until acknowledged; the clearing is recorded and shown). A rule met again within the
 * flap window after its alert ended by clearing reopens that alert. Every method that changes the alert returns the
 * {@link AlertEffect} the application layer persists and publishes with it; a refused command throws the coded
 * {@link ProblemException} and changes nothing.
 */
public final class Alert {

    /** The escalation policy of each priority. */
    @FunctionalInterface
    public interface EscalationPolicies {
        EscalationPolicy of(Priority priority);
    }

    /** Who covers the alert's patient in a role now (from the care-team assignments); empty: the ward's team. */
    @FunctionalInterface
    public interface Recipients {
        List<String> of(Alert alert, AssignmentRole role);
    }

    /** A new alert and what raising it did. */
    public record Raised(Alert alert, AlertEffect effect) {
    }

    private final UUID id;
    private final String patientId;
    private final UUID findingId;
    private final String ruleId;
    private final Instant raisedAt;
    private final String ward;
    private final String bed;
    private UUID currentFindingId;
    private String ruleVersion;
    private String ruleAction;
    private String protocolId;
    private String protocolVersion;
    private String severity;
    private Priority priority;
    private AlertStatus status;
    private Condition condition;
    private Instant conditionChangedAt;
    private boolean latching;
    private Phase phase;
    private String title;
    private String detail;
    private String sourceObservation;
    private Instant updatedAt;
    private Instant acknowledgedAt;
    private String acknowledgedBy;
    private Instant endedAt;
    private EndCause endCause;
    private DismissReason dismissReason;
    private Instant resolvedAt;
    private String resolvedReason;
    private int escalationLevel;
    private Instant nextEscalationAt;
    private int reopenCount;

    private Alert(AlertState s) {
        id = s.id();
        patientId = s.patientId();
        findingId = s.findingId();
        currentFindingId = s.currentFindingId();
        ruleId = s.ruleId();
        ruleVersion = s.ruleVersion();
        ruleAction = s.ruleAction();
        protocolId = s.protocolId();
        protocolVersion = s.protocolVersion();
        severity = s.severity();
        priority = s.priority();
        status = s.status();
        condition = s.condition();
        conditionChangedAt = s.conditionChangedAt();
        latching = s.latching();
        phase = s.phase();
        ward = s.ward();
        bed = s.bed();
        title = s.title();
        detail = s.detail();
        sourceObservation = s.sourceObservation();
        raisedAt = s.raisedAt();
        updatedAt = s.updatedAt();
        acknowledgedAt = s.acknowledgedAt();
        acknowledgedBy = s.acknowledgedBy();
        endedAt = s.endedAt();
        endCause = s.endCause();
        dismissReason = s.dismissReason();
        resolvedAt = s.resolvedAt();
        resolvedReason = s.resolvedReason();
        escalationLevel = s.escalationLevel();
        nextEscalationAt = s.nextEscalationAt();
        reopenCount = s.reopenCount();
    }

    public static Alert restore(AlertState state) {
        return new Alert(state);
    }

    public AlertState state() {
        return new AlertState(id, patientId, findingId, currentFindingId, ruleId, ruleVersion, ruleAction, protocolId,
                protocolVersion, severity, priority, status, condition, conditionChangedAt, latching, phase, ward, bed, title, detail,
                sourceObservation, raisedAt, updatedAt, acknowledgedAt, acknowledgedBy, endedAt, endCause, dismissReason, resolvedAt,
                resolvedReason, escalationLevel, nextEscalationAt, reopenCount);
    }

    // ------------------------------------------------------------------------------------------- findings

    /** A finding nobody has raised an alert for: a new alert, notified at once to the policy's first step. */
    public static Raised raise(UUID id, String patientId, UUID findingId, Finding f, String ward, String bed,
                               EscalationPolicies policies, Recipients recipients, String actor, Instant now) {
        EscalationPolicy policy = policies.of(f.priority());
        Alert a = new Alert(new AlertState(id, patientId, findingId, findingId, f.ruleId(), f.ruleVersion(), f.action(),
                f.protocolId(), f.protocolVersion(), f.severity(), f.priority(), AlertStatus.ACTIVE, Condition.PRESENT, now, false,
                Phase.START, ward, bed, f.title(), f.detail(), f.observation(), now, now, null, null, null, null, null, null, null, 0,
                policy.nextDue(0, now).orElse(null), 0));
        a.fill(f);
        Optional<AssignmentRole> role = policy.roleAt(0);
        List<String> to = role.map(r -> recipients.of(a, r)).orElse(List.of());
        AlertEffect effect = new AlertEffect(
                new Transition(now, actor, "RAISE", null, a.status, "rule " + a.ruleId + " v" + a.ruleVersion + " met; priority "
                        + a.priority),
                // the first notification of every alert goes out with the change: nothing suppresses or delays it
                Optional.of(new Notice(Phase.START, Change.RAISED, role.orElse(null), to)), new AlertEvent.Raised(),
                new AuditLine("alert.raise", Map.of("priority", a.priority.name())), EnumSet.of(Measure.RAISED));
        return new Raised(a, effect);
    }

    /** The alert's own finding continues with other values; empty when nothing people see has changed. */
    public Optional<AlertEffect> onFindingUpdated(UUID finding, Finding f, EscalationPolicies policies, String actor, Instant now) {
        if (endedAt != null) {
            return Optional.empty();
        }
        currentFindingId = finding;
        return applyChange(f, policies, actor, now);
    }

    /**
     * Another finding of the same rule while the alert is open (after a monitoring restart, say): a latched alert
     * whose condition returns before anyone acknowledged it is shown active again; otherwise the alert follows the
     * new finding's values.
     */
    public Optional<AlertEffect> onFindingStarted(UUID finding, Finding f, EscalationPolicies policies, String actor, Instant now) {
        if (endedAt != null) {
            throw new IllegalStateException("alert " + id + " has ended: a new finding reopens or raises, it does not start");
        }
        currentFindingId = finding;
        if (condition != Condition.CLEARED) {
            return applyChange(f, policies, actor, now);
        }
        AlertStatus from = status;
        condition = Condition.PRESENT;
        conditionChangedAt = now;
        status = AlertStatus.ACTIVE;
        fill(f);
        phase = Phase.UPDATE;
        updatedAt = now;
        return Optional.of(new AlertEffect(new Transition(now, actor, "CONDITION_PRESENT", from, status, "rule met again while latched"),
                Optional.of(new Notice(Phase.UPDATE, Change.CONDITION_PRESENT, null, List.of())),
                new AlertEvent.Updated(Change.CONDITION_PRESENT, null, null), new AuditLine("alert.condition-present", Map.of()),
                EnumSet.noneOf(Measure.class)));
    }

    /**
     * The rule met again within the flap window after this alert ended by clearing: the same alert, open again. A
     * non-latching alert acknowledged while present keeps its owner; a latching (HIGH) one must be acknowledged again:
     * a recurrence of a HIGH condition is never hidden behind an earlier acknowledgement.
     */
    public AlertEffect reopen(UUID finding, Finding f, EscalationPolicies policies, Duration flapWindow, String actor, Instant now) {
        if (endedAt == null || endCause == null || !endCause.byClearing() || endedAt.isBefore(now.minus(flapWindow))) {
            throw new IllegalStateException("alert " + id + " did not end by clearing within " + flapWindow);
        }
        AlertStatus from = status;
        currentFindingId = finding;
        fill(f);
        condition = Condition.PRESENT;
        conditionChangedAt = now;
        boolean keepsOwner = acknowledgedAt != null && !latching;
        status = keepsOwner ? AlertStatus.ACKNOWLEDGED : AlertStatus.ACTIVE;
        if (!keepsOwner) {
            acknowledgedAt = null;
            acknowledgedBy = null;
        }
        endedAt = null;
        endCause = null;
        resolvedAt = null;
        resolvedReason = null;
        dismissReason = null;
        phase = Phase.UPDATE;
        updatedAt = now;
        reopenCount++;
        // a reopened alert does not escalate at once for the time it spent ended
        nextEscalationAt = status.escalates() ? policies.of(priority).nextDueAfterRestart(escalationLevel, now).orElse(null) : null;
        return new AlertEffect(new Transition(now, actor, "REOPEN", from, status, "rule met again within the flap window ("
                + flapWindow + ")"), Optional.of(new Notice(Phase.UPDATE, Change.REOPENED, null, List.of())),
                new AlertEvent.Updated(Change.REOPENED, null, null), new AuditLine("alert.reopen", Map.of("priority", priority.name())),
                EnumSet.of(Measure.REOPENED));
    }

    /**
     * A finding merged into the alert cleared: the latest word of monitoring on this patient and rule decides (after a
     * monitoring restart the old finding may never be cleared on its own). A latching alert nobody acknowledged
     * stays, LATCHED, until acknowledged; any other ends as RESOLVED. Empty when it has ended or cleared already.
     */
    public Optional<AlertEffect> onFindingCleared(String reason, String actor, Instant now) {
        if (endedAt != null || condition == Condition.CLEARED) {
            return Optional.empty();
        }
        AlertStatus from = status;
        condition = Condition.CLEARED;
        conditionChangedAt = now;
        updatedAt = now;
        if (status == AlertStatus.ACTIVE && latching) {
            status = AlertStatus.LATCHED;
            phase = Phase.UPDATE;
            resolvedReason = reason;
            return Optional.of(new AlertEffect(new Transition(now, actor, "CONDITION_CLEARED", from, status, reason
                    + "; latched until acknowledged"), Optional.of(new Notice(Phase.UPDATE, Change.CONDITION_CLEARED, null, List.of())),
                    new AlertEvent.Updated(Change.CONDITION_CLEARED, null, null), new AuditLine("alert.latch", Map.of()),
                    EnumSet.noneOf(Measure.class)));
        }
        return Optional.of(end(AlertStatus.RESOLVED, EndCause.CONDITION_CLEARED, reason, null, actor, from, now, reason,
                new AuditLine("alert.resolve", Map.of()), EnumSet.noneOf(Measure.class)));
    }

    // ------------------------------------------------------------------------------------------- people

    /** Acknowledge: the user owns the alert and escalation stops. A latched alert whose condition has cleared ends here. */
    public AlertEffect acknowledge(String user, String note, Instant now) {
        refuseIfEnded();
        if (status == AlertStatus.ACKNOWLEDGED) {
            throw ProblemException.conflict("ALRT-0103", "Already acknowledged",
                    "alert " + id + " was acknowledged by " + acknowledgedBy + " at " + acknowledgedAt);
        }
        AlertStatus from = status;
        String actor = "user:" + user;
        acknowledgedAt = now;
        acknowledgedBy = user;
        String text = note == null || note.isBlank() ? "acknowledged" : "acknowledged: " + note.strip();
        if (from == AlertStatus.LATCHED) {
            return end(AlertStatus.RESOLVED, EndCause.ACKNOWLEDGED_AFTER_CLEARING, resolvedReason + "; acknowledged by " + user, null,
                    actor, from, now, text, new AuditLine("alert.acknowledge", Map.of("from", from.name(), "to", AlertStatus.RESOLVED.name())),
                    EnumSet.of(Measure.ACKNOWLEDGED));
        }
        status = AlertStatus.ACKNOWLEDGED;
        nextEscalationAt = null;
        phase = Phase.UPDATE;
        updatedAt = now;
        return new AlertEffect(new Transition(now, actor, "ACKNOWLEDGE", from, status, text),
                Optional.of(new Notice(Phase.UPDATE, Change.ACKNOWLEDGED, null, List.of(user))),
                new AlertEvent.Updated(Change.ACKNOWLEDGED, null, null),
                new AuditLine("alert.acknowledge", Map.of("from", from.name(), "to", status.name())), EnumSet.of(Measure.ACKNOWLEDGED));
    }

    /** A comment in the alert's history; allowed at any state, notifies nobody. */
    public AlertEffect comment(String user, String text, Instant now) {
        return new AlertEffect(new Transition(now, "user:" + user, "COMMENT", status, status, text.strip()), Optional.empty(),
                new AlertEvent.Updated(Change.COMMENTED, null, null), new AuditLine("alert.comment", Map.of()),
                EnumSet.noneOf(Measure.class));
    }

    /** A physician ends an open alert with a coded reason (OTHER needs a text). */
    public AlertEffect dismiss(String user, DismissReason reason, String text, Instant now) {
        if (reason == DismissReason.OTHER && (text == null || text.isBlank())) {
            throw ProblemException.invalid("ALRT-0105", "text", "a dismissal for reason OTHER needs a text");
        }
        refuseIfEnded();
        String shown = "dismissed: " + reason + (text == null || text.isBlank() ? "" : " (" + text.strip() + ")");
        return end(AlertStatus.DISMISSED, EndCause.DISMISSED, "dismissed by " + user + ": " + reason, reason, "user:" + user, status,
                now, shown, new AuditLine("alert.dismiss", Map.of("reason", reason.name())), EnumSet.of(Measure.DISMISSED));
    }

    // ------------------------------------------------------------------------------------------- escalation

    /**
     * The next escalation step, when it is due and nobody has acknowledged the alert. Past the policy's last step the
     * timer is cleared and nothing is told.
     */
    public Optional<AlertEffect> escalate(EscalationPolicies policies, Recipients recipients, String actor, Instant now) {
        if (nextEscalationAt == null || nextEscalationAt.isAfter(now) || !status.escalates() || endedAt != null) {
            return Optional.empty();
        }
        EscalationPolicy policy = policies.of(priority);
        int next = escalationLevel + 1;
        Optional<AssignmentRole> role = policy.roleAt(next);
        if (role.isEmpty()) {
            nextEscalationAt = null;
            return Optional.empty();
        }
        escalationLevel = next;
        nextEscalationAt = policy.nextDue(next, raisedAt).orElse(null);
        phase = Phase.ESCALATE;
        updatedAt = now;
        List<String> to = recipients.of(this, role.get());
        return Optional.of(new AlertEffect(new Transition(now, actor, "ESCALATE", status, status, "level " + next + ": " + role.get()
                + (to.isEmpty() ? " (nobody assigned: ward team)" : " " + to)),
                Optional.of(new Notice(Phase.ESCALATE, Change.ESCALATED, role.get(), to)),
                new AlertEvent.Updated(Change.ESCALATED, null, role.get()),
                new AuditLine("alert.escalate", Map.of("level", next, "role", role.get().name())), EnumSet.of(Measure.ESCALATED)));
    }

    // ------------------------------------------------------------------------------------------- rules

    /** The finding continues with other values: update the alert only when what people see changes. */
    private Optional<AlertEffect> applyChange(Finding f, EscalationPolicies policies, String actor, Instant now) {
        Priority previousPriority = priority;
        String previousTitle = title;
        String previousSeverity = severity;
        fill(f);
        if (previousPriority == priority && previousTitle.equals(title) && previousSeverity.equals(severity)) {
            return Optional.empty();
        }
        boolean priorityChanged = previousPriority != priority;
        if (priorityChanged && status.escalates()) {
            // the escalation now follows the new priority's policy, from the level already reached
            nextEscalationAt = policies.of(priority).nextDue(escalationLevel, raisedAt).orElse(null);
        }
        phase = Phase.UPDATE;
        updatedAt = now;
        String what = priorityChanged ? "priority " + previousPriority + " → " + priority : "severity " + previousSeverity + " → " + severity;
        return Optional.of(new AlertEffect(new Transition(now, actor, "UPDATE", status, status, what),
                Optional.of(new Notice(Phase.UPDATE, Change.UPDATED, null, List.of())),
                new AlertEvent.Updated(Change.UPDATED, priorityChanged ? previousPriority : null, null),
                new AuditLine("alert.update", Map.of("priority", priority.name())), EnumSet.noneOf(Measure.class)));
    }

    private AlertEffect end(AlertStatus to, EndCause cause, String reason, DismissReason dismissed, String actor, AlertStatus from,
                            Instant now, String shown, AuditLine audit, Set<Measure> measures) {
        status = to;
        endedAt = now;
        resolvedAt = now;
        endCause = cause;
        resolvedReason = reason;
        dismissReason = dismissed;
        nextEscalationAt = null;
        phase = Phase.END;
        updatedAt = now;
        boolean dismissal = to == AlertStatus.DISMISSED;
        Set<Measure> counted = EnumSet.of(Measure.ENDED);
        counted.addAll(measures);
        return new AlertEffect(new Transition(now, actor, dismissal ? "DISMISS" : "END", from, to, shown),
                Optional.of(new Notice(Phase.END, dismissal ? Change.DISMISSED : Change.RESOLVED, null, List.of())),
                new AlertEvent.Ended(to, cause, dismissal ? "dismissed: " + dismissed : reason), audit, counted);
    }

    /** The alert follows the finding it now reflects: its rule version, action and protocol are the newer finding's. */
    private void fill(Finding f) {
        ruleVersion = f.ruleVersion();
        ruleAction = f.action();
        protocolId = f.protocolId();
        protocolVersion = f.protocolVersion();
        severity = f.severity();
        priority = f.priority();
        latching = latching || f.priority() == Priority.HIGH;
        title = f.title();
        detail = f.detail();
        sourceObservation = f.observation();
    }

    private void refuseIfEnded() {
        if (status.ended()) {
            throw ProblemException.conflict("ALRT-0104", "Alert has ended", "alert " + id + " is " + status);
        }
    }

    // ------------------------------------------------------------------------------------------- reading

    public UUID id() {
        return id;
    }

    public String patientId() {
        return patientId;
    }

    public UUID findingId() {
        return findingId;
    }

    public UUID currentFindingId() {
        return currentFindingId;
    }

    public String ruleId() {
        return ruleId;
    }

    public String ruleVersion() {
        return ruleVersion;
    }

    public String ruleAction() {
        return ruleAction;
    }

    /** The protocol the alert's finding was evaluated under; null when unknown. */
    public String protocolId() {
        return protocolId;
    }

    /** That protocol's version; null when unknown. */
    public String protocolVersion() {
        return protocolVersion;
    }

    public String severity() {
        return severity;
    }

    public Priority priority() {
        return priority;
    }

    public AlertStatus status() {
        return status;
    }

    public Condition condition() {
        return condition;
    }

    public boolean latching() {
        return latching;
    }

    public String ward() {
        return ward;
    }

    public String bed() {
        return bed;
    }

    public String title() {
        return title;
    }

    public String sourceObservation() {
        return sourceObservation;
    }

    public Instant raisedAt() {
        return raisedAt;
    }

    public Instant acknowledgedAt() {
        return acknowledgedAt;
    }

    public String acknowledgedBy() {
        return acknowledgedBy;
    }

    public DismissReason dismissReason() {
        return dismissReason;
    }

    public int escalationLevel() {
        return escalationLevel;
    }

    public Instant nextEscalationAt() {
        return nextEscalationAt;
    }

    public int reopenCount() {
        return reopenCount;
    }
}
