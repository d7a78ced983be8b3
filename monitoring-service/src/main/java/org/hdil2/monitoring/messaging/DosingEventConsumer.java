package org.hdil2.monitoring.messaging;

import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.hdil2.kit.inbox.EventHandlers;
import org.hdil2.kit.inbox.EventInbox;
import org.hdil2.monitoring.persistence.TherapyStore;

import io.smallrye.reactive.messaging.annotations.Blocking;

/** Dosing events become the therapy context (who is on therapy, baseline weight, last dose); each acts once (inbox). */
@ApplicationScoped
public class DosingEventConsumer {

    static final String PREFIX = "org.hdil2.dosing.";

    @Inject
    EventInbox inbox;

    @Inject
    TherapyStore therapy;

    private EventHandlers handlers;

    /** What this consumer handles or knowingly ignores (anything else on the topic is dead-lettered). */
    public EventHandlers handlers() {
        return handlers;
    }

    @PostConstruct
    void init() {
        handlers = EventHandlers.ignoring(PREFIX + "course-verified.v1", PREFIX + "dose-held.v1", PREFIX + "dose-missed.v1",
                        PREFIX + "hold-started.v1", PREFIX + "hold-ended.v1", PREFIX + "evaluation-lapsed.v1",
                        PREFIX + "evaluation-restored.v1")
                .on(PREFIX + "course-ordered.v1", therapy::courseOrdered)
                .on(PREFIX + "dose-given.v1", therapy::doseGiven)
                .on(PREFIX + "dose-corrected.v1", therapy::doseCorrected)
                .on(PREFIX + "course-completed.v1", therapy::courseEnded)
                .on(PREFIX + "course-discontinued.v1", therapy::courseEnded);
    }

    @Incoming("dosing-events")
    @Blocking
    public void consume(ConsumerRecord<String, String> record) {
        inbox.process(TherapyStore.CONSUMER, record, handlers);
    }
}
