package org.hdil2.alert.messaging;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.hdil2.alert.app.AlertLifecycle;
import org.hdil2.kit.inbox.EventHandlers;
import org.hdil2.kit.inbox.EventInbox;
import org.jboss.logging.Logger;

import io.smallrye.reactive.messaging.annotations.Blocking;
import io.smallrye.reactive.messaging.kafka.KafkaRecord;
import io.smallrye.reactive.messaging.kafka.KafkaRecordBatch;
import io.smallrye.reactive.messaging.kafka.api.IncomingKafkaRecordMetadata;

/**
 * Findings from monitoring become alerts (raised, updated, cleared); each finding event acts once (inbox). The
 * channel delivers a poll at a time ({@code batch=true}, at most {@code max.poll.records}): the inbox runs it in one
 * transaction, a poison record of it goes to the dead-letter topic on its own (nacked, the channel's failure strategy),
 * and the poll is acknowledged once those are there.
 */
@ApplicationScoped
public class FindingConsumer {

    private static final Logger LOG = Logger.getLogger(FindingConsumer.class);

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
    public CompletionStage<Void> findings(KafkaRecordBatch<String, String> batch) {
        List<KafkaRecord<String, String>> messages = batch.getRecords();
        List<ConsumerRecord<String, String>> records = new ArrayList<>(messages.size());
        for (KafkaRecord<String, String> message : messages) {
            records.add(consumerRecord(message));
        }
        List<EventInbox.Outcome> outcomes;
        try {
            outcomes = inbox.processAll(AlertLifecycle.CONSUMER, records, handlers);
        } catch (RuntimeException unexpected) {
            // never dead-letter a valid finding for a fault of ours (a lost alert): the poll stays unacknowledged, the
            // channel's health goes DOWN once its oldest record waits too long, and after the restart the poll comes
            // again (the inbox drops what was done)
            LOG.errorf("the findings consumer stopped on an unexpected failure (%s); the poll stays unacknowledged",
                    unexpected.getClass().getName());
            return new CompletableFuture<>();
        }
        List<CompletableFuture<Void>> deadLettered = new ArrayList<>();
        for (int i = 0; i < outcomes.size(); i++) {
            if (outcomes.get(i).poisoned()) {
                deadLettered.add(messages.get(i).nack(outcomes.get(i).poison()).toCompletableFuture());
            }
        }
        return CompletableFuture.allOf(deadLettered.toArray(CompletableFuture[]::new)).thenCompose(done -> batch.ack());
    }

    @SuppressWarnings("unchecked")
    private static ConsumerRecord<String, String> consumerRecord(KafkaRecord<String, String> message) {
        return message.getMetadata(IncomingKafkaRecordMetadata.class).map(m -> (ConsumerRecord<String, String>) m.getRecord())
                .orElseThrow(() -> new IllegalStateException("a findings message without its Kafka record"));
    }
}
