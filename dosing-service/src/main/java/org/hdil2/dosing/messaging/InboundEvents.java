package org.hdil2.dosing.messaging;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.eclipse.microprofile.reactive.messaging.Incoming;
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
    static final String HOLD_STARTED = "org.hdil2.dosing.hold-started.v1";
    static final String HOLD_ENDED = "org.hdil2.dosing.hold-ended.v1";

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
            .onEveryDelivery(CHECKPOINT, e -> checkpoints.apply(e));

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

    @Incoming("findings")
    @Blocking
    public void finding(ConsumerRecord<String, String> record) {
        inbox.process("dosing.findings", record, findings);
    }

    void onScreening(InboundEvent event) {
        JsonNode d = event.data();
        Instant screenedAt = Instant.parse(d.path("screenedAt").asText());
        PatientScreeningEntity current = PatientScreeningEntity.findById(event.patientId());
        if (current != null && !screenedAt.isAfter(current.screenedAt)) {
            return;
        }
        PatientScreeningEntity s = current == null ? new PatientScreeningEntity() : current;
        s.patientId = event.patientId();
        s.screeningId = UUID.fromString(d.path("screeningId").asText());
        s.outcome = d.path("outcome").asText();
        s.protocolId = d.path("protocol").path("id").asText();
        s.protocolVersion = d.path("protocol").path("version").asText();
        s.screenedAt = screenedAt;
        s.eventId = event.id();
        s.persist();
        audit.byEvent("dosing.screenings", event.id(), "screening.received", event.patientId(), "Screening",
                s.screeningId.toString(), Map.of("outcome", s.outcome));
    }

    private void announceHold(CourseEntity course, boolean started, Instant at, JsonNode evaluation) {
        List<Map<String, Object>> findings = new ArrayList<>();
        for (JsonNode f : evaluation.path("activeFindings")) {
            if ("WITHHOLD".equals(f.path("rule").path("action").asText())) {
                JsonNode o = f.path("observation");
                findings.add(Map.of("findingId", f.path("findingId").asText(), "ruleId", f.path("rule").path("id").asText(),
                        "action", "WITHHOLD", "value", o.path("value").decimalValue(), "unit", o.path("unit").asText(),
                        "effectiveTime", o.path("effectiveTime").asText()));
            }
        }
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("courseId", course.id.toString());
        data.put("patientId", course.patientId);
        data.put("at", at.toString());
        data.put("findings", findings);
        outbox.append(topics.dosingEvents(), course.patientId, started ? HOLD_STARTED : HOLD_ENDED, at, data);
    }

    private static boolean hasAction(JsonNode evaluation, String action) {
        for (JsonNode f : evaluation.path("activeFindings")) {
            if (action.equals(f.path("rule").path("action").asText())) {
                return true;
            }
        }
        return false;
    }

    private static String ruleIds(JsonNode evaluation, String action) {
        List<String> ids = new ArrayList<>();
        evaluation.path("activeFindings").forEach(f -> {
            if (action.equals(f.path("rule").path("action").asText())) {
                ids.add(f.path("rule").path("id").asText());
            }
        });
        return String.join(", ", ids);
    }

    /** The rules monitoring marks as required before a dose that it reports NOT_EVALUABLE, with the reason. */
    private static String preDoseGaps(JsonNode evaluation) {
        ArrayNode gaps = JsonNodeFactory.instance.arrayNode();
        for (JsonNode r : evaluation.path("rules")) {
            if (r.path("preDose").asBoolean() && "NOT_EVALUABLE".equals(r.path("state").asText())) {
                gaps.addObject().put("rule", r.path("id").asText() + " v" + r.path("version").asText())
                        .put("reason", r.path("reason").asText());
            }
        }
        return gaps.toString();
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
        JsonNode d = event.data();
        long sequence = d.path("sequence").asLong();
        Instant evaluatedAt = Instant.parse(d.path("evaluatedAt").asText());
        Instant epoch = d.hasNonNull("stateEpoch") ? Instant.parse(d.path("stateEpoch").asText()) : null;
        PatientEvaluationEntity current = PatientEvaluationEntity.findById(event.patientId());
        if (current != null && !newer(epoch, sequence, evaluatedAt, current)) {
            return;
        }
        PatientEvaluationEntity e = current == null ? new PatientEvaluationEntity() : current;
        e.patientId = event.patientId();
        e.sequence = sequence;
        e.stateEpoch = epoch;
        e.intakeSequence = d.path("intakeSequence").asLong(0);
        e.evaluatedAt = evaluatedAt;
        e.protocolId = d.path("protocol").path("id").asText();
        e.latestInputs = d.path("latestInputs").toString();
        e.activeFindings = d.path("activeFindings").toString();
        e.preDoseGaps = preDoseGaps(d);
        e.receivedAt = Instant.now();
        e.eventId = event.id();
        boolean wasHolding = e.holding;
        e.holding = hasAction(d, "WITHHOLD");
        e.persist();
        CourseEntity.openOf(event.patientId()).ifPresent(course -> {
            if (e.holding != wasHolding) {
                announceHold(course, e.holding, evaluatedAt, d);
            }
            if (hasAction(d, "DISCONTINUE") && course.stopFlaggedAt == null) {
                course.stopFlaggedAt = Instant.now();
                course.stopFlagReason = "permanent-discontinuation criterion met: " + ruleIds(d, "DISCONTINUE");
                audit.byEvent("dosing.findings", event.id(), "course.stop-flag", course.patientId, "Course", course.id.toString(),
                        Map.of("rules", ruleIds(d, "DISCONTINUE")));
            }
        });
        audit.byEvent("dosing.findings", event.id(), "evaluation.received", event.patientId(), "PatientEvaluation",
                Long.toString(sequence), Map.of("activeFindings", d.path("activeFindings").size()));
    }
}
