package org.hdil2.monitoring.messaging;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.record.TimestampType;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.test.TestRecord;
import org.hdil2.contract.CloudEventHeaders;
import org.hdil2.contract.ContractAssertions;
import org.hdil2.contract.EventContract;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The topology with Kafka Streams' test driver: contract-conformant events, repeats, late data, time-only firing. */
class EvaluationTopologyTest {

    private static final String OUT = TopologyFixture.OUT;
    private static final Instant NOW = Instant.parse("2026-11-29T10:00:00Z");
    private static final ObjectMapper JSON = new ObjectMapper();
    private TopologyFixture fixture;
    private TopologyTestDriver driver;
    private TestInputTopic<String, String> observations;
    private TestOutputTopic<String, String> findings;
    private TestOutputTopic<String, String> deadLetters;

    @BeforeEach
    void start() {
        fixture = new TopologyFixture(NOW, 0);
        driver = fixture.driver;
        observations = fixture.observations;
        findings = fixture.findings;
        deadLetters = fixture.deadLetters;
    }

    @AfterEach
    void stop() {
        fixture.close();
    }

    @Test
    void hypotensionRaisesAndRecoveryClearsAFindingEachPerContract() {
        observations.pipeInput(observation("p-7", "systolic-bp", "8480-6", "84", "mm[Hg]", NOW.minusSeconds(60)));
        List<TestRecord<String, String>> first = findings.readRecordsToList();
        // SBP <= 90 also scores 3 in NEWS2: the single-parameter rule is met as well
        assertEquals(List.of(MonitoringEvents.FINDING_RAISED, MonitoringEvents.FINDING_RAISED, MonitoringEvents.EVALUATION_UPDATED), types(first));
        JsonNode raised = assertConforms(first.get(0));
        assertEquals("NEWS2-SINGLE-3", assertConforms(first.get(1)).path("rule").path("id").asText());
        assertEquals("LABEL-2024-CV-SBP", raised.path("rule").path("id").asText());
        assertEquals(84, raised.path("observation").path("value").asInt());
        assertTrue(raised.path("notEvaluable").size() > 10, "says what it could not evaluate");
        JsonNode evaluation = assertConforms(first.get(2));
        assertEquals("NOT_EVALUABLE", evaluation.path("news2").path("state").asText());
        assertEquals(2, evaluation.path("activeFindings").size());

        observations.pipeInput(observation("p-7", "systolic-bp", "8480-6", "104", "mm[Hg]", NOW.plusSeconds(60)));
        List<TestRecord<String, String>> second = findings.readRecordsToList();
        assertEquals(List.of(MonitoringEvents.FINDING_CLEARED, MonitoringEvents.EVALUATION_UPDATED), types(second));
        JsonNode cleared = assertConforms(second.get(0));
        assertEquals(raised.path("findingId").asText(), cleared.path("findingId").asText());
        assertTrue(cleared.path("reason").asText().contains(">= 90"));
        JsonNode after = assertConforms(second.get(1));
        assertEquals(2, after.path("sequence").asInt());
        // the other NEWS2 parameters were never charted: whether one scores 3 is unknown, so that finding stays
        assertEquals(1, after.path("activeFindings").size());
        assertEquals("NOT_EVALUABLE", rule(after, "NEWS2-SINGLE-3").path("state").asText());
    }

    @Test
    void aRedeliveredObservationActsOnce() {
        TestRecord<String, String> low = observation("p-8", "systolic-bp", "8480-6", "84", "mm[Hg]", NOW);
        observations.pipeInput(low);
        observations.pipeInput(low);
        assertEquals(List.of(MonitoringEvents.FINDING_RAISED, MonitoringEvents.FINDING_RAISED, MonitoringEvents.EVALUATION_UPDATED), types(findings.readRecordsToList()),
                "the repeat adds nothing");
    }

    @Test
    void aLateOlderObservationNeitherRaisesNorClears() {
        observations.pipeInput(observation("p-5", "systolic-bp", "8480-6", "120", "mm[Hg]", NOW));
        findings.readRecordsToList();
        observations.pipeInput(observation("p-5", "systolic-bp", "8480-6", "70", "mm[Hg]", NOW.minus(Duration.ofHours(1))));
        assertTrue(findings.isEmpty(), "a value older than the latest is not the patient's current state");
    }

