package org.hdil2.monitoring.app;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import org.hdil2.kit.audit.AuditTrail;
import org.hdil2.kit.problem.ProblemException;
import org.hdil2.monitoring.config.MonitoringConfig;
import org.hdil2.monitoring.config.ProtocolCatalog;
import org.hdil2.monitoring.domain.BacktestReport;
import org.hdil2.monitoring.domain.Evaluator;
import org.hdil2.monitoring.domain.Evaluators;
import org.hdil2.monitoring.domain.ObservationFact;
import org.hdil2.monitoring.domain.Protocol;
import org.hdil2.monitoring.domain.Replay;
import org.hdil2.monitoring.persistence.BacktestEntity;
import org.hdil2.monitoring.persistence.ObservationEntity;
import org.hdil2.monitoring.persistence.TherapyDoseEntity;
import org.hdil2.monitoring.persistence.TherapyEntity;
import org.jboss.logging.Logger;

import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.runtime.StartupEvent;

/**
 * Back-tests: a protocol (shipped, or a draft) replayed over the stored histories of a set of patients, beside the
 * protocol each patient is evaluated under live, on one worker thread, read-only: it reads observations, the course
 * and its doses, and writes only its own row (progress, then the report). It never publishes and never touches the
 * live evaluation's state.
 */
@ApplicationScoped
public class Backtests {

    private static final Logger LOG = Logger.getLogger(Backtests.class);
    /** The replay ticks as the live evaluation is re-evaluated with time (every 30 s), coarser: durations are hours. */
    static final Duration TICK = Duration.ofMinutes(5);
    public static final int MAX_PATIENTS = 500;
    public static final Duration MAX_RANGE = Duration.ofDays(92);
    /** A job whose worker has not reported for this long has lost its replica: it is marked FAILED. */
    static final Duration ABANDONED_AFTER = Duration.ofMinutes(10);

    @Inject
    Evaluators evaluators;

    @Inject
    MonitoringConfig config;

    @Inject
    AuditTrail audit;

    @Inject
    ObjectMapper json;

