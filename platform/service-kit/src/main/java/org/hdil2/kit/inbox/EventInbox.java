package org.hdil2.kit.inbox;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Consumer;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.hdil2.contract.CloudEventHeaders;
import org.hdil2.contract.EventContract;
import org.jboss.logging.Logger;

import io.agroal.api.AgroalDataSource;
import io.smallrye.reactive.messaging.kafka.KafkaRecord;
import io.smallrye.reactive.messaging.kafka.KafkaRecordBatch;
import io.smallrye.reactive.messaging.kafka.api.IncomingKafkaRecordMetadata;
import io.quarkus.narayana.jta.QuarkusTransaction;

/**
 * The idempotent consumer. Each record's CloudEvents envelope is checked; a type the consumer ignores is acknowledged
 * there, before its data is parsed; a handled one is checked against the contract, then its event id is recorded in
 * {@code inbox_event} in the same transaction as the handler's effect; a repeat finds the id and does nothing.
 * Poison records throw {@link PoisonEventException}, which the channel's dead-letter strategy sends to
 * {@code <topic>.dlq} with the reason; the consumer then goes on. Database outages are retried in place, so a
 * valid event is never dead-lettered because the database was briefly away.
 */
@ApplicationScoped
public class EventInbox {

    private static final Logger LOG = Logger.getLogger(EventInbox.class);

    @Inject
    AgroalDataSource dataSource;

    @Inject
    ObjectMapper json;

    @Inject
    Instance<EntityManager> entityManagers;

    /** @return true when the handler ran, false for a repeat or an ignored type */
    public boolean process(String consumer, ConsumerRecord<String, String> record, EventHandlers handlers) {
        Delivery delivery = prepare(consumer, record, handlers);
        return delivery != null && alone(consumer, delivery);
    }

    /** What became of one record of a batch: handled (or a repeat, or ignored), or poison, with the reason. */
    private record Outcome(ConsumerRecord<String, String> record, PoisonEventException poison) {
        boolean poisoned() {
            return poison != null;
        }
    }

    /**
     * A batch of records (one poll) in one transaction where it can be: each record's envelope and data are checked
     * first (a poison record is returned as such, for the caller to dead-letter, and left out); the others run in order
     * in one transaction, each recorded in the inbox before its handler, as {@link #process} does for one. Should that
     * transaction fail (one record's fault, or the database), it is rolled back and every record runs again alone, as
     * {@link #process} runs it (retried in place while the failure is transient), so one record neither fails nor
     * repeats the others. A transaction per poll instead of per record: the transaction manager, the commit and the
     * outbox relay's wake-up were half of alert-service's CPU per finding (bench/alert-drain.sh with JFR). Between
     * records, what one wrote is flushed and let go, or the persistence context would grow with every record of the
     * poll and each flush check them all.
     *
     * @return one outcome per record, in the records' order
     */
    private List<Outcome> processAll(String consumer, List<ConsumerRecord<String, String>> records, EventHandlers handlers) {
        List<Outcome> outcomes = new ArrayList<>(records.size());
        List<Delivery> deliveries = new ArrayList<>(records.size());
        for (ConsumerRecord<String, String> record : records) {
            try {
                Delivery delivery = prepare(consumer, record, handlers);
                if (delivery != null) {
                    deliveries.add(delivery);
                }
                outcomes.add(new Outcome(record, null));
            } catch (PoisonEventException e) {
                outcomes.add(new Outcome(record, e));
            } catch (RuntimeException e) {
                // as process() would: the record is dead-lettered on its own
                outcomes.add(new Outcome(record, new PoisonEventException("the record cannot be read ("
                        + e.getClass().getName() + ")", e)));
            }
        }
        if (deliveries.isEmpty()) {
            return outcomes;
        }
        try {
            QuarkusTransaction.requiringNew().call(() -> {
                EntityManager entityManager = entityManagers.get();
                for (Delivery delivery : deliveries) {
                    deliver(consumer, delivery);
                    entityManager.flush();
                    entityManager.clear();
                }
                return null;
            });
        } catch (RuntimeException batchFailed) {
            LOG.debugf("%s: a batch of %d failed (%s); each record runs alone", consumer, deliveries.size(),
                    batchFailed.getClass().getName());
            for (Delivery delivery : deliveries) {
                try {
                    alone(consumer, delivery);
                } catch (PoisonEventException e) {
                    outcomes.set(records.indexOf(delivery.record()), new Outcome(delivery.record(), e));
                }
            }
        }
        return outcomes;
    }

