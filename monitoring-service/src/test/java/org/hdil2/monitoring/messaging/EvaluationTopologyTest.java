package org.hdil2.monitoring.messaging;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Properties;
import java.util.UUID;

import com.fasterxml.jackson.databind.JsonNode;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.record.TimestampType;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.test.TestRecord;
import org.hdil2.contract.CloudEventHeaders;
import org.hdil2.contract.ContractAssertions;
import org.hdil2.contract.EventContract;
import org.hdil2.monitoring.config.RuleCatalog;
import org.hdil2.monitoring.domain.Evaluator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class EvaluationTopologyTest {

    private static final String IN = "hdil2.monitoring.observations.v1";
    private static final String OUT = "hdil2.monitoring.findings.v1";
    private TopologyTestDriver driver;
    private TestInputTopic<String, String> observations;
    private TestOutputTopic<String, String> findings;
    private TestOutputTopic<String, String> deadLetters;

    @BeforeEach
    void start() {
        Properties props = new Properties();
        props.put(StreamsConfig.APPLICATION_ID_CONFIG, "topology-test");
        props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "unused:9092");
        props.put(StreamsConfig.STATE_DIR_CONFIG, "target/topology-test-" + UUID.randomUUID());
        RuleCatalog.ProtocolRules rules = RuleCatalog.read("label-2024");
        driver = new TopologyTestDriver(EvaluationTopology.build(IN, OUT, new Evaluator(rules.rules()), rules.id(), rules.version()), props);
        observations = driver.createInputTopic(IN, new StringSerializer(), new StringSerializer());
        findings = driver.createOutputTopic(OUT, new StringDeserializer(), new StringDeserializer());
        deadLetters = driver.createOutputTopic(IN + ".dlq", new StringDeserializer(), new StringDeserializer());
    }

    @AfterEach
    void stop() {
        driver.close();
    }

    @Test
    void hypotensionRaisesAndRecoveryClearsAFindingEachPerContract() {
        observations.pipeInput(observation("p-7", "84", "2026-11-29T10:00:00Z"));
        List<TestRecord<String, String>> first = findings.readRecordsToList();
        assertEquals(List.of(FindingEvents.RAISED, FindingEvents.EVALUATED), types(first));
        first.forEach(EvaluationTopologyTest::assertConforms);
        JsonNode raised = assertConforms(first.get(0));
        assertEquals("LABEL-2024-CV-SBP", raised.path("rule").path("id").asText());
        assertEquals(84, raised.path("observation").path("value").asInt());

        observations.pipeInput(observation("p-7", "104", "2026-11-29T12:00:00Z"));
        List<TestRecord<String, String>> second = findings.readRecordsToList();
        assertEquals(List.of(FindingEvents.CLEARED, FindingEvents.EVALUATED), types(second));
        JsonNode cleared = assertConforms(second.get(0));
        assertEquals(raised.path("findingId").asText(), cleared.path("findingId").asText());
        JsonNode evaluation = assertConforms(second.get(1));
        assertEquals(2, evaluation.path("sequence").asInt());
        assertEquals(0, evaluation.path("activeFindings").size());
    }

    @Test
    void aRedeliveredObservationActsOnce() {
        TestRecord<String, String> low = observation("p-8", "84", "2026-11-29T10:00:00Z");
        observations.pipeInput(low);
        observations.pipeInput(low);
        List<TestRecord<String, String>> out = findings.readRecordsToList();
        assertEquals(List.of(FindingEvents.RAISED, FindingEvents.EVALUATED), types(out), "the repeat adds nothing");
    }

    @Test
    void aLateOlderObservationNeitherRaisesNorClears() {
        observations.pipeInput(observation("p-5", "120", "2026-11-29T12:00:00Z"));
        findings.readRecordsToList();
        observations.pipeInput(observation("p-5", "70", "2026-11-29T09:00:00Z"));
        assertTrue(findings.isEmpty(), "a value older than the latest is not the patient's current state");
    }

    @Test
    void patientsAreEvaluatedApart() {
        observations.pipeInput(observation("p-a", "80", "2026-11-29T10:00:00Z"));
        observations.pipeInput(observation("p-b", "120", "2026-11-29T10:00:00Z"));
        List<TestRecord<String, String>> out = findings.readRecordsToList();
        assertEquals(3, out.size());
        assertEquals(1, out.stream().filter(r -> r.key().equals("p-b")).count());
    }

    @Test
    void aRecordThatBreaksTheContractGoesToTheDeadLetterTopicWithTheReason() {
        TestRecord<String, String> broken = observation("p-9", "84", "2026-11-29T10:00:00Z");
        observations.pipeInput(new TestRecord<>("p-9", "{\"not\":\"an observation\"}", broken.headers()));
        TestRecord<String, String> dead = deadLetters.readRecord();
        Header reason = dead.headers().lastHeader(CloudEventHeaders.DEAD_LETTER_REASON);
        assertTrue(new String(reason.value(), StandardCharsets.UTF_8).contains("schema"));
        assertTrue(findings.isEmpty());
        observations.pipeInput(observation("p-9", "84", "2026-11-29T10:05:00Z"));
        assertEquals(2, findings.readRecordsToList().size(), "the topology keeps going after a poison record");
    }

    static TestRecord<String, String> observation(String patient, String value, String at) {
        JsonNode example = EventContract.load().examples(EvaluationTopology.OBSERVATION_RECORDED).get(0);
        String json = example.toString().replace("\"demo-001\"", "\"" + patient + "\"")
                .replace("\"value\":84", "\"value\":" + value)
                .replace("2026-11-29T10:00:00Z", at)
                .replace(example.path("observationId").asText(), UUID.randomUUID().toString());
        RecordHeaders headers = new RecordHeaders();
        headers.add(CloudEventHeaders.SPEC_VERSION, "1.0".getBytes(StandardCharsets.UTF_8));
        headers.add(CloudEventHeaders.ID, UUID.randomUUID().toString().getBytes(StandardCharsets.UTF_8));
        headers.add(CloudEventHeaders.TYPE, EvaluationTopology.OBSERVATION_RECORDED.getBytes(StandardCharsets.UTF_8));
        headers.add(CloudEventHeaders.SUBJECT, patient.getBytes(StandardCharsets.UTF_8));
        return new TestRecord<>(patient, json, headers);
    }

    private static List<String> types(List<TestRecord<String, String>> records) {
        return records.stream().map(r -> new String(r.headers().lastHeader(CloudEventHeaders.TYPE).value(), StandardCharsets.UTF_8)).toList();
    }

    private static JsonNode assertConforms(TestRecord<String, String> r) {
        ConsumerRecord<String, String> record = new ConsumerRecord<>(OUT, 0, 0, 0L, TimestampType.CREATE_TIME, 0, 0,
                r.key(), r.value(), r.headers(), java.util.Optional.empty());
        return ContractAssertions.assertConforms(record);
    }
}
