package org.hdil2.alert.messaging;

import java.util.concurrent.CompletionStage;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.hdil2.alert.app.AlertLifecycle;
import org.hdil2.kit.inbox.EventHandlers;
import org.hdil2.kit.inbox.EventInbox;

import io.smallrye.reactive.messaging.annotations.Blocking;
import io.smallrye.reactive.messaging.kafka.KafkaRecordBatch;

/**
 * Findings from monitoring become alerts (raised, updated, cleared); each finding event acts once (inbox). The
 * channel delivers a poll at a time ({@code batch=true}, at most {@code max.poll.records}), which the inbox runs in
 * one transaction ({@link EventInbox#processPoll}).
 */
@ApplicationScoped
public class FindingConsumer {

    @Inject
    EventInbox inbox;

    @Inject
    AlertLifecycle alerts;

    private EventHandlers handlers;

    @jakarta.annotation.PostConstruct
    void init() {
        handlers = EventHandlers.ignoring(AlertEvents.EVALUATION_UPDATED, AlertEvents.EVALUATION_CHECKPOINT)
                .on(AlertEvents.FINDING_RAISED, e -> alerts.onFindingRaised(FindingEvent.read(e)))
                .on(AlertEvents.FINDING_UPDATED, e -> alerts.onFindingUpdated(FindingEvent.read(e)))
                .on(AlertEvents.FINDING_CLEARED, e -> alerts.onFindingCleared(FindingEvent.read(e)));
    }

    /** What this consumer handles or knowingly ignores (anything else on the topic is dead-lettered). */
    public EventHandlers handlers() {
        return handlers;
    }

    @Incoming("findings")
    @Blocking
    public CompletionStage<Void> findings(KafkaRecordBatch<String, String> poll) {
        return inbox.processPoll(AlertLifecycle.CONSUMER, poll, handlers);
    }
}
