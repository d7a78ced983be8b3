package org.hdil2.dosing.messaging;

import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import java.util.stream.Collectors;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;

import org.hdil2.dosing.config.DosingProtocols;
import org.hdil2.dosing.config.Topics;
import org.hdil2.dosing.domain.CourseEventType;
import org.hdil2.dosing.domain.EvaluationCurrency;
import org.hdil2.dosing.persistence.CourseEntity;
import org.hdil2.dosing.persistence.EvaluationCheckpointEntity;
import org.hdil2.dosing.persistence.EvaluationCheckpoints;
import org.hdil2.kit.audit.AuditTrail;
import org.hdil2.kit.outbox.Outbox;
import org.jboss.logging.Logger;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.runtime.StartupEvent;
import io.quarkus.scheduler.Scheduled;

/**
 * Watches whether monitoring's evaluation is current for every open course, without waiting for someone to ask for
 * a decision: when a patient's partition has had no checkpoint for longer than the currency rule allows, or
 * monitoring reports an observation of the patient it could not evaluate, {@code evaluation-lapsed} is published for
 * the course (alert-worthy: the ward must assess manually), and {@code evaluation-restored} when it is current again.
 * Each transition is taken by one replica only (a conditional update of the course). Metrics: the age of each
 * partition's checkpoint and the number of lapsed courses.
 */
@ApplicationScoped
public class EvaluationWatch {

    static final String LAPSED = CourseEventType.EVALUATION_LAPSED.type();
    static final String RESTORED = CourseEventType.EVALUATION_RESTORED.type();
    private static final Logger LOG = Logger.getLogger(EvaluationWatch.class);

    @Inject
    EvaluationCheckpoints checkpoints;

    @Inject
    DosingProtocols protocols;

    @Inject
    Outbox outbox;

    @Inject
    AuditTrail audit;

    @Inject
    MeterRegistry meters;

    @Inject
    Topics topics;

    private final Map<Integer, AtomicLong> checkpointAgeMs = new ConcurrentHashMap<>();
    private final AtomicInteger lapsedCourses = new AtomicInteger();

    private volatile Instant announceFrom = Instant.MAX;

    void onStart(@Observes StartupEvent start) {
        Gauge.builder("hdil2.dosing.evaluation.lapsed.courses", lapsedCourses, AtomicInteger::get)
                .description("open courses whose evaluation is not current (decisions ASSESS)").register(meters);
        // a replica that was down holds old checkpoints until its consumer catches up: decisions are ASSESS meanwhile,
        // but a restart (a rolling upgrade) announces no lapse unless it outlasts the time a checkpoint may take
        announceFrom = Instant.now().plus(protocols.currency().maxCheckpointAge());
    }

