package org.hdil2.monitoring.api;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;

import jakarta.inject.Inject;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.hdil2.contract.ContractAssertions;
import org.hdil2.contract.EventContract;
import org.hdil2.testinfra.KafkaTestClient;
import org.hdil2.testinfra.RealInfraResource;
import org.hdil2.testinfra.TestDb;
import org.hdil2.testinfra.TestTokens;
import org.junit.jupiter.api.Test;

import io.agroal.api.AgroalDataSource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;

/** REST ingestion and the read side, on the real broker and database. */
@QuarkusTest
@WithTestResource(value = RealInfraResource.class, initArgs = {
        @ResourceArg(name = "service", value = "mon"),
        @ResourceArg(name = "topics", value = MonitoringTopics.ALL) })
class ObservationApiTest {

    @Inject
    AgroalDataSource db;

    static String sbp(String patient, Object value, String unit, Instant at) {
        return """
                {"patientId":"%s","code":"8480-6","value":%s,"unit":"%s","effectiveTime":"%s"}""".formatted(patient, value, unit, at);
    }

    static String quantity(String patient, String code, Object value, String unit, Instant at) {
        return """
                {"patientId":"%s","code":"%s","value":%s,"unit":"%s","effectiveTime":"%s"}""".formatted(patient, code, value, unit, at);
    }

    @Test
    void anObservationIsStoredAuditedAndPublishedOnceWithItsParameter() {
        Instant t = Instant.now().minus(1, ChronoUnit.HOURS).truncatedTo(ChronoUnit.SECONDS);
        String body = """
                {"observationId":"bed12-000193","patientId":"p-mon-1","code":"8480-6","value":12,"unit":"kPa",
                 "effectiveTime":"%s","status":"final","source":{"kind":"NURSE","id":"nurse-app-7"}}""".formatted(t);
        String id = given().header("Authorization", TestTokens.bearer("nurse")).contentType(ContentType.JSON).body(body)
                .post("/api/v1/observations").then().statusCode(201)
                .header("Location", containsString("/api/v1/observations/"))
                .body("parameter", equalTo("systolic-bp")).body("value", equalTo(90)).body("unit", equalTo("mm[Hg]"))
                .body("originalValue", equalTo(12)).body("originalUnit", equalTo("kPa")).body("sourceKind", equalTo("NURSE"))
                .body("sourceId", equalTo("nurse-app-7")).body("recordedBy", equalTo("test-nurse")).body("senderId", equalTo("bed12-000193"))
                .extract().path("id");
        // the same observation id again: stored and published once, answered with the stored observation
        given().header("Authorization", TestTokens.bearer("nurse")).contentType(ContentType.JSON).body(body)
                .post("/api/v1/observations").then().statusCode(200).body("id", equalTo(id));
        // a time in nanoseconds (stored to the microsecond) sent again is the same observation, not a conflict
        String nanos = body.replace("bed12-000193", "bed12-000194").replace(t.toString(), t.plusNanos(123_456_789).toString());
        String nanosId = given().header("Authorization", TestTokens.bearer("nurse")).contentType(ContentType.JSON).body(nanos)
                .post("/api/v1/observations").then().statusCode(201).extract().path("id");
        given().header("Authorization", TestTokens.bearer("nurse")).contentType(ContentType.JSON).body(nanos)
                .post("/api/v1/observations").then().statusCode(200).body("id", equalTo(nanosId));
        // the same id for a different observation is a conflict, not a silent drop
        given().header("Authorization", TestTokens.bearer("nurse")).contentType(ContentType.JSON).body(body.replace("\"value\":12", "\"value\":13"))
                .post("/api/v1/observations").then().statusCode(409).contentType("application/problem+json").body("code", equalTo("MON-0110"));

        ConsumerRecord<String, String> recorded = KafkaTestClient.awaitRecord(KafkaTestClient.topic("hdil2.monitoring.observations.v1"),
                r -> r.value().contains(id), Duration.ofSeconds(20));
        JsonNode data = ContractAssertions.assertConforms(recorded);
        assertEquals("systolic-bp", data.path("parameter").asText());
        assertEquals("p-mon-1", recorded.key());
        assertEquals(90.0, data.path("value").asDouble());
        assertEquals(t.toString(), data.path("effectiveTime").asText());
        assertEquals("final", data.path("status").asText());
        assertEquals(1, count("select count(*) from observation where id = '" + id + "'"));
        assertEquals(1, count("select count(*) from outbox_event where payload like '%" + id + "%'"));
        assertEquals(1, count("select count(*) from audit_entry where action = 'observation.record' and resource_id = '" + id + "'"));
        given().header("Authorization", TestTokens.bearer("analyst")).get("/api/v1/observations/" + id).then().statusCode(200)
                .body("effectiveTime", equalTo(t.toString()));
    }

