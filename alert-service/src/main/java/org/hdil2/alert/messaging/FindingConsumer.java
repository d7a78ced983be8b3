package org.hdil2.alert.messaging;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.hdil2.alert.persistence.AlertStore;
import org.hdil2.kit.inbox.EventHandlers;
import org.hdil2.kit.inbox.EventInbox;

import io.smallrye.reactive.messaging.annotations.Blocking;

/** Findings from monitoring become alerts (raised, updated, cleared); each finding event acts once (inbox). */
@ApplicationScoped
public class FindingConsumer {

    @Inject
    EventInbox inbox;

    @Inject
    AlertStore alerts;

    private EventHandlers handlers;

    @jakarta.annotation.PostConstruct
    void init() {
        handlers = EventHandlers.ignoring("org.hdil2.monitoring.evaluation-updated.v1", "org.hdil2.monitoring.evaluation-checkpoint.v1")
                .on("org.hdil2.monitoring.finding-raised.v1", alerts::onFindingRaised)
                .on("org.hdil2.monitoring.finding-updated.v1", alerts::onFindingUpdated)
                .on("org.hdil2.monitoring.finding-cleared.v1", alerts::onFindingCleared);
    }

    /** What this consumer handles or knowingly ignores (anything else on the topic is dead-lettered). */
    public EventHandlers handlers() {
        return handlers;
    }

    @Incoming("findings")
    @Blocking
    public void finding(ConsumerRecord<String, String> record) {
        inbox.process("alert.findings", record, handlers);
    }
}
