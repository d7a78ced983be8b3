package org.hdil2.kit.outbox;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;

import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.serialization.StringSerializer;
import org.hdil2.contract.CloudEventHeaders;
import org.hdil2.kit.poll.Poller;
import org.jboss.logging.Logger;

import io.agroal.api.AgroalDataSource;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.common.annotation.Identifier;

/**
 * Publishes outbox rows to Kafka in id order with an idempotent producer, then marks them published in the same
 * transaction that locked them. Runs on one thread, woken right after each commit and on a timer; a PostgreSQL
 * advisory lock lets only one replica relay at a time, which keeps each patient's events in order.
 * A crash between send and mark republishes the rows: consumers drop the repeat by {@code ce_id}.
 */
@ApplicationScoped
public class OutboxRelay {

    private static final Logger LOG = Logger.getLogger(OutboxRelay.class);
    private static final long ADVISORY_LOCK_KEY = 0x4844494C32L; // "HDIL2"
    private static final Duration SEND_TIMEOUT = Duration.ofSeconds(30);

    @Inject
    AgroalDataSource dataSource;

    @Inject
    OutboxConfig config;

    @Inject
    @Identifier("default-kafka-broker")
    Map<String, Object> kafkaConfig;

    @Inject
    MeterRegistry meters;

    private final AtomicLong pending = new AtomicLong();
    private volatile Poller poller;
    private volatile Producer<String, String> producer;
    private volatile Instant lastCleanup = Instant.EPOCH;
    private Timer commitToPublish;

    void onStart(@Observes StartupEvent start) {
        if (!config.relayEnabled()) {
            LOG.warn("outbox relay disabled (hdil2.outbox.relay-enabled=false): events stay in the outbox");
            return;
        }
        commitToPublish = Timer.builder("hdil2.outbox.commit.to.publish")
                .description("time from writing an outbox row to the broker's acknowledgement")
                .publishPercentiles(0.5, 0.95, 0.99)
                .register(meters);
        meters.gauge("hdil2.outbox.pending", pending);
        Poller p = Poller.start("outbox-relay", Duration.ZERO, config.pollInterval(), this::relay);
        // a producer made before the first commit keeps its set-up off the first event's latency
        p.execute(this::producer);
        poller = p;
    }

    /** Asks the relay to run now; calls while a run is already queued are merged. */
    public void wake() {
        Poller current = poller;
        if (current != null) {
            current.wake();
        }
    }

    private void relay() {
        try {
            Poller.drain(config.batchSize(), () -> QuarkusTransaction.requiringNew().timeout(60).call(this::relayBatch));
            cleanupNowAndThen();
        } catch (RuntimeException e) {
            resetProducer(); // a producer that failed may be fenced or broken: the next run makes a new one
            throw e;
        }
    }

