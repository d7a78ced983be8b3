package org.hdil2.alert.persistence;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.hdil2.alert.api.AlertView;
import org.hdil2.alert.config.AlertConfig;
import org.hdil2.alert.config.Policies;
import org.hdil2.alert.delivery.AlertMetrics;
import org.hdil2.alert.delivery.Notifier;
import org.hdil2.alert.domain.AlertStatus;
import org.hdil2.alert.domain.AlertText;
import org.hdil2.alert.domain.AssignmentRole;
import org.hdil2.alert.domain.Change;
import org.hdil2.alert.domain.DismissReason;
import org.hdil2.alert.domain.EscalationPolicy;
import org.hdil2.alert.domain.Phase;
import org.hdil2.alert.domain.Priority;
import org.hdil2.kit.audit.AuditTrail;
import org.hdil2.kit.inbox.InboundEvent;
import org.hdil2.kit.outbox.Outbox;
import org.hdil2.kit.problem.ProblemException;

/**
 * The alert lifecycle (IHE PCD ACM phases start / update / escalate / end). One open alert per patient and rule:
 * a finding's start raises it, a change of the finding updates it, its clearing ends it unless it latches (HIGH
 * alerts stay until acknowledged; the clearing is recorded and shown). A rule met again within the flap window
 * after its alert ended reopens that alert. A finding seen again (same finding id) changes nothing and notifies
 * nobody. Every change is one transaction: the alert row, its history, the notification (SSE / webhook), the
 * analytics event (outbox) and the audit entry commit together or not at all.
 */
@ApplicationScoped
public class AlertStore {

    static final String RAISED = "org.hdil2.alerts.alert-raised.v1";
    static final String UPDATED = "org.hdil2.alerts.alert-updated.v1";
    static final String RESOLVED = "org.hdil2.alerts.alert-resolved.v1";
    public static final String CONSUMER = "alert.findings";
    public static final String ESCALATION = "alert.escalation";

    @Inject
    Outbox outbox;

    @Inject
    AuditTrail audit;

    @Inject
    Notifier notifier;

    @Inject
    AlertMetrics metrics;

    @Inject
    Policies policies;

    @Inject
    AlertConfig config;

    @Inject
    Clock clock;

    @Inject
    ObjectMapper json;

    @ConfigProperty(name = "hdil2.topics.alert-events")
    String topic;

    // ------------------------------------------------------------------------------------------- findings

    @Transactional(Transactional.TxType.MANDATORY)
    public void onFindingRaised(InboundEvent event) {
        onFinding(event, false);
    }

    @Transactional(Transactional.TxType.MANDATORY)
    public void onFindingUpdated(InboundEvent event) {
        onFinding(event, true);
    }

    private void onFinding(InboundEvent event, boolean update) {
        JsonNode d = event.data();
        UUID findingId = UUID.fromString(d.path("findingId").asText());
        FindingFacts f = FindingFacts.of(d, policies, json);
        Instant now = clock.instant();
        String actor = "system:" + CONSUMER;

        AlertFindingEntity known = AlertFindingEntity.findById(findingId);
        if (known != null) {
            if (!update || known.clearedAt != null) {
                return; // the same finding again (or a late update of a cleared one): nothing new to tell anyone
            }
            AlertEntity a = AlertEntity.locked(known.alertId);
            if (a == null || a.endedAt != null) {
                return;
            }
            known.severity = f.severity;
            a.currentFindingId = findingId;
            applyChange(event, a, f, now, actor, Change.UPDATED);
            return;
        }

        AlertEntity open = AlertEntity.openFor(event.patientId(), f.ruleId);
        if (open != null) {
            attach(findingId, open.id, f.severity, now);
            String from = open.status;
            open.currentFindingId = findingId;
            if (AlertEntity.CLEARED.equals(open.condition)) {
                // a latched alert whose condition returns before anyone acknowledged it: one alert, shown active again
                open.condition = AlertEntity.PRESENT;
                open.conditionChangedAt = now;
                open.status = AlertStatus.ACTIVE.name();
                fill(open, f);
                open.phase = Phase.UPDATE.name();
                open.updatedAt = now;
                transition(open, actor, "CONDITION_PRESENT", from, "rule met again while latched", now);
                notifier.notify(open, Phase.UPDATE, Change.CONDITION_PRESENT, null, List.of(), now);
                updatedEvent(open, Change.CONDITION_PRESENT, null, null, now);
                audit.byEvent(CONSUMER, event.id(), "alert.condition-present", open.patientId, "Alert", open.id.toString(), Map.of());
            } else {
                applyChange(event, open, f, now, actor, Change.UPDATED);
            }
            return;
        }

        AlertEntity ended = AlertEntity.endedByClearingSince(event.patientId(), f.ruleId, now.minus(config.flapWindow()));
        if (ended != null) {
            reopen(event, ended, findingId, f, now, actor);
            return;
        }
        raise(event, findingId, f, now, actor);
    }

