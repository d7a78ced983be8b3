package org.hdil2.monitoring.messaging;

import java.time.Duration;
import java.time.Instant;
import java.util.Properties;
import java.util.UUID;

import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.hdil2.monitoring.config.MonitoringConfig;
import org.hdil2.monitoring.config.ProtocolCatalog;
import org.hdil2.monitoring.domain.Evaluator;
import org.hdil2.monitoring.domain.Evaluators;

/** The evaluation topology under Kafka Streams' test driver, with label-2024, its wall clock starting at {@code now}. */
final class TopologyFixture implements AutoCloseable {

    static final String IN = "hdil2.monitoring.observations.v1";
    static final String OUT = "hdil2.monitoring.findings.v1";
    static final Duration CHECKPOINT_INTERVAL = Duration.ofSeconds(2);

    final TopologyTestDriver driver;
    final TestInputTopic<String, String> observations;
    final TestOutputTopic<String, String> findings;
    final TestOutputTopic<String, String> deadLetters;
    final EvaluationProgress progress = new EvaluationProgress();

    /** {@code findingsPartitions} 0: no checkpoints are written (the count is not known). */
    TopologyFixture(Instant now, int findingsPartitions) {
        this(now, findingsPartitions, MonitoringConfig.StateFormat.BINARY);
    }

    TopologyFixture(Instant now, int findingsPartitions, MonitoringConfig.StateFormat stateFormat) {
        Properties props = new Properties();
        props.put(StreamsConfig.APPLICATION_ID_CONFIG, "topology-test");
        props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "unused:9092");
        props.put(StreamsConfig.STATE_DIR_CONFIG, "target/topology-test-" + UUID.randomUUID());
        // as application.properties sets it: the stores' RocksDB memory bounded
        props.put(StreamsConfig.ROCKSDB_CONFIG_SETTER_CLASS_CONFIG, BoundedRocksDbMemory.class.getName());
        progress.findingsPartitions(findingsPartitions);
        // the shipped protocols, label-2024 the default, as a deployment loads them
        Evaluators evaluators = new Evaluators(ProtocolCatalog.SHIPPED.stream().map(id -> new Evaluator(ProtocolCatalog.read(id))).toList(),
                "label-2024");
        driver = new TopologyTestDriver(EvaluationTopology.build(IN, OUT, evaluators, Duration.ofSeconds(30), CHECKPOINT_INTERVAL, progress, stateFormat),
                props, now);
        observations = driver.createInputTopic(IN, new StringSerializer(), new StringSerializer());
        findings = driver.createOutputTopic(OUT, new StringDeserializer(), new StringDeserializer());
        deadLetters = driver.createOutputTopic(IN + ".dlq", new StringDeserializer(), new StringDeserializer());
    }

    @Override
    public void close() {
        driver.close();
    }
}