    /** One worker: the jobs one after the other, and every minute the sweep for abandoned ones. */
    private final ScheduledExecutorService worker = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "backtest");
        t.setDaemon(true);
        return t;
    });

    /** What an analyst asks: a protocol id or a draft, the patients (or a time range that selects them). */
    public record Request(String protocolId, JsonNode draftProtocol, List<String> patients, Instant from, Instant to) {
    }

    void onStart(@Observes StartupEvent start) {
        abandoned();
        worker.scheduleWithFixedDelay(() -> {
            try {
                abandoned();
            } catch (RuntimeException e) {
                LOG.warnf("the sweep for abandoned back-tests failed (%s)", e.getClass().getSimpleName());
            }
        }, 1, 1, TimeUnit.MINUTES);
    }

    /**
     * A job cut off by a stop cannot be resumed half-way: once its heartbeat is older than {@link #ABANDONED_AFTER}
     * it says so, and is submitted again. Another replica's job that is still running keeps its heartbeat fresh.
     */
    public void abandoned() {
        Instant now = Instant.now();
        QuarkusTransaction.requiringNew().run(() -> BacktestEntity.update("status = ?1, error = ?2, finishedAt = ?3 "
                        + "where status in (?4, ?5) and updatedAt < ?6", BacktestEntity.FAILED,
                "interrupted: the replica running it stopped; submit it again", now, BacktestEntity.QUEUED, BacktestEntity.RUNNING,
                now.minus(ABANDONED_AFTER)));
    }

    @PreDestroy
    void stop() {
        worker.shutdownNow();
    }

    /** Checks the request, resolves its patients, records and audits the job, and starts it; returns it QUEUED. */
    public BacktestEntity submit(Request request, String requestedBy) {
        Protocol protocol = protocol(request);
        boolean draft = request.draftProtocol() != null;
        List<String> patients = patients(request);
        BacktestEntity job = new BacktestEntity();
        job.id = UUID.randomUUID();
        job.requestedBy = requestedBy;
        job.requestedAt = Instant.now();
        job.protocolId = protocol.id();
        job.protocolVersion = protocol.version();
        job.draft = draft;
        job.status = BacktestEntity.QUEUED;
        job.patientsTotal = patients.size();
        job.updatedAt = job.requestedAt;
        Map<String, Object> stored = new LinkedHashMap<>();
        stored.put("protocol", draft ? request.draftProtocol() : Map.of("id", protocol.id(), "version", protocol.version()));
        stored.put("patients", patients);
        if (request.from() != null) {
            stored.put("from", request.from().toString());
            stored.put("to", request.to().toString());
        }
        job.request = write(stored);
        QuarkusTransaction.requiringNew().run(() -> {
            job.persist();
            audit.byCaller("backtest.create", null, "Backtest", job.id.toString(),
                    Map.of("protocol", protocol.id() + " " + protocol.version(), "draft", draft, "patients", patients.size()));
        });
        UUID id = job.id;
        worker.submit(() -> run(id, protocol, draft, patients, request.from(), request.to()));
        return job;
    }

    private Protocol protocol(Request request) {
        if ((request.protocolId() == null) == (request.draftProtocol() == null)) {
            throw ProblemException.invalid("MON-0160", "protocol", "name a protocol (protocolId) or give a draft (draftProtocol), not both");
        }
        if (request.protocolId() != null) {
            return evaluators.protocol(request.protocolId()).orElseThrow(() -> ProblemException.invalid("MON-0160", "protocolId",
                    "no protocol " + request.protocolId() + " in this deployment"));
        }
        try {
            return ProtocolCatalog.draft(json.writeValueAsBytes(request.draftProtocol()), dir());
        } catch (IllegalStateException | JsonProcessingException e) {
            throw ProblemException.invalid("MON-0161", "draftProtocol", "the draft cannot be evaluated: " + e.getMessage());
        }
    }

    private List<String> patients(Request request) {
        boolean listed = request.patients() != null && !request.patients().isEmpty();
        boolean ranged = request.from() != null || request.to() != null;
        if (listed == ranged) {
            throw ProblemException.invalid("MON-0162", "patients", "give the patients, or a time range (from, to) that selects them, not both");
        }
        if (listed) {
            if (request.patients().size() > MAX_PATIENTS) {
                throw ProblemException.invalid("MON-0162", "patients", "at most " + MAX_PATIENTS + " patients per back-test");
            }
            for (String p : request.patients()) {
                if (p == null || !p.matches("[A-Za-z0-9._-]{1,64}")) {
                    throw ProblemException.invalid("MON-0162", "patients", "a patient id is letters, digits, '.', '_' and '-', at most 64");
                }
            }
            return request.patients().stream().distinct().toList();
        }
        if (request.from() == null || request.to() == null || !request.from().isBefore(request.to())) {
            throw ProblemException.invalid("MON-0162", "from", "a time range needs from before to");
        }
        if (Duration.between(request.from(), request.to()).compareTo(MAX_RANGE) > 0) {
            throw ProblemException.invalid("MON-0162", "to", "a time range spans at most " + MAX_RANGE.toDays() + " days");
        }
        List<String> found = QuarkusTransaction.requiringNew().call(() -> ObservationEntity.getEntityManager()
                .createQuery("select distinct o.patientId from ObservationEntity o where o.effectiveTime >= ?1 and o.effectiveTime < ?2 "
                        + "order by o.patientId", String.class).setParameter(1, request.from()).setParameter(2, request.to())
                .setMaxResults(MAX_PATIENTS + 1).getResultList());
        if (found.size() > MAX_PATIENTS) {
            throw ProblemException.invalid("MON-0162", "from", "the range holds more than " + MAX_PATIENTS + " patients: narrow it");
        }
        return found;
    }

    private void run(UUID id, Protocol tested, boolean draft, List<String> patients, Instant from, Instant to) {
        try {
            QuarkusTransaction.requiringNew().run(() -> BacktestEntity.update("status = ?1, updatedAt = ?2 where id = ?3",
                    BacktestEntity.RUNNING, Instant.now(), id));
            Evaluator candidate = new Evaluator(tested, config.snapshotRefresh());
            List<BacktestReport.Pair> pairs = new ArrayList<>();
            Map<String, String> comparisonActions = new LinkedHashMap<>();
            int done = 0;
            for (String patient : patients) {
                Loaded loaded = QuarkusTransaction.requiringNew().call(() -> load(patient, from, to, config.backtestMaxObservationsPerPatient()));
                Evaluator comparison = evaluators.ofProtocol(loaded.protocolId());
                comparison.protocol().rules().forEach(r -> comparisonActions.putIfAbsent(r.id(), r.action()));
                pairs.add(new BacktestReport.Pair(Replay.of(candidate, loaded.history(), TICK), Replay.of(comparison, loaded.history(), TICK)));
                int progress = ++done;
                QuarkusTransaction.requiringNew().run(() -> BacktestEntity.update("patientsDone = ?1, updatedAt = ?2 where id = ?3",
                        progress, Instant.now(), id));
            }
            String report = write(BacktestReport.of(tested, draft, pairs, comparisonActions));
            QuarkusTransaction.requiringNew().run(() -> BacktestEntity.update("status = ?1, report = ?2, finishedAt = ?3, updatedAt = ?3 "
                    + "where id = ?4", BacktestEntity.DONE, report, Instant.now(), id));
        } catch (TooLong e) {
            QuarkusTransaction.requiringNew().run(() -> BacktestEntity.update("status = ?1, error = ?2, finishedAt = ?3, updatedAt = ?3 "
                    + "where id = ?4", BacktestEntity.FAILED, e.getMessage(), Instant.now(), id));
        } catch (RuntimeException e) {
            LOG.errorf("back-test %s failed (%s)", id, e.getClass().getSimpleName());
            QuarkusTransaction.requiringNew().run(() -> BacktestEntity.update("status = ?1, error = ?2, finishedAt = ?3, updatedAt = ?3 "
                    + "where id = ?4", BacktestEntity.FAILED, "the replay failed (" + e.getClass().getSimpleName() + ")", Instant.now(), id));
        }
    }

    private record Loaded(Replay.History history, String protocolId) {
    }

    /** A history too long to replay here; the message names the patient (it is shown to the analyst, never logged). */
    static final class TooLong extends RuntimeException {
        TooLong(String message) {
            super(message, null, false, false);
        }
    }

    /** The patient's stored observations (in the range, if one is given) and course with the doses given. */
    private static Loaded load(String patientId, Instant from, Instant to, int maxObservations) {
        long count = from == null ? ObservationEntity.count("patientId = ?1", patientId)
                : ObservationEntity.count("patientId = ?1 and effectiveTime >= ?2 and effectiveTime < ?3", patientId, from, to);
        if (count > maxObservations) {
            throw new TooLong("patient " + patientId + " has " + count + " stored observations" + (from == null ? "" : " in the range")
                    + ", more than the " + maxObservations + " a back-test replays: narrow the range");
        }
        List<ObservationEntity> stored = from == null
                ? ObservationEntity.list("patientId = ?1 and status not in ('entered-in-error', 'cancelled') order by effectiveTime", patientId)
                : ObservationEntity.list("patientId = ?1 and status not in ('entered-in-error', 'cancelled') and effectiveTime >= ?2 "
                        + "and effectiveTime < ?3 order by effectiveTime", patientId, from, to);
        List<ObservationFact> facts = stored.stream().map(o -> new ObservationFact(o.id.toString(), o.parameter, o.code, o.value,
                o.valueCode, o.unit, o.effectiveTime, o.effectiveStart, o.sourceKind)).toList();
        TherapyEntity t = TherapyEntity.findById(patientId);
        Replay.Course course = null;
        if (t != null && t.orderedAt != null) {
            List<Instant> doses = TherapyDoseEntity.<TherapyDoseEntity>list("courseId = ?1 and corrected = false order by startedAt", t.courseId)
                    .stream().map(d -> d.startedAt).filter(d -> from == null || (!d.isBefore(from) && d.isBefore(to))).toList();
            course = new Replay.Course(t.courseId.toString(), t.orderedAt, t.baselineWeightKg, doses);
        }
        return new Loaded(new Replay.History(patientId, facts, course), t == null ? null : t.protocolId);
    }

    private Optional<Path> dir() {
        return config.protocolDir().filter(d -> !d.isBlank()).map(Path::of);
    }

    private String write(Object value) {
        try {
            return new String(json.writeValueAsBytes(value), StandardCharsets.UTF_8);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
