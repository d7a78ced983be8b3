package org.hdil2.bench;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.ListOffsetsResult;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * Drives monitoring-service's evaluation through the real broker: publishes {@code observation-recorded} events (as
 * the service's outbox does) for N patients at a fixed rate, or as fast as the producer goes (rate 0), and reads the
 * findings topic with read_committed. Each patient cycles through a full set of vitals (so NEWS2 is evaluable) with a
 * systolic BP that alternates between 84 and 104 mm[Hg], so every other cycle raises and clears findings.
 *
 * <p>Reports: observations published per second (broker-acknowledged); observations the evaluation consumed per
 * second (the Streams application's committed offsets on the observations topic, which advance only after the
 * outputs of those records are committed); the evaluation's lag at the end; and the latency from an observation
 * acknowledged by the broker to the finding it caused becoming visible to a read_committed consumer.
 * Usage: {@code EvaluationLoad <bootstrap> <rate/s, 0 = max> <patients> <seconds> [warmup s=10] [topic suffix]}.
 */
public final class EvaluationLoad {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String RECORDED = "org.hdil2.monitoring.observation-recorded.v1";
    /** parameter, code, unit, value or value code; the SBP slot alternates. */
    static final String[][] CYCLE = {
            {"systolic-bp", "8480-6", "mm[Hg]", null}, {"heart-rate", "8867-4", "/min", "88"},
            {"respiratory-rate", "9279-1", "/min", "16"}, {"spo2", "59408-5", "%", "97"},
            {"temperature", "8310-5", "Cel", "37.2"}, {"acvpu", "acvpu", "{code}", "A"},
            {"oxygen-flow", "3151-8", "L/min", "0"}, {"confusion-grade", "confusion-grade", "{grade}", "0"}};

    private EvaluationLoad() {
    }