    @Test
    void commonAlternativeUnitsAreConverted() {
        Instant t = Instant.now().minus(2, ChronoUnit.HOURS);
        String nurse = TestTokens.bearer("nurse");
        record Case(String code, Object value, String unit, Object canonical, String canonicalUnit) {
        }
        for (Case c : List.of(new Case("8310-5", 101.3, "[degF]", 38.5f, "Cel"), new Case("29463-7", 160, "[lb_av]", 72.57f, "kg"),
                new Case("14682-9", 265, "umol/L", 3, "mg/dL"), new Case("14631-6", 119.7, "umol/L", 7, "mg/dL"),
                new Case("777-3", 45, "10^9/L", 45, "10*3/uL"), new Case("8462-4", 8, "kPa", 60, "mm[Hg]"))) {
            given().header("Authorization", nurse).contentType(ContentType.JSON).body(quantity("p-mon-units", c.code(), c.value(), c.unit(), t))
                    .post("/api/v1/observations").then().statusCode(201).body("value", equalTo(c.canonical()))
                    .body("unit", equalTo(c.canonicalUnit()));
        }
        given().header("Authorization", TestTokens.bearer("physician")).get("/api/v1/observations?patientId=p-mon-units&parameter=creatinine")
                .then().statusCode(200).body("$", hasSize(1)).body("[0].code", equalTo("14682-9"));
        given().header("Authorization", TestTokens.bearer("physician")).get("/api/v1/observations?patientId=p-mon-units&code=http://loinc.org|777-3")
                .then().statusCode(200).body("$", hasSize(1)).body("[0].originalUnit", equalTo("10^9/L"));
    }

    @Test
    void plausibleRangesHoldOnBothSidesOverRest() {
        Instant t = Instant.now().minus(40, ChronoUnit.MINUTES);
        String nurse = TestTokens.bearer("nurse");
        String accepted = String.join(",", quantity("p-mon-limits", "8480-6", 20, "mm[Hg]", t), quantity("p-mon-limits", "8480-6", 300, "mm[Hg]",
                t.plusSeconds(1)), quantity("p-mon-limits", "59408-5", 100, "%", t), quantity("p-mon-limits", "8310-5", 113, "[degF]", t),
                quantity("p-mon-limits", "29463-7", 881, "[lb_av]", t), quantity("p-mon-limits", "2160-0", 0.1, "mg/dL", t));
        given().header("Authorization", nurse).contentType(ContentType.JSON).body("{\"observations\":[" + accepted + "]}")
                .post("/api/v1/observations/batch").then().statusCode(201).body("created", equalTo(6))
                .body("items[3].observation.value", equalTo(45)).body("items[4].observation.value", equalTo(399.61f));
        post(nurse, quantity("p-mon-limits", "8480-6", 19.9, "mm[Hg]", t), "MON-0103", "value");
        post(nurse, quantity("p-mon-limits", "8480-6", 300.1, "mm[Hg]", t), "MON-0103", "value");
        post(nurse, quantity("p-mon-limits", "59408-5", 100.1, "%", t), "MON-0103", "value");
        post(nurse, quantity("p-mon-limits", "8310-5", 113.5, "[degF]", t), "MON-0103", "value");
        post(nurse, quantity("p-mon-limits", "29463-7", 882, "[lb_av]", t), "MON-0103", "value");
        post(nurse, quantity("p-mon-limits", "2160-0", 0.09, "mg/dL", t), "MON-0103", "value");
        assertEquals(6, count("select count(*) from observation where patient_id = 'p-mon-limits'"));
    }

