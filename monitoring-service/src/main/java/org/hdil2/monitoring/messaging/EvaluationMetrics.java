package org.hdil2.monitoring.messaging;

import java.time.Instant;
import java.util.Map;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;

import org.apache.kafka.streams.KafkaStreams;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.StartupEvent;

/**
 * The evaluation's own signals in Prometheus: the Streams client's state, the age of the oldest checkpoint of a
 * task on this replica (what dosing watches, seen from here), patients whose evaluation failed, dead-lettered
 * records, replaced threads and errors the Streams handlers caught. See deploy/helm for the alert rules on them.
 */
@ApplicationScoped
public class EvaluationMetrics {

    @Inject
    MeterRegistry meters;

    @Inject
    KafkaStreams streams;

    @Inject
    EvaluationProgress progress;

    void onStart(@Observes StartupEvent start) {
        for (KafkaStreams.State state : KafkaStreams.State.values()) {
            Gauge.builder("hdil2.monitoring.evaluation.streams.state", streams, s -> s.state() == state ? 1 : 0)
                    .tag("state", state.name()).description("1 for the Kafka Streams client's current state").register(meters);
        }
        Gauge.builder("hdil2.monitoring.evaluation.checkpoint.age.seconds", progress,
                        p -> p.oldestCheckpoint(Instant.now()).map(Map.Entry::getValue).map(d -> d.toMillis() / 1000.0).orElse(0.0))
                .description("age of the oldest last checkpoint among the evaluation tasks this replica runs").register(meters);
        Gauge.builder("hdil2.monitoring.evaluation.active.tasks", progress, EvaluationProgress::activeTasks)
                .description("evaluation tasks (partitions) this replica runs").register(meters);
        Gauge.builder("hdil2.monitoring.evaluation.failing.patients", progress, EvaluationProgress::failingPatients)
                .description("patients with an accepted observation the evaluation could not evaluate").register(meters);
        FunctionCounter.builder("hdil2.monitoring.evaluation.dead.letters", progress, EvaluationProgress::deadLetters)
                .description("records the evaluation sent to the dead-letter topic").register(meters);
        FunctionCounter.builder("hdil2.monitoring.evaluation.failures", progress, EvaluationProgress::failuresRecorded)
                .description("evaluation failures recorded against a patient").register(meters);
        FunctionCounter.builder("hdil2.monitoring.evaluation.states.rebuilt", progress, EvaluationProgress::statesRebuilt)
                .description("patient states that could not be read and were started afresh").register(meters);
        FunctionCounter.builder("hdil2.monitoring.evaluation.threads.replaced", progress, EvaluationProgress::threadsReplaced)
                .description("stream threads that died and were replaced").register(meters);
        FunctionCounter.builder("hdil2.monitoring.evaluation.checkpoints", progress, EvaluationProgress::checkpoints)
                .description("evaluation checkpoints written").register(meters);
        FunctionCounter.builder("hdil2.monitoring.evaluation.handled.errors", StreamsErrors.PROCESSING, java.util.concurrent.atomic.AtomicLong::get)
                .tag("kind", "processing").description("errors Kafka Streams' handlers caught and skipped").register(meters);
        FunctionCounter.builder("hdil2.monitoring.evaluation.handled.errors", StreamsErrors.DESERIALIZATION, java.util.concurrent.atomic.AtomicLong::get)
                .tag("kind", "deserialization").register(meters);
        FunctionCounter.builder("hdil2.monitoring.evaluation.handled.errors", StreamsErrors.PRODUCTION, java.util.concurrent.atomic.AtomicLong::get)
                .tag("kind", "production").register(meters);
    }
}