    private void raise(InboundEvent event, UUID findingId, FindingFacts f, Instant now, String actor) {
        AlertEntity a = new AlertEntity();
        a.id = UUID.randomUUID();
        a.patientId = event.patientId();
        a.findingId = findingId;
        a.currentFindingId = findingId;
        a.ruleId = f.ruleId;
        fill(a, f);
        a.status = AlertStatus.ACTIVE.name();
        a.condition = AlertEntity.PRESENT;
        a.conditionChangedAt = now;
        a.phase = Phase.START.name();
        a.raisedAt = now;
        a.updatedAt = now;
        a.escalationLevel = 0;
        locate(a, now);
        EscalationPolicy policy = policies.escalation(Priority.valueOf(a.priority));
        a.nextEscalationAt = policy.nextDue(0, now).orElse(null);
        a.persist();
        attach(findingId, a.id, f.severity, now);
        transition(a, actor, "RAISE", null, "rule " + a.ruleId + " v" + a.ruleVersion + " met; priority " + a.priority, now);
        String role = policy.roleAt(0).map(Enum::name).orElse(null);
        // the first notification of every alert goes out in this transaction: nothing suppresses or delays it
        notifier.notify(a, Phase.START, Change.RAISED, role, recipients(a, role, now), now);
        audit.byEvent(CONSUMER, event.id(), "alert.raise", a.patientId, "Alert", a.id.toString(), Map.of("priority", a.priority));
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("alertId", a.id.toString());
        data.put("patientId", a.patientId);
        data.put("priority", a.priority);
        data.put("findingId", a.findingId.toString());
        data.put("ruleId", a.ruleId);
        data.put("title", a.title);
        data.put("raisedAt", a.raisedAt.toString());
        outbox.append(topic, a.patientId, RAISED, now, data);
        metrics.raised(a.ruleId, a.priority);
    }

    private void reopen(InboundEvent event, AlertEntity a, UUID findingId, FindingFacts f, Instant now, String actor) {
        String from = a.status;
        attach(findingId, a.id, f.severity, now);
        a.currentFindingId = findingId;
        fill(a, f);
        a.condition = AlertEntity.PRESENT;
        a.conditionChangedAt = now;
        // a non-latching alert acknowledged while present keeps its owner; a latching (HIGH) one must be acknowledged
        // again: a recurrence of a HIGH condition is never hidden behind an earlier acknowledgement
        boolean keepsOwner = a.acknowledgedAt != null && !a.latching;
        a.status = (keepsOwner ? AlertStatus.ACKNOWLEDGED : AlertStatus.ACTIVE).name();
        if (!keepsOwner) {
            a.acknowledgedAt = null;
            a.acknowledgedBy = null;
        }
        a.endedAt = null;
        a.endCause = null;
        a.resolvedAt = null;
        a.resolvedReason = null;
        a.phase = Phase.UPDATE.name();
        a.updatedAt = now;
        a.reopenCount++;
        a.nextEscalationAt = AlertStatus.valueOf(a.status).escalates()
                ? policies.escalation(Priority.valueOf(a.priority)).nextDueAfterRestart(a.escalationLevel, now).orElse(null)
                : null;
        transition(a, actor, "REOPEN", from, "rule met again within the flap window (" + config.flapWindow() + ")", now);
        notifier.notify(a, Phase.UPDATE, Change.REOPENED, null, List.of(), now);
        updatedEvent(a, Change.REOPENED, null, null, now);
        audit.byEvent(CONSUMER, event.id(), "alert.reopen", a.patientId, "Alert", a.id.toString(), Map.of("priority", a.priority));
        metrics.reopened(a.ruleId, a.priority);
    }

