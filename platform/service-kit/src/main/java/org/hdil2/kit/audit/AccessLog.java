package org.hdil2.kit.audit;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.TreeSet;
import java.util.concurrent.atomic.AtomicLong;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.hdil2.kit.poll.Poller;
import org.hdil2.kit.problem.ProblemConfig;
import org.hdil2.kit.problem.ProblemException;
import org.jboss.logging.Logger;

import io.agroal.api.AgroalDataSource;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.quarkus.security.identity.SecurityIdentity;

/**
 * Who read which patient's record: one access entry (who, roles, when, patient, resource, request id) per patient and
 * resource a request showed. Reads are not slowed by it: {@link #read} only queues the entry, and a background writer
 * inserts the queue in batches every {@code hdil2.access-log.flush-interval} (and at shutdown). The price is that a
 * process killed with -9 loses at most that interval's entries. A read that cannot be queued (the writer is
 * {@code hdil2.access-log.capacity} entries behind, the database being away) is refused with 503 {@code <prefix>-0012}:
 * a record is not shown without its access being logged.
 */
@ApplicationScoped
public class AccessLog {

    private static final Logger LOG = Logger.getLogger(AccessLog.class);
    private static final int BATCH = 1000;

    /** What the caller did: read one resource, or searched (resourceId null, one entry per patient in the answer). */
    public enum Access { READ, SEARCH, STREAM }

    record Entry(Instant at, String actor, String roles, String patientId, String resourceType, String resourceId,
                 String requestId, Access access) {
    }

    @Inject
    AgroalDataSource dataSource;

    @Inject
    SecurityIdentity identity;

    @Inject
    RequestId requestId;

    @Inject
    ProblemConfig problems;

    @Inject
    MeterRegistry meters;

    @ConfigProperty(name = "hdil2.access-log.flush-interval", defaultValue = "PT0.2S")
    Duration flushInterval;

    @ConfigProperty(name = "hdil2.access-log.capacity", defaultValue = "100000")
    int capacity;

    private final ArrayDeque<Entry> pending = new ArrayDeque<>();
    private final Object writing = new Object();
    private final AtomicLong written = new AtomicLong();
    private volatile Poller writer;
    private Counter refused;

    void onStart(@Observes StartupEvent start) {
        Gauge.builder("hdil2.access.log.pending", this, AccessLog::pendingCount)
                .description("access entries queued, not yet written").register(meters);
        Gauge.builder("hdil2.access.log.written", written, AtomicLong::get)
                .description("access entries written since start").register(meters);
        refused = Counter.builder("hdil2.access.log.refused").description("reads refused because the access log was full")
                .register(meters);
        Duration every = Duration.ofMillis(Math.max(10, flushInterval.toMillis()));
        writer = Poller.start("hdil2-access-log", every, every, this::flushQuietly);
    }

    void onStop(@Observes ShutdownEvent stop) {
        Poller w = writer;
        if (w != null) {
            w.stop(Duration.ofSeconds(5));
        }
        flushQuietly();
    }

    /** The caller was shown one resource of {@code patientId}. */
    public void read(String patientId, String resourceType, String resourceId) {
        enqueue(List.of(entry(patientId, resourceType, resourceId, Access.READ)));
    }

    /** The caller was shown resources of these patients (a search, a page): one entry per distinct patient. */
    public void searched(Collection<String> patientIds, String resourceType) {
        List<Entry> entries = new ArrayList<>();
        for (String patientId : new LinkedHashSet<>(patientIds)) {
            entries.add(entry(patientId, resourceType, null, Access.SEARCH));
        }
        enqueue(entries);
    }

    /**
     * A resource pushed to an open stream. There is no request scope on the stream's threads, so the caller is the
     * identity captured when the stream was opened.
     */
    public void streamed(StreamCaller caller, String patientId, String resourceType, String resourceId) {
        enqueue(List.of(new Entry(Instant.now(), caller.actor(), caller.roles(), patientId, resourceType, resourceId,
                caller.requestId(), Access.STREAM)));
    }

    /** The caller of the current request, kept for entries written after the request has returned. */
    public StreamCaller caller() {
        return new StreamCaller(actor(), roles(), requestId.value());
    }

    public record StreamCaller(String actor, String roles, String requestId) {
    }

    /** Writes everything queued so far; the privacy officer's query calls it so that it sees its own latest reads. */
    public void flush() {
        synchronized (writing) {
            while (true) {
                List<Entry> batch = take();
                if (batch.isEmpty()) {
                    return;
                }
                try {
                    insert(batch);
                    written.addAndGet(batch.size());
                } catch (SQLException e) {
                    giveBack(batch);
                    throw new IllegalStateException("cannot write access entries", e);
                }
            }
        }
    }

    private void flushQuietly() {
        try {
            flush();
        } catch (RuntimeException e) {
            // kept queued and retried at the next interval; the message names no patient
            LOG.warnf("access log: %d entries wait for the database (%s)", pendingCount(), e.getCause() == null
                    ? e.getClass().getSimpleName() : e.getCause().getClass().getSimpleName());
        }
    }

    private Entry entry(String patientId, String resourceType, String resourceId, Access access) {
        return new Entry(Instant.now(), actor(), roles(), patientId, resourceType, resourceId, requestId.value(), access);
    }

    private String actor() {
        return identity.isAnonymous() ? "anonymous" : identity.getPrincipal().getName();
    }

    private String roles() {
        return String.join(",", new TreeSet<>(identity.getRoles()));
    }

    private void enqueue(List<Entry> entries) {
        if (entries.isEmpty()) {
            return;
        }
        synchronized (pending) {
            if (pending.size() + entries.size() > capacity) {
                if (refused != null) {
                    refused.increment();
                }
                throw new ProblemException(503, problems.codePrefix() + "-0012", "Access log unavailable",
                        "the record is not shown because its access cannot be logged now; retry shortly");
            }
            pending.addAll(entries);
        }
    }

    private List<Entry> take() {
        synchronized (pending) {
            List<Entry> batch = new ArrayList<>(Math.min(BATCH, pending.size()));
            while (batch.size() < BATCH && !pending.isEmpty()) {
                batch.add(pending.pollFirst());
            }
            return batch;
        }
    }

    private void giveBack(List<Entry> batch) {
        synchronized (pending) {
            for (int i = batch.size() - 1; i >= 0; i--) {
                pending.addFirst(batch.get(i));
            }
        }
    }

    private int pendingCount() {
        synchronized (pending) {
            return pending.size();
        }
    }

    private void insert(List<Entry> batch) throws SQLException {
        try (Connection c = dataSource.getConnection();
             PreparedStatement st = c.prepareStatement("insert into access_entry (occurred_at, actor, actor_roles, "
                     + "patient_id, resource_type, resource_id, request_id, access) values (?,?,?,?,?,?,?,?)")) {
            for (Entry e : batch) {
                st.setTimestamp(1, Timestamp.from(e.at()));
                st.setString(2, e.actor());
                st.setString(3, e.roles());
                st.setString(4, e.patientId());
                st.setString(5, e.resourceType());
                st.setString(6, e.resourceId());
                st.setString(7, e.requestId());
                st.setString(8, e.access().name());
                st.addBatch();
            }
            st.executeBatch();
        }
    }
}
