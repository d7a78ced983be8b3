package org.hdil2.dosing.messaging;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletionStage;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.hdil2.dosing.domain.CourseEventType;
import org.hdil2.dosing.domain.PatientState;
import org.hdil2.dosing.persistence.PatientStates;
import org.hdil2.dosing.config.Topics;
import org.hdil2.dosing.persistence.CourseEntity;
import org.hdil2.dosing.persistence.EvaluationCheckpoints;
import org.hdil2.dosing.persistence.PatientEvaluationEntity;
import org.hdil2.dosing.persistence.PatientScreeningEntity;
import org.hdil2.kit.audit.AuditTrail;
import org.hdil2.kit.inbox.EventHandlers;
import org.hdil2.kit.inbox.EventInbox;
import org.hdil2.kit.inbox.InboundEvent;
import org.hdil2.kit.outbox.Outbox;

import io.smallrye.reactive.messaging.annotations.Blocking;
import io.smallrye.reactive.messaging.kafka.KafkaRecordBatch;

/**
 * What dosing learns from other services: each patient's latest screening and newest evaluation. Each event acts
 * once (inbox); state only moves forward (an older screening or evaluation never replaces a newer one).
 */
@ApplicationScoped
public class InboundEvents {

    static final String SCREENING_COMPLETED = "org.hdil2.eligibility.screening-completed.v1";
    static final String EVALUATION_UPDATED = "org.hdil2.monitoring.evaluation-updated.v1";
    static final String FINDING_RAISED = "org.hdil2.monitoring.finding-raised.v1";
    static final String FINDING_CLEARED = "org.hdil2.monitoring.finding-cleared.v1";
    static final String FINDING_UPDATED = "org.hdil2.monitoring.finding-updated.v1";
    static final String CHECKPOINT = "org.hdil2.monitoring.evaluation-checkpoint.v1";

    @Inject
    EventInbox inbox;

    @Inject
    AuditTrail audit;

    @Inject
    Outbox outbox;

    @Inject
    Topics topics;


    @Inject
    EvaluationCheckpoints checkpoints;

    private final EventHandlers screenings = EventHandlers.ignoring().on(SCREENING_COMPLETED, this::onScreening);
    // the evaluation carries every active finding; raised/updated/cleared events are for alerting; checkpoints say
    // whether the evaluation is current (every few seconds per partition: no inbox row, a repeat changes nothing)
    private final EventHandlers findings = EventHandlers.ignoring(FINDING_RAISED, FINDING_UPDATED, FINDING_CLEARED)
            .on(EVALUATION_UPDATED, this::onEvaluation)
            .onEveryDelivery(CHECKPOINT, e -> applyCheckpoint(EvaluationCheckpoint.read(e)));

    /** What the screenings consumer handles or knowingly ignores (anything else is dead-lettered). */
    public EventHandlers screeningHandlers() {
        return screenings;
    }

    /** What the findings consumer handles or knowingly ignores (anything else is dead-lettered). */
    public EventHandlers findingHandlers() {
        return findings;
    }

    @Incoming("screenings")
    @Blocking
    public void screening(ConsumerRecord<String, String> record) {
        inbox.process("dosing.screenings", record, screenings);
    }

    /** A poll at a time in one transaction ({@code batch=true}; {@link EventInbox#processPoll}). */
    @Incoming("findings")
    @Blocking
    public CompletionStage<Void> findings(KafkaRecordBatch<String, String> poll) {
        return inbox.processPoll("dosing.findings", poll, findings);
    }

    void onScreening(InboundEvent event) {
        ScreeningResult r = ScreeningResult.read(event);
        PatientScreeningEntity current = PatientScreeningEntity.findById(r.patientId());
        if (current != null && !r.screenedAt().isAfter(current.screenedAt)) {
            return;
        }
        PatientScreeningEntity s = current == null ? new PatientScreeningEntity() : current;
        s.patientId = r.patientId();
        s.screeningId = r.screeningId();
        s.outcome = r.outcome();
        s.protocolId = r.protocolId();
        s.protocolVersion = r.protocolVersion();
        s.screenedAt = r.screenedAt();
        s.eventId = r.eventId();
        s.persist();
        audit.byEvent("dosing.screenings", r.eventId(), "screening.received", r.patientId(), "Screening",
                s.screeningId.toString(), Map.of("outcome", s.outcome));
    }