    /** The finding continues with other values: update the alert only when what people see changes. */
    private void applyChange(InboundEvent event, AlertEntity a, FindingFacts f, Instant now, String actor, Change change) {
        String previousPriority = a.priority;
        String previousTitle = a.title;
        String previousSeverity = a.severity;
        fill(a, f);
        if (previousPriority.equals(a.priority) && previousTitle.equals(a.title) && previousSeverity.equals(a.severity)) {
            return;
        }
        if (!previousPriority.equals(a.priority) && AlertStatus.valueOf(a.status).escalates()) {
            // the escalation now follows the new priority's policy, from the level already reached
            EscalationPolicy policy = policies.escalation(Priority.valueOf(a.priority));
            a.nextEscalationAt = policy.nextDue(a.escalationLevel, a.raisedAt).orElse(null);
        }
        a.phase = Phase.UPDATE.name();
        a.updatedAt = now;
        transition(a, actor, "UPDATE", a.status, previousPriority.equals(a.priority) ? "severity " + previousSeverity + " → "
                + a.severity : "priority " + previousPriority + " → " + a.priority, now);
        notifier.notify(a, Phase.UPDATE, change, null, List.of(), now);
        updatedEvent(a, change, previousPriority.equals(a.priority) ? null : previousPriority, null, now);
        audit.byEvent(CONSUMER, event.id(), "alert.update", a.patientId, "Alert", a.id.toString(), Map.of("priority", a.priority));
    }

    @Transactional(Transactional.TxType.MANDATORY)
    public void onFindingCleared(InboundEvent event) {
        JsonNode d = event.data();
        UUID findingId = UUID.fromString(d.path("findingId").asText());
        Instant now = clock.instant();
        AlertFindingEntity known = AlertFindingEntity.findById(findingId);
        if (known == null || known.clearedAt != null) {
            return; // never seen (nothing to end) or cleared already (a repeat)
        }
        AlertEntity a = AlertEntity.locked(known.alertId);
        known.clearedAt = now;
        if (a == null || a.endedAt != null || AlertEntity.CLEARED.equals(a.condition)) {
            return;
        }
        // the latest word of monitoring on this patient and rule decides: a clearing of any finding merged into the
        // alert clears its condition (after a monitoring restart the old finding may never be cleared on its own)
        JsonNode o = d.path("observation");
        String reason = "condition cleared: " + o.path("value").asText(o.path("valueCode").asText("")) + " "
                + o.path("unit").asText("") + " at " + d.path("clearedAt").asText();
        String actor = "system:" + CONSUMER;
        String from = a.status;
        a.condition = AlertEntity.CLEARED;
        a.conditionChangedAt = now;
        a.updatedAt = now;
        if (AlertStatus.ACTIVE.name().equals(a.status) && a.latching) {
            // latching: stays until acknowledged, shows that the condition has cleared
            a.status = AlertStatus.LATCHED.name();
            a.phase = Phase.UPDATE.name();
            a.resolvedReason = reason;
            transition(a, actor, "CONDITION_CLEARED", from, reason + "; latched until acknowledged", now);
            notifier.notify(a, Phase.UPDATE, Change.CONDITION_CLEARED, null, List.of(), now);
            updatedEvent(a, Change.CONDITION_CLEARED, null, null, now);
            audit.byEvent(CONSUMER, event.id(), "alert.latch", a.patientId, "Alert", a.id.toString(), Map.of());
            return;
        }
        end(a, AlertStatus.RESOLVED, "CONDITION_CLEARED", reason, null, actor, from, now);
        audit.byEvent(CONSUMER, event.id(), "alert.resolve", a.patientId, "Alert", a.id.toString(), Map.of());
    }

    // ------------------------------------------------------------------------------------------- people

