package org.hdil2.bench;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * Time from a finding published on {@code hdil2.monitoring.findings.v1} to the alert notification reaching an SSE
 * client of a running alert-service. Publishes finding-raised and finding-cleared CloudEvents at a fixed RATE a second
 * (half raises, half clears; each bench patient is raised once and cleared about one second later; half the patients
 * get a HIGH rule (WITHHOLD: clear latches), half a LOW one (NOTIFY: clear ends the alert)) with one SSE client
 * connected to {@code /api/v1/alerts/stream}. Latency runs from each event's scheduled send time (no coordinated
 * omission) to the matching server-sent event: phase start for a raise, the CONDITION_CLEARED update or the end for a
 * clear. Usage: {@code AlertLatency <bootstrap> <alert-service URL> <nurse token> [rate/s=200] [seconds=30] [warm-up s=5]};
 * {@code -Dtopic.suffix=...} publishes to a suffixed findings topic (a private alert-service instance).
 */
public final class AlertLatency {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String TOPIC = "hdil2.monitoring.findings.v1" + System.getProperty("topic.suffix", "");
    private static final int CLEAR_AFTER = 100; // raises between a patient's raise and its clear (~1 s at 200/s)

    private AlertLatency() {
    }

    public static void main(String[] args) throws Exception {
        String bootstrap = args[0];
        String alertUrl = args[1];
        String token = args[2];
        int rate = args.length > 3 ? Integer.parseInt(args[3]) : 200;
        int seconds = args.length > 4 ? Integer.parseInt(args[4]) : 30;
        int warmup = args.length > 5 ? Integer.parseInt(args[5]) : 5;
        String run = UUID.randomUUID().toString().substring(0, 8);

        Map<String, Long> pending = new ConcurrentHashMap<>(); // key -> scheduled send time (nanoTime)
        Map<String, Boolean> measured = new ConcurrentHashMap<>();
        Latencies latencies = new Latencies();
        AtomicLong received = new AtomicLong();

        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        HttpRequest sse = HttpRequest.newBuilder(URI.create(alertUrl + "/api/v1/alerts/stream"))
                .header("Authorization", "Bearer " + token).header("Accept", "text/event-stream").build();
        HttpResponse<Stream<String>> stream = http.send(sse, HttpResponse.BodyHandlers.ofLines());
        if (stream.statusCode() != 200) {
            throw new IllegalStateException("SSE stream refused: " + stream.statusCode());
        }
        Thread reader = new Thread(() -> stream.body().forEach(line -> {
            if (!line.startsWith("data:")) {
                return;
            }
            long now = System.nanoTime();
            try {
                JsonNode n = JSON.readTree(line.substring(5).trim());
                String patient = n.path("patientId").asText();
                if (!patient.startsWith("bench-" + run)) {
                    return;
                }
                String phase = n.path("phase").asText();
                String change = n.path("change").asText();
                String key = "start".equals(phase) ? patient + "|raise"
                        : ("CONDITION_CLEARED".equals(change) || "end".equals(phase)) ? patient + "|clear" : null;
                Long sent = key == null ? null : pending.remove(key);
                if (sent != null) {
                    received.incrementAndGet();
                    if (measured.remove(key) != null) {
                        latencies.add((now - sent) / 1000);
                    }
                }
            } catch (Exception e) {
                System.err.println("unreadable event: " + e);
            }
        }), "sse-reader");
        reader.setDaemon(true);
        reader.start();

        Properties props = new Properties();
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        props.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        props.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        props.put(ProducerConfig.LINGER_MS_CONFIG, 0);
        long sent = 0;
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(props)) {
            long interval = TimeUnit.SECONDS.toNanos(1) / rate;
            long start = System.nanoTime();
            long total = (long) rate * (warmup + seconds);
            long measureFrom = (long) rate * warmup;
            int raises = 0;
            for (long k = 0; k < total || raises - CLEAR_AFTER > 0 && k < total + 2L * CLEAR_AFTER; k++) {
                long due = start + k * interval;
                while (System.nanoTime() < due) {
                    LockSupport.parkNanos(Math.max(1000, due - System.nanoTime()));
                }
                boolean raise = k % 2 == 0 && k < total;
                if (!raise && k % 2 == 0) {
                    continue; // after the last raise only the clears remain
                }
                int patientNo = raise ? raises++ : (int) (k / 2) - CLEAR_AFTER;
                if (!raise && (patientNo < 0 || patientNo >= raises)) {
                    continue;
                }
                String patient = "bench-" + run + "-" + patientNo;
                boolean high = patientNo % 2 == 0;
                String key = patient + (raise ? "|raise" : "|clear");
                pending.put(key, due);
                if (k >= measureFrom && k < total) {
                    measured.put(key, true);
                }
                String findingId = UUID.nameUUIDFromBytes((run + patientNo).getBytes(StandardCharsets.UTF_8)).toString();
                producer.send(finding(TOPIC, patient, raise, findingId, high));
                sent++;
            }
            producer.flush();
        }
        long deadline = System.currentTimeMillis() + 30_000;
        while (!measured.isEmpty() && System.currentTimeMillis() < deadline) {
            Thread.sleep(100);
        }
        System.out.printf(Locale.ROOT, "published %d findings at %d/s (%d s warm-up + %d s measured); %d notifications matched; "
                + "%d measured events never arrived within 30 s%n", sent, rate, warmup, seconds, received.get(), measured.size());
        System.out.println("finding published -> alert on SSE: " + latencies.report());
        stream.body().close();
    }

    /** A finding-raised or finding-cleared CloudEvent of {@code patient}, as monitoring publishes it. */
    static ProducerRecord<String, String> finding(String topic, String patient, boolean raise, String findingId, boolean high) {
        String type = raise ? "org.hdil2.monitoring.finding-raised.v1" : "org.hdil2.monitoring.finding-cleared.v1";
        ProducerRecord<String, String> record = new ProducerRecord<>(topic, patient, body(raise, patient, findingId, high));
        header(record, "ce_specversion", "1.0");
        header(record, "ce_id", UUID.randomUUID().toString());
        header(record, "ce_source", "/hdil2/bench");
        header(record, "ce_type", type);
        header(record, "ce_subject", patient);
        header(record, "ce_time", Instant.now().toString());
        header(record, "content-type", "application/json");
        return record;
    }

    private static String body(boolean raise, String patient, String findingId, boolean high) {
        String rule = high
                ? "{\"id\":\"LABEL-2024-CV-SBP\",\"version\":\"1\",\"protocol\":\"label-2024\",\"source\":\"Proleukin PI 2024, section 2.4 Table 2 (cardiovascular)\",\"action\":\"WITHHOLD\",\"criterion\":\"systolic BP < 90 mm[Hg]\"}"
                : "{\"id\":\"NEWS2-SINGLE-3\",\"version\":\"1\",\"protocol\":\"label-2024\",\"source\":\"RCP NEWS2 2017\",\"action\":\"NOTIFY\",\"criterion\":\"a single NEWS2 parameter scoring 3\",\"kind\":\"NEWS2\"}";
        String now = Instant.now().toString();
        String observation = "{\"observationId\":\"" + UUID.randomUUID() + "\",\"code\":\"8480-6\",\"value\":" + (raise ? 84 : 104)
                + ",\"unit\":\"mm[Hg]\",\"effectiveTime\":\"" + now + "\",\"sourceKind\":\"DEVICE\"}";
        return raise
                ? "{\"findingId\":\"" + findingId + "\",\"patientId\":\"" + patient + "\",\"rule\":" + rule + ",\"severity\":\""
                        + (high ? "HIGH" : "LOW") + "\",\"observation\":" + observation + ",\"raisedAt\":\"" + now + "\"}"
                : "{\"findingId\":\"" + findingId + "\",\"patientId\":\"" + patient + "\",\"rule\":" + rule + ",\"observation\":"
                        + observation + ",\"clearedAt\":\"" + now + "\"}";
    }

    private static void header(ProducerRecord<String, String> record, String name, String value) {
        record.headers().add(name, value.getBytes(StandardCharsets.UTF_8));
    }
}