    private void announceHold(CourseEntity course, boolean started, Instant at, PatientState state) {
        List<Map<String, Object>> findings = new ArrayList<>();
        for (PatientState.Finding f : state.findingsWith(PatientState.WITHHOLD)) {
            findings.add(Map.of("findingId", f.findingId(), "ruleId", f.ruleId(), "action", PatientState.WITHHOLD, "value", f.value(),
                    "unit", f.unit(), "effectiveTime", f.effectiveTime().toString()));
        }
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("courseId", course.id.toString());
        data.put("patientId", course.patientId);
        data.put("at", at.toString());
        data.put("findings", findings);
        outbox.append(topics.dosingEvents(), course.patientId, (started ? CourseEventType.HOLD_STARTED : CourseEventType.HOLD_ENDED).type(),
                at, data);
    }

    /**
     * Newer by (state epoch, sequence): a patient whose evaluation state monitoring rebuilt starts a new epoch at sequence
     * 1. Between evaluations from before epochs existed, the later clinical time also counts (a rebuild then restarted
     * the sequence with nothing else to tell it by).
     */
    static boolean newer(Instant epoch, long sequence, Instant evaluatedAt, PatientEvaluationEntity current) {
        if (epoch != null && current.stateEpoch != null && !epoch.equals(current.stateEpoch)) {
            return epoch.isAfter(current.stateEpoch);
        }
        if (epoch != null && current.stateEpoch == null) {
            return true;
        }
        if (epoch == null && current.stateEpoch != null) {
            return false;
        }
        return sequence > current.sequence || (epoch == null && evaluatedAt.isAfter(current.evaluatedAt));
    }

    void onEvaluation(InboundEvent event) {
        MonitoringEvaluation m = MonitoringEvaluation.read(event);
        PatientEvaluationEntity current = PatientEvaluationEntity.findById(m.patientId());
        if (current != null && !newer(m.stateEpoch(), m.sequence(), m.evaluatedAt(), current)) {
            return;
        }
        PatientEvaluationEntity e = current == null ? new PatientEvaluationEntity() : current;
        e.patientId = m.patientId();
        e.sequence = m.sequence();
        e.stateEpoch = m.stateEpoch();
        e.intakeSequence = m.intakeSequence();
        e.evaluatedAt = m.evaluatedAt();
        e.protocolId = m.protocolId();
        e.latestInputs = m.latestInputs().toString();
        e.activeFindings = m.activeFindings().toString();
        e.preDoseGaps = m.preDoseGaps().toString();
        e.receivedAt = Instant.now();
        e.eventId = m.eventId();
        // read as every decision reads it: the hold events and the decision cannot disagree on what is active
        PatientState state = PatientStates.toState(m.sequence(), m.evaluatedAt(), m.latestInputs(), m.activeFindings(),
                m.preDoseGaps(), m.intakeSequence(), m.protocolId());
        boolean wasHolding = e.holding;
        e.holding = state.holding();
        e.persist();
        CourseEntity.openOf(m.patientId()).ifPresent(course -> {
            if (e.holding != wasHolding) {
                announceHold(course, e.holding, m.evaluatedAt(), state);
            }
            List<PatientState.Finding> discontinue = state.findingsWith(PatientState.DISCONTINUE);
            if (!discontinue.isEmpty() && course.stopFlaggedAt == null) {
                String rules = String.join(", ", discontinue.stream().map(PatientState.Finding::ruleId).toList());
                course.stopFlaggedAt = Instant.now();
                course.stopFlagReason = "permanent-discontinuation criterion met: " + rules;
                audit.byEvent("dosing.findings", m.eventId(), "course.stop-flag", course.patientId, "Course", course.id.toString(),
                        Map.of("rules", rules));
            }
        });
        audit.byEvent("dosing.findings", m.eventId(), "evaluation.received", m.patientId(), "PatientEvaluation",
                Long.toString(m.sequence()), Map.of("activeFindings", m.activeFindings().size()));
    }

    private void applyCheckpoint(EvaluationCheckpoint c) {
        checkpoints.apply(c.partition(), c.partitions(), c.at(), c.failures(), c.failuresTruncated(), c.progress());
    }
}
