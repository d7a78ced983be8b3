package org.hdil2.kit.inbox;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.function.Consumer;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.hdil2.contract.CloudEventHeaders;
import org.hdil2.contract.EventContract;
import org.jboss.logging.Logger;

import io.agroal.api.AgroalDataSource;
import io.quarkus.narayana.jta.QuarkusTransaction;

/**
 * The idempotent consumer. Each record is checked against the contract, then its event id is recorded in
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

    /** @return true when the handler ran, false for a repeat or an ignored type */
    public boolean process(String consumer, ConsumerRecord<String, String> record, EventHandlers handlers) {
        InboundEvent event = parse(record);
        Consumer<InboundEvent> handler = handlers.handlerFor(event.type());
        Consumer<InboundEvent> everyDelivery = handlers.everyDeliveryHandlerFor(event.type());
        if (handler == null && everyDelivery == null) {
            if (handlers.ignores(event.type())) {
                return false;
            }
            throw new PoisonEventException("event type " + event.type() + " is not handled by " + consumer);
        }
        return TransientErrors.Retrying.untilDone(consumer, event.id(), consumer + " failed on event " + event.id(),
                () -> QuarkusTransaction.requiringNew().call(() -> {
                    if (everyDelivery != null) {
                        everyDelivery.accept(event);
                        return true;
                    }
                    if (!recordFirstDelivery(consumer, event)) {
                        LOG.debugf("%s: event %s already processed, skipped", consumer, event.id());
                        return false;
                    }
                    handler.accept(event);
                    return true;
                }));
    }

    InboundEvent parse(ConsumerRecord<String, String> record) {
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
