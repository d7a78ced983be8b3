package org.hdil2.monitoring.messaging;

import static org.hdil2.monitoring.messaging.MonitoringEvents.*;

import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.hdil2.kit.inbox.EventHandlers;
import org.hdil2.kit.inbox.EventInbox;
import org.hdil2.monitoring.app.TherapyTracking;

import io.smallrye.reactive.messaging.annotations.Blocking;

/** Dosing events become the therapy context (who is on therapy, baseline weight, last dose); each acts once (inbox). */
@ApplicationScoped
public class DosingEventConsumer {

    @Inject
    EventInbox inbox;

    @Inject
    TherapyTracking therapy;

    private EventHandlers handlers;

    /** What this consumer handles or knowingly ignores (anything else on the topic is dead-lettered). */
    public EventHandlers handlers() {
        return handlers;
    }

    @PostConstruct
    void init() {
        handlers = EventHandlers.ignoring(COURSE_VERIFIED, DOSE_HELD, DOSE_MISSED, HOLD_STARTED, HOLD_ENDED, EVALUATION_LAPSED,
                        EVALUATION_RESTORED)
                .on(COURSE_ORDERED, e -> therapy.courseOrdered(DosingEvent.read(e)))
                .on(COURSE_PROTOCOL_CHANGED, e -> therapy.protocolChanged(DosingEvent.read(e)))
                .on(DOSE_GIVEN, e -> therapy.doseGiven(DosingEvent.read(e)))
                .on(DOSE_CORRECTED, e -> therapy.doseCorrected(DosingEvent.read(e)))
                .on(COURSE_COMPLETED, e -> therapy.courseEnded(DosingEvent.read(e)))
                .on(COURSE_DISCONTINUED, e -> therapy.courseEnded(DosingEvent.read(e)));
    }

    @Incoming("dosing-events")
    @Blocking
    public void consume(ConsumerRecord<String, String> record) {
        inbox.process(TherapyTracking.CONSUMER, record, handlers);
    }
}