    @Test
    void badInputGetsACodedProblemAndWritesNothing() {
        long before = writes("p-mon-3");
        String nurse = TestTokens.bearer("nurse");
        Instant now = Instant.now();
        post(nurse, sbp("p-mon-3", 84, "psi", now), "MON-0102", "unit");
        post(nurse, sbp("p-mon-3", 84, "mm[Hg]", now).replace("8480-6", "1234-5"), "MON-0101", "code");
        post(nurse, sbp("p-mon-3", 84, "mm[Hg]", now).replace("{", "{\"system\":\"http://snomed.info/sct\","), "MON-0101", "system");
        post(nurse, sbp("p-mon-3", 301, "mm[Hg]", now), "MON-0103", "value");
        post(nurse, sbp("p-mon-3", 19, "mm[Hg]", now), "MON-0103", "value");
        post(nurse, quantity("p-mon-3", "59408-5", 100.5, "%", now), "MON-0103", "value");
        post(nurse, sbp("p-mon-3", 84, "mm[Hg]", now.plus(2, ChronoUnit.HOURS)), "MON-0104", "effectiveTime");
        post(nurse, sbp("p-mon-3", 84, "mm[Hg]", now).replace("\"value\":84,", ""), "MON-0105", "value");
        post(nurse, """
                {"patientId":"p-mon-3","system":"https://hdil2.org/fhir/CodeSystem/observation","code":"acvpu","valueCode":"Z","effectiveTime":"%s"}"""
                .formatted(now), "MON-0106", "valueCode");
        post(nurse, quantity("p-mon-3", "9187-6", 50, "mL", now), "MON-0107", "effectivePeriod");
        post(nurse, """
                {"patientId":"p-mon-3","code":"9187-6","value":-5,"unit":"mL","effectivePeriod":{"start":"%s","end":"%s"}}"""
                .formatted(now.minus(8, ChronoUnit.HOURS), now), "MON-0103", "value");
        post(nurse, sbp("p-mon-3", 84, "mm[Hg]", now).replace("{", "{\"status\":\"entered-in-error\","), "MON-0108", "status");
        post(nurse, sbp("p-mon-3", 84, "mm[Hg]", now).replace("{", "{\"source\":{\"kind\":\"DEVICE\"},"), "MON-0109", "source.kind");
        post(nurse, sbp("p-mon-3", "\"low\"", "mm[Hg]", now), "MON-0003", "value");
        post(nurse, sbp("p-mon-3", 84, "mm[Hg]", now).replace(now.toString(), "last tuesday"), "MON-0003", "effectiveTime");
        post(nurse, sbp("p-mon-3", 84, "mm[Hg]", now).replace("{", "{\"colour\":\"red\","), "MON-0004", "colour");
        given().header("Authorization", nurse).contentType(ContentType.JSON).body("{\"patientId\":\"p-mon-3\"}")
                .post("/api/v1/observations").then().statusCode(400).body("code", equalTo("MON-0002"));
        given().header("Authorization", nurse).contentType(ContentType.JSON).body("{\"patientId\":")
                .post("/api/v1/observations").then().statusCode(400).body("code", equalTo("MON-0001"));
        assertEquals(before, writes("p-mon-3"));
    }

    @Test
    void aBatchIsStoredWholeOrRejectedWithEveryInvalidItem() {
        Instant t = Instant.now().minus(30, ChronoUnit.MINUTES).truncatedTo(ChronoUnit.SECONDS);
        List<String> items = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
            items.add(quantity("p-mon-batch", "8867-4", 60 + i, "/min", t.plusSeconds(i)));
        }
        String good = "{\"observations\":[" + String.join(",", items) + "]}";
        List<String> bad = new ArrayList<>(items);
        bad.set(3, quantity("p-mon-batch", "8867-4", 60, "furlongs", t));
        bad.set(7, quantity("p-mon-batch", "59408-5", 101, "%", t));
        long before = writes("p-mon-batch");
        given().header("Authorization", TestTokens.bearer("device")).contentType(ContentType.JSON)
                .body("{\"observations\":[" + String.join(",", bad) + "]}").post("/api/v1/observations/batch")
                .then().statusCode(400).contentType("application/problem+json").body("code", equalTo("MON-0111"))
                .body("errors", hasSize(2)).body("errors[0].field", equalTo("observations[3].unit"))
                .body("errors[0].message", containsString("MON-0102")).body("errors[1].field", equalTo("observations[7].value"))
                .body("errors[1].message", containsString("MON-0103"));
        assertEquals(before, writes("p-mon-batch"));

