package org.hdil2.monitoring.messaging;

import static org.hdil2.monitoring.messaging.EvaluationTopologyTest.body;
import static org.hdil2.monitoring.messaging.EvaluationTopologyTest.record;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.record.TimestampType;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.test.TestRecord;
import org.hdil2.contract.CloudEventHeaders;
import org.hdil2.contract.ContractAssertions;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The evaluation's promises to its consumers, with Kafka Streams' test driver: a checkpoint per partition every
 * interval that says which evaluations include newer observations; a record that cannot be evaluated reported at
 * once and until a later observation of its parameter is evaluated; ids never reused when a patient comes back.
 */
class EvaluationCheckpointTest {

    private static final String OUT = TopologyFixture.OUT;
    private static final Instant NOW = Instant.parse("2026-11-29T10:00:00Z");
    private static final Duration INTERVAL = TopologyFixture.CHECKPOINT_INTERVAL;
    private TopologyFixture fixture;
    private TopologyTestDriver driver;
    private TestInputTopic<String, String> observations;
    private TestOutputTopic<String, String> findings;
    private TestOutputTopic<String, String> deadLetters;
    private EvaluationProgress progress;

    @BeforeEach
    void start() {
        fixture = new TopologyFixture(NOW, 1);
        driver = fixture.driver;
        observations = fixture.observations;
        findings = fixture.findings;
        deadLetters = fixture.deadLetters;
        progress = fixture.progress;
    }

    @AfterEach
    void stop() {
        fixture.close();
    }

    @Test
    void everyIntervalACheckpointSaysWhichEvaluationsIncludeNewerObservations() {
        observations.pipeInput(sbp("p-c1", "120", NOW.minusSeconds(60), 1));
        JsonNode first = only(MonitoringEvents.EVALUATION_UPDATED, findings.readRecordsToList());
        assertEquals(1, first.path("intakeSequence").asLong(), "the evaluation says what it includes");
        assertEquals(NOW.toString(), first.path("stateEpoch").asText());
        observations.pipeInput(sbp("p-c1", "122", NOW.minusSeconds(30), 2));
        assertTrue(findings.isEmpty(), "a reading that changes nothing publishes no evaluation");

        driver.advanceWallClockTime(INTERVAL);
        List<TestRecord<String, String>> out = findings.readRecordsToList();
        JsonNode checkpoint = only(MonitoringEvents.EVALUATION_CHECKPOINT, out);
        assertEquals("partition/0", out.get(0).key());
        assertEquals(0, checkpoint.path("partition").asInt());
        assertEquals(1, checkpoint.path("partitions").asInt());
        assertEquals(1, checkpoint.path("evaluations").size());
        JsonNode p = checkpoint.path("evaluations").get(0);
        assertEquals("p-c1", p.path("patientId").asText());
        assertEquals(first.path("sequence").asLong(), p.path("sequence").asLong(), "the last published evaluation is still current");
        assertEquals(first.path("stateEpoch").asText(), p.path("stateEpoch").asText());
        assertEquals(2, p.path("intakeSequence").asLong(), "and it now includes the second reading");
        assertEquals(0, checkpoint.path("failures").size());

        driver.advanceWallClockTime(INTERVAL);
        JsonNode next = only(MonitoringEvents.EVALUATION_CHECKPOINT, findings.readRecordsToList());
        assertEquals(0, next.path("evaluations").size(), "reported once");
        assertTrue(Instant.parse(next.path("at").asText()).isAfter(Instant.parse(checkpoint.path("at").asText())));
        assertEquals(1, progress.activeTasks());
    }

