package org.hdil2.alert.delivery;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;

import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.sse.OutboundSseEvent;
import jakarta.ws.rs.sse.Sse;
import jakarta.ws.rs.sse.SseEventSink;

import org.hdil2.alert.config.AlertConfig;
import org.hdil2.alert.domain.Priority;
import org.hdil2.kit.audit.AccessLog;
import org.hdil2.kit.poll.Poller;
import org.hdil2.kit.problem.ProblemException;
import org.jboss.logging.Logger;

import io.agroal.api.AgroalDataSource;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.StartupEvent;

/**
 * Fans notifications out to SSE clients. One thread reads {@code alert_notification} rows in id order: at once when a
 * change in this replica commits, and every poll interval for rows other replicas wrote. A client that connects with
 * {@code Last-Event-ID} first gets every matching row after that id from the database, then live rows; since the
 * same thread does both, nothing is skipped or sent twice on the switch.
 */
@ApplicationScoped
public class NotificationHub {

    private static final Logger LOG = Logger.getLogger(NotificationHub.class);
    private static final int BATCH = 500;

    /** What a client asked to see. */
    public record Filter(String ward, String patientId, Priority minPriority) {

        boolean matches(Row row) {
            return (ward == null || ward.equals(row.ward())) && (patientId == null || patientId.equals(row.patientId()))
                    && (minPriority == null || Priority.valueOf(row.priority()).atLeast(minPriority));
        }
    }

    record Row(long id, String patientId, String ward, String priority, String payload) {
    }

    private static final class Subscriber {
        final Filter filter;
        final SseEventSink sink;
        final Sse sse;
        final AccessLog.StreamCaller caller;
        long cursor;

        Subscriber(Filter filter, SseEventSink sink, Sse sse, AccessLog.StreamCaller caller, long cursor) {
            this.filter = filter;
            this.sink = sink;
            this.sse = sse;
            this.caller = caller;
            this.cursor = cursor;
        }
    }

    @Inject
    AgroalDataSource dataSource;

    @Inject
    AlertConfig config;

    @Inject
    MeterRegistry meters;

    @Inject
    AccessLog accessLog;

    private final List<Subscriber> subscribers = new ArrayList<>(); // touched on the hub thread only
    private volatile Poller poller;
    private long head = -1; // highest notification id read (hub thread only)

    void onStart(@Observes StartupEvent start) {
        meters.gaugeCollectionSize("hdil2.alerts.sse.clients", List.of(), subscribers);
        poller = Poller.start("alert-sse", java.time.Duration.ZERO, config.sse().pollInterval(), this::poll)
                .alsoEvery(config.sse().heartbeat(), this::heartbeat);
    }

    /** Called after a commit that wrote notifications: read them now. */
    public void wake() {
        Poller current = poller;
        if (current != null) {
            current.wake();
        }
    }

    /**
     * Registers a client. With {@code lastEventId} it first replays the matching notifications after that id; without
     * it, it starts with the next notification.
     */
    public void subscribe(Filter filter, Long lastEventId, SseEventSink sink, Sse sse) {
        AccessLog.StreamCaller caller = accessLog.caller(); // on the request's thread, where its identity is
        // the first write happens on the request's own thread, so the response head is sent before the hub writes
        try {
            sink.send(sse.newEventBuilder().comment("connected; secondary notifications, never a replacement for bedside device alarms")
                    .build()).toCompletableFuture().join();
        } catch (RuntimeException e) {
            sink.close(); // the client went away before the stream started
            return;
        }
        poller.execute(() -> {
            try {
                if (head < 0) {
                    head = maxId();
                }
                Subscriber s = new Subscriber(filter, sink, sse, caller, lastEventId == null ? head : lastEventId);
                catchUp(s);
                subscribers.add(s);
            } catch (Exception e) {
                LOG.warnf("SSE subscription failed: %s", e.toString());
                sink.close();
            }
        });
    }