    @Scheduled(every = "${hdil2.dosing.currency.watch-interval:5s}", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void watch() {
        if (Instant.now().isBefore(announceFrom)) {
            return;
        }
        try {
            watch(Instant.now());
        } catch (RuntimeException e) {
            // the class only: a message may quote a patient id
            LOG.warnf("evaluation watch failed this time, will retry: %s", e.getClass().getName());
        }
    }

    /** One round at {@code now}; returns the number of transitions taken (lapsed + restored). */
    public int watch(Instant now) {
        record Course(String id, String patientId, Instant lapsedSince) {
        }
        Map<Integer, EvaluationCheckpointEntity> rows = QuarkusTransaction.requiringNew().call(() ->
                EvaluationCheckpointEntity.<EvaluationCheckpointEntity>listAll().stream()
                        .collect(Collectors.toMap(r -> r.partition, Function.identity())));
        rows.values().forEach(r -> checkpointAge(r.partition).set(Duration.between(r.checkpointAt, now).toMillis()));
        List<Course> open = QuarkusTransaction.requiringNew().call(() -> CourseEntity.open().stream()
                .map(c -> new Course(c.id.toString(), c.patientId, c.evaluationLapsedSince)).toList());
        int transitions = 0;
        int lapsed = 0;
        for (Course c : open) {
            EvaluationCheckpoints.OfPatient of = checkpoints.forPatient(c.patientId(), rows);
            EvaluationCurrency currency = EvaluationCurrency.ofCheckpoint(protocols.currency(), of.checkpoint(), of.partitionLabel(), now);
            Integer partition = of.checkpoint().map(EvaluationCurrency.Checkpoint::partition).orElse(null);
            if (!currency.isCurrent()) {
                lapsed++;
                if (c.lapsedSince() == null && lapse(c.id(), currency, partition, now)) {
                    transitions++;
                }
            } else if (c.lapsedSince() != null && restore(c.id(), partition, now)) {
                transitions++;
            }
        }
        lapsedCourses.set(lapsed);
        return transitions;
    }

    private boolean lapse(String courseId, EvaluationCurrency currency, Integer partition, Instant now) {
        return QuarkusTransaction.requiringNew().call(() -> {
            Instant since = currency.notCurrentSince().orElse(now);
            String reason = String.join("; ", currency.reasons());
            int won = CourseEntity.update("evaluationLapsedSince = ?1, evaluationLapseReason = ?2 where id = ?3 and evaluationLapsedSince is null "
                    + "and status in (?4, ?5)", since, reason, java.util.UUID.fromString(courseId), org.hdil2.dosing.domain.CourseStatus.ORDERED, org.hdil2.dosing.domain.CourseStatus.ACTIVE);
            if (won == 0) {
                return false;
            }
            CourseEntity c = CourseEntity.findById(java.util.UUID.fromString(courseId));
            Map<String, Object> data = new LinkedHashMap<>();
            data.put("courseId", courseId);
            data.put("patientId", c.patientId);
            data.put("since", since.toString());
            data.put("detectedAt", now.toString());
            data.put("reason", reason);
            if (partition != null) {
                data.put("partition", partition);
            }
            outbox.append(topics.dosingEvents(), c.patientId, LAPSED, now, data);
            audit.byEvent("dosing.evaluation-watch", "lapse:" + courseId + ":" + since.toEpochMilli(), "course.evaluation-lapsed",
                    c.patientId, "Course", courseId, Map.of("since", since.toString()));
            LOG.warnf("course %s: monitoring's evaluation is not current since %s; its decisions are ASSESS", courseId, since);
            return true;
        });
    }

    private boolean restore(String courseId, Integer partition, Instant now) {
        return QuarkusTransaction.requiringNew().call(() -> {
            CourseEntity c = CourseEntity.findById(java.util.UUID.fromString(courseId));
            if (c == null || c.evaluationLapsedSince == null) {
                return false;
            }
            Instant since = c.evaluationLapsedSince;
            int won = CourseEntity.update("evaluationLapsedSince = null, evaluationLapseReason = null where id = ?1 "
                    + "and evaluationLapsedSince = ?2", c.id, since);
            if (won == 0) {
                return false;
            }
            Map<String, Object> data = new LinkedHashMap<>();
            data.put("courseId", courseId);
            data.put("patientId", c.patientId);
            data.put("lapsedSince", since.toString());
            data.put("restoredAt", now.toString());
            if (partition != null) {
                data.put("partition", partition);
            }
            outbox.append(topics.dosingEvents(), c.patientId, RESTORED, now, data);
            audit.byEvent("dosing.evaluation-watch", "restore:" + courseId + ":" + since.toEpochMilli(), "course.evaluation-restored",
                    c.patientId, "Course", courseId, Map.of("lapsedSince", since.toString()));
            LOG.infof("course %s: monitoring's evaluation is current again (lapsed since %s)", courseId, since);
            return true;
        });
    }

    private AtomicLong checkpointAge(int partition) {
        return checkpointAgeMs.computeIfAbsent(partition, p -> {
            AtomicLong age = new AtomicLong();
            Gauge.builder("hdil2.dosing.evaluation.checkpoint.age.seconds", age, a -> a.get() / 1000.0).tag("partition", Integer.toString(p))
                    .description("age of the newest evaluation checkpoint received for the partition (decisions ASSESS beyond "
                            + "the currency rule's maxCheckpointAge)").register(meters);
            return age;
        });
    }
}
