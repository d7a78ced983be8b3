package org.hdil2.alert.api;

import java.util.List;
import java.util.Optional;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import org.hdil2.alert.delivery.Notifier;
import org.hdil2.alert.domain.AlertStatus;
import org.hdil2.alert.domain.Priority;
import org.hdil2.alert.persistence.AlertEntity;
import org.hdil2.alert.persistence.AlertTransitionEntity;

/** Alerts as client apps read them: one with its history, or a page of a search. */
@ApplicationScoped
public class AlertViews {

    @Inject
    ObjectMapper json;

    @Transactional
    public Optional<AlertView> find(UUID id) {
        return AlertEntity.<AlertEntity>findByIdOptional(id).map(a -> view(a, true));
    }

    @Transactional
    public List<AlertView> search(String patientId, List<AlertStatus> statuses, String ward, List<Priority> priorities, int page,
                                  int size) {
        return AlertEntity.search(patientId, statuses, ward, priorities, page, size).stream().map(a -> view(a, false)).toList();
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
        AlertView.Protocol protocol = a.protocolId == null ? null : new AlertView.Protocol(a.protocolId, a.protocolVersion);
        return new AlertView(a.id, a.patientId, a.findingId, a.currentFindingId, a.ruleId, a.ruleVersion, a.ruleAction, protocol,
                a.severity, a.priority.name(), a.status.name(), a.condition.name(), a.status.alarmState(),
                a.status.inactivationState(), a.latching, a.phase.acm(), a.title, a.detail, observation, a.ward, a.bed, a.raisedAt,
                a.updatedAt, a.conditionChangedAt, a.acknowledgedAt, a.acknowledgedBy, a.escalationLevel, a.nextEscalationAt,
                a.reopenCount, a.resolvedAt, a.resolvedReason, a.dismissReason == null ? null : a.dismissReason.name(),
                Notifier.SECONDARY_NOTICE, history);
    }
}
