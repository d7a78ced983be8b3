package org.hdil2.alert.delivery;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import org.hdil2.alert.config.AlertConfig;
import org.hdil2.alert.domain.Alert;
import org.hdil2.alert.domain.AlertEffect;
import org.hdil2.alert.domain.AlertStatus;
import org.hdil2.kit.tx.AfterCommit;

import io.agroal.api.AgroalDataSource;

/**
 * Writes what people are told about an alert change, in the transaction of the change: one
 * {@code alert_notification} row (its id is the SSE event id) and, when a webhook is configured, one pending
 * {@code webhook_delivery}. After commit the SSE hub and the webhook dispatcher of this replica are woken; other
 * replicas find the rows by polling.
 * <p>
 * Rows are inserted under a transaction-scoped advisory lock, so a notification id becomes visible only after every
 * smaller id has committed or rolled back: a reader that resumes "after id N" never skips a row committed late.
 * The lock is the last one a change takes, so it cannot deadlock with the row locks taken before it.
 */
@ApplicationScoped
public class Notifier {

    private static final long SEQUENCE_LOCK = 0x414C525453L; // "ALRTS"

    /** Said in every push: these alerts support, and never replace, the bedside device alarms. */
    public static final String SECONDARY_NOTICE = "Secondary notification: never a replacement for bedside device alarms.";

    @Inject
    AgroalDataSource dataSource;

    @Inject
    EntityManager em;

    @Inject
    ObjectMapper json;

    @Inject
    AlertConfig config;

    @Inject
    AfterCommit afterCommit;

    @Inject
    NotificationHub hub;

    @Inject
    WebhookDispatcher webhook;

    /**
     * Records a notification of {@code a}'s current state.
     *
     * @return the notification id
     */
    @Transactional(Transactional.TxType.MANDATORY)
    public long notify(Alert a, AlertEffect.Notice notice, Instant at) {
        em.flush();
        Map<String, Object> payload = payload(a, notice, at);
        long id;
        try (Connection c = dataSource.getConnection()) {
            try (PreparedStatement lock = c.prepareStatement("select pg_advisory_xact_lock(?)")) {
                lock.setLong(1, SEQUENCE_LOCK);
                lock.execute();
            }
            try (PreparedStatement st = c.prepareStatement("insert into alert_notification (alert_id, patient_id, ward, "
                    + "priority, phase, change, created_at, payload) values (?,?,?,?,?,?,?,?) returning id")) {
                st.setObject(1, a.id());
                st.setString(2, a.patientId());
                st.setString(3, a.ward());
                st.setString(4, a.priority().name());
                st.setString(5, notice.phase().name());
                st.setString(6, notice.change().name());
                st.setTimestamp(7, Timestamp.from(at));
                st.setString(8, json.writeValueAsString(payload));
                try (ResultSet rs = st.executeQuery()) {
                    rs.next();
                    id = rs.getLong(1);
                }
            }
            if (config.webhook().url().isPresent()) {
                try (PreparedStatement st = c.prepareStatement("insert into webhook_delivery (notification_id, alert_id, "
                        + "status, attempts, next_attempt_at, created_at) values (?,?,'PENDING',0,?,?)")) {
                    st.setLong(1, id);
                    st.setObject(2, a.id());
                    st.setTimestamp(3, Timestamp.from(at));
                    st.setTimestamp(4, Timestamp.from(at));
                    st.executeUpdate();
                }
            }
        } catch (SQLException | JsonProcessingException e) {
            throw new IllegalStateException("cannot record the notification of alert " + a.id(), e);
        }
        afterCommit.run(() -> {
            hub.wake();
            webhook.wake();
        });
        return id;
    }

    /**
     * The notification body, shaped after an IHE PCD ACM alert: identity, patient (id and bed only), priority, phase,
     * state, text, rule, protocol (when known) and source observation, time. No names: the text is the rule's wording
     * and the value.
     */
    Map<String, Object> payload(Alert a, AlertEffect.Notice notice, Instant at) {
        AlertStatus status = a.status();
        Map<String, Object> p = new LinkedHashMap<>();
        p.put("alertId", a.id().toString());
        p.put("patientId", a.patientId());
        p.put("ward", a.ward());
        p.put("bed", a.bed());
        p.put("priority", a.priority().name());
        p.put("acmPriority", a.priority().acm());
        p.put("phase", notice.phase().acm());
        p.put("change", notice.change().name());
        p.put("state", status.name());
        p.put("alarmState", status.alarmState());
        p.put("inactivationState", status.inactivationState());
        p.put("condition", a.condition().name());
        p.put("latching", a.latching());
        p.put("kind", "advisory");
        p.put("text", a.title());
        p.put("rule", Map.of("id", a.ruleId(), "version", a.ruleVersion(), "action", a.ruleAction()));
        if (a.protocolId() != null) {
            Map<String, Object> protocol = new LinkedHashMap<>();
            protocol.put("id", a.protocolId());
            if (a.protocolVersion() != null) {
                protocol.put("version", a.protocolVersion());
            }
            p.put("protocol", protocol);
        }
        p.put("sourceObservation", sourceObservation(a));
        p.put("escalationLevel", a.escalationLevel());
        p.put("targetRole", notice.targetRole() == null ? null : notice.targetRole().name());
        p.put("recipients", notice.recipients());
        p.put("raisedAt", a.raisedAt().toString());
        p.put("time", at.toString());
        p.put("notice", SECONDARY_NOTICE);
        return p;
    }

    private JsonNode sourceObservation(Alert a) {
        try {
            return json.readTree(a.sourceObservation());
        } catch (JsonProcessingException e) {
            return json.createObjectNode();
        }
    }
}