    @Test
    void patientsAreEvaluatedApart() {
        observations.pipeInput(observation("p-a", "systolic-bp", "8480-6", "80", "mm[Hg]", NOW));
        observations.pipeInput(observation("p-b", "systolic-bp", "8480-6", "120", "mm[Hg]", NOW));
        List<TestRecord<String, String>> out = findings.readRecordsToList();
        assertEquals(4, out.size());
        assertEquals(1, out.stream().filter(r -> r.key().equals("p-b")).count());
    }

    @Test
    void aDurationRuleFiresWhenItsTimeComesWithoutAnotherObservation() {
        observations.pipeInput(observation("p-i", "airway", "airway", "1", "{code}", NOW, "INTUBATED"));
        findings.readRecordsToList();
        driver.advanceWallClockTime(Duration.ofHours(71));
        assertTrue(types(findings.readRecordsToList()).stream().noneMatch(MonitoringEvents.FINDING_RAISED::equals));
        driver.advanceWallClockTime(Duration.ofHours(1));
        List<TestRecord<String, String>> out = findings.readRecordsToList();
        assertEquals(List.of(MonitoringEvents.FINDING_RAISED, MonitoringEvents.EVALUATION_UPDATED), types(out));
        JsonNode raised = assertConforms(out.get(0));
        assertEquals("LABEL-2024-RESP-INTUBATION", raised.path("rule").path("id").asText());
        assertEquals("DISCONTINUE", raised.path("rule").path("action").asText());
        assertEquals(NOW.plus(Duration.ofHours(72)).toString(), raised.path("raisedAt").asText());
        driver.advanceWallClockTime(Duration.ofSeconds(30));
        assertTrue(findings.isEmpty(), "fires once");
    }

    @Test
    void aStaleInputShowsAsNotEvaluableAndTheFindingStays() {
        observations.pipeInput(observation("p-s", "systolic-bp", "8480-6", "84", "mm[Hg]", NOW));
        findings.readRecordsToList();
        driver.advanceWallClockTime(Duration.ofHours(4).plusSeconds(30));
        List<TestRecord<String, String>> out = findings.readRecordsToList();
        assertEquals(List.of(MonitoringEvents.EVALUATION_UPDATED), types(out), "no clear: a stale value is not a recovery");
        JsonNode evaluation = assertConforms(out.get(0));
        JsonNode sbp = rule(evaluation, "LABEL-2024-CV-SBP");
        assertEquals("NOT_EVALUABLE", sbp.path("state").asText());
        assertTrue(sbp.path("reason").asText().contains("older than PT4H"));
        assertEquals(2, evaluation.path("activeFindings").size());
    }

    @Test
    void aPatientWithoutObservationsForAWeekAndNotOnTherapyIsForgotten() {
        observations.pipeInput(observation("p-gone", "systolic-bp", "8480-6", "120", "mm[Hg]", NOW));
        findings.readRecordsToList();
        org.apache.kafka.streams.state.KeyValueStore<String, byte[]> store = driver.getKeyValueStore(EvaluationTopology.STORE);
        driver.advanceWallClockTime(Duration.ofDays(7).minusMinutes(1));
        assertTrue(store.get("p-gone") != null);
        driver.advanceWallClockTime(Duration.ofMinutes(2));
        assertTrue(store.get("p-gone") == null);
    }

    @Test
    void theTherapyContextGivesTheWeightBaseline() {
        JsonNode example = EventContract.load().examples(MonitoringEvents.THERAPY_UPDATED).get(0);
        observations.pipeInput(record("demo-001", MonitoringEvents.THERAPY_UPDATED, example.toString()));
        JsonNode evaluation = assertConforms(findings.readRecordsToList().get(0));
        assertTrue(evaluation.path("onTherapy").asBoolean());
        observations.pipeInput(observation("demo-001", "weight", "29463-7", "87.1", "kg", NOW)); // 72.5 kg + 20.1 %
        List<TestRecord<String, String>> out = findings.readRecordsToList();
        JsonNode raised = assertConforms(out.get(0));
        assertEquals("CTCAE-WEIGHT-GAIN", raised.path("rule").path("id").asText());
        assertEquals(3, raised.path("detail").path("grade").asInt());
        assertEquals("MEDIUM", raised.path("severity").asText());
    }

