package org.hdil2.alert.persistence;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;

import com.fasterxml.jackson.databind.JsonNode;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.hdil2.alert.api.AlertView;
import org.hdil2.alert.domain.AlertText;
import org.hdil2.alert.domain.Priority;
import org.hdil2.kit.audit.AuditTrail;
import org.hdil2.kit.inbox.InboundEvent;
import org.hdil2.kit.outbox.Outbox;

/**
 * Raises an alert per finding and resolves it when the finding clears. One alert per finding; while a patient has
 * an active alert for a rule, another finding of the same rule does not raise a second one (de-duplication).
 */
@ApplicationScoped
public class AlertStore {

    static final String RAISED = "org.hdil2.alerts.alert-raised.v1";
    static final String RESOLVED = "org.hdil2.alerts.alert-resolved.v1";
    private static final String CONSUMER = "alert.findings";

    @Inject
    Outbox outbox;

    @Inject
    AuditTrail audit;

    @ConfigProperty(name = "hdil2.topics.alert-events")
    String topic;

    @Transactional(Transactional.TxType.MANDATORY)
    public void onFindingRaised(InboundEvent event) {
        JsonNode d = event.data();
        UUID findingId = UUID.fromString(d.path("findingId").asText());
        JsonNode rule = d.path("rule");
        if (AlertEntity.byFinding(findingId) != null || AlertEntity.activeFor(event.patientId(), rule.path("id").asText()) != null) {
            return;
        }
        JsonNode o = d.path("observation");
        AlertEntity a = new AlertEntity();
        a.id = UUID.randomUUID();
        a.patientId = event.patientId();
        a.findingId = findingId;
        a.ruleId = rule.path("id").asText();
        a.ruleVersion = rule.path("version").asText();
        a.priority = Priority.fromSeverity(d.path("severity").asText()).name();
        a.status = AlertEntity.ACTIVE;
        a.title = AlertText.title(rule.path("action").asText(), rule.path("criterion").asText(), o.path("value").asText(),
                o.path("unit").asText());
        a.detail = AlertText.detail(a.ruleId, a.ruleVersion, rule.path("source").asText(), o.path("effectiveTime").asText());
        a.raisedAt = Instant.now();
        a.persist();
        audit.byEvent(CONSUMER, event.id(), "alert.raise", a.patientId, "Alert", a.id.toString(), Map.of("priority", a.priority));
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("alertId", a.id.toString());
        data.put("patientId", a.patientId);
        data.put("priority", a.priority);
        data.put("findingId", a.findingId.toString());
        data.put("ruleId", a.ruleId);
        data.put("title", a.title);
        data.put("raisedAt", a.raisedAt.toString());
        outbox.append(topic, a.patientId, RAISED, a.raisedAt, data);
    }

    @Transactional(Transactional.TxType.MANDATORY)
    public void onFindingCleared(InboundEvent event) {
        UUID findingId = UUID.fromString(event.data().path("findingId").asText());
        AlertEntity a = AlertEntity.byFinding(findingId);
        if (a == null) {
            // the finding was merged into an alert raised for an earlier finding of the same rule
            a = AlertEntity.activeFor(event.patientId(), event.data().path("rule").path("id").asText());
        }
        if (a == null || !AlertEntity.ACTIVE.equals(a.status)) {
            return;
        }
        a.status = AlertEntity.RESOLVED;
        a.resolvedAt = Instant.now();
        a.resolvedReason = "condition cleared: " + event.data().path("observation").path("value").asText() + " "
                + event.data().path("observation").path("unit").asText() + " at " + event.data().path("clearedAt").asText();
        audit.byEvent(CONSUMER, event.id(), "alert.resolve", a.patientId, "Alert", a.id.toString(), Map.of());
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("alertId", a.id.toString());
        data.put("patientId", a.patientId);
        data.put("findingId", a.findingId.toString());
        data.put("resolvedAt", a.resolvedAt.toString());
        data.put("reason", a.resolvedReason);
        outbox.append(topic, a.patientId, RESOLVED, a.resolvedAt, data);
    }

    public Optional<AlertView> find(UUID id) {
        return AlertEntity.<AlertEntity>findByIdOptional(id).map(AlertStore::view);
    }

    public List<AlertView> search(String patientId, String status, int page, int size) {
        return AlertEntity.search(patientId, status, page, size).stream().map(AlertStore::view).toList();
    }

    private static AlertView view(AlertEntity a) {
        return new AlertView(a.id, a.patientId, a.findingId, a.ruleId, a.ruleVersion, a.priority, a.status, a.title, a.detail,
                a.raisedAt, a.resolvedAt, a.resolvedReason);
    }
}