    /** Acknowledge: the caller owns the alert. A latched alert whose condition has cleared ends here. */
    @Transactional
    public AlertView acknowledge(UUID id, String user, String note) {
        AlertEntity a = lockedOr404(id);
        Instant now = clock.instant();
        AlertStatus status = AlertStatus.valueOf(a.status);
        if (status.ended()) {
            throw ProblemException.conflict("ALRT-0104", "Alert has ended", "alert " + id + " is " + a.status);
        }
        if (status == AlertStatus.ACKNOWLEDGED) {
            throw ProblemException.conflict("ALRT-0103", "Already acknowledged",
                    "alert " + id + " was acknowledged by " + a.acknowledgedBy + " at " + a.acknowledgedAt);
        }
        String actor = "user:" + user;
        a.acknowledgedAt = now;
        a.acknowledgedBy = user;
        String detail = note == null || note.isBlank() ? "acknowledged" : "acknowledged: " + note.strip();
        metrics.acknowledged(a.ruleId, a.priority, Duration.between(a.raisedAt, now));
        if (status == AlertStatus.LATCHED) {
            end(a, AlertStatus.RESOLVED, "ACKNOWLEDGED_AFTER_CLEARING", a.resolvedReason + "; acknowledged by " + user, null,
                    actor, status.name(), now, detail);
        } else {
            a.status = AlertStatus.ACKNOWLEDGED.name();
            a.nextEscalationAt = null;
            a.phase = Phase.UPDATE.name();
            a.updatedAt = now;
            transition(a, actor, "ACKNOWLEDGE", status.name(), detail, now);
            notifier.notify(a, Phase.UPDATE, Change.ACKNOWLEDGED, null, List.of(user), now);
            updatedEvent(a, Change.ACKNOWLEDGED, null, null, now);
        }
        audit.byCaller("alert.acknowledge", a.patientId, "Alert", a.id.toString(), Map.of("from", status.name(), "to", a.status));
        return view(a, true);
    }

    /** A comment in the alert's history; allowed at any state, notifies nobody. */
    @Transactional
    public AlertView comment(UUID id, String user, String text) {
        AlertEntity a = lockedOr404(id);
        Instant now = clock.instant();
        transition(a, "user:" + user, "COMMENT", a.status, text.strip(), now);
        updatedEvent(a, Change.COMMENTED, null, null, now);
        audit.byCaller("alert.comment", a.patientId, "Alert", a.id.toString(), Map.of());
        return view(a, true);
    }

    /** A physician ends an open alert with a coded reason (OTHER needs a text). */
    @Transactional
    public AlertView dismiss(UUID id, String user, DismissReason reason, String text) {
        if (reason == DismissReason.OTHER && (text == null || text.isBlank())) {
            throw ProblemException.invalid("ALRT-0105", "text", "a dismissal for reason OTHER needs a text");
        }
        AlertEntity a = lockedOr404(id);
        AlertStatus status = AlertStatus.valueOf(a.status);
        if (status.ended()) {
            throw ProblemException.conflict("ALRT-0104", "Alert has ended", "alert " + id + " is " + a.status);
        }
        Instant now = clock.instant();
        String detail = "dismissed: " + reason + (text == null || text.isBlank() ? "" : " (" + text.strip() + ")");
        end(a, AlertStatus.DISMISSED, "DISMISSED", "dismissed by " + user + ": " + reason, reason, "user:" + user,
                status.name(), now, detail);
        metrics.dismissed(a.ruleId, reason.name());
        audit.byCaller("alert.dismiss", a.patientId, "Alert", a.id.toString(), Map.of("reason", reason.name()));
        return view(a, true);
    }

    // ------------------------------------------------------------------------------------------- escalation

    /**
     * Takes the next escalation step of a due alert the caller has locked (see {@code EscalationScheduler}).
     *
     * @return true when it escalated
     */
    @Transactional(Transactional.TxType.MANDATORY)
    public boolean escalate(AlertEntity a, Instant now) {
        if (a.nextEscalationAt == null || a.nextEscalationAt.isAfter(now) || !AlertStatus.valueOf(a.status).escalates()
                || a.endedAt != null) {
            return false;
        }
        EscalationPolicy policy = policies.escalation(Priority.valueOf(a.priority));
        int next = a.escalationLevel + 1;
        Optional<AssignmentRole> role = policy.roleAt(next);
        if (role.isEmpty()) {
            a.nextEscalationAt = null;
            return false;
        }
        a.escalationLevel = next;
        a.nextEscalationAt = policy.nextDue(next, a.raisedAt).orElse(null);
        a.phase = Phase.ESCALATE.name();
        a.updatedAt = now;
        List<String> to = recipients(a, role.get().name(), now);
        transition(a, "system:" + ESCALATION, "ESCALATE", a.status, "level " + next + ": " + role.get()
                + (to.isEmpty() ? " (nobody assigned: ward team)" : " " + to), now);
        notifier.notify(a, Phase.ESCALATE, Change.ESCALATED, role.get().name(), to, now);
        updatedEvent(a, Change.ESCALATED, null, role.get().name(), now);
        audit.byEvent(ESCALATION, "escalation:" + a.id + ":" + next, "alert.escalate", a.patientId, "Alert", a.id.toString(),
                Map.of("level", next, "role", role.get().name()));
        metrics.escalated(a.ruleId, a.priority, next);
        return true;
    }