    public static void main(String[] args) throws Exception {
        String bootstrap = args[0];
        int rate = Integer.parseInt(args[1]);
        int patients = Integer.parseInt(args[2]);
        int seconds = Integer.parseInt(args[3]);
        int warmup = args.length > 4 ? Integer.parseInt(args[4]) : 10;
        String suffix = args.length > 5 ? args[5] : "";
        String observations = "hdil2.monitoring.observations.v1" + suffix;
        String findings = "hdil2.monitoring.findings.v1" + suffix;
        String run = Long.toString(System.currentTimeMillis(), 36);

        Map<String, Long> ackedAt = new ConcurrentHashMap<>();
        Latencies toFinding = new Latencies();
        AtomicLong evaluations = new AtomicLong();
        AtomicLong findingEvents = new AtomicLong();
        AtomicLong acked = new AtomicLong();
        AtomicLong measuring = new AtomicLong(Long.MAX_VALUE);
        Thread reader = new Thread(() -> read(bootstrap, findings, run, ackedAt, toFinding, evaluations, findingEvents, measuring),
                "findings-reader");
        reader.setDaemon(true);
        reader.start();
        Thread.sleep(3000);

        Properties p = producerConfig(bootstrap, 5, 131072);
        long total = 0;
        long measureStart = 0;
        long measureAcked = 0;
        long measureEvaluations = 0;
        long measureCommitted = 0;
        Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap));
        String group = "hdil2-monitoring-evaluation" + suffix;
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(p, new StringSerializer(), new StringSerializer())) {
            long start = System.nanoTime();
            long end = start + Duration.ofSeconds(warmup + seconds).toNanos();
            long measureFrom = start + Duration.ofSeconds(warmup).toNanos();
            long intervalNanos = rate == 0 ? 0 : 1_000_000_000L / rate;
            long next = start;
            while (System.nanoTime() < end) {
                if (measureStart == 0 && System.nanoTime() >= measureFrom) {
                    measureStart = System.nanoTime();
                    measureAcked = acked.get();
                    measureEvaluations = evaluations.get();
                    measureCommitted = committed(admin, group, observations);
                    measuring.set(measureStart);
                }
                if (rate > 0) {
                    long wait = next - System.nanoTime();
                    if (wait > 0) {
                        LockSupport.parkNanos(wait);
                    }
                    next += intervalNanos;
                }
                long n = total++;
                int patient = (int) (n % patients);
                long cycle = n / patients;
                String[] slot = CYCLE[(int) (cycle % CYCLE.length)];
                boolean low = (cycle / CYCLE.length) % 2 == 0;
                String value = slot[3] == null ? (low ? "84" : "104") : slot[3];
                String patientId = "bench-" + run + "-" + patient;
                String observationId = UUID.randomUUID().toString();
                ProducerRecord<String, String> record = new ProducerRecord<>(observations, null, patientId,
                        body(observationId, patientId, slot, value), headers(observationId, patientId));
                boolean tracked = slot[3] == null;
                producer.send(record, (meta, error) -> {
                    if (error == null) {
                        acked.incrementAndGet();
                        if (tracked) {
                            ackedAt.put(observationId, System.nanoTime());
                        }
                    }
                });
            }
            long measuredNanos = System.nanoTime() - measureStart;
            long committedInWindow = committed(admin, group, observations) - measureCommitted;
            producer.flush();
            long publishedInWindow = acked.get() - measureAcked;
            long settleUntil = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            long evaluatedAtFlush = evaluations.get();
            long evaluatedInWindow = evaluatedAtFlush - measureEvaluations;
            long lagAtEnd = endOffsets(admin, observations) - committed(admin, group, observations);
            double secs = measuredNanos / 1e9;
            System.out.printf(Locale.ROOT, "patients=%d target=%s published=%d; %.1f s window: %.0f obs/s acknowledged, "
                            + "%.0f obs/s evaluated (committed by the topology), %.0f evaluation events/s; lag when sending stopped: %d%n",
                    patients, rate == 0 ? "max" : rate + "/s", total, secs, publishedInWindow / secs, committedInWindow / secs,
                    evaluatedInWindow / secs, lagAtEnd);
            long drained = System.nanoTime();
            while (System.nanoTime() < settleUntil && endOffsets(admin, observations) > committed(admin, group, observations)) {
                Thread.sleep(200);
            }
            System.out.printf(Locale.ROOT, "backlog drained in %.1f s; evaluation events %d (%d after the last send), finding events %d%n",
                    (System.nanoTime() - drained) / 1e9, evaluations.get(), evaluations.get() - evaluatedAtFlush, findingEvents.get());
            System.out.println("observation acknowledged -> finding visible (read_committed), in the window: " + toFinding.report());
        } finally {
            admin.close();
        }
    }

    /** An idempotent, acks=all, lz4 producer as the service's outbox relay sends: the load of both load generators. */
    static Properties producerConfig(String bootstrap, int lingerMs, int batchBytes) {
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        p.put(ProducerConfig.LINGER_MS_CONFIG, lingerMs);
        p.put(ProducerConfig.BATCH_SIZE_CONFIG, batchBytes);
        p.put(ProducerConfig.COMPRESSION_TYPE_CONFIG, "lz4");
        return p;
    }

    private static long committed(Admin admin, String group, String topic) throws Exception {
        return admin.listConsumerGroupOffsets(group).partitionsToOffsetAndMetadata().get().entrySet().stream()
                .filter(e -> e.getKey().topic().equals(topic) && e.getValue() != null).mapToLong(e -> e.getValue().offset()).sum();
    }

    private static long endOffsets(Admin admin, String topic) throws Exception {
        var partitions = admin.describeTopics(List.of(topic)).allTopicNames().get().get(topic).partitions();
        Map<TopicPartition, OffsetSpec> request = new java.util.HashMap<>();
        partitions.forEach(p -> request.put(new TopicPartition(topic, p.partition()), OffsetSpec.latest()));
        return admin.listOffsets(request).all().get().values().stream().mapToLong(ListOffsetsResult.ListOffsetsResultInfo::offset).sum();
    }

    static String body(String observationId, String patientId, String[] slot, String value) {
        boolean coded = slot[1].equals("acvpu");
        String now = Instant.now().toString();
        String numeric = coded ? "0" : value;
        return "{\"observationId\":\"" + observationId + "\",\"patientId\":\"" + patientId + "\",\"parameter\":\"" + slot[0]
                + "\",\"code\":{\"system\":\"http://loinc.org\",\"code\":\"" + slot[1] + "\"},\"value\":" + numeric
                + (coded ? ",\"valueCode\":\"" + value + "\"" : "") + ",\"unit\":\"" + slot[2] + "\",\"effectiveTime\":\"" + now
                + "\",\"recordedAt\":\"" + now + "\",\"status\":\"final\",\"source\":{\"kind\":\"DEVICE\",\"id\":\"bench\"}}";
    }

    static RecordHeaders headers(String id, String patientId) {
        RecordHeaders h = new RecordHeaders();
        h.add("ce_specversion", "1.0".getBytes(StandardCharsets.UTF_8));
        h.add("ce_id", id.getBytes(StandardCharsets.UTF_8));
        h.add("ce_source", "/hdil2/bench".getBytes(StandardCharsets.UTF_8));
        h.add("ce_type", RECORDED.getBytes(StandardCharsets.UTF_8));
        h.add("ce_subject", patientId.getBytes(StandardCharsets.UTF_8));
        h.add("ce_time", Instant.now().toString().getBytes(StandardCharsets.UTF_8));
        h.add("content-type", "application/json".getBytes(StandardCharsets.UTF_8));
        return h;
    }

    private static void read(String bootstrap, String topic, String run, Map<String, Long> ackedAt, Latencies latencies,
                             AtomicLong evaluations, AtomicLong findingEvents, AtomicLong measuring) {
        Properties c = new Properties();
        c.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        c.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        c.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        c.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 5000);
        String prefix = "\"bench-" + run + "-";
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(c, new StringDeserializer(), new StringDeserializer())) {
            List<TopicPartition> partitions = new ArrayList<>();
            for (PartitionInfo info : consumer.partitionsFor(topic)) {
                partitions.add(new TopicPartition(topic, info.partition()));
            }
            consumer.assign(partitions);
            consumer.seekToEnd(partitions);
            while (true) {
                for (ConsumerRecord<String, String> r : consumer.poll(Duration.ofMillis(50))) {
                    long now = System.nanoTime();
                    if (r.value() == null || !r.value().contains(prefix)) {
                        continue;
                    }
                    String type = header(r, "ce_type");
                    if (type == null) {
                        continue;
                    }
                    if (type.endsWith("evaluation-updated.v1")) {
                        evaluations.incrementAndGet();
                    } else if (type.endsWith("finding-raised.v1") || type.endsWith("finding-cleared.v1")) {
                        findingEvents.incrementAndGet();
                        String observationId = observationId(r.value());
                        Long acked = observationId == null ? null : ackedAt.remove(observationId);
                        if (acked != null && acked >= measuring.get()) {
                            latencies.add((now - acked) / 1000);
                        }
                    }
                }
            }
        }
    }

    private static String observationId(String json) {
        try {
            JsonNode node = JSON.readTree(json);
            return node.path("observation").path("observationId").asText(null);
        } catch (Exception e) {
            return null;
        }
    }

    private static String header(ConsumerRecord<String, String> r, String name) {
        Header h = r.headers().lastHeader(name);
        return h == null ? null : new String(h.value(), StandardCharsets.UTF_8);
    }
}
