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
                MonitoringEvents.FINDING_CLEARED, MonitoringEvents.EVALUATION_CHECKPOINT)
                .on(MonitoringEvents.EVALUATION_UPDATED, this::onEvaluation);
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
                d.toString(), event.id());
    }
}