    // ------------------------------------------------------------------------------------------- queries

    public Optional<AlertView> find(UUID id) {
        return AlertEntity.<AlertEntity>findByIdOptional(id).map(a -> view(a, true));
    }

    public List<AlertView> search(String patientId, List<String> statuses, String ward, List<String> priorities, int page,
                                  int size) {
        return AlertEntity.search(patientId, statuses, ward, priorities, page, size).stream().map(a -> view(a, false)).toList();
    }

    // ------------------------------------------------------------------------------------------- helpers

    private void end(AlertEntity a, AlertStatus to, String cause, String reason, DismissReason dismissReason, String actor,
                     String from, Instant now) {
        end(a, to, cause, reason, dismissReason, actor, from, now, reason);
    }

    private void end(AlertEntity a, AlertStatus to, String cause, String reason, DismissReason dismissReason, String actor,
                     String from, Instant now, String detail) {
        a.status = to.name();
        a.endedAt = now;
        a.resolvedAt = now;
        a.endCause = cause;
        a.resolvedReason = reason;
        a.dismissReason = dismissReason == null ? null : dismissReason.name();
        a.nextEscalationAt = null;
        a.phase = Phase.END.name();
        a.updatedAt = now;
        transition(a, actor, to == AlertStatus.DISMISSED ? "DISMISS" : "END", from, detail, now);
        notifier.notify(a, Phase.END, to == AlertStatus.DISMISSED ? Change.DISMISSED : Change.RESOLVED, null, List.of(), now);
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("alertId", a.id.toString());
        data.put("patientId", a.patientId);
        data.put("findingId", a.currentFindingId.toString());
        data.put("resolvedAt", now.toString());
        data.put("reason", to == AlertStatus.DISMISSED ? "dismissed: " + a.dismissReason : reason);
        data.put("status", to.name());
        data.put("outcome", cause);
        if (a.dismissReason != null) {
            data.put("dismissReason", a.dismissReason);
        }
        data.put("escalationLevel", a.escalationLevel);
        outbox.append(topic, a.patientId, RESOLVED, now, data);
        metrics.ended(a.ruleId, a.priority, a.escalationLevel);
    }

    private void updatedEvent(AlertEntity a, Change change, String previousPriority, String targetRole, Instant now) {
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("alertId", a.id.toString());
        data.put("patientId", a.patientId);
        data.put("ruleId", a.ruleId);
        data.put("change", change.name());
        data.put("status", a.status);
        data.put("condition", a.condition);
        data.put("priority", a.priority);
        data.put("escalationLevel", a.escalationLevel);
        data.put("occurredAt", now.toString());
        if (previousPriority != null) {
            data.put("previousPriority", previousPriority);
        }
        if (targetRole != null) {
            data.put("targetRole", targetRole);
        }
        outbox.append(topic, a.patientId, UPDATED, now, data);
    }

    private void fill(AlertEntity a, FindingFacts f) {
        a.ruleVersion = f.ruleVersion;
        a.ruleAction = f.action;
        a.severity = f.severity;
        a.priority = f.priority.name();
        a.latching = a.latching || f.priority == Priority.HIGH;
        a.title = f.title;
        a.detail = f.detail;
        a.sourceObservation = f.observation;
    }

    private static void attach(UUID findingId, UUID alertId, String severity, Instant now) {
        AlertFindingEntity af = new AlertFindingEntity();
        af.findingId = findingId;
        af.alertId = alertId;
        af.severity = severity;
        af.raisedAt = now;
        af.persist();
    }