    /**
     * A poll of a batch channel ({@code batch=true}): {@link #processAll}, then each poison record nacked on its own
     * (the channel's failure strategy sends it to the dead-letter topic), then the poll acknowledged once those are
     * there. An unexpected failure leaves the poll unacknowledged rather than dead-letter valid records for a fault of
     * ours: the channel's health goes DOWN once its oldest record waits too long, and after the restart the poll comes
     * again (the inbox drops what was done).
     */
    public CompletionStage<Void> processPoll(String consumer, KafkaRecordBatch<String, String> poll, EventHandlers handlers) {
        List<KafkaRecord<String, String>> messages = poll.getRecords();
        List<Outcome> outcomes;
        try {
            List<ConsumerRecord<String, String>> records = new ArrayList<>(messages.size());
            for (KafkaRecord<String, String> message : messages) {
                records.add(consumerRecord(message));
            }
            outcomes = processAll(consumer, records, handlers);
        } catch (RuntimeException unexpected) {
            LOG.errorf("%s stopped on an unexpected failure (%s); the poll stays unacknowledged", consumer,
                    unexpected.getClass().getName());
            return new CompletableFuture<>();
        }
        List<CompletableFuture<Void>> deadLettered = new ArrayList<>();
        for (int i = 0; i < outcomes.size(); i++) {
            if (outcomes.get(i).poisoned()) {
                deadLettered.add(messages.get(i).nack(outcomes.get(i).poison()).toCompletableFuture());
            }
        }
        return CompletableFuture.allOf(deadLettered.toArray(CompletableFuture[]::new)).thenCompose(done -> poll.ack());
    }

    @SuppressWarnings("unchecked")
    private static ConsumerRecord<String, String> consumerRecord(KafkaRecord<String, String> message) {
        return message.getMetadata(IncomingKafkaRecordMetadata.class).map(m -> (ConsumerRecord<String, String>) m.getRecord())
                .orElseThrow(() -> new IllegalStateException("a polled message without its Kafka record"));
    }

    /** A checked record and what handles it. */
    private record Delivery(ConsumerRecord<String, String> record, InboundEvent event, Consumer<InboundEvent> handler,
                            Consumer<InboundEvent> everyDelivery) {
    }

    /** The record checked and what handles it; null for a type this consumer knowingly ignores. */
    private Delivery prepare(String consumer, ConsumerRecord<String, String> record, EventHandlers handlers) {
        String type = envelope(record);
        Consumer<InboundEvent> handler = handlers.handlerFor(type);
        Consumer<InboundEvent> everyDelivery = handlers.everyDeliveryHandlerFor(type);
        if (handler == null && everyDelivery == null) {
            if (handlers.ignores(type)) {
                // known and not read here: its data is neither parsed nor validated (the consumers that read it do);
                // on the findings topic most records are evaluations that alert-service ignores
                return null;
            }
            throw new PoisonEventException("event type " + type + " is not handled by " + consumer);
        }
        return new Delivery(record, parse(record, type), handler, everyDelivery);
    }

    /** One delivery in its own transaction, retried in place while the failure is transient. */
    private boolean alone(String consumer, Delivery delivery) {
        String id = delivery.event().id();
        return TransientErrors.Retrying.untilDone(consumer, id, consumer + " failed on event " + id,
                () -> QuarkusTransaction.requiringNew().call(() -> deliver(consumer, delivery)));
    }

