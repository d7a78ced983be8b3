package org.hdil2.monitoring.messaging;

import java.time.Instant;

import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import com.fasterxml.jackson.databind.JsonNode;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.hdil2.kit.inbox.EventHandlers;
import org.hdil2.kit.inbox.EventInbox;
import org.hdil2.kit.inbox.InboundEvent;
import org.hdil2.monitoring.persistence.EvaluationProjection;

import io.smallrye.reactive.messaging.annotations.Blocking;

/**
 * Projects the evaluation's own output (the findings topic, read_committed) into a table, so that
 * {@code GET /api/v1/patients/{id}/evaluation} answers with the newest evaluation without asking the Streams state.
 */
@ApplicationScoped
public class EvaluationProjectionConsumer {

    @Inject
    EventInbox inbox;

    @Inject
    EvaluationProjection projection;

    private EventHandlers handlers;

    /** What this consumer handles or knowingly ignores (anything else on the topic is dead-lettered). */
    public EventHandlers handlers() {
        return handlers;
    }

    @PostConstruct
    void init() {
        handlers = EventHandlers.ignoring(MonitoringEvents.FINDING_RAISED, MonitoringEvents.FINDING_UPDATED,
                MonitoringEvents.FINDING_CLEARED)
                .on(MonitoringEvents.EVALUATION_UPDATED, this::onEvaluation)
                .on(MonitoringEvents.EVALUATION_CHECKPOINT, this::onCheckpoint);
    }

    @Incoming("evaluations")
    @Blocking
    public void consume(ConsumerRecord<String, String> record) {
        inbox.process(EvaluationProjection.CONSUMER, record, handlers);
    }

    void onEvaluation(InboundEvent event) {
        JsonNode d = event.data();
        Instant epoch = d.hasNonNull("stateEpoch") ? Instant.parse(d.path("stateEpoch").asText()) : null;
        projection.accept(event.patientId(), epoch, d.path("sequence").asLong(), Instant.parse(d.path("evaluatedAt").asText()),
                d.path("intakeSequence").asLong(0), d.toString(), event.id());
    }

    /** The receipts a checkpoint gives: evaluations that now include more accepted observations, and the failures. */
    void onCheckpoint(InboundEvent event) {
        JsonNode d = event.data();
        java.util.List<EvaluationProjection.Advance> advances = new java.util.ArrayList<>();
        for (JsonNode e : d.path("evaluations")) {
            advances.add(new EvaluationProjection.Advance(e.path("patientId").asText(),
                    e.hasNonNull("stateEpoch") ? Instant.parse(e.path("stateEpoch").asText()) : null, e.path("sequence").asLong(),
                    e.path("intakeSequence").asLong()));
        }
        java.util.List<EvaluationProjection.Failure> failures = new java.util.ArrayList<>();
        for (JsonNode f : d.path("failures")) {
            if (f.hasNonNull("observationId")) {
                failures.add(new EvaluationProjection.Failure(f.path("observationId").asText(), f.path("patientId").asText(),
                        f.path("reason").asText(), Instant.parse(f.path("since").asText())));
            }
        }
        projection.advance(advances, failures);
    }
}
