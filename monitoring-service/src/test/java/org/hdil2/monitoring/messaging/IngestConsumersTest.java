package org.hdil2.monitoring.messaging;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Map;
import java.util.UUID;

import jakarta.inject.Inject;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.hdil2.contract.CloudEventHeaders;
import org.hdil2.contract.ContractAssertions;
import org.hdil2.contract.EventContract;
import org.hdil2.monitoring.api.MonitoringTopics;
import org.hdil2.testinfra.KafkaTestClient;
import org.hdil2.testinfra.RealInfraResource;
import org.hdil2.testinfra.TestDb;
import org.junit.jupiter.api.Test;

import io.agroal.api.AgroalDataSource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;

/** The Kafka side of ingestion: device gateways' inbound topic and the dosing events, on the real broker and database. */
@QuarkusTest
@WithTestResource(value = RealInfraResource.class, initArgs = {
        @ResourceArg(name = "service", value = "mon"),
        @ResourceArg(name = "topics", value = MonitoringTopics.ALL) })
class IngestConsumersTest {

    static final String DOSING = "org.hdil2.dosing.";

    @Inject
    AgroalDataSource db;

    static String inbound() {
        return KafkaTestClient.topic("hdil2.monitoring.observations.inbound.v1");
    }

    static String observations() {
        return KafkaTestClient.topic("hdil2.monitoring.observations.v1");
    }

    /** The contract's first example (a monitor's heart rate), re-addressed and re-timed. */
    static ObjectNode submitted(String patient, String observationId, Instant at) {
        ObjectNode e = (ObjectNode) EventContract.load().examples(MonitoringEvents.OBSERVATION_SUBMITTED).get(0).deepCopy();
        return e.put("patientId", patient).put("observationId", observationId).put("effectiveTime", at.toString());
    }

    @Test
    void aCanonicalObservationIsRecordedOnceAndPublished() {
        Instant t = Instant.now().minus(3, ChronoUnit.MINUTES).truncatedTo(ChronoUnit.SECONDS);
        String body = submitted("p-kin-1", "mon-bed12-777", t).toString();
        KafkaTestClient.publish(inbound(), "p-kin-1", Map.of(), body);
        KafkaTestClient.publish(inbound(), "p-kin-1", Map.of(), body); // a gateway's retry
        ConsumerRecord<String, String> recorded = KafkaTestClient.awaitRecord(observations(),
                r -> "p-kin-1".equals(r.key()) && r.value().contains("heart-rate"), Duration.ofSeconds(30));
        JsonNode data = ContractAssertions.assertConforms(recorded);
        assertEquals("DEVICE", data.path("source").path("kind").asText());
        assertEquals("monitor-bed-12", data.path("source").path("id").asText());
        assertEquals(112, data.path("value").asInt());
        assertEquals("/min", data.path("unit").asText());
        assertEquals(UUID.nameUUIDFromBytes("p-kin-1|mon-bed12-777".getBytes(StandardCharsets.UTF_8)).toString(),
                data.path("observationId").asText());
        // a marker behind both copies: once it is stored, both copies were consumed
        KafkaTestClient.publish(inbound(), "p-kin-1", Map.of(), submitted("p-kin-1", "marker-1", t.plusSeconds(1)).toString());
        await().atMost(Duration.ofSeconds(30)).until(() -> count("select count(*) from observation where sender_id = 'marker-1'") == 1);
        assertEquals(1, count("select count(*) from observation where sender_id = 'mon-bed12-777'"));
        assertEquals(2, count("select count(*) from outbox_event where record_key = 'p-kin-1'"));
        assertEquals(1, count("select count(*) from audit_entry where patient_id = 'p-kin-1' and action = 'observation.record' "
                + "and actor = 'system:monitoring.ingest' and resource_id = '" + data.path("observationId").asText() + "'"));
    }