    private static void locate(AlertEntity a, Instant now) {
        AssignmentEntity where = AssignmentEntity.locationOf(a.patientId, now);
        if (where != null) {
            a.ward = where.ward;
            a.bed = where.bed;
        }
    }

    private static List<String> recipients(AlertEntity a, String role, Instant now) {
        return role == null ? List.of() : AssignmentEntity.coverers(a.patientId, a.ward, a.bed, role, now);
    }

    private static void transition(AlertEntity a, String actor, String action, String from, String detail, Instant now) {
        AlertTransitionEntity t = new AlertTransitionEntity();
        t.alertId = a.id;
        t.at = now;
        t.actor = actor;
        t.action = action;
        t.fromStatus = from;
        t.toStatus = a.status;
        t.detail = detail;
        t.persist();
    }

    private static AlertEntity lockedOr404(UUID id) {
        AlertEntity a = AlertEntity.locked(id);
        if (a == null) {
            throw ProblemException.notFound("ALRT-0102", "alert " + id);
        }
        return a;
    }

    private AlertView view(AlertEntity a, boolean withHistory) {
        List<AlertView.Transition> history = withHistory ? AlertTransitionEntity.of(a.id).stream()
                .map(t -> new AlertView.Transition(t.at, t.actor, t.action, t.fromStatus, t.toStatus, t.detail)).toList() : null;
        JsonNode observation;
        try {
            observation = json.readTree(a.sourceObservation);
        } catch (JsonProcessingException e) {
            observation = null;
        }
        AlertStatus status = AlertStatus.valueOf(a.status);
        return new AlertView(a.id, a.patientId, a.findingId, a.currentFindingId, a.ruleId, a.ruleVersion, a.ruleAction,
                a.severity, a.priority, a.status, a.condition, status.alarmState(), status.inactivationState(), a.latching,
                Phase.valueOf(a.phase).acm(), a.title, a.detail, observation, a.ward, a.bed, a.raisedAt, a.updatedAt,
                a.conditionChangedAt, a.acknowledgedAt, a.acknowledgedBy, a.escalationLevel, a.nextEscalationAt, a.reopenCount,
                a.resolvedAt, a.resolvedReason, a.dismissReason, Notifier.SECONDARY_NOTICE, history);
    }

    /** What the alert needs from a finding event. */
    record FindingFacts(String ruleId, String ruleVersion, String action, String severity, Priority priority, String title,
                        String detail, String observation) {

        static FindingFacts of(JsonNode d, Policies policies, ObjectMapper json) {
            JsonNode rule = d.path("rule");
            JsonNode o = d.path("observation");
            String ruleId = rule.path("id").asText();
            String action = rule.path("action").asText();
            String severity = d.path("severity").asText("HIGH");
            Priority priority = policies.priority().priorityOf(ruleId, action, severity);
            String value = o.hasNonNull("value") ? o.path("value").asText() : o.path("valueCode").asText("");
            JsonNode detailNode = d.path("detail");
            String shown = detailNode.isObject() && detailNode.has("value")
                    ? detailNode.path("name").asText() + " " + detailNode.path("value").asText()
                            + (detailNode.hasNonNull("grade") ? " grade " + detailNode.path("grade").asText() : "")
                    : value;
            String unit = detailNode.isObject() && detailNode.has("value") ? detailNode.path("unit").asText("") : o.path("unit").asText("");
            String title = AlertText.title(action, rule.path("criterion").asText(), shown, unit);
            String detail = AlertText.detail(action, ruleId, rule.path("version").asText(), rule.path("source").asText(),
                    o.path("effectiveTime").asText());
            Map<String, Object> obs = new LinkedHashMap<>();
            for (String field : List.of("observationId", "code", "value", "valueCode", "unit", "effectiveTime", "sourceKind", "parameter")) {
                if (o.hasNonNull(field)) {
                    obs.put(field, o.get(field));
                }
            }
            String observation;
            try {
                observation = json.writeValueAsString(obs);
            } catch (JsonProcessingException e) {
                observation = "{}";
            }
            return new FindingFacts(ruleId, rule.path("version").asText(), action, severity, priority, title, detail, observation);
        }
    }
}
