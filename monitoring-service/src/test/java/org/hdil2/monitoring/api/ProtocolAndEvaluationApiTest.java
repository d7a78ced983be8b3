package org.hdil2.monitoring.api;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.everyItem;
import static org.hamcrest.Matchers.hasItem;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.hdil2.contract.ContractAssertions;
import org.hdil2.testinfra.KafkaTestClient;
import org.hdil2.testinfra.RealInfraResource;
import org.hdil2.testinfra.TestTokens;
import org.junit.jupiter.api.Test;

import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;

/** Protocols through the API, and a device's observation on the inbound topic becoming a finding with evidence. */
@QuarkusTest
@WithTestResource(value = RealInfraResource.class, initArgs = {
        @ResourceArg(name = "service", value = "mon"),
        @ResourceArg(name = "topics", value = MonitoringTopics.ALL) })
class ProtocolAndEvaluationApiTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void everyProtocolAndRuleIsVisibleWithSourceThresholdsAndFlags() {
        given().header("Authorization", TestTokens.bearer("analyst")).get("/api/v1/protocols").then().statusCode(200)
                .body("size()", equalTo(2))
                .body("active", everyItem(equalTo(true)))
                .body("find { it.isDefault }.protocol.id", equalTo("label-2024"))
                .body("find { it.isDefault }.protocol.rules.size()", equalTo(25))
                .body("find { !it.isDefault }.protocol.id", equalTo("consensus-2014"));
        given().header("Authorization", TestTokens.bearer("nurse")).get("/api/v1/protocols/label-2024").then().statusCode(200)
                .body("protocol.rules.find { it.id == 'LABEL-2024-CV-SBP' }.version", equalTo("2"))
                .body("protocol.rules.find { it.id == 'LABEL-2024-CV-SBP' }.when.lt", equalTo("90"))
                .body("protocol.rules.find { it.id == 'LABEL-2024-CV-SBP' }.freshness", equalTo("PT4H"))
                .body("protocol.rules.find { it.id == 'LABEL-2024-CV-SBP' }.preDose", equalTo(true))
                .body("protocol.rules.find { it.id == 'LABEL-2024-CV-SBP' }.source", containsString("Table 2"))
                .body("protocol.rules.find { it.id == 'LABEL-OLD-RENAL-OLIGURIA' }.unverified", equalTo(true))
                .body("protocol.manualCriteria.criterion", hasItem(containsString("tamponade")));
        given().header("Authorization", TestTokens.bearer("physician")).get("/api/v1/protocols/consensus-2014").then().statusCode(200)
                .body("isDefault", equalTo(false)).body("protocol.rules.size()", equalTo(47));
        given().header("Authorization", TestTokens.bearer("physician")).get("/api/v1/protocols/no-such").then().statusCode(404)
                .contentType("application/problem+json").body("code", equalTo("MON-0150"));
        given().header("Authorization", TestTokens.bearer("device")).get("/api/v1/protocols").then().statusCode(403);
        given().get("/api/v1/protocols").then().statusCode(401);
        given().header("Authorization", TestTokens.bearer("analyst")).get("/api/v1/rules").then().statusCode(200)
                .body("id", hasItem("NEWS2-EMERGENCY"));
        given().header("Authorization", TestTokens.bearer("analyst")).get("/api/v1/rules?protocol=consensus-2014").then().statusCode(200)
                .body("id", hasItem("DUTCHER-2014-CV-TACHYCARDIA-REL"));
        given().header("Authorization", TestTokens.bearer("analyst")).get("/api/v1/rules?protocol=no-such").then().statusCode(404)
                .body("code", equalTo("MON-0150"));
    }

    @Test
    void aDevicesObservationOnTheInboundTopicBecomesAFindingWithEvidence() throws Exception {
        String patient = "p-dev-" + System.nanoTime();
        Instant at = Instant.now().minus(1, ChronoUnit.MINUTES).truncatedTo(ChronoUnit.SECONDS);
        KafkaTestClient.publish(KafkaTestClient.topic("hdil2.monitoring.observations.inbound.v1"), patient,
                Map.of("content-type", "application/json"), """
                        {"observationId":"mon-bed7-1","patientId":"%s","code":"59408-5","value":88,"unit":"%%","effectiveTime":"%s",
                         "source":{"kind":"DEVICE","id":"monitor-bed-7"}}""".formatted(patient, at));
        ConsumerRecord<String, String> raised = KafkaTestClient.awaitRecord(KafkaTestClient.topic("hdil2.monitoring.findings.v1"),
                r -> patient.equals(r.key()) && header(r, "ce_type").endsWith("finding-raised.v1")
                        && r.value().contains("LABEL-2024-RESP-SPO2"), Duration.ofSeconds(30));
        JsonNode finding = ContractAssertions.assertConforms(raised);
        assertEquals("WITHHOLD", finding.path("rule").path("action").asText());
        assertEquals(88, finding.path("observation").path("value").asInt());
        assertEquals("DEVICE", finding.path("observation").path("sourceKind").asText());
        assertEquals(at.toString(), finding.path("raisedAt").asText());
        assertTrue(finding.path("notEvaluable").toString().contains("no systolic-bp observation"));

        JsonNode evaluation = awaitEvaluation(patient);
        assertTrue(evaluation.path("activeFindings").toString().contains("LABEL-2024-RESP-SPO2"));
        assertTrue(evaluation.path("rules").toString().contains("\"state\":\"NOT_EVALUABLE\""), "says what it cannot evaluate");
        assertEquals("NOT_EVALUABLE", evaluation.path("news2").path("state").asText());
    }

    private static JsonNode awaitEvaluation(String patient) throws Exception {
        String body = await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(200)).until(() -> {
            io.restassured.response.Response r = given().header("Authorization", TestTokens.bearer("nurse"))
                    .get("/api/v1/patients/" + patient + "/evaluation");
            return r.statusCode() == 200 ? r.asString() : null;
        }, java.util.Objects::nonNull);
        return JSON.readTree(body);
    }

    private static String header(ConsumerRecord<String, String> r, String name) {
        var h = r.headers().lastHeader(name);
        return h == null ? "" : new String(h.value(), StandardCharsets.UTF_8);
    }
}
