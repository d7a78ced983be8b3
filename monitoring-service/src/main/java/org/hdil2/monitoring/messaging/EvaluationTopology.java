package org.hdil2.monitoring.messaging;

import java.time.Duration;
import java.util.Optional;
import java.util.Set;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;

import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler;
import org.apache.kafka.streams.processor.StreamPartitioner;
import org.apache.kafka.streams.state.Stores;
import org.hdil2.contract.PatientPartition;
import org.hdil2.monitoring.config.MonitoringConfig;
import org.hdil2.monitoring.config.Topics;
import org.hdil2.monitoring.domain.Evaluators;
import org.jboss.logging.Logger;

/**
 * The continuous evaluation: observations and therapy updates in, keyed by patient; one state per patient in a
 * fault-tolerant store; findings and evaluations out, as CloudEvents; every patient re-evaluated on wall-clock time
 * so duration rules fire and stale inputs show when the time comes; a checkpoint per partition every few seconds.
 * Run with exactly_once_v2, so a restart neither loses nor repeats an output. Records that cannot be evaluated go to
 * the observations topic's {@code .dlq}; a thread that dies anyway is replaced, never the client shut down.
 */
@ApplicationScoped
public class EvaluationTopology {

    public static final String STORE = "patient-state";
    private static final Logger LOG = Logger.getLogger(EvaluationTopology.class);

    @Inject
    Topics topics;

    @Inject
    Evaluators evaluators;

    @Inject
    MonitoringConfig config;

    @Inject
    EvaluationProgress progress;

    @Produces
    public Topology topology() {
        return build(topics.observations(), topics.findings(), evaluators, config.punctuateInterval(), config.checkpointInterval(), progress,
                config.stateFormat());
    }

    public static Topology build(String observations, String findings, Evaluators evaluators, Duration punctuateInterval,
                                 Duration checkpointInterval, EvaluationProgress progress, MonitoringConfig.StateFormat stateFormat) {
        Topology topology = new Topology();
        topology.addSource("observations", Serdes.String().deserializer(), Serdes.String().deserializer(), observations);
        topology.addProcessor("evaluate", () -> new EvaluateProcessor(evaluators, punctuateInterval, checkpointInterval, progress, stateFormat),
                "observations");
        // caching on: a patient's state written several times between two commits reaches RocksDB and the changelog
        // once (Streams flushes the cache before each commit, so exactly-once still covers it)
        topology.addStateStore(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(STORE), Serdes.String(), Serdes.ByteArray())
                .withCachingEnabled(), "evaluate");
        topology.addSink("findings", findings, Serdes.String().serializer(), Serdes.String().serializer(), new ByPatient(), "evaluate");
        topology.addSink("dead-letters", observations + ".dlq", Serdes.String().serializer(), Serdes.String().serializer(), "evaluate");
        return topology;
    }

    /** The event types of the observations topic the evaluation reads (any other is dead-lettered). */
    public static boolean evaluates(String eventType) {
        return MonitoringEvents.OBSERVATION_RECORDED.equals(eventType) || MonitoringEvents.THERAPY_UPDATED.equals(eventType);
    }

    /**
     * A patient's findings on the partition Kafka's default partitioner gives the patient id (so they are co-partitioned
     * with the patient's observations), a checkpoint on the partition it names: both stay in order on one partition.
     */
    static final class ByPatient implements StreamPartitioner<String, String> {
        @Override
        public Optional<Set<Integer>> partitions(String topic, String key, String value, int numPartitions) {
            if (key.startsWith(EvaluateProcessor.CHECKPOINT_KEY_PREFIX)) {
                int partition = Integer.parseInt(key.substring(EvaluateProcessor.CHECKPOINT_KEY_PREFIX.length()));
                return Optional.of(Set.of(partition % numPartitions));
            }
            return Optional.of(Set.of(PatientPartition.of(key, numPartitions)));
        }
    }

    /** A stream thread that dies is replaced; shutting the client down would stop every patient's evaluation. */
    @Produces
    @Singleton
    StreamsUncaughtExceptionHandler replaceDeadThreads(EvaluationProgress progress) {
        return e -> {
            progress.threadsReplaced.incrementAndGet();
            LOG.errorf(e, "an evaluation stream thread died (%s); replacing it", e.getClass().getSimpleName());
            return StreamsUncaughtExceptionHandler.StreamThreadExceptionResponse.REPLACE_THREAD;
        };
    }
}