    /**
     * Two patients in one deployment: one whose course is under consensus-2014, one without a course (the default,
     * label-2024). Both sides of a consensus threshold (heart rate 100: relative; 131: absolute) for the first, while the
     * second's heart rate of 131 raises nothing the label does not have. Then the course moves back to the label: its
     * rules replace the consensus ones, and a consensus-only finding is cleared with the reason.
     */
    @Test
    void eachPatientIsEvaluatedUnderTheProtocolOfTheirCourse() {
        ObjectNode therapy = (ObjectNode) EventContract.load().examples(MonitoringEvents.THERAPY_UPDATED).get(0).deepCopy();
        therapy.put("patientId", "p-cons").put("onTherapy", true).putObject("protocol").put("id", "consensus-2014").put("version", "1");
        observations.pipeInput(record("p-cons", MonitoringEvents.THERAPY_UPDATED, therapy.toString()));
        JsonNode evaluation = assertConforms(findings.readRecordsToList().get(0));
        assertEquals("consensus-2014", evaluation.path("protocol").path("id").asText());
        assertTrue(evaluation.path("rules").findValuesAsText("id").contains("DUTCHER-2014-CV-TACHYCARDIA-REL"));

        observations.pipeInput(observation("p-cons", "heart-rate", "8867-4", "99", "/min", NOW.minusSeconds(120)));
        assertTrue(findings.readRecordsToList().stream().map(EvaluationTopologyTest::assertConforms).noneMatch(e ->
                "DUTCHER-2014-CV-TACHYCARDIA-REL".equals(e.path("rule").path("id").asText())), "99/min is below the relative limit");
        observations.pipeInput(observation("p-cons", "heart-rate", "8867-4", "100", "/min", NOW.minusSeconds(60)));
        JsonNode relative = findings.readRecordsToList().stream().map(EvaluationTopologyTest::assertConforms)
                .filter(e -> "DUTCHER-2014-CV-TACHYCARDIA-REL".equals(e.path("rule").path("id").asText())).findFirst().orElseThrow();
        assertEquals("consensus-2014", relative.path("rule").path("protocol").asText());
        assertEquals("1", relative.path("rule").path("protocolVersion").asText());

        observations.pipeInput(observation("p-label", "heart-rate", "8867-4", "131", "/min", NOW.minusSeconds(60)));
        List<JsonNode> label = findings.readRecordsToList().stream().map(EvaluationTopologyTest::assertConforms).toList();
        assertTrue(label.stream().noneMatch(e -> e.path("rule").path("id").asText().startsWith("DUTCHER")), label.toString());
        assertEquals("label-2024", label.get(label.size() - 1).path("protocol").path("id").asText());

        therapy.putObject("protocol").put("id", "label-2024").put("version", "2");
        observations.pipeInput(record("p-cons", MonitoringEvents.THERAPY_UPDATED, therapy.toString()));
        List<JsonNode> moved = findings.readRecordsToList().stream().map(EvaluationTopologyTest::assertConforms).toList();
        JsonNode cleared = moved.stream().filter(e -> "DUTCHER-2014-CV-TACHYCARDIA-REL".equals(e.path("rule").path("id").asText())
                && e.has("clearedAt")).findFirst().orElseThrow(() -> new AssertionError(moved.toString()));
        assertTrue(cleared.path("reason").asText().contains("no longer in protocol label-2024"), cleared.toString());
        JsonNode after = moved.get(moved.size() - 1);
        assertEquals("label-2024", after.path("protocol").path("id").asText());
        assertTrue(after.path("rules").findValuesAsText("id").stream().noneMatch(id -> id.startsWith("DUTCHER")));
    }

