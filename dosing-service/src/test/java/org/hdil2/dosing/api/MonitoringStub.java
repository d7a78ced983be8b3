package org.hdil2.dosing.api;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.hdil2.contract.CloudEventHeaders;
import org.hdil2.contract.EventContract;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

/**
 * Stands in for monitoring-service in dosing's own tests, for the two things dosing asks of it: its intake
 * ({@code GET /api/v1/patients/{id}/intake}, over real HTTP) and its evaluation checkpoints (every second, one per
 * partition, on the real broker, per contract). A test says what monitoring has accepted of a patient, which patients
 * it reports failing, and can pause the checkpoints or make the intake hang. The end-to-end tests use the real
 * monitoring-service.
 */
public class MonitoringStub implements QuarkusTestResourceLifecycleManager {

    static final String CHECKPOINT = "org.hdil2.monitoring.evaluation-checkpoint.v1";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Map<String, List<long[]>> INTAKE = new ConcurrentHashMap<>();
    private static final Map<String, ObjectNode> FAILURES = new ConcurrentHashMap<>();
    private static final Map<String, Boolean> SEEN = new ConcurrentHashMap<>();
    private static volatile boolean checkpointsPaused;
    private static volatile long intakeDelayMs;
    private static volatile int intakeStatus = 200;
    private static volatile ScheduledExecutorService checkpoints;
    private HttpServer server;

    @Override
    public Map<String, String> start() {
        try {
            server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 16);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        server.createContext("/api/v1/patients/", MonitoringStub::intake);
        server.setExecutor(Executors.newFixedThreadPool(4));
        server.start();
        return Map.of("hdil2.dosing.monitoring.url", "http://127.0.0.1:" + server.getAddress().getPort());
    }

    @Override
    public void stop() {
        if (server != null) {
            server.stop(0);
        }
        ScheduledExecutorService c = checkpoints;
        if (c != null) {
            c.shutdownNow();
        }
    }

    /** monitoring accepted an observation of the patient with intake sequence {@code sequence} at {@code acceptedAt} (not one a pre-dose rule reads). */
    static void accepted(String patient, long sequence, Instant acceptedAt) {
        accepted(patient, sequence, acceptedAt, false);
    }

    /** As {@link #accepted(String, long, Instant)}; {@code preDose}: a systolic blood pressure, which a pre-dose rule reads. */
    static void accepted(String patient, long sequence, Instant acceptedAt, boolean preDose) {
        INTAKE.computeIfAbsent(patient, p -> new java.util.concurrent.CopyOnWriteArrayList<>())
                .add(new long[] { sequence, acceptedAt.toEpochMilli(), preDose ? 1 : 0 });
    }

    /** monitoring reports an observation of the patient it could not evaluate (null: none any more). */
    static void failing(String patient, String parameter) {
        if (parameter == null) {
            FAILURES.remove(patient);
            return;
        }
        FAILURES.put(patient, JSON.createObjectNode().put("patientId", patient).put("since", Instant.now().toString())
                .put("reason", "the evaluation failed on this record (ArithmeticException)").put("parameter", parameter)
                .put("observationId", java.util.UUID.randomUUID().toString()).put("intakeSequence", 9));
    }

    static void pauseCheckpoints(boolean paused) {
        checkpointsPaused = paused;
    }

    /** The intake answers after {@code delayMs} with {@code status} (a SIGSTOPped monitoring never answers; a broken one fails). */
    static void intakeAnswers(int status, long delayMs) {
        intakeStatus = status;
        intakeDelayMs = delayMs;
    }

    static boolean asked(String patient) {
        return SEEN.containsKey(patient);
    }

