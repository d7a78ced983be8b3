package org.hdil2.monitoring.api;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;

import jakarta.inject.Inject;

import com.fasterxml.jackson.databind.JsonNode;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.hdil2.contract.ContractAssertions;
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

@QuarkusTest
@WithTestResource(value = RealInfraResource.class, initArgs = {
        @ResourceArg(name = "service", value = "mon"),
        @ResourceArg(name = "topics", value = "hdil2.monitoring.observations.v1,hdil2.monitoring.findings.v1") })
class ObservationApiTest {

    @Inject
    AgroalDataSource db;

    static String sbp(String patient, Object value, String unit, Instant at) {
        return """
                {"patientId":"%s","code":"8480-6","value":%s,"unit":"%s","effectiveTime":"%s"}""".formatted(patient, value, unit, at);
    }

    @Test
    void hypotensionBecomesAFindingAndRecoveryClearsItThroughTheRealBroker() {
        Instant t = Instant.now().minus(1, ChronoUnit.HOURS);
        String observationId = given().header("Authorization", TestTokens.bearer("nurse")).contentType(ContentType.JSON)
                .body(sbp("p-mon-1", 84, "mm[Hg]", t)).post("/api/v1/observations")
                .then().statusCode(201).body("unit", equalTo("mm[Hg]")).body("sourceKind", equalTo("NURSE"))
                .extract().path("id");

        ConsumerRecord<String, String> observation = KafkaTestClient.awaitRecord(
                KafkaTestClient.topic("hdil2.monitoring.observations.v1"), r -> r.value().contains(observationId), Duration.ofSeconds(20));
        ContractAssertions.assertConforms(observation);

        String findings = KafkaTestClient.topic("hdil2.monitoring.findings.v1");
        ConsumerRecord<String, String> raised = KafkaTestClient.awaitRecord(findings,
                r -> r.key().equals("p-mon-1") && r.value().contains("\"findingId\"") && r.value().contains("raisedAt"),
                Duration.ofSeconds(60));
        JsonNode finding = ContractAssertions.assertConforms(raised);
        assertEquals("LABEL-2024-CV-SBP", finding.path("rule").path("id").asText());
        assertEquals(observationId, finding.path("observation").path("observationId").asText());

        given().header("Authorization", TestTokens.bearer("device")).contentType(ContentType.JSON)
                .body(sbp("p-mon-1", "14.0", "kPa", t.plus(30, ChronoUnit.MINUTES))).post("/api/v1/observations")
                .then().statusCode(201).body("value", equalTo(105.0f)).body("sourceKind", equalTo("DEVICE"));
        ConsumerRecord<String, String> cleared = KafkaTestClient.awaitRecord(findings,
                r -> r.key().equals("p-mon-1") && r.value().contains("clearedAt"), Duration.ofSeconds(30));
        assertEquals(finding.path("findingId").asText(), ContractAssertions.assertConforms(cleared).path("findingId").asText());

        given().header("Authorization", TestTokens.bearer("analyst")).get("/api/v1/observations?patientId=p-mon-1")
                .then().statusCode(200).body("$", hasSize(2)).body("[0].originalUnit", equalTo("kPa"));
        assertEquals(2, count("select count(*) from audit_entry where action = 'observation.record' and patient_id = 'p-mon-1'"));
    }

    @Test
    void theRulesAreVisibleWithSourceAndThreshold() {
        given().header("Authorization", TestTokens.bearer("physician")).get("/api/v1/rules").then().statusCode(200)
                .body("id", equalTo("label-2024"))
                .body("rules[0].id", equalTo("LABEL-2024-CV-SBP"))
                .body("rules[0].threshold", equalTo(90))
                .body("rules[0].comparator", equalTo("LT"))
                .body("rules[0].source", containsString("Table 2"));
    }

    @Test
    void withoutATokenItIs401AndWithTheWrongRole403() {
        given().contentType(ContentType.JSON).body(sbp("p-mon-2", 84, "mm[Hg]", Instant.now())).post("/api/v1/observations")
                .then().statusCode(401);
        given().header("Authorization", TestTokens.bearer("analyst")).contentType(ContentType.JSON)
                .body(sbp("p-mon-2", 84, "mm[Hg]", Instant.now())).post("/api/v1/observations").then().statusCode(403);
        given().header("Authorization", TestTokens.bearer("device")).get("/api/v1/observations?patientId=p-mon-2")
                .then().statusCode(403);
        assertEquals(0, count("select count(*) from observation where patient_id = 'p-mon-2'"));
    }

    @Test
    void badInputGetsACodedProblemAndWritesNothing() {
        long before = count("select count(*) from observation") + count("select count(*) from outbox_event");
        String nurse = TestTokens.bearer("nurse");
        Instant now = Instant.now();
        given().header("Authorization", nurse).contentType(ContentType.JSON).body(sbp("p-mon-3", 84, "psi", now))
                .post("/api/v1/observations").then().statusCode(400).contentType("application/problem+json")
                .body("code", equalTo("MON-0102")).body("errors[0].field", equalTo("unit"));
        given().header("Authorization", nurse).contentType(ContentType.JSON)
                .body(sbp("p-mon-3", 84, "mm[Hg]", now).replace("8480-6", "1234-5"))
                .post("/api/v1/observations").then().statusCode(400).body("code", equalTo("MON-0101"));
        given().header("Authorization", nurse).contentType(ContentType.JSON).body(sbp("p-mon-3", 900, "mm[Hg]", now))
                .post("/api/v1/observations").then().statusCode(400).body("code", equalTo("MON-0103"));
        given().header("Authorization", nurse).contentType(ContentType.JSON)
                .body(sbp("p-mon-3", 84, "mm[Hg]", now.plus(2, ChronoUnit.HOURS)))
                .post("/api/v1/observations").then().statusCode(400).body("code", equalTo("MON-0104"));
        given().header("Authorization", nurse).contentType(ContentType.JSON).body(sbp("p-mon-3", "\"low\"", "mm[Hg]", now))
                .post("/api/v1/observations").then().statusCode(400).body("code", equalTo("MON-0003"));
        given().header("Authorization", nurse).contentType(ContentType.JSON)
                .body(sbp("p-mon-3", 84, "mm[Hg]", now).replace(now.toString(), "last tuesday"))
                .post("/api/v1/observations").then().statusCode(400).body("code", equalTo("MON-0003"))
                .body("errors[0].field", equalTo("effectiveTime"));
        given().header("Authorization", nurse).contentType(ContentType.JSON).body("{\"patientId\":\"p-mon-3\"}")
                .post("/api/v1/observations").then().statusCode(400).body("code", equalTo("MON-0002"));
        given().header("Authorization", nurse).contentType(ContentType.JSON).body("{\"patientId\":")
                .post("/api/v1/observations").then().statusCode(400).body("code", equalTo("MON-0001"));
        assertEquals(before, count("select count(*) from observation") + count("select count(*) from outbox_event"));
    }

    @Test
    void readinessCoversDatabaseKafkaAndTheStreamsTopology() {
        given().get("/q/health/ready").then().statusCode(200).body("status", equalTo("UP"));
    }

    private long count(String sql) {
        return TestDb.count(db, sql);
    }
}
