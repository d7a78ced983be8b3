package org.hdil2.alert.messaging;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

import org.hdil2.alert.domain.Alert;
import org.hdil2.alert.domain.AlertEvent;

/** Every event type alert-service reads or writes, and the payloads of those it writes: in one place. */
public final class AlertEvents {

    public static final String FINDING_RAISED = "org.hdil2.monitoring.finding-raised.v1";
    public static final String FINDING_UPDATED = "org.hdil2.monitoring.finding-updated.v1";
    public static final String FINDING_CLEARED = "org.hdil2.monitoring.finding-cleared.v1";
    /** On the findings topic and knowingly ignored. */
    public static final String EVALUATION_UPDATED = "org.hdil2.monitoring.evaluation-updated.v1";
    public static final String EVALUATION_CHECKPOINT = "org.hdil2.monitoring.evaluation-checkpoint.v1";

    public static final String ALERT_RAISED = "org.hdil2.alerts.alert-raised.v1";
    public static final String ALERT_UPDATED = "org.hdil2.alerts.alert-updated.v1";
    public static final String ALERT_RESOLVED = "org.hdil2.alerts.alert-resolved.v1";

    private AlertEvents() {
    }

    public static String type(AlertEvent event) {
        if (event instanceof AlertEvent.Raised) {
            return ALERT_RAISED;
        }
        return event instanceof AlertEvent.Updated ? ALERT_UPDATED : ALERT_RESOLVED;
    }

    /** The event's data, as the AsyncAPI document and the JSON Schemas in platform/contract describe it. */
    public static Map<String, Object> data(Alert a, AlertEvent event, Instant at) {
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("alertId", a.id().toString());
        data.put("patientId", a.patientId());
        if (event instanceof AlertEvent.Raised) {
            data.put("priority", a.priority().name());
            data.put("findingId", a.findingId().toString());
            data.put("ruleId", a.ruleId());
            protocol(a).ifPresent(p -> data.put("protocol", p));
            data.put("title", a.title());
            data.put("raisedAt", a.raisedAt().toString());
        } else if (event instanceof AlertEvent.Updated u) {
            data.put("ruleId", a.ruleId());
            protocol(a).ifPresent(p -> data.put("protocol", p));
            data.put("change", u.change().name());
            data.put("status", a.status().name());
            data.put("condition", a.condition().name());
            data.put("priority", a.priority().name());
            data.put("escalationLevel", a.escalationLevel());
            data.put("occurredAt", at.toString());
            if (u.previousPriority() != null) {
                data.put("previousPriority", u.previousPriority().name());
            }
            if (u.targetRole() != null) {
                data.put("targetRole", u.targetRole().name());
            }
        } else if (event instanceof AlertEvent.Ended e) {
            data.put("findingId", a.currentFindingId().toString());
            protocol(a).ifPresent(p -> data.put("protocol", p));
            data.put("resolvedAt", at.toString());
            data.put("reason", e.reason());
            data.put("status", e.status().name());
            data.put("outcome", e.outcome().name());
            if (a.dismissReason() != null) {
                data.put("dismissReason", a.dismissReason().name());
            }
            data.put("escalationLevel", a.escalationLevel());
        }
        return data;
    }

    /**
     * The alert's protocol as the events carry it: {@code {"id", "version"?}}; empty when unknown (an alert stored
     * before findings named it).
     */
    private static Optional<Map<String, Object>> protocol(Alert a) {
        if (a.protocolId() == null) {
            return Optional.empty();
        }
        Map<String, Object> p = new LinkedHashMap<>();
        p.put("id", a.protocolId());
        if (a.protocolVersion() != null) {
            p.put("version", a.protocolVersion());
        }
        return Optional.of(p);
    }
}