    private void catchUp(Subscriber s) throws SQLException {
        while (s.cursor < head && !s.sink.isClosed()) {
            List<Row> rows = read(s.cursor, head, s.filter);
            if (rows.isEmpty()) {
                s.cursor = head;
                break;
            }
            for (Row r : rows) {
                if (s.filter.matches(r)) {
                    deliver(s, r);
                } else {
                    s.cursor = r.id();
                }
            }
            if (rows.size() < BATCH) {
                s.cursor = head;
            }
        }
    }

    private void poll() {
        Poller.drain(BATCH, this::deliverAfterHead);
    }

    private int deliverAfterHead() {
        List<Row> rows;
        try {
            if (head < 0) {
                head = maxId();
            }
            rows = read(head, Long.MAX_VALUE, null);
        } catch (SQLException e) {
            throw new IllegalStateException("notifications could not be read", e);
        }
        for (Row r : rows) {
            for (Iterator<Subscriber> it = subscribers.iterator(); it.hasNext();) {
                Subscriber s = it.next();
                if (s.sink.isClosed()) {
                    it.remove();
                } else if (r.id() > s.cursor) {
                    if (s.filter.matches(r)) {
                        deliver(s, r);
                    } else {
                        s.cursor = r.id();
                    }
                }
            }
            head = r.id();
        }
        return rows.size();
    }

    private void heartbeat() {
        for (Iterator<Subscriber> it = subscribers.iterator(); it.hasNext();) {
            Subscriber s = it.next();
            if (s.sink.isClosed()) {
                it.remove();
            } else {
                send(s, s.sse.newEventBuilder().comment("heartbeat").build());
            }
        }
    }

    private void deliver(Subscriber s, Row r) {
        try {
            accessLog.streamed(s.caller, r.patientId(), "AlertNotification", Long.toString(r.id()));
        } catch (ProblemException full) {
            s.sink.close(); // not shown unlogged; the client resumes from its Last-Event-ID
            return;
        }
        send(s, s.sse.newEventBuilder().id(Long.toString(r.id())).name("alert").mediaType(MediaType.TEXT_PLAIN_TYPE)
                .data(String.class, r.payload()).build());
        s.cursor = r.id();
    }

    private void send(Subscriber s, OutboundSseEvent event) {
        if (s.sink.isClosed()) {
            return;
        }
        s.sink.send(event).whenComplete((ok, failure) -> {
            if (failure != null) {
                s.sink.close();
            }
        });
    }

    private List<Row> read(long after, long upTo, Filter filter) throws SQLException {
        StringBuilder sql = new StringBuilder("select id, patient_id, ward, priority, payload from alert_notification where id > ? and id <= ?");
        if (filter != null && filter.ward() != null) {
            sql.append(" and ward = ?");
        }
        if (filter != null && filter.patientId() != null) {
            sql.append(" and patient_id = ?");
        }
        sql.append(" order by id limit ").append(BATCH);
        List<Row> rows = new ArrayList<>();
        try (Connection c = dataSource.getConnection(); PreparedStatement st = c.prepareStatement(sql.toString())) {
            int i = 1;
            st.setLong(i++, after);
            st.setLong(i++, upTo);
            if (filter != null && filter.ward() != null) {
                st.setString(i++, filter.ward());
            }
            if (filter != null && filter.patientId() != null) {
                st.setString(i++, filter.patientId());
            }
            try (ResultSet rs = st.executeQuery()) {
                while (rs.next()) {
                    rows.add(new Row(rs.getLong(1), rs.getString(2), rs.getString(3), rs.getString(4), rs.getString(5)));
                }
            }
        }
        return rows;
    }

    private long maxId() throws SQLException {
        try (Connection c = dataSource.getConnection();
             PreparedStatement st = c.prepareStatement("select coalesce(max(id), 0) from alert_notification");
             ResultSet rs = st.executeQuery()) {
            rs.next();
            return rs.getLong(1);
        }
    }

    void onShutdown(@Observes io.quarkus.runtime.ShutdownEvent event) {
        stop();
    }

    @PreDestroy
    void stop() {
        Poller current = poller;
        if (current != null) {
            current.stopNow();
        }
        for (Subscriber s : List.copyOf(subscribers)) {
            s.sink.close();
        }
    }
}
