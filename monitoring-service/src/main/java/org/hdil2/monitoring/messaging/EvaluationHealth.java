package org.hdil2.monitoring.messaging;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Inject;

import org.apache.kafka.streams.KafkaStreams;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.HealthCheckResponseBuilder;
import org.eclipse.microprofile.health.Liveness;
import org.eclipse.microprofile.health.Readiness;
import org.hdil2.monitoring.config.MonitoringConfig;

/**
 * Whether this replica's evaluation works, for Kubernetes: liveness is DOWN when the Streams client is in ERROR or
 * PENDING_ERROR, shut down, or when a task it runs has written no checkpoint for {@code hdil2.monitoring.stall-after}
 * (a stuck thread), so the pod is restarted; readiness is DOWN for the same and while the client has not started or
 * the topics' partition counts disagree.
 */
@ApplicationScoped
public class EvaluationHealth {

    private static final Set<KafkaStreams.State> BROKEN = Set.of(KafkaStreams.State.ERROR, KafkaStreams.State.PENDING_ERROR,
            KafkaStreams.State.PENDING_SHUTDOWN, KafkaStreams.State.NOT_RUNNING);

    @Inject
    KafkaStreams streams;

    @Inject
    EvaluationProgress progress;

    @Inject
    EvaluationTopics topics;

    @Inject
    MonitoringConfig config;

    @Produces
    @Liveness
    HealthCheck live() {
        return () -> check("evaluation liveness", false);
    }

    @Produces
    @Readiness
    HealthCheck ready() {
        return () -> check("evaluation readiness", true);
    }

    private HealthCheckResponse check(String name, boolean readiness) {
        KafkaStreams.State state = streams.state();
        HealthCheckResponseBuilder r = HealthCheckResponse.named(name).withData("streamsState", state.name())
                .withData("activeTasks", progress.activeTasks()).withData("failingPatients", progress.failingPatients());
        boolean up = !BROKEN.contains(state);
        Optional<Map.Entry<Integer, Duration>> oldest = progress.oldestCheckpoint(Instant.now());
        if (oldest.isPresent()) {
            r.withData("oldestCheckpointAgeSeconds", oldest.get().getValue().toSeconds());
            if (state == KafkaStreams.State.RUNNING && oldest.get().getValue().compareTo(config.stallAfter()) > 0) {
                up = false;
                r.withData("stalled", "partition " + oldest.get().getKey() + " has written no checkpoint for "
                        + oldest.get().getValue().toSeconds() + " s");
            }
        }
        if (readiness) {
            if (state == KafkaStreams.State.CREATED) {
                up = false;
            }
            String problem = topics.problem();
            if (problem != null) {
                up = false;
                r.withData("topics", problem);
            }
        }
        return r.status(up).build();
    }
}
