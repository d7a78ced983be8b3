package org.hdil2.local;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.hdil2.contract.CloudEventHeaders;
import org.hdil2.infra.TopicReader;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * Fail closed end to end, with the four packaged services on the real broker and database: a monitoring that is
 * frozen or killed turns decisions ASSESS within the bound and they follow the data again when it is back; no record
 * stops the evaluation; and a burst that puts the evaluation behind never lets a decision GIVE on an evaluation that
 * misses an accepted hypotension. Each test prints what it measured (times from a fault to ASSESS and back).
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class FailClosedIT {

    /** dosing's currency rule (DOSING_CHECKPOINT_MAX_AGE) plus a checkpoint interval and the polling: the bound we state. */
    private static final Duration ASSESS_BOUND = Duration.ofSeconds(20);
    private static final Duration FLOW = Duration.ofSeconds(90);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static TestStack run;
    private static Stack stack;
    private static String physician;
    private static String pharmacist;
    private static String nurse;

    @BeforeAll
    static void startSuite() throws IOException {
        run = TestStack.start("fail");
        stack = run.stack;
        physician = stack.token("dr-fail", "physician", Duration.ofHours(2));
        pharmacist = stack.token("pharm-fail", "pharmacist", Duration.ofHours(2));
        nurse = stack.token("nurse-fail", "nurse", Duration.ofHours(2));
    }

    @AfterAll
    static void stopSuite() {
        if (run != null) {
            run.close();
        }
    }

    @Test
    @Order(1)
    void aFrozenThenKilledMonitoringTurnsTheDecisionAssessWithinTheBoundAndItsReturnTurnsItBack() {
        String decision = givableCourse("fail-stop");
        ServiceProcess monitoring = stack.process(Service.MONITORING);

        monitoring.pause();
        long frozen = System.nanoTime();
        JsonNode assess;
        try {
            assess = awaitDecision(decision, "ASSESS", ASSESS_BOUND);
            long toAssess = millisSince(frozen);
            JsonNode notCurrent = awaitDecision(decision, d -> d.path("reasons").toString().contains("monitoring evaluation not current since"),
                    ASSESS_BOUND);
            long toNotCurrent = millisSince(frozen);
            System.out.printf("FAIL-CLOSED monitoring SIGSTOP: decision ASSESS after %d ms (%s); checkpoint reason after %d ms%n", toAssess,
                    assess.path("reasons").get(assess.path("reasons").size() - 1).asText(), toNotCurrent);
            assertTrue(notCurrent.path("reasons").toString().contains("monitoring evaluation not current since"));
            assertFalse(notCurrent.path("evaluationCurrent").asBoolean());
            // the watch (every 5 s) announces the lapse while monitoring is still frozen; waited for here, because the
            // kill below may not last long enough for one: a restart can take its tasks back within the bound
            TopicReader.read(run.infra.kafkaBootstrap(), run.topic("hdil2.dosing.events.v1"), rs -> rs.stream()
                    .anyMatch(r -> "fail-stop".equals(r.key()) && type(r).endsWith("evaluation-lapsed.v1")), FLOW);
        } finally {
            monitoring.resume();
        }
        long resumed = System.nanoTime();
        awaitDecision(decision, "GIVE", FLOW);
        System.out.printf("FAIL-CLOSED monitoring SIGCONT: decision GIVE again after %d ms%n", millisSince(resumed));

        long killed = System.nanoTime();
        monitoring.kill();
        awaitDecision(decision, "ASSESS", ASSESS_BOUND);
        System.out.printf("FAIL-CLOSED monitoring SIGKILL: decision ASSESS after %d ms%n", millisSince(killed));
        stack.restart(Service.MONITORING, true, Map.of(), TestStack.READY);
        long ready = System.nanoTime();
        // the restarted evaluation must take its partitions over (the killed member's session has to expire first); until
        // it does the decision stays ASSESS (the intake unanswered, then the last checkpoint past the bound if the
        // takeover is slow), then follows the data
        Poll.until(FLOW, "the restarted evaluation to run its tasks", () -> {
            JsonNode health = Http.get(stack.url(Service.MONITORING) + "/q/health/ready", nurse).body();
            for (JsonNode check : health.path("checks")) {
                if ("evaluation readiness".equals(check.path("name").asText()) && check.path("data").path("activeTasks").asInt() > 0) {
                    return true;
                }
            }
            return null;
        });
        long tasksBack = millisSince(ready);
        awaitDecision(decision, "GIVE", FLOW);
        List<String> afterRestart = decisionsFor(decision, Duration.ofSeconds(20));
        System.out.printf("FAIL-CLOSED monitoring restarted: ready %d ms after the kill, its evaluation tasks %d ms after ready; "
                + "decisions in the 20 s after: %s%n", (ready - killed) / 1_000_000, tasksBack, afterRestart);
        assertEquals("GIVE", afterRestart.get(afterRestart.size() - 1).split("@")[0], "back to the data: " + afterRestart);
        // the watch announced the lapse and the return for the course (alert-worthy), per contract
        List<ConsumerRecord<String, String>> events = TopicReader.read(run.infra.kafkaBootstrap(), run.topic("hdil2.dosing.events.v1"),
                rs -> rs.stream().filter(r -> "fail-stop".equals(r.key()) && type(r).endsWith("evaluation-restored.v1")).count() >= 1, FLOW);
        assertTrue(events.stream().anyMatch(r -> "fail-stop".equals(r.key()) && type(r).endsWith("evaluation-lapsed.v1")));
        events.stream().filter(r -> "fail-stop".equals(r.key())).forEach(org.hdil2.contract.ContractAssertions::assertConforms);
    }

    @Test
    @Order(2)
    void noPoisonStopsTheEvaluationAndAnotherPatientsHypotensionStillHolds() {
        String poisoned = "fail-poison-1";
        String poisonedDecision = givableCourse(poisoned);
        String other = "fail-poison-2";
        String otherDecision = givableCourse(other);
        String monitoring = stack.url(Service.MONITORING) + "/api/v1/observations";
        Instant t = Instant.now().minusSeconds(30);

        // REST refuses what the rules cannot evaluate, with a code
        assertProblem(Http.post(monitoring, nurse, urine(poisoned, t.minusMillis(400), t)), "MON-0107");
        assertProblem(Http.post(monitoring, nurse, sbp(poisoned, "1E-999999999", t)), "MON-0003"); // the kit's value bounds, before monitoring's own check
        assertProblem(Http.post(monitoring, nurse, sbp(poisoned, "120", Instant.parse("1970-01-01T00:00:00Z"))), "MON-0116");
        // the device topic dead-letters them with the code
        String inbound = run.topic("hdil2.monitoring.observations.inbound.v1");
        publish(inbound, poisoned, Map.of(), urine(poisoned, t.minusMillis(400), t));
        publish(inbound, poisoned, Map.of(), sbp(poisoned, "1E-999999999", t));
        publish(inbound, poisoned, Map.of(), sbp(poisoned, "120", Instant.parse("1970-01-01T00:00:00Z")));
        List<ConsumerRecord<String, String>> refused = TopicReader.read(run.infra.kafkaBootstrap(), inbound + ".dlq", rs -> rs.size() >= 3, FLOW);
        String reasons = String.join(" | ", refused.stream().map(r -> header(r, CloudEventHeaders.DEAD_LETTER_REASON)).toList());
        assertTrue(reasons.contains("MON-0107") && reasons.contains("MON-0115") && reasons.contains("MON-0116"), reasons);

        // the evaluation's own topic, written by something other than monitoring's intake: dead-lettered, the patient ASSESS
        String observations = run.topic("hdil2.monitoring.observations.v1");
        publish(observations, poisoned, ce(poisoned, "org.hdil2.monitoring.observation-recorded.v1"), recorded(poisoned, "urine-output",
                "9187-6", "40", "mL", t, t.minusMillis(400)));
        publish(observations, poisoned, ce(poisoned, "org.hdil2.monitoring.observation-recorded.v1"), recorded(poisoned, "systolic-bp",
                "8480-6", "1E-999999999", "mm[Hg]", t, null));
        // a record that breaks the contract (its parameter unknown) stands against its patient for a day: another patient here
        publish(observations, "fail-poison-3", ce("fail-poison-3", "org.hdil2.monitoring.observation-recorded.v1"), "{\"not\":\"an observation\"}");
        List<ConsumerRecord<String, String>> dead = TopicReader.read(run.infra.kafkaBootstrap(), observations + ".dlq", rs -> rs.size() >= 3, FLOW);
        assertEquals(3, dead.size(), String.join(" | ", dead.stream().map(r -> header(r, CloudEventHeaders.DEAD_LETTER_REASON)).toList()));
        JsonNode failing = awaitDecision(poisonedDecision, d -> d.path("reasons").toString().contains("monitoring could not evaluate"), FLOW);
        assertEquals("ASSESS", failing.path("decision").asText());

        // and the evaluation goes on: another patient's SBP 85 turns that patient's decision HOLD
        Http.Response r = Http.post(monitoring + "/batch", nurse, DemoPatient.bedsideSet(other, 85, Instant.now().minusSeconds(5)));
        assertEquals(2, r.status() / 100, r.body().toString());
        assertEquals("HOLD", awaitDecision(otherDecision, "HOLD", FLOW).path("decision").asText());
        // a later, valid blood pressure of the poisoned patient lifts the systolic failure; the urine one stands until a later urine output
        assertEquals(2, Http.post(monitoring, nurse, urine(poisoned, Instant.now().minus(2, ChronoUnit.HOURS), Instant.now().minusSeconds(2)))
                .status() / 100);
        assertEquals(2, Http.post(monitoring + "/batch", nurse, DemoPatient.bedsideSet(poisoned, 118, Instant.now().minusSeconds(1))).status() / 100);
        JsonNode back = awaitDecision(poisonedDecision, d -> !d.path("reasons").toString().contains("monitoring could not evaluate"), FLOW);
        System.out.printf("FAIL-CLOSED poison: the poisoned patient's decision is %s again after later valid observations%n",
                back.path("decision").asText());
    }

    @Test
    @Order(3)
    void aBurstThatPutsTheEvaluationBehindNeverLetsAGiveMissAnAcceptedHypotension() throws Exception {
        String patient = "fail-burst";
        String decision = givableCourse(patient);
        // 60,000 accepted observations of 600 other patients reach the evaluation's topic at once, far faster than it evaluates
        int burst = 60_000;
        String observations = run.topic("hdil2.monitoring.observations.v1");
        long published = System.nanoTime();
        publishBurst(observations, burst, 600);
        long publishMs = millisSince(published);
        Http.Response hypotension = Http.post(stack.url(Service.MONITORING) + "/api/v1/observations", nurse,
                sbp(patient, "78", Instant.now().minusSeconds(1)));
        assertEquals(201, hypotension.status(), hypotension.body().toString());
        long accepted = System.nanoTime();
        List<String> seen = new ArrayList<>();
        String last = null;
        long deadline = accepted + Duration.ofMinutes(4).toNanos();
        while (System.nanoTime() < deadline) {
            JsonNode d = Http.get(decision, nurse).body();
            String now = d.path("decision").asText();
            assertFalse("GIVE".equals(now), "GIVE on an evaluation that misses an accepted SBP of 78 after " + millisSince(accepted) + " ms: " + d);
            if (!now.equals(last)) {
                seen.add(now + "@" + millisSince(accepted) + "ms" + ("ASSESS".equals(now) ? " (" + d.path("reasons").get(
                        d.path("reasons").size() - 1).asText() + ")" : ""));
                last = now;
            }
            if ("HOLD".equals(now)) {
                break;
            }
            Thread.sleep(200);
        }
        System.out.printf("FAIL-CLOSED burst: %d observations on the evaluation's topic in %d ms, then an SBP of 78 accepted; the "
                + "patient's decisions from then on: %s%n", burst, publishMs, seen);
        assertEquals("HOLD", last, "the hypotension is evaluated in the end: " + seen);
        assertTrue(seen.get(0).startsWith("ASSESS"), "ASSESS while the evaluation was behind: " + seen);
    }

    /** {@code count} schema-valid observation-recorded events (heart rates) of {@code patients} patients, as fast as the broker takes them. */
    private static void publishBurst(String topic, int count, int patients) {
        Properties props = new Properties();
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, run.infra.kafkaBootstrap());
        props.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        props.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        props.put(ProducerConfig.LINGER_MS_CONFIG, 20);
        props.put(ProducerConfig.BATCH_SIZE_CONFIG, 262_144);
        Instant t = Instant.now().minusSeconds(60);
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(props)) {
            for (int i = 0; i < count; i++) {
                String p = "burst-" + (i % patients);
                ProducerRecord<String, String> record = new ProducerRecord<>(topic, p, recorded(p, "heart-rate", "8867-4",
                        Integer.toString(60 + i % 50), "/min", t.plusMillis(i), null).replace("\"intakeSequence\":999",
                        "\"intakeSequence\":" + (1 + i / patients)));
                ce(p, "org.hdil2.monitoring.observation-recorded.v1").forEach((k, v) -> record.headers().add(k, v.getBytes(StandardCharsets.UTF_8)));
                producer.send(record);
            }
            producer.flush();
        }
    }

    // ------------------------------------------------------------------------------------------------ helpers

    /** A patient screened eligible, on a verified course, with a normal bedside set: the next dose is GIVE. */
    private static String givableCourse(String patient) {
        Http.Response screening = Http.post(stack.url(Service.ELIGIBILITY) + "/api/v1/screenings", physician,
                DemoPatient.screeningRequest(patient, "METASTATIC_MELANOMA", "2.8", "81"));
        assertEquals(201, screening.status(), screening.body().toString());
        String dosing = stack.url(Service.DOSING);
        String order = """
                {"patientId":"%s","dosingWeightKg":75,"weightMeasuredAt":"%s","weightSource":"bed scale","firstDoseAt":"%s"}"""
                .formatted(patient, Instant.now().minus(2, ChronoUnit.HOURS).truncatedTo(ChronoUnit.SECONDS),
                        Instant.now().truncatedTo(ChronoUnit.SECONDS));
        JsonNode course = Poll.until(FLOW, "dosing to learn of the screening", () -> {
            Http.Response r = Http.post(dosing + "/api/v1/courses", physician, order);
            return r.status() == 201 ? r.body() : null;
        });
        String id = course.path("id").asText();
        assertEquals(200, Http.post(dosing + "/api/v1/courses/" + id + "/verification", pharmacist, "").status());
        Http.Response set = Http.post(stack.url(Service.MONITORING) + "/api/v1/observations/batch", nurse,
                DemoPatient.bedsideSet(patient, 112, Instant.now().minusSeconds(10)));
        assertEquals(2, set.status() / 100, set.body().toString());
        String decision = dosing + "/api/v1/courses/" + id + "/doses/next/decision";
        awaitDecision(decision, "GIVE", FLOW);
        return decision;
    }

    /** The decision's changes over {@code period}, as DECISION@ms. */
    private static List<String> decisionsFor(String url, Duration period) {
        List<String> changes = new ArrayList<>();
        long start = System.nanoTime();
        String last = null;
        while (System.nanoTime() - start < period.toNanos()) {
            String now = Http.get(url, nurse).body().path("decision").asText();
            if (!now.equals(last)) {
                changes.add(now + "@" + millisSince(start) + "ms");
                last = now;
            }
            pause(250);
        }
        return changes;
    }

    private static void pause(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static JsonNode awaitDecision(String url, String wanted, Duration within) {
        return awaitDecision(url, d -> wanted.equals(d.path("decision").asText()), within);
    }

    private static JsonNode awaitDecision(String url, java.util.function.Predicate<JsonNode> wanted, Duration within) {
        return Poll.until(within, "the decision", () -> {
            Http.Response r = Http.get(url, nurse);
            return r.status() == 200 && wanted.test(r.body()) ? r.body() : null;
        });
    }

    private static String sbp(String patient, String value, Instant at) {
        return """
                {"patientId":"%s","code":"8480-6","value":%s,"unit":"mm[Hg]","effectiveTime":"%s"}""".formatted(patient, value, at);
    }

    private static String urine(String patient, Instant start, Instant end) {
        return """
                {"patientId":"%s","code":"9187-6","value":40,"unit":"mL","effectivePeriod":{"start":"%s","end":"%s"}}"""
                .formatted(patient, start, end);
    }

    /** An observation-recorded as monitoring's outbox would write it (but with what intake would have refused). */
    private static String recorded(String patient, String parameter, String code, String value, String unit, Instant at, Instant start) {
        ObjectNode o = JSON.createObjectNode();
        o.put("observationId", UUID.randomUUID().toString()).put("patientId", patient).put("intakeSequence", 999).put("parameter", parameter);
        o.putObject("code").put("system", "http://loinc.org").put("code", code);
        o.put("value", new BigDecimal(value)).put("unit", unit).put("effectiveTime", at.toString()).put("recordedAt", at.toString())
                .put("status", "final");
        if (start != null) {
            o.putObject("effectivePeriod").put("start", start.toString()).put("end", at.toString());
        }
        o.putObject("source").put("kind", "DEVICE");
        return o.toString();
    }

    private static Map<String, String> ce(String patient, String type) {
        return Map.of(CloudEventHeaders.SPEC_VERSION, CloudEventHeaders.SPEC_VERSION_VALUE, CloudEventHeaders.ID, UUID.randomUUID().toString(),
                CloudEventHeaders.SOURCE, "/hdil2/foreign-producer", CloudEventHeaders.TYPE, type, CloudEventHeaders.SUBJECT, patient,
                CloudEventHeaders.TIME, Instant.now().toString(), CloudEventHeaders.CONTENT_TYPE, CloudEventHeaders.JSON);
    }

    private static void publish(String topic, String key, Map<String, String> headers, String value) {
        org.hdil2.infra.TopicWriter.publish(run.infra.kafkaBootstrap(), topic, key, headers, value);
    }

    private static void assertProblem(Http.Response r, String code) {
        assertEquals(400, r.status(), r.body().toString());
        assertEquals(code, r.body().path("code").asText(), r.body().toString());
    }

    private static String type(ConsumerRecord<String, String> r) {
        String t = header(r, CloudEventHeaders.TYPE);
        return t == null ? "" : t;
    }

    private static String header(ConsumerRecord<String, String> r, String name) {
        var h = r.headers().lastHeader(name);
        return h == null ? null : new String(h.value(), StandardCharsets.UTF_8);
    }

    private static long millisSince(long nanos) {
        return (System.nanoTime() - nanos) / 1_000_000;
    }
}
