package org.hdil2.alert.app;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Function;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import org.hdil2.alert.config.AlertConfig;
import org.hdil2.alert.config.Policies;
import org.hdil2.alert.config.Topics;
import org.hdil2.alert.delivery.AlertMetrics;
import org.hdil2.alert.delivery.Notifier;
import org.hdil2.alert.domain.Alert;
import org.hdil2.alert.domain.AlertEffect;
import org.hdil2.alert.domain.AlertText;
import org.hdil2.alert.domain.DismissReason;
import org.hdil2.alert.domain.Finding;
import org.hdil2.alert.domain.Priority;
import org.hdil2.alert.messaging.AlertEvents;
import org.hdil2.alert.messaging.FindingEvent;
import org.hdil2.alert.persistence.AlertEntity;
import org.hdil2.alert.persistence.AlertFindingEntity;
import org.hdil2.alert.persistence.AlertTransitionEntity;
import org.hdil2.alert.persistence.AssignmentEntity;
import org.hdil2.kit.audit.AuditTrail;
import org.hdil2.kit.outbox.Outbox;
import org.hdil2.kit.problem.ProblemException;

/**
 * The alert use cases: findings from monitoring, people's acknowledgements, comments and dismissals, and escalation
 * steps. Each one locks the alert row, restores the {@link Alert}, lets it decide, and writes what it decided in one
 * transaction: the row, its history, the notification (SSE / webhook), the analytics event (outbox), the audit entry
 * and, after commit, the metrics. A finding seen again (same finding id) changes nothing and notifies nobody.
 */
@ApplicationScoped
public class AlertLifecycle {

    /** The inbox consumer name of the findings, also the audit source of what they change. */
    public static final String CONSUMER = "alert.findings";
    public static final String ESCALATION = "alert.escalation";
    private static final String FINDINGS_ACTOR = "system:" + CONSUMER;
    private static final String ESCALATION_ACTOR = "system:" + ESCALATION;

    /** Who the audit trail names for a change. */
    @FunctionalInterface
    private interface AuditSource {
        void record(Alert a, AlertEffect.AuditLine line);
    }

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
    Topics topics;

    @Inject
    Clock clock;

    @Inject
    ObjectMapper json;

    // ------------------------------------------------------------------------------------------- findings

    @Transactional(Transactional.TxType.MANDATORY)
    public void onFindingRaised(FindingEvent event) {
        onFinding(event, false);
    }

    @Transactional(Transactional.TxType.MANDATORY)
    public void onFindingUpdated(FindingEvent event) {
        onFinding(event, true);
    }

    private void onFinding(FindingEvent event, boolean update) {
        Finding f = finding(event);
        Instant now = clock.instant();
        AuditSource source = byEvent(event);
        AlertFindingEntity known = AlertFindingEntity.findById(event.findingId());
        if (known != null) {
            if (!update || known.clearedAt != null) {
                return; // the same finding again (or a late update of a cleared one): nothing new to tell anyone
            }
            AlertEntity row = AlertEntity.locked(known.alertId);
            if (row == null) {
                return;
            }
            known.severity = f.severity();
            Alert a = Alert.restore(row.state());
            apply(row, a, a.onFindingUpdated(event.findingId(), f, policies::escalation, FINDINGS_ACTOR, now), source);
            return;
        }
        AlertEntity open = AlertEntity.openFor(event.patientId(), f.ruleId());
        if (open != null) {
            attach(event.findingId(), open.id, f.severity(), now);
            Alert a = Alert.restore(open.state());
            apply(open, a, a.onFindingStarted(event.findingId(), f, policies::escalation, FINDINGS_ACTOR, now), source);
            return;
        }
        AlertEntity ended = AlertEntity.endedByClearingSince(event.patientId(), f.ruleId(), now.minus(config.flapWindow()));
        if (ended != null) {
            attach(event.findingId(), ended.id, f.severity(), now);
            Alert a = Alert.restore(ended.state());
            apply(ended, a, Optional.of(a.reopen(event.findingId(), f, policies::escalation, config.flapWindow(), FINDINGS_ACTOR,
                    now)), source);
            return;
        }
        AssignmentEntity where = AssignmentEntity.locationOf(event.patientId(), now);
        Alert.Raised raised = Alert.raise(UUID.randomUUID(), event.patientId(), event.findingId(), f, where == null ? null : where.ward,
                where == null ? null : where.bed, policies::escalation, recipients(now), FINDINGS_ACTOR, now);
        AlertEntity row = AlertEntity.of(raised.alert().state());
        row.persist();
        attach(event.findingId(), row.id, f.severity(), now);
        apply(row, raised.alert(), Optional.of(raised.effect()), source);
    }

    @Transactional(Transactional.TxType.MANDATORY)
    public void onFindingCleared(FindingEvent event) {
        Instant now = clock.instant();
        AlertFindingEntity known = AlertFindingEntity.findById(event.findingId());
        if (known == null || known.clearedAt != null) {
            return; // never seen (nothing to end) or cleared already (a repeat)
        }
        AlertEntity row = AlertEntity.locked(known.alertId);
        known.clearedAt = now;
        if (row == null) {
            return;
        }
        String reason = "condition cleared: " + event.observationValue() + " " + event.observationUnit() + " at " + event.clearedAt();
        Alert a = Alert.restore(row.state());
        apply(row, a, a.onFindingCleared(reason, FINDINGS_ACTOR, now), byEvent(event));
    }