    /** In the caller's transaction: the every-delivery handler, or the inbox row then the handler; false for a repeat. */
    private boolean deliver(String consumer, Delivery delivery) throws SQLException {
        if (delivery.everyDelivery() != null) {
            delivery.everyDelivery().accept(delivery.event());
            return true;
        }
        if (!recordFirstDelivery(consumer, delivery.event())) {
            LOG.debugf("%s: event %s already processed, skipped", consumer, delivery.event().id());
            return false;
        }
        delivery.handler().accept(delivery.event());
        return true;
    }

    /** The record's CloudEvents headers checked (every record, handled or ignored); its type. */
    private static String envelope(ConsumerRecord<String, String> record) {
        String id = header(record, CloudEventHeaders.ID);
        String type = header(record, CloudEventHeaders.TYPE);
        String subject = header(record, CloudEventHeaders.SUBJECT);
        String time = header(record, CloudEventHeaders.TIME);
        if (!CloudEventHeaders.SPEC_VERSION_VALUE.equals(header(record, CloudEventHeaders.SPEC_VERSION))) {
            throw new PoisonEventException("not a CloudEvents 1.0 record (ce_specversion)");
        }
        if (id == null || id.isBlank() || type == null || subject == null || time == null) {
            throw new PoisonEventException("CloudEvents header missing (ce_id, ce_type, ce_subject and ce_time are required)");
        }
        if (record.key() == null || !record.key().equals(subject)) {
            throw new PoisonEventException("record key must equal ce_subject (the patient id)");
        }
        if (!EventContract.load().knows(type)) {
            throw new PoisonEventException("event type " + type + " is not in the contract");
        }
        return type;
    }

    /** A record whose envelope {@link #envelope} passed, with its data parsed and checked against the contract. */
    private InboundEvent parse(ConsumerRecord<String, String> record, String type) {
        String id = header(record, CloudEventHeaders.ID);
        String subject = header(record, CloudEventHeaders.SUBJECT);
        String time = header(record, CloudEventHeaders.TIME);
        JsonNode data;
        Instant at;
        try {
            data = json.readTree(record.value() == null ? "" : record.value());
            at = Instant.parse(time);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            // the location only: the parser's message quotes the content, which may be patient data
            throw new PoisonEventException("value is not JSON (parse error at " + (e.getLocation() == null ? "?"
                    : "line " + e.getLocation().getLineNr() + ", column " + e.getLocation().getColumnNr()) + ")");
        } catch (DateTimeParseException e) {
            throw new PoisonEventException("ce_time is not an RFC 3339 instant: " + time);
        }
        if (data == null || data.isMissingNode()) {
            throw new PoisonEventException("value is empty");
        }
        List<String> violations = EventContract.load().validateForReader(type, data);
        if (!violations.isEmpty()) {
            throw new PoisonEventException("data breaks the " + type + " schema: " + violations);
        }
        if (data.has("patientId") && !data.path("patientId").asText().equals(subject)) {
            throw new PoisonEventException("data.patientId differs from ce_subject");
        }
        return new InboundEvent(id, type, header(record, CloudEventHeaders.SOURCE), subject, at, data, record.topic(),
                record.partition(), record.offset());
    }

    private boolean recordFirstDelivery(String consumer, InboundEvent event) throws SQLException {
        try (Connection c = dataSource.getConnection();
             PreparedStatement st = c.prepareStatement("insert into inbox_event (consumer, event_id, event_type, topic, "
                     + "received_at) values (?, ?, ?, ?, ?) on conflict do nothing")) {
            st.setString(1, consumer);
            st.setString(2, event.id());
            st.setString(3, event.type());
            st.setString(4, event.topic());
            st.setTimestamp(5, Timestamp.from(Instant.now()));
            return st.executeUpdate() == 1;
        }
    }

    private static String header(ConsumerRecord<String, String> record, String name) {
        return CloudEventHeaders.read(record.headers(), name);
    }
}