    @Test
    void aFhirObservationIsAcceptedByContentTypeOrResourceType() {
        Instant t = Instant.now().minus(4, ChronoUnit.MINUTES).truncatedTo(ChronoUnit.SECONDS);
        String fhir = """
                {"resourceType":"Observation","id":"gw-spo2-1","status":"final",
                 "code":{"coding":[{"system":"http://loinc.org","code":"59408-5"}]},
                 "subject":{"reference":"Patient/p-kin-2"},"effectiveDateTime":"%s",
                 "device":{"reference":"Device/oximeter-4"},
                 "valueQuantity":{"value":89,"unit":"%%","system":"http://unitsofmeasure.org","code":"%%"}}""".formatted(t);
        KafkaTestClient.publish(inbound(), "p-kin-2", Map.of(CloudEventHeaders.CONTENT_TYPE, "application/fhir+json"), fhir);
        KafkaTestClient.publish(inbound(), "p-kin-2", Map.of(), fhir.replace("gw-spo2-1", "gw-spo2-2").replace("89", "93"));
        ConsumerRecord<String, String> recorded = KafkaTestClient.awaitRecord(observations(),
                r -> "p-kin-2".equals(r.key()) && r.value().contains("\"spo2\"") && r.value().contains("89"), Duration.ofSeconds(30));
        JsonNode data = ContractAssertions.assertConforms(recorded);
        assertEquals("Device/oximeter-4", data.path("source").path("id").asText());
        assertEquals("59408-5", data.path("code").path("code").asText());
        await().atMost(Duration.ofSeconds(30)).until(() -> count("select count(*) from observation where patient_id = 'p-kin-2'") == 2);
    }

    @Test
    void invalidRecordsAreDeadLetteredWithTheReasonAndTheConsumerGoesOn() {
        Instant t = Instant.now().minus(5, ChronoUnit.MINUTES);
        ObjectNode badUnit = submitted("p-kin-3", "bad-unit", t).put("unit", "furlongs/fortnight");
        KafkaTestClient.publish(inbound(), "p-kin-3", Map.of(), badUnit.toString());
        KafkaTestClient.publish(inbound(), "p-kin-other", Map.of(), submitted("p-kin-3", "wrong-key", t).toString());
        KafkaTestClient.publish(inbound(), "p-kin-3", Map.of(), "this is not json");
        KafkaTestClient.publish(inbound(), "p-kin-3", Map.of(), submitted("p-kin-3", "future", t.plus(1, ChronoUnit.HOURS)).toString());
        KafkaTestClient.publish(inbound(), "p-kin-3", Map.of(CloudEventHeaders.TYPE, "org.hdil2.dosing.dose-given.v1"),
                submitted("p-kin-3", "wrong-type", t).toString());
        // what the rules cannot evaluate is refused on this path too: a sub-minute period, an unrepresentable number, a time long gone
        ObjectNode blink = submitted("p-kin-3", "blink", t).put("code", "9187-6").put("unit", "mL").put("value", 40);
        blink.remove("effectiveTime");
        blink.putObject("effectivePeriod").put("start", t.minusMillis(400).toString()).put("end", t.toString());
        KafkaTestClient.publish(inbound(), "p-kin-3", Map.of(), blink.toString());
        KafkaTestClient.publish(inbound(), "p-kin-3", Map.of(), submitted("p-kin-3", "tiny", t).put("value", new java.math.BigDecimal("1E-999999999")).toString());
        KafkaTestClient.publish(inbound(), "p-kin-3", Map.of(), submitted("p-kin-3", "ancient", t.minus(8, ChronoUnit.DAYS)).toString());
        KafkaTestClient.publish(inbound(), "p-kin-3", Map.of(), submitted("p-kin-3", "good", t).toString());
        var dead = KafkaTestClient.awaitRecords(inbound() + ".dlq", rs -> rs.size() >= 8, Duration.ofSeconds(30));
        String reasons = String.join(" | ", dead.stream().map(r -> ContractAssertions.header(r, CloudEventHeaders.DEAD_LETTER_REASON)).toList());
        assertTrue(reasons.contains("MON-0102 unit"), reasons);
        assertTrue(reasons.contains("MON-0002 patientId"), reasons);
        assertTrue(reasons.contains("MON-0001 value"), reasons);
        assertTrue(reasons.contains("MON-0104 effectiveTime"), reasons);
        assertTrue(reasons.contains("MON-0003 ce_type"), reasons);
        assertTrue(reasons.contains("MON-0107 effectivePeriod"), reasons);
        assertTrue(reasons.contains("MON-0115 value"), reasons);
        assertTrue(reasons.contains("MON-0116 effectiveTime"), reasons);
        assertFalse(reasons.contains("furlongs") || reasons.contains("p-kin-3"), "reasons name the field, not what was sent");
        await().atMost(Duration.ofSeconds(30)).until(() -> count("select count(*) from observation where sender_id = 'good'") == 1);
        assertEquals(1, count("select count(*) from observation where patient_id = 'p-kin-3'"));
    }