    // ------------------------------------------------------------------------------------------- people

    @Transactional
    public void acknowledge(UUID id, String user, String note) {
        byPerson(id, a -> a.acknowledge(user, note, clock.instant()));
    }

    @Transactional
    public void comment(UUID id, String user, String text) {
        byPerson(id, a -> a.comment(user, text, clock.instant()));
    }

    @Transactional
    public void dismiss(UUID id, String user, DismissReason reason, String text) {
        byPerson(id, a -> a.dismiss(user, reason, text, clock.instant()));
    }

    /** A person's command on one alert: the caller is audited. */
    private void byPerson(UUID id, Function<Alert, AlertEffect> command) {
        AlertEntity row = lockedOr404(id);
        Alert a = Alert.restore(row.state());
        apply(row, a, Optional.of(command.apply(a)), this::byCaller);
    }

    // ------------------------------------------------------------------------------------------- escalation

    /**
     * Takes the next escalation step of a due alert the caller has locked (see {@code EscalationScheduler}).
     *
     * @return true when it escalated
     */
    @Transactional(Transactional.TxType.MANDATORY)
    public boolean escalate(AlertEntity row, Instant now) {
        Alert a = Alert.restore(row.state());
        Optional<AlertEffect> effect = a.escalate(policies::escalation, recipients(now), ESCALATION_ACTOR, now);
        apply(row, a, effect, (alert, line) -> audit.byEvent(ESCALATION, "escalation:" + alert.id() + ":" + alert.escalationLevel(),
                line.action(), alert.patientId(), "Alert", alert.id().toString(), line.details()));
        return effect.isPresent();
    }

    // ------------------------------------------------------------------------------------------- writing what the alert decided

    private void apply(AlertEntity row, Alert a, Optional<AlertEffect> effect, AuditSource source) {
        row.write(a.state());
        if (effect.isEmpty()) {
            return;
        }
        AlertEffect e = effect.get();
        AlertEffect.Transition t = e.transition();
        AlertTransitionEntity history = new AlertTransitionEntity();
        history.alertId = a.id();
        history.at = t.at();
        history.actor = t.actor();
        history.action = t.action();
        history.fromStatus = t.from() == null ? null : t.from().name();
        history.toStatus = t.to().name();
        history.detail = t.detail();
        history.persist();
        e.notice().ifPresent(n -> notifier.notify(a, n, t.at()));
        outbox.append(topics.alertEvents(), a.patientId(), AlertEvents.type(e.event()), t.at(), AlertEvents.data(a, e.event(), t.at()));
        source.record(a, e.audit());
        String rule = a.ruleId();
        String priority = a.priority().name();
        for (AlertEffect.Measure m : e.measures()) {
            switch (m) {
                case RAISED -> metrics.raised(rule, priority);
                case REOPENED -> metrics.reopened(rule, priority);
                case ACKNOWLEDGED -> metrics.acknowledged(rule, priority, Duration.between(a.raisedAt(), t.at()));
                case ESCALATED -> metrics.escalated(rule, priority, a.escalationLevel());
                case ENDED -> metrics.ended(rule, priority, a.escalationLevel());
                case DISMISSED -> metrics.dismissed(rule, a.dismissReason().name());
            }
        }
    }

    private AuditSource byEvent(FindingEvent event) {
        return (a, line) -> audit.byEvent(CONSUMER, event.eventId(), line.action(), a.patientId(), "Alert", a.id().toString(),
                line.details());
    }

    private void byCaller(Alert a, AlertEffect.AuditLine line) {
        audit.byCaller(line.action(), a.patientId(), "Alert", a.id().toString(), line.details());
    }

    private static Alert.Recipients recipients(Instant now) {
        return (a, role) -> AssignmentEntity.coverers(a.patientId(), a.ward(), a.bed(), role.name(), now);
    }

    /** What the alert takes from the finding: its priority under this deployment's policy and the words a nurse sees. */
    private Finding finding(FindingEvent e) {
        Priority priority = policies.priority().priorityOf(e.ruleId(), e.action(), e.severity());
        String observation;
        try {
            observation = json.writeValueAsString(e.observation());
        } catch (JsonProcessingException ex) {
            observation = "{}";
        }
        return new Finding(e.ruleId(), e.ruleVersion(), e.action(), e.protocolId(), e.protocolVersion(), e.severity(), priority,
                AlertText.title(e.action(), e.criterion(), e.shownValue(), e.shownUnit()),
                AlertText.detail(e.action(), e.ruleId(), e.ruleVersion(), e.source(), e.effectiveTime()), observation);
    }

    private static void attach(UUID findingId, UUID alertId, String severity, Instant now) {
        AlertFindingEntity af = new AlertFindingEntity();
        af.findingId = findingId;
        af.alertId = alertId;
        af.severity = severity;
        af.raisedAt = now;
        af.persist();
    }

    private static AlertEntity lockedOr404(UUID id) {
        AlertEntity a = AlertEntity.locked(id);
        if (a == null) {
            throw ProblemException.notFound("ALRT-0102", "alert " + id);
        }
        return a;
    }
}
