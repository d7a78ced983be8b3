package org.hdil2.monitoring.messaging;

import java.time.Instant;

import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

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

    static final String EVALUATION_UPDATED = "org.hdil2.monitoring.evaluation-updated.v1";

    @Inject
    EventInbox inbox;

    @Inject
    EvaluationProjection projection;

    private EventHandlers handlers;

    @PostConstruct
    void init() {
        handlers = EventHandlers.ignoring("org.hdil2.monitoring.finding-raised.v1", "org.hdil2.monitoring.finding-updated.v1",
                "org.hdil2.monitoring.finding-cleared.v1").on(EVALUATION_UPDATED, this::onEvaluation);
    }

    @Incoming("evaluations")
    @Blocking
    public void consume(ConsumerRecord<String, String> record) {
        inbox.process(EvaluationProjection.CONSUMER, record, handlers);
    }

    void onEvaluation(InboundEvent event) {
        projection.accept(event.patientId(), event.data().path("sequence").asLong(),
                Instant.parse(event.data().path("evaluatedAt").asText()), event.data().toString(), event.id());
    }
}