        given().header("Authorization", TestTokens.bearer("device")).contentType(ContentType.JSON).body(good)
                .post("/api/v1/observations/batch").then().statusCode(201).body("created", equalTo(50)).body("duplicates", equalTo(0))
                .body("items[0].observation.sourceKind", equalTo("DEVICE"));
        // resent (a gateway retry): every item is a duplicate, nothing new is stored or published
        given().header("Authorization", TestTokens.bearer("device")).contentType(ContentType.JSON).body(good)
                .post("/api/v1/observations/batch").then().statusCode(200).body("created", equalTo(0)).body("duplicates", equalTo(50))
                .body("items.outcome", hasItem("DUPLICATE"));
        assertEquals(50, count("select count(*) from observation where patient_id = 'p-mon-batch'"));
        assertEquals(50, count("select count(*) from outbox_event where record_key = 'p-mon-batch'"));

        given().header("Authorization", TestTokens.bearer("nurse"))
                .get("/api/v1/observations?patientId=p-mon-batch&parameter=heart-rate&from=" + t.plusSeconds(10) + "&to=" + t.plusSeconds(20)
                        + "&size=5&page=1")
                .then().statusCode(200).body("$", hasSize(5)).body("[0].value", equalTo(74)).body("[4].value", equalTo(70));
        given().header("Authorization", TestTokens.bearer("nurse")).contentType(ContentType.JSON).body("{\"observations\":[]}")
                .post("/api/v1/observations/batch").then().statusCode(400).body("code", equalTo("MON-0002"));
        List<String> tooMany = new ArrayList<>();
        for (int i = 0; i < 1001; i++) {
            tooMany.add(items.get(0));
        }
        given().header("Authorization", TestTokens.bearer("nurse")).contentType(ContentType.JSON)
                .body("{\"observations\":[" + String.join(",", tooMany) + "]}").post("/api/v1/observations/batch")
                .then().statusCode(400).body("code", equalTo("MON-0111"));
    }

    @Test
    void periodAndCodedObservationsAreStoredWithTheirShape() {
        Instant end = Instant.now().minus(10, ChronoUnit.MINUTES).truncatedTo(ChronoUnit.SECONDS);
        Instant start = end.minus(8, ChronoUnit.HOURS);
        String urine = given().header("Authorization", TestTokens.bearer("nurse")).contentType(ContentType.JSON).body("""
                {"patientId":"p-mon-4","code":"9187-6","value":0.06,"unit":"L","effectivePeriod":{"start":"%s","end":"%s"}}"""
                .formatted(start, end)).post("/api/v1/observations").then().statusCode(201)
                .body("value", equalTo(60)).body("unit", equalTo("mL")).body("effectiveTime", equalTo(end.toString()))
                .body("effectivePeriod.start", equalTo(start.toString())).extract().path("id");
        String acvpu = given().header("Authorization", TestTokens.bearer("nurse")).contentType(ContentType.JSON).body("""
                {"patientId":"p-mon-4","system":"https://hdil2.org/fhir/CodeSystem/observation","code":"acvpu","valueCode":"C","effectiveTime":"%s"}"""
                .formatted(end)).post("/api/v1/observations").then().statusCode(201)
                .body("value", equalTo(1)).body("valueCode", equalTo("C")).body("unit", equalTo("{score}"))
                .body("originalValue", nullValue()).extract().path("id");
        String topic = KafkaTestClient.topic("hdil2.monitoring.observations.v1");
        JsonNode u = ContractAssertions.assertConforms(KafkaTestClient.awaitRecord(topic, r -> r.value().contains(urine), Duration.ofSeconds(20)));
        assertEquals(start.toString(), u.path("effectivePeriod").path("start").asText());
        assertEquals("urine-output", u.path("parameter").asText());
        JsonNode a = ContractAssertions.assertConforms(KafkaTestClient.awaitRecord(topic, r -> r.value().contains(acvpu), Duration.ofSeconds(20)));
        assertEquals("C", a.path("valueCode").asText());
        assertEquals(1, a.path("value").asInt());
    }

    @Test
    void theCatalogListsParametersCodesUnitsAndRanges() {
        given().header("Authorization", TestTokens.bearer("device")).get("/api/v1/catalog").then().statusCode(200)
                .body("id", hasItem("urine-output"))
                .body("find { it.id == 'creatinine' }.codes.code", hasItem("14682-9"))
                .body("find { it.id == 'temperature' }.codes[0].units.unit", hasItem("[degF]"))
                .body("find { it.id == 'spo2' }.max", equalTo(100))
                .body("find { it.id == 'urine-output' }.periodRequired", equalTo(true))
                .body("find { it.id == 'acvpu' }.codedValues.U", equalTo(4));
    }

    @Test
    void theCurrentEvaluationIsTheNewestPublished() {
        String patient = "p-mon-eval";
        given().header("Authorization", TestTokens.bearer("physician")).get("/api/v1/patients/" + patient + "/evaluation")
                .then().statusCode(404).contentType("application/problem+json").body("code", equalTo("MON-0113"));
        String type = "org.hdil2.monitoring.evaluation-updated.v1";
        String findings = KafkaTestClient.topic("hdil2.monitoring.findings.v1");
        ObjectNode third = (ObjectNode) EventContract.load().examples(type).get(0).deepCopy();
        third.put("patientId", patient).put("sequence", 3);
        ObjectNode second = third.deepCopy().put("sequence", 2);
        String thirdId = KafkaTestClient.publishEvent(findings, patient, type, third.toString());
        String secondId = KafkaTestClient.publishEvent(findings, patient, type, second.toString()); // older, arrives later: ignored
        await().atMost(Duration.ofSeconds(30)).until(() -> count("select count(*) from inbox_event where consumer = 'monitoring.projection' "
                + "and event_id in ('" + thirdId + "', '" + secondId + "')") == 2);
        given().header("Authorization", TestTokens.bearer("nurse")).get("/api/v1/patients/" + patient + "/evaluation")
                .then().statusCode(200).body("sequence", equalTo(3)).body("patientId", equalTo(patient))
                .body("activeFindings[0].rule.id", equalTo(third.path("activeFindings").path(0).path("rule").path("id").asText()));
        given().header("Authorization", TestTokens.bearer("device")).get("/api/v1/patients/" + patient + "/evaluation").then().statusCode(403);
        // the patient's state rebuilt: a later epoch at sequence 1 is newer than sequence 3 of the earlier one
        ObjectNode rebuilt = third.deepCopy().put("sequence", 1).put("stateEpoch", Instant.now().toString());
        String rebuiltId = KafkaTestClient.publishEvent(findings, patient, type, rebuilt.toString());
        await().atMost(Duration.ofSeconds(30)).until(() -> count("select count(*) from inbox_event where consumer = 'monitoring.projection' "
                + "and event_id = '" + rebuiltId + "'") == 1);
        given().header("Authorization", TestTokens.bearer("nurse")).get("/api/v1/patients/" + patient + "/evaluation")
                .then().statusCode(200).body("sequence", equalTo(1)).body("stateEpoch", equalTo(rebuilt.path("stateEpoch").asText()));
    }

    @Test
    void anObservationReachesTheEvaluationAndItsProjection() {
        Instant t = Instant.now().minus(5, ChronoUnit.MINUTES);
        given().header("Authorization", TestTokens.bearer("device")).contentType(ContentType.JSON).body(sbp("p-mon-e2e", 84, "mm[Hg]", t))
                .post("/api/v1/observations").then().statusCode(201);
        ConsumerRecord<String, String> evaluation = KafkaTestClient.awaitRecord(KafkaTestClient.topic("hdil2.monitoring.findings.v1"),
                r -> "p-mon-e2e".equals(r.key()) && "org.hdil2.monitoring.evaluation-updated.v1".equals(
                        ContractAssertions.header(r, "ce_type")), Duration.ofSeconds(60));
        long sequence = ContractAssertions.assertConforms(evaluation).path("sequence").asLong();
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> given().header("Authorization", TestTokens.bearer("nurse"))
                .get("/api/v1/patients/p-mon-e2e/evaluation").then().statusCode(200).body("patientId", equalTo("p-mon-e2e")));
        int stored = given().header("Authorization", TestTokens.bearer("nurse")).get("/api/v1/patients/p-mon-e2e/evaluation")
                .then().extract().path("sequence");
        assertTrue(stored >= sequence);
    }

    /**
     * A receipt per observation: EVALUATED under which evaluation, also for an observation that changed no rule (no
     * evaluation is republished for it: the checkpoints advance the receipt); FAILED for one the evaluation reported
     * it could not evaluate; the evaluation names the newest observation it includes.
     */
    @Test
    void eachObservationHasAReceiptSayingWhetherAndUnderWhichEvaluationItWasEvaluated() {
        String patient = "p-mon-receipt";
        String nurse = TestTokens.bearer("nurse");
        Instant t = Instant.now().minus(10, ChronoUnit.MINUTES);
        String first = given().header("Authorization", TestTokens.bearer("device")).contentType(ContentType.JSON)
                .body(sbp(patient, 84, "mm[Hg]", t)).post("/api/v1/observations").then().statusCode(201).extract().path("id");
        JsonNode receipt = awaitReceipt(first, "EVALUATED");
        long sequence = receipt.path("evaluationSequence").asLong();
        assertTrue(sequence >= 1 && receipt.path("evaluationIncludesThrough").asLong() >= receipt.path("intakeSequence").asLong());

        // a lower pressure that is still below 90 changes no rule state: the receipt comes from a checkpoint
        String second = given().header("Authorization", TestTokens.bearer("device")).contentType(ContentType.JSON)
                .body(sbp(patient, 83, "mm[Hg]", t.plusSeconds(60))).post("/api/v1/observations").then().statusCode(201).extract().path("id");
        JsonNode later = awaitReceipt(second, "EVALUATED");
        assertEquals(sequence, later.path("evaluationSequence").asLong(), "the same evaluation, now including the second observation");
        given().header("Authorization", nurse).get("/api/v1/patients/" + patient + "/evaluation").then().statusCode(200)
                .body("newestObservationIncluded.observationId", equalTo(second))
                .body("newestObservationIncluded.intakeSequence", equalTo(later.path("intakeSequence").asInt()));

        // the evaluation's checkpoint reports an observation it could not evaluate
        String third = given().header("Authorization", TestTokens.bearer("device")).contentType(ContentType.JSON)
                .body(sbp(patient, 82, "mm[Hg]", t.plusSeconds(120))).post("/api/v1/observations").then().statusCode(201).extract().path("id");
        ObjectNode checkpoint = (ObjectNode) EventContract.load().examples("org.hdil2.monitoring.evaluation-checkpoint.v1").get(0).deepCopy();
        checkpoint.put("at", Instant.now().toString()).putArray("evaluations");
        checkpoint.putArray("failures").addObject().put("patientId", patient).put("since", Instant.now().toString())
                .put("reason", "the evaluation failed on this record (IllegalStateException)").put("observationId", third);
        KafkaTestClient.publishEvent(KafkaTestClient.topic("hdil2.monitoring.findings.v1"), "partition/" + checkpoint.path("partition").asInt(),
                "org.hdil2.monitoring.evaluation-checkpoint.v1", checkpoint.toString());
        assertTrue(awaitReceipt(third, "FAILED").path("failure").asText().contains("IllegalStateException"));

        given().header("Authorization", nurse).get("/api/v1/observations/" + java.util.UUID.randomUUID() + "/evaluation")
                .then().statusCode(404).body("code", equalTo("MON-0005"));
        given().get("/api/v1/observations/" + first + "/evaluation").then().statusCode(401);
    }

    private static JsonNode awaitReceipt(String observationId, String status) {
        return await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(200)).until(() -> {
            String body = given().header("Authorization", TestTokens.bearer("nurse")).get("/api/v1/observations/" + observationId + "/evaluation")
                    .then().statusCode(200).extract().asString();
            return new com.fasterxml.jackson.databind.ObjectMapper().readTree(body);
        }, r -> status.equals(r.path("status").asText()));
    }

    @Test
    void withoutATokenItIs401AndWithTheWrongRole403() {
        given().contentType(ContentType.JSON).body(sbp("p-mon-2", 84, "mm[Hg]", Instant.now())).post("/api/v1/observations")
                .then().statusCode(401);
        given().header("Authorization", TestTokens.bearer("analyst")).contentType(ContentType.JSON)
                .body(sbp("p-mon-2", 84, "mm[Hg]", Instant.now())).post("/api/v1/observations").then().statusCode(403);
        given().header("Authorization", TestTokens.bearer("pharmacist")).contentType(ContentType.JSON)
                .body("{\"observations\":[" + sbp("p-mon-2", 84, "mm[Hg]", Instant.now()) + "]}").post("/api/v1/observations/batch")
                .then().statusCode(403);
        given().header("Authorization", TestTokens.bearer("device")).get("/api/v1/observations?patientId=p-mon-2").then().statusCode(403);
        given().get("/api/v1/catalog").then().statusCode(401);
        assertEquals(0, count("select count(*) from observation where patient_id = 'p-mon-2'"));
    }

    @Test
    void readinessCoversDatabaseKafkaAndTheStreamsTopology() {
        given().get("/q/health/ready").then().statusCode(200).body("status", equalTo("UP"))
                .body("checks.find { it.name == 'evaluation readiness' }.status", equalTo("UP"))
                .body("checks.find { it.name == 'evaluation readiness' }.data.streamsState", equalTo("RUNNING"));
        given().get("/q/health/live").then().statusCode(200).body("checks.find { it.name == 'evaluation liveness' }.status", equalTo("UP"));
        // no record stops the evaluation: Streams gets the suite's handlers (the '$' of a nested class survives the config)
        assertEquals("org.hdil2.monitoring.messaging.StreamsErrors$Processing", org.eclipse.microprofile.config.ConfigProvider.getConfig()
                .getValue("kafka-streams.processing.exception.handler", String.class));
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> given().get("/q/metrics").then().statusCode(200)
                .body(containsString("hdil2_monitoring_evaluation_streams_state{state=\"RUNNING\"} 1.0"))
                .body(containsString("hdil2_monitoring_evaluation_checkpoint_age_seconds"))
                .body(containsString("hdil2_monitoring_evaluation_checkpoints_total"))
                .body(containsString("hdil2_dead_letter_depth{topic=\"" + KafkaTestClient.topic("hdil2.monitoring.observations.v1") + ".dlq\"}")));
    }

    @Test
    void eachAcceptedObservationGetsTheNextIntakeSequenceAndTheIntakeSaysWhatIsPending() {
        String patient = "p-mon-intake";
        String nurse = TestTokens.bearer("nurse");
        given().header("Authorization", nurse).get("/api/v1/patients/" + patient + "/intake").then().statusCode(200)
                .body("acceptedSequence", equalTo(0)).body("pending", nullValue());
        Instant t = Instant.now().minus(10, ChronoUnit.MINUTES).truncatedTo(ChronoUnit.SECONDS);
        String first = sbp(patient, 120, "mm[Hg]", t);
        int one = given().header("Authorization", nurse).contentType(ContentType.JSON).body(first).post("/api/v1/observations")
                .then().statusCode(201).extract().path("intakeSequence");
        given().header("Authorization", nurse).contentType(ContentType.JSON).body(first).post("/api/v1/observations")
                .then().statusCode(200).body("intakeSequence", equalTo(one));
        given().header("Authorization", nurse).contentType(ContentType.JSON)
                .body("{\"observations\":[" + sbp(patient, 118, "mm[Hg]", t.plusSeconds(60)) + "," + first + ","
                        + sbp(patient, 116, "mm[Hg]", t.plusSeconds(120)) + "]}")
                .post("/api/v1/observations/batch").then().statusCode(201)
                .body("items.outcome", equalTo(List.of("CREATED", "DUPLICATE", "CREATED")))
                .body("items[0].observation.intakeSequence", equalTo(one + 1)).body("items[2].observation.intakeSequence", equalTo(one + 2));
        given().header("Authorization", TestTokens.bearer("physician")).get("/api/v1/patients/" + patient + "/intake?after=" + one)
                .then().statusCode(200).body("acceptedSequence", equalTo(one + 2)).body("after", equalTo(one))
                .body("pending.count", equalTo(2)).body("pending.firstSequence", equalTo(one + 1))
                .body("pending.firstAcceptedAt", org.hamcrest.Matchers.notNullValue());
        given().header("Authorization", nurse).get("/api/v1/patients/" + patient + "/intake?after=" + (one + 2)).then().statusCode(200)
                .body("pending", nullValue());
        // the evaluation says what it includes
        ConsumerRecord<String, String> recorded = KafkaTestClient.awaitRecord(KafkaTestClient.topic("hdil2.monitoring.observations.v1"),
                r -> patient.equals(r.key()) && r.value().contains("\"intakeSequence\":" + (one + 2)), Duration.ofSeconds(20));
        ContractAssertions.assertConforms(recorded);
        given().header("Authorization", TestTokens.bearer("device")).get("/api/v1/patients/" + patient + "/intake").then().statusCode(403);
        given().header("Authorization", nurse).get("/api/v1/patients/" + patient + "/intake?after=-1").then().statusCode(400)
                .body("code", equalTo("MON-0002"));
        given().header("Authorization", nurse).get("/api/v1/patients/not a patient/intake").then().statusCode(400)
                .body("code", equalTo("MON-0002"));
    }

    @Test
    void whatTheRulesCannotEvaluateIsRefusedWithACodeAndWritesNothing() {
        String patient = "p-mon-refused";
        String nurse = TestTokens.bearer("nurse");
        Instant t = Instant.now().minus(5, ChronoUnit.MINUTES);
        String urine = """
                {"patientId":"%s","code":"9187-6","value":40,"unit":"mL","effectivePeriod":{"start":"%s","end":"%s"}}""";
        post(nurse, urine.formatted(patient, t.minusMillis(400), t), "MON-0107", "effectivePeriod");
        post(nurse, urine.formatted(patient, t.minusSeconds(59), t), "MON-0107", "effectivePeriod");
        given().header("Authorization", nurse).contentType(ContentType.JSON).body(urine.formatted("p-mon-minute", t.minusSeconds(60), t))
                .post("/api/v1/observations").then().statusCode(201);
        // on REST the kit's value bounds refuse these before monitoring's own check (MON-0115 on FHIR and the device topic)
        post(nurse, sbp(patient, "1E-999999999", "mm[Hg]", t), "MON-0003", "value");
        post(nurse, sbp(patient, "1E-20000", "mm[Hg]", t), "MON-0003", "value");
        post(nurse, sbp(patient, "120.000000000000000000001", "mm[Hg]", t), "MON-0003", "value");
        post(nurse, sbp(patient, 120, "mm[Hg]", t.minus(7, ChronoUnit.DAYS).minusSeconds(60)), "MON-0116", "effectiveTime");
        post(nurse, sbp(patient, 120, "mm[Hg]", Instant.parse("1970-01-01T00:00:00Z")), "MON-0116", "effectiveTime");
        post(nurse, sbp(patient, 120, "mm[Hg]", Instant.parse("2999-01-01T00:00:00Z")), "MON-0003", "effectiveTime");
        assertEquals(0, writes(patient));
    }

    private void post(String token, String body, String code, String field) {
        given().header("Authorization", token).contentType(ContentType.JSON).body(body).post("/api/v1/observations")
                .then().statusCode(400).contentType("application/problem+json").body("code", equalTo(code))
                .body("errors[0].field", equalTo(field));
    }

    /** What a request for the patient may have written: observations, outbox events, audit entries. */
    private long writes(String patient) {
        return count("select count(*) from observation where patient_id = '" + patient + "'")
                + count("select count(*) from outbox_event where record_key = '" + patient + "'")
                + count("select count(*) from audit_entry where patient_id = '" + patient + "'");
    }

    private long count(String sql) {
        return TestDb.count(db, sql);
    }
}