    @Test
    void aRecordThatCannotBeEvaluatedIsReportedAtOnceUntilALaterObservationOfItsParameter() {
        observations.pipeInput(sbp("p-c2", "120", NOW.minusSeconds(600), 1));
        findings.readRecordsToList();
        ObjectNode broken = (ObjectNode) body("p-c2", "systolic-bp", "8480-6", "78", "mm[Hg]", NOW.minusSeconds(60), null);
        broken.put("intakeSequence", 2).put("value", "seventy-eight");
        observations.pipeInput(record("p-c2", MonitoringEvents.OBSERVATION_RECORDED, broken.toString()));
        assertTrue(new String(deadLetters.readRecord().headers().lastHeader(CloudEventHeaders.DEAD_LETTER_REASON).value(),
                StandardCharsets.UTF_8).contains("schema"));
        JsonNode checkpoint = only(MonitoringEvents.EVALUATION_CHECKPOINT, findings.readRecordsToList());
        JsonNode failure = checkpoint.path("failures").get(0);
        assertEquals("p-c2", failure.path("patientId").asText());
        assertEquals("systolic-bp", failure.path("parameter").asText());
        assertEquals(2, failure.path("intakeSequence").asLong());
        assertEquals(broken.path("observationId").asText(), failure.path("observationId").asText());
        assertTrue(!failure.path("reason").asText().contains("seventy"), "no value in the reason");
        assertEquals(1, progress.failingPatients());

        driver.advanceWallClockTime(INTERVAL);
        assertEquals(1, only(MonitoringEvents.EVALUATION_CHECKPOINT, findings.readRecordsToList()).path("failures").size(), "it stands");
        observations.pipeInput(sbp("p-c2", "95", NOW.minusSeconds(120), 3)); // older than the failed one: does not lift it
        findings.readRecordsToList();
        driver.advanceWallClockTime(INTERVAL);
        assertEquals(1, only(MonitoringEvents.EVALUATION_CHECKPOINT, findings.readRecordsToList()).path("failures").size());
        observations.pipeInput(sbp("p-c2", "96", NOW.plusSeconds(4), 4));
        findings.readRecordsToList();
        driver.advanceWallClockTime(INTERVAL);
        JsonNode lifted = only(MonitoringEvents.EVALUATION_CHECKPOINT, findings.readRecordsToList());
        assertEquals(0, lifted.path("failures").size(), "a later SBP was evaluated");
        assertEquals(0, progress.failingPatients());
    }

    @Test
    void aPatientForgottenAndSeenAgainGetsANewEpochAndNeverAReusedEventId() {
        observations.pipeInput(sbp("p-c3", "120", NOW, 1));
        TestRecord<String, String> before = findings.readRecordsToList().stream().filter(r -> type(r).equals(MonitoringEvents.EVALUATION_UPDATED))
                .findFirst().orElseThrow();
        driver.advanceWallClockTime(Duration.ofDays(7).plusMinutes(1));
        assertTrue(driver.getKeyValueStore(EvaluationTopology.STORE).get("p-c3") == null, "forgotten");
        findings.readRecordsToList();
        Instant back = NOW.plus(Duration.ofDays(7).plusMinutes(1));
        observations.pipeInput(sbp("p-c3", "118", back, 2));
        TestRecord<String, String> after = findings.readRecordsToList().stream().filter(r -> type(r).equals(MonitoringEvents.EVALUATION_UPDATED))
                .findFirst().orElseThrow();
        JsonNode was = conforms(before);
        JsonNode is = conforms(after);
        assertEquals(was.path("sequence").asLong(), is.path("sequence").asLong(), "the sequence restarts");
        assertNotEquals(was.path("stateEpoch").asText(), is.path("stateEpoch").asText());
        assertNotEquals(header(before, CloudEventHeaders.ID), header(after, CloudEventHeaders.ID), "a new event id");
        assertEquals(2, is.path("intakeSequence").asLong());
    }

    @Test
    void withoutTheFindingsTopicsPartitionCountNoCheckpointIsWritten() {
        progress.findingsPartitions(0);
        observations.pipeInput(sbp("p-c4", "120", NOW, 1));
        findings.readRecordsToList();
        driver.advanceWallClockTime(INTERVAL);
        assertTrue(findings.isEmpty(), "consumers then fail closed");
    }

    static TestRecord<String, String> sbp(String patient, String value, Instant at, long intakeSequence) {
        ObjectNode o = (ObjectNode) body(patient, "systolic-bp", "8480-6", value, "mm[Hg]", at, null);
        o.put("intakeSequence", intakeSequence);
        return record(patient, MonitoringEvents.OBSERVATION_RECORDED, o.toString());
    }

    private static JsonNode only(String type, List<TestRecord<String, String>> records) {
        List<TestRecord<String, String>> ofType = records.stream().filter(r -> type(r).equals(type)).toList();
        assertEquals(1, ofType.size(), "one " + type + " in " + records.stream().map(EvaluationCheckpointTest::type).toList());
        return conforms(ofType.get(0));
    }

    private static String type(TestRecord<String, String> r) {
        return header(r, CloudEventHeaders.TYPE);
    }

    private static String header(TestRecord<String, String> r, String name) {
        return new String(r.headers().lastHeader(name).value(), StandardCharsets.UTF_8);
    }

    private static JsonNode conforms(TestRecord<String, String> r) {
        return ContractAssertions.assertConforms(new ConsumerRecord<>(OUT, 0, 0, 0L, TimestampType.CREATE_TIME, 0, 0, r.key(), r.value(),
                r.headers(), java.util.Optional.empty()));
    }
}