    private int relayBatch() throws Exception {
        try (Connection c = dataSource.getConnection()) {
            if (!tryAdvisoryLock(c)) {
                return 0;
            }
            List<Row> rows = unpublished(c);
            if (rows.isEmpty()) {
                pending.set(0);
                return 0;
            }
            Producer<String, String> p = producer();
            List<Future<RecordMetadata>> acks = new ArrayList<>(rows.size());
            for (Row row : rows) {
                acks.add(p.send(row.toRecord()));
            }
            p.flush();
            for (Future<RecordMetadata> ack : acks) {
                ack.get(SEND_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
            }
            Instant now = Instant.now();
            markPublished(c, rows, now);
            for (Row row : rows) {
                commitToPublish.record(Duration.between(row.createdAt(), now));
            }
            pending.set(Math.max(0, pending.get() - rows.size()));
            return rows.size();
        }
    }

    private boolean tryAdvisoryLock(Connection c) throws SQLException {
        try (PreparedStatement st = c.prepareStatement("select pg_try_advisory_xact_lock(?)")) {
            st.setLong(1, ADVISORY_LOCK_KEY);
            try (ResultSet rs = st.executeQuery()) {
                return rs.next() && rs.getBoolean(1);
            }
        }
    }

    private List<Row> unpublished(Connection c) throws SQLException {
        List<Row> rows = new ArrayList<>();
        try (PreparedStatement st = c.prepareStatement("select id, event_id, topic, record_key, event_type, source, "
                + "occurred_at, payload, created_at from outbox_event where published_at is null order by id limit ?")) {
            st.setInt(1, config.batchSize());
            try (ResultSet rs = st.executeQuery()) {
                while (rs.next()) {
                    rows.add(new Row(rs.getLong(1), rs.getObject(2, UUID.class), rs.getString(3), rs.getString(4),
                            rs.getString(5), rs.getString(6), rs.getTimestamp(7).toInstant(), rs.getString(8),
                            rs.getTimestamp(9).toInstant()));
                }
            }
        }
        try (PreparedStatement count = c.prepareStatement("select count(*) from outbox_event where published_at is null");
             ResultSet rs = count.executeQuery()) {
            pending.set(rs.next() ? rs.getLong(1) : 0);
        }
        return rows;
    }

    private void markPublished(Connection c, List<Row> rows, Instant when) throws SQLException {
        try (PreparedStatement st = c.prepareStatement("update outbox_event set published_at = ? where id = any(?)")) {
            st.setTimestamp(1, Timestamp.from(when));
            st.setArray(2, c.createArrayOf("bigint", rows.stream().map(Row::id).toArray()));
            st.executeUpdate();
        }
    }

    private void cleanupNowAndThen() {
        Instant now = Instant.now();
        if (Duration.between(lastCleanup, now).compareTo(Duration.ofMinutes(10)) < 0) {
            return;
        }
        lastCleanup = now;
        QuarkusTransaction.requiringNew().run(() -> {
            try (Connection c = dataSource.getConnection();
                 PreparedStatement st = c.prepareStatement("delete from outbox_event where published_at < ?")) {
                st.setTimestamp(1, Timestamp.from(now.minus(config.retention())));
                st.executeUpdate();
            } catch (SQLException e) {
                throw new IllegalStateException(e);
            }
        });
    }

    private Producer<String, String> producer() {
        Producer<String, String> current = producer;
        if (current == null) {
            Map<String, Object> props = new HashMap<>(kafkaConfig);
            props.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
            props.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
            props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
            props.put(ProducerConfig.ACKS_CONFIG, "all");
            props.put(ProducerConfig.LINGER_MS_CONFIG, 0);
            props.put(ProducerConfig.MAX_IN_FLIGHT_REQUESTS_PER_CONNECTION, 5);
            props.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, (int) SEND_TIMEOUT.toMillis());
            props.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, 10_000);
            props.putIfAbsent(ProducerConfig.CLIENT_ID_CONFIG, "outbox-relay" + config.source().replace('/', '-'));
            props.keySet().removeIf(k -> k.startsWith("group.") || k.startsWith("auto.offset") || k.contains("deserializer")
                    || k.startsWith("session.") || k.startsWith("heartbeat."));
            current = new KafkaProducer<>(props);
            producer = current;
        }
        return current;
    }

    private void resetProducer() {
        Producer<String, String> current = producer;
        producer = null;
        if (current != null) {
            current.close(Duration.ofSeconds(5));
        }
    }

    @PreDestroy
    void stop() {
        Poller current = poller;
        if (current != null) {
            current.stop(Duration.ofSeconds(10));
        }
        resetProducer();
    }

    private record Row(long id, UUID eventId, String topic, String key, String type, String source, Instant occurredAt,
                       String payload, Instant createdAt) {

        ProducerRecord<String, String> toRecord() {
            ProducerRecord<String, String> record = new ProducerRecord<>(topic, key, payload);
            CloudEventHeaders.write(record.headers(), eventId.toString(), source, type, key, occurredAt);
            return record;
        }
    }
}