    @Test
    void dosingEventsBecomeTheTherapyContextOnTheObservationsTopic() {
        String patient = "p-kin-dose";
        String course = UUID.randomUUID().toString();
        String topic = KafkaTestClient.topic("hdil2.dosing.events.v1");
        ObjectNode ordered = example("course-ordered", patient, course);
        KafkaTestClient.publishEvent(topic, patient, DOSING + "course-ordered.v1", ordered.toString());
        JsonNode onTherapy = therapyUpdate(patient, d -> d.path("onTherapy").asBoolean() && !d.has("lastDoseAt"));
        assertEquals(course, onTherapy.path("courseId").asText());
        assertEquals(0, onTherapy.path("baselineWeightKg").decimalValue().compareTo(ordered.path("dosingWeightKg").decimalValue()));
        assertEquals(ordered.path("protocol"), onTherapy.path("protocol"), "the course's protocol, as ordered");

        KafkaTestClient.publishEvent(topic, patient, DOSING + "course-verified.v1", example("course-verified", patient, course).toString());
        ObjectNode moved = example("course-protocol-changed", patient, course);
        moved.putObject("protocol").put("id", "consensus-2014").put("version", "1");
        KafkaTestClient.publishEvent(topic, patient, DOSING + "course-protocol-changed.v1", moved.toString());
        assertEquals("consensus-2014", therapyUpdate(patient, d -> "consensus-2014".equals(d.path("protocol").path("id").asText()))
                .path("protocol").path("id").asText());
        String recordId = UUID.randomUUID().toString();
        ObjectNode given = example("dose-given", patient, course).put("recordId", recordId);
        String doseEvent = KafkaTestClient.publishEvent(topic, patient, DOSING + "dose-given.v1", given.toString());
        KafkaTestClient.publishEvent(topic, patient, DOSING + "dose-given.v1", given.toString(), doseEvent); // redelivery
        JsonNode dosed = therapyUpdate(patient, d -> d.has("lastDoseAt"));
        assertEquals(given.path("startedAt").asText(), dosed.path("lastDoseAt").asText());

        ObjectNode corrected = example("dose-corrected", patient, course).put("correctedRecordId", recordId)
                .put("recordId", UUID.randomUUID().toString());
        KafkaTestClient.publishEvent(topic, patient, DOSING + "dose-corrected.v1", corrected.toString());
        KafkaTestClient.publishEvent(topic, patient, DOSING + "course-completed.v1", example("course-completed", patient, course).toString());
        JsonNode ended = therapyUpdate(patient, d -> !d.path("onTherapy").asBoolean());
        assertEquals(course, ended.path("courseId").asText());
        // ordered, protocol changed, dosed, dose corrected (no last dose any more), completed: five changes, five events, in order
        var updates = KafkaTestClient.awaitRecords(observations(), rs -> rs.stream().filter(r -> isTherapy(r, patient)).count() >= 5,
                Duration.ofSeconds(30)).stream().filter(r -> isTherapy(r, patient)).toList();
        assertEquals(5, updates.size());
        assertFalse(ContractAssertions.assertConforms(updates.get(3)).has("lastDoseAt"));
        assertEquals("consensus-2014", ContractAssertions.assertConforms(updates.get(4)).path("protocol").path("id").asText());
        assertEquals(5, count("select count(*) from audit_entry where patient_id = '" + patient + "' and action = 'therapy.update'"));
        assertEquals(1, count("select count(*) from therapy_dose where record_id = '" + recordId + "' and corrected"));
    }

    private JsonNode therapyUpdate(String patient, java.util.function.Predicate<JsonNode> wanted) {
        ConsumerRecord<String, String> r = KafkaTestClient.awaitRecord(observations(), rec -> isTherapy(rec, patient)
                && wanted.test(read(rec.value())), Duration.ofSeconds(30));
        return ContractAssertions.assertConforms(r);
    }

    private static boolean isTherapy(ConsumerRecord<String, String> r, String patient) {
        return patient.equals(r.key()) && MonitoringEvents.THERAPY_UPDATED.equals(ContractAssertions.header(r, CloudEventHeaders.TYPE));
    }

    private static JsonNode read(String json) {
        try {
            return new com.fasterxml.jackson.databind.ObjectMapper().readTree(json);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static ObjectNode example(String type, String patient, String course) {
        ObjectNode e = (ObjectNode) EventContract.load().examples(DOSING + type + ".v1").get(0).deepCopy();
        return e.put("patientId", patient).put("courseId", course);
    }

    private long count(String sql) {
        return TestDb.count(db, sql);
    }
}
