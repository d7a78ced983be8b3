package org.hdil2.bench;

import java.time.Duration;
import java.util.Properties;
import java.util.concurrent.CountDownLatch;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsConfig;
import org.hdil2.monitoring.config.MonitoringConfig;
import org.hdil2.monitoring.config.ProtocolCatalog;
import org.hdil2.monitoring.domain.Evaluator;
import org.hdil2.monitoring.domain.Evaluators;
import org.hdil2.monitoring.messaging.EvaluationProgress;
import org.hdil2.monitoring.messaging.BoundedRocksDbMemory;
import org.hdil2.monitoring.messaging.EvaluationTopology;
import org.hdil2.monitoring.messaging.StreamsErrors;

/**
 * monitoring-service's evaluation topology on its own: the service's own {@link EvaluationTopology#build} and
 * {@link Evaluator} with the Streams settings of its application.properties (exactly-once v2, commit 100 ms, linger
 * 5 ms, lz4, 256 KB batches, the RocksDB memory budget, its exception handlers), without Quarkus, REST or the other consumers, so its drain rate
 * can stand beside the anchor's. Runs until killed. Usage: {@code TopologyAlone <bootstrap> <application id>
 * <observations topic> <findings topic> <state dir> [state format=binary|json] [protocol=label-2024] [threads=1]}.
 */
public final class TopologyAlone {

    private TopologyAlone() {
    }

    public static void main(String[] args) throws Exception {
        String bootstrap = args[0];
        String applicationId = args[1];
        String observations = args[2];
        String findings = args[3];
        String stateDir = args[4];
        MonitoringConfig.StateFormat format = MonitoringConfig.StateFormat.valueOf((args.length > 5 ? args[5] : "binary").toUpperCase());
        String protocol = args.length > 6 ? args[6] : "label-2024";
        String threads = args.length > 7 ? args[7] : "1";
        Properties p = new Properties();
        p.put(StreamsConfig.APPLICATION_ID_CONFIG, applicationId);
        p.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        p.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.EXACTLY_ONCE_V2);
        p.put(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG, "100");
        p.put(StreamsConfig.producerPrefix("linger.ms"), "5");
        p.put(StreamsConfig.producerPrefix("compression.type"), "lz4");
        p.put(StreamsConfig.producerPrefix("batch.size"), "262144");
        p.put(StreamsConfig.REPLICATION_FACTOR_CONFIG, "-1");
        p.put(StreamsConfig.STATE_DIR_CONFIG, stateDir);
        p.put(StreamsConfig.NUM_STREAM_THREADS_CONFIG, threads);
        p.put(StreamsConfig.ROCKSDB_CONFIG_SETTER_CLASS_CONFIG, BoundedRocksDbMemory.class.getName());
        p.put(StreamsConfig.PROCESSING_EXCEPTION_HANDLER_CLASS_CONFIG, StreamsErrors.Processing.class.getName());
        p.put(StreamsConfig.DEFAULT_DESERIALIZATION_EXCEPTION_HANDLER_CLASS_CONFIG, StreamsErrors.Deserialization.class.getName());
        p.put(StreamsConfig.DEFAULT_PRODUCTION_EXCEPTION_HANDLER_CLASS_CONFIG, StreamsErrors.Production.class.getName());
        String extra = System.getProperty("extra", "");
        for (String kv : extra.split(",")) {
            if (kv.contains("=")) {
                p.put(kv.substring(0, kv.indexOf('=')), kv.substring(kv.indexOf('=') + 1));
            }
        }
        EvaluationProgress progress = new EvaluationProgress();
        try (Admin admin = Admin.create(java.util.Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap))) {
            progress.findingsPartitions(admin.describeTopics(java.util.List.of(findings)).allTopicNames().get().get(findings)
                    .partitions().size());
        }
        Evaluator evaluator = new Evaluator(ProtocolCatalog.read(protocol), Duration.ofMinutes(5));
        KafkaStreams streams = new KafkaStreams(EvaluationTopology.build(observations, findings, Evaluators.of(evaluator), Duration.ofSeconds(30),
                Duration.ofSeconds(2), progress, format), p);
        CountDownLatch closed = new CountDownLatch(1);
        streams.setStateListener((now, before) -> System.out.printf("STATE %s->%s at %d%n", before, now, System.currentTimeMillis()));
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            streams.close(Duration.ofSeconds(30));
            closed.countDown();
        }));
        streams.start();
        closed.await();
    }
}
