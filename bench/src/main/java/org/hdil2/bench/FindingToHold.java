package org.hdil2.bench;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.StringDeserializer;

/**
 * How long from a hold-triggering observation reaching Kafka to the pre-dose decision turning HOLD, on a running
 * local stack. Each round posts a systolic BP of 80 mm[Hg] for the patient, takes the timestamp of monitoring's
 * evaluation record with the active finding (Kafka Streams gives it the observation record's timestamp), and polls
 * the decision every 2 ms until
 * it says HOLD; then posts 110 mm[Hg] and waits for GIVE. Usage:
 * {@code FindingToHold <bootstrap> <monitoring URL> <course decision URL> <patient> <nurse token> [rounds=20]}.
 */
public final class FindingToHold {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String EVALUATION = "org.hdil2.monitoring.evaluation-updated.v1";

    private FindingToHold() {
    }

    public static void main(String[] args) throws Exception {
        String bootstrap = args[0];
        String monitoring = args[1];
        String decision = args[2];
        String patient = args[3];
        String token = args[4];
        int rounds = args.length > 5 ? Integer.parseInt(args[5]) : 20;
        Map<Long, Long> holdingEvaluationAppendedAt = new ConcurrentHashMap<>();
        Thread reader = new Thread(() -> follow(bootstrap, patient, holdingEvaluationAppendedAt), "findings-reader");
        reader.setDaemon(true);
        reader.start();
        Thread.sleep(2000);
        HttpClient http = HttpClient.newHttpClient();
        Latencies kafkaToHold = new Latencies();
        Latencies postToHold = new Latencies();
        for (int i = 0; i < rounds; i++) {
            int before = holdingEvaluationAppendedAt.size();
            long posted = System.currentTimeMillis();
            post(http, monitoring, token, patient, 80);
            long holdAt = awaitDecision(http, decision, token, "HOLD");
            long deadline = System.currentTimeMillis() + 5000;
            while (holdingEvaluationAppendedAt.size() == before && System.currentTimeMillis() < deadline) {
                LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(1));
            }
            long appended = holdingEvaluationAppendedAt.values().stream().mapToLong(Long::longValue).max().orElse(posted);
            kafkaToHold.add((holdAt - appended) * 1000);
            postToHold.add((holdAt - posted) * 1000);
            post(http, monitoring, token, patient, 110);
            awaitDecision(http, decision, token, "GIVE");
        }
        // the finding record carries its observation record's timestamp (Streams propagates it), so this spans the
        // evaluation, the exactly-once commit and dosing's consumer
        System.out.println("observation record on Kafka -> decision HOLD: " + kafkaToHold.report() + " (1 ms resolution)");
        System.out.println("observation POSTed -> decision HOLD (outbox, Streams, consumer): " + postToHold.report());
    }

    private static void follow(String bootstrap, String patient, Map<Long, Long> appendedAt) {
        Properties props = new Properties();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        props.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        props.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(props)) {
            List<TopicPartition> partitions = consumer.partitionsFor("hdil2.monitoring.findings.v1").stream()
                    .map(p -> new TopicPartition(p.topic(), p.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToEnd(partitions);
            while (true) {
                for (ConsumerRecord<String, String> r : consumer.poll(Duration.ofMillis(50))) {
                    Header type = r.headers().lastHeader("ce_type");
                    if (patient.equals(r.key()) && type != null && EVALUATION.equals(new String(type.value(), StandardCharsets.UTF_8))) {
                        JsonNode data = JSON.readTree(r.value());
                        if (!data.path("activeFindings").isEmpty()) {
                            appendedAt.put(data.path("sequence").asLong(), r.timestamp());
                        }
                    }
                }
            }
        } catch (Exception e) {
            System.err.println("findings reader stopped: " + e);
        }
    }

    private static void post(HttpClient http, String monitoring, String token, String patient, int sbp) throws Exception {
        String body = "{\"patientId\":\"" + patient + "\",\"code\":\"8480-6\",\"value\":" + sbp + ",\"unit\":\"mm[Hg]\",\"effectiveTime\":\""
                + Instant.now() + "\"}";
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(monitoring + "/api/v1/observations"))
                .header("Authorization", "Bearer " + token).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() != 201) {
            throw new IllegalStateException("observation refused: " + r.statusCode() + " " + r.body());
        }
    }

    private static long awaitDecision(HttpClient http, String url, String token, String wanted) throws Exception {
        HttpRequest request = HttpRequest.newBuilder(URI.create(url)).header("Authorization", "Bearer " + token).build();
        long deadline = System.currentTimeMillis() + 30_000;
        while (System.currentTimeMillis() < deadline) {
            HttpResponse<String> r = http.send(request, HttpResponse.BodyHandlers.ofString());
            if (r.statusCode() == 200 && wanted.equals(JSON.readTree(r.body()).path("decision").asText())) {
                return System.currentTimeMillis();
            }
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(2));
        }
        throw new IllegalStateException("decision never became " + wanted);
    }
}