    /** Starts the checkpoints (once) on the run's findings topic. */
    static synchronized void checkpointing(String findingsTopic, String bootstrap) {
        if (checkpoints != null) {
            return;
        }
        Properties props = new Properties();
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        props.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        props.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        KafkaProducer<String, String> producer = new KafkaProducer<>(props);
        int partitions = producer.partitionsFor(findingsTopic).size();
        ScheduledExecutorService executor = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "monitoring-stub-checkpoints");
            t.setDaemon(true);
            return t;
        });
        executor.scheduleAtFixedRate(() -> {
            if (checkpointsPaused) {
                return;
            }
            Instant at = Instant.now();
            for (int p = 0; p < partitions; p++) {
                ObjectNode data = JSON.createObjectNode().put("partition", p).put("partitions", partitions).put("at", at.toString());
                data.putArray("evaluations");
                ArrayNode failures = data.putArray("failures");
                for (ObjectNode f : new ArrayList<>(FAILURES.values())) {
                    if (org.hdil2.contract.PatientPartition.of(f.path("patientId").asText(), partitions) == p) {
                        failures.add(f);
                    }
                }
                List<String> violations = EventContract.load().validate(CHECKPOINT, data);
                if (!violations.isEmpty()) {
                    throw new IllegalStateException("the stub's checkpoint breaks the contract: " + violations);
                }
                String key = "partition/" + p;
                ProducerRecord<String, String> record = new ProducerRecord<>(findingsTopic, p, key, data.toString());
                header(record, CloudEventHeaders.SPEC_VERSION, CloudEventHeaders.SPEC_VERSION_VALUE);
                header(record, CloudEventHeaders.ID, java.util.UUID.randomUUID().toString());
                header(record, CloudEventHeaders.SOURCE, "/hdil2/monitoring-stub");
                header(record, CloudEventHeaders.TYPE, CHECKPOINT);
                header(record, CloudEventHeaders.SUBJECT, key);
                header(record, CloudEventHeaders.TIME, at.toString());
                header(record, CloudEventHeaders.CONTENT_TYPE, CloudEventHeaders.JSON);
                producer.send(record);
            }
            producer.flush();
        }, 0, 1, TimeUnit.SECONDS);
        checkpoints = executor;
    }

    private static void header(ProducerRecord<String, String> record, String name, String value) {
        record.headers().add(name, value.getBytes(StandardCharsets.UTF_8));
    }

    private static void intake(HttpExchange exchange) throws IOException {
        try (exchange) {
            String path = exchange.getRequestURI().getPath();
            String patient = path.substring("/api/v1/patients/".length(), path.length() - "/intake".length());
            SEEN.put(patient, true);
            if (exchange.getRequestHeaders().getFirst("Authorization") == null) {
                exchange.sendResponseHeaders(401, -1);
                return;
            }
            if (intakeDelayMs > 0) {
                try {
                    Thread.sleep(intakeDelayMs);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            if (intakeStatus != 200) {
                exchange.sendResponseHeaders(intakeStatus, -1);
                return;
            }
            String query = exchange.getRequestURI().getQuery();
            long after = query != null && query.startsWith("after=") ? Long.parseLong(query.substring("after=".length())) : 0;
            List<long[]> accepted = INTAKE.getOrDefault(patient, List.of());
            ObjectNode answer = JSON.createObjectNode().put("patientId", patient)
                    .put("acceptedSequence", accepted.stream().mapToLong(a -> a[0]).max().orElse(0)).put("after", after);
            List<long[]> pending = accepted.stream().filter(a -> a[0] > after).toList();
            if (!pending.isEmpty()) {
                ObjectNode p = answer.putObject("pending").put("count", pending.size())
                        .put("firstSequence", pending.stream().mapToLong(a -> a[0]).min().orElseThrow())
                        .put("firstAcceptedAt", Instant.ofEpochMilli(pending.stream().mapToLong(a -> a[1]).min().orElseThrow()).toString());
                boolean preDose = pending.stream().anyMatch(a -> a[2] == 1);
                p.putArray("parameters").add(preDose ? "systolic-bp" : "temperature");
                pending.stream().filter(a -> a[2] == 1).mapToLong(a -> a[1]).min()
                        .ifPresent(at -> p.put("preDoseFirstAcceptedAt", Instant.ofEpochMilli(at).toString()));
            }
            byte[] body = answer.toString().getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", "application/json");
            exchange.sendResponseHeaders(200, body.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        }
    }
}