    @Test
    void aChangedGradeIsAnUpdatePerContract() {
        observations.pipeInput(observation("p-f", "temperature", "8310-5", "40.2", "Cel", NOW));
        JsonNode raised = assertConforms(findings.readRecordsToList().get(0));
        driver.advanceWallClockTime(Duration.ofHours(3));
        observations.pipeInput(observation("p-f", "temperature", "8310-5", "40.3", "Cel", NOW.plus(Duration.ofHours(3))));
        findings.readRecordsToList();
        driver.advanceWallClockTime(Duration.ofHours(21));
        observations.pipeInput(observation("p-f", "temperature", "8310-5", "40.4", "Cel", NOW.plus(Duration.ofHours(24))));
        List<TestRecord<String, String>> out = findings.readRecordsToList();
        assertTrue(types(out).contains(MonitoringEvents.FINDING_UPDATED), types(out).toString());
        JsonNode updated = assertConforms(out.get(types(out).indexOf(MonitoringEvents.FINDING_UPDATED)));
        assertEquals(raised.path("findingId").asText(), updated.path("findingId").asText());
        assertEquals("HIGH", updated.path("severity").asText());
        assertEquals(4, updated.path("detail").path("grade").asInt());
    }

    @Test
    void aRecordThatBreaksTheContractGoesToTheDeadLetterTopicWithTheReason() {
        TestRecord<String, String> good = observation("p-9", "systolic-bp", "8480-6", "84", "mm[Hg]", NOW);
        observations.pipeInput(new TestRecord<>("p-9", "{\"not\":\"an observation\"}", good.headers()));
        Header reason = deadLetters.readRecord().headers().lastHeader(CloudEventHeaders.DEAD_LETTER_REASON);
        assertTrue(new String(reason.value(), StandardCharsets.UTF_8).contains("schema"));
        ObjectNode noParameter = (ObjectNode) body("p-9", "systolic-bp", "8480-6", "84", "mm[Hg]", NOW, null);
        noParameter.remove("parameter");
        observations.pipeInput(record("p-9", MonitoringEvents.OBSERVATION_RECORDED, noParameter.toString()));
        assertTrue(new String(deadLetters.readRecord().headers().lastHeader(CloudEventHeaders.DEAD_LETTER_REASON).value(),
                StandardCharsets.UTF_8).contains("parameter"));
        assertTrue(findings.isEmpty());
        observations.pipeInput(good);
        assertEquals(3, findings.readRecordsToList().size(), "the topology keeps going after a poison record");
    }

    static TestRecord<String, String> observation(String patient, String parameter, String code, String value, String unit, Instant at) {
        return observation(patient, parameter, code, value, unit, at, null);
    }

    static TestRecord<String, String> observation(String patient, String parameter, String code, String value, String unit, Instant at,
                                                  String valueCode) {
        return record(patient, MonitoringEvents.OBSERVATION_RECORDED, body(patient, parameter, code, value, unit, at, valueCode).toString());
    }

    static JsonNode body(String patient, String parameter, String code, String value, String unit, Instant at, String valueCode) {
        ObjectNode o = JSON.createObjectNode();
        o.put("observationId", UUID.randomUUID().toString());
        o.put("patientId", patient);
        o.put("parameter", parameter);
        o.putObject("code").put("system", "http://loinc.org").put("code", code);
        o.put("value", new java.math.BigDecimal(value));
        if (valueCode != null) {
            o.put("valueCode", valueCode);
        }
        o.put("unit", unit);
        o.put("effectiveTime", at.toString());
        o.put("recordedAt", at.toString());
        o.put("status", "final");
        o.putObject("source").put("kind", "NURSE");
        return o;
    }

    static TestRecord<String, String> record(String patient, String type, String json) {
        RecordHeaders headers = new RecordHeaders();
        headers.add(CloudEventHeaders.SPEC_VERSION, "1.0".getBytes(StandardCharsets.UTF_8));
        headers.add(CloudEventHeaders.ID, UUID.randomUUID().toString().getBytes(StandardCharsets.UTF_8));
        headers.add(CloudEventHeaders.TYPE, type.getBytes(StandardCharsets.UTF_8));
        headers.add(CloudEventHeaders.SUBJECT, patient.getBytes(StandardCharsets.UTF_8));
        return new TestRecord<>(patient, json, headers);
    }

    private static JsonNode rule(JsonNode evaluation, String id) {
        for (JsonNode r : evaluation.path("rules")) {
            if (r.path("id").asText().equals(id)) {
                return r;
            }
        }
        throw new AssertionError("no rule " + id);
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
