package org.hdil2.kit.outbox;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import org.hdil2.contract.EventContract;
import org.hdil2.kit.tx.AfterCommit;

import io.agroal.api.AgroalDataSource;

/**
 * Writes events in the same transaction as the change they describe; {@link OutboxRelay} publishes them after
 * commit. A rolled-back change therefore never publishes, and a crash after commit publishes on restart.
 */
@ApplicationScoped
public class Outbox {

    @Inject
    AgroalDataSource dataSource;

    @Inject
    ObjectMapper json;

    @Inject
    OutboxConfig config;

    @Inject
    AfterCommit afterCommit;

    @Inject
    OutboxRelay relay;

    /**
     * Appends one event. The data must conform to the contract's schema for {@code eventType}; a violation is a
     * programming error and fails the whole transaction rather than publish a broken event.
     *
     * @return the event id ({@code ce_id})
     */
    @Transactional(Transactional.TxType.MANDATORY)
    public UUID append(String topic, String patientId, String eventType, Instant occurredAt, Object data) {
        JsonNode payload = json.valueToTree(data);
        List<String> violations = EventContract.load().validate(eventType, payload);
        if (!violations.isEmpty()) {
            throw new IllegalStateException("event " + eventType + " breaks its schema: " + violations);
        }
        UUID eventId = UUID.randomUUID();
        try (Connection c = dataSource.getConnection();
             PreparedStatement insert = c.prepareStatement("insert into outbox_event "
                     + "(event_id, topic, record_key, event_type, source, occurred_at, payload, created_at) "
                     + "values (?, ?, ?, ?, ?, ?, ?, ?)")) {
            insert.setObject(1, eventId);
            insert.setString(2, topic);
            insert.setString(3, patientId);
            insert.setString(4, eventType);
            insert.setString(5, config.source());
            insert.setTimestamp(6, Timestamp.from(occurredAt));
            insert.setString(7, json.writeValueAsString(payload));
            insert.setTimestamp(8, Timestamp.from(Instant.now()));
            insert.executeUpdate();
        } catch (SQLException | com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException("cannot write outbox event " + eventType, e);
        }
        afterCommit.run(relay::wake);
        return eventId;
    }
}
