package org.hdil2.eligibility.api;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItems;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;

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

/** Whole-patient cases, re-screening and protocol choice through the API, on the real database and broker. */
@QuarkusTest
@WithTestResource(value = RealInfraResource.class, initArgs = {
        @ResourceArg(name = "service", value = "elig"),
        @ResourceArg(name = "topics", value = "hdil2.eligibility.screenings.v1") })
class RescreenAndProtocolApiTest {

    static final String TODAY = LocalDate.now(ZoneOffset.UTC).toString();

    @Inject
    AgroalDataSource db;

    private static io.restassured.response.ValidatableResponse post(String body) {
        return given().header("Authorization", TestTokens.bearer("physician")).contentType(ContentType.JSON).body(body)
                .post("/api/v1/screenings").then();
    }

    private static String with(String patient, String extraFindings) {
        String base = ScreeningApiTest.ELIGIBLE.formatted(patient);
        return base.substring(0, base.length() - 2) + "," + extraFindings + "}}";
    }

    private static String replacing(String patient, String finding, String json) {
        String base = ScreeningApiTest.ELIGIBLE.formatted(patient);
        return base.replaceFirst("\"" + finding + "\":\\{[^}]*\\}", "\"" + finding + "\":" + json);
    }

    @Test
    void eachRetreatmentBlockMakesTheCandidateIneligible() {
        String d = ScreeningApiTest.D;
        String shrinkage = "\"tumourShrinkageAfterLastCourse\":{\"value\":true,\"date\":\"" + d + "\",\"source\":\"CT\"}";
        String longAgo = "\"lastCourseDischargeDate\":{\"value\":\"" + LocalDate.now(ZoneOffset.UTC).minusDays(70) + "\"}";
        String none = "\"priorCourseToxicities\":{\"value\":[],\"date\":\"" + d + "\"}";
        post(with("p-re-ok", none + "," + shrinkage + "," + longAgo).replace("\"priorAldesleukinCourse\":{\"value\":false", "\"priorAldesleukinCourse\":{\"value\":true"))
                .statusCode(201).body("outcome", equalTo("ELIGIBLE"));
        post(with("p-re-tox", "\"priorCourseToxicities\":{\"value\":[\"CARDIAC_TAMPONADE\"],\"date\":\"" + d + "\"}," + shrinkage + "," + longAgo)
                .replace("\"priorAldesleukinCourse\":{\"value\":false", "\"priorAldesleukinCourse\":{\"value\":true"))
                .statusCode(201).body("outcome", equalTo("INELIGIBLE"))
                .body("criteria.find { it.ruleId == 'LABEL-2024-RETREAT-TOXICITY' }.explanation", containsString("Permanently"));
        post(with("p-re-early", none + "," + shrinkage + ",\"lastCourseDischargeDate\":{\"value\":\""
                + LocalDate.now(ZoneOffset.UTC).minusDays(30) + "\"}")
                .replace("\"priorAldesleukinCourse\":{\"value\":false", "\"priorAldesleukinCourse\":{\"value\":true"))
                .statusCode(201).body("outcome", equalTo("INELIGIBLE"))
                .body("criteria.find { it.ruleId == 'LABEL-2024-RETREAT-COURSE' }.status", equalTo("MET"));
        post(with("p-re-noshrink", none + "," + shrinkage.replace("true", "false") + "," + longAgo)
                .replace("\"priorAldesleukinCourse\":{\"value\":false", "\"priorAldesleukinCourse\":{\"value\":true"))
                .statusCode(201).body("outcome", equalTo("INELIGIBLE"));
    }

    @Test
    void staleAndConflictingDataNeedReview() {
        String old = LocalDate.now(ZoneOffset.UTC).minusDays(45).toString();
        post(replacing("p-stale", "ejectionFractionPercent", "{\"value\":62,\"date\":\"" + old + "\",\"source\":\"echo\"}"))
                .statusCode(201).body("outcome", equalTo("NEEDS_REVIEW"))
                .body("criteria.find { it.ruleId == 'LABEL-2024-WORKUP' }.status", equalTo("NOT_EVALUABLE"))
                .body("criteria.find { it.ruleId == 'LABEL-2024-WORKUP' }.explanation", containsString("ejectionFractionPercent of " + old));
        post(with("p-conflict", "\"pregnant\":{\"value\":true,\"date\":\"" + ScreeningApiTest.D + "\"}"))
                .statusCode(201).body("outcome", equalTo("NEEDS_REVIEW"))
                .body("criteria.find { it.ruleId == 'LABEL-2024-WORKUP' }.explanation", containsString("contradictory"));
    }

    @Test
    void aRescreenTakesOnlyTheChangedFindingsAndLinksToThePrevious() {
        String old = LocalDate.now(ZoneOffset.UTC).minusDays(45).toString();
        String first = post(replacing("p-rescreen", "fev1Litres", "{\"value\":3.1,\"date\":\"" + old + "\"}"))
                .statusCode(201).body("outcome", equalTo("NEEDS_REVIEW")).extract().path("id");
        String second = given().header("Authorization", TestTokens.bearer("physician")).contentType(ContentType.JSON)
                .body("{\"findings\":{\"fev1Litres\":{\"value\":2.9,\"date\":\"" + TODAY + "\",\"source\":\"repeat PFT\"}}}")
                .post("/api/v1/screenings/" + first + "/rescreen")
                .then().statusCode(201)
                .body("outcome", equalTo("ELIGIBLE"))
                .body("previousScreeningId", equalTo(first))
                .body("patientId", equalTo("p-rescreen"))
                .body("criteria.find { it.ruleId == 'LABEL-2024-CI-PULMONARY' }.inputs.fev1Litres.source", equalTo("repeat PFT"))
                .body("criteria.find { it.ruleId == 'LABEL-2024-CI-PULMONARY' }.inputs.fev1PercentPredicted.source", equalTo("PFT lab"))
                .extract().path("id");
        given().header("Authorization", TestTokens.bearer("physician")).get("/api/v1/screenings/" + first)
                .then().body("outcome", equalTo("NEEDS_REVIEW"));
        List<String> ids = given().header("Authorization", TestTokens.bearer("nurse")).get("/api/v1/screenings?patientId=p-rescreen")
                .then().statusCode(200).extract().path("id");
        assertEquals(List.of(second, first), ids, "newest first");
        ConsumerRecord<String, String> record = KafkaTestClient.awaitRecord(
                KafkaTestClient.topic("hdil2.eligibility.screenings.v1"), r -> r.value().contains(second), Duration.ofSeconds(20));
        JsonNode data = ContractAssertions.assertConforms(record);
        assertEquals("ELIGIBLE", data.path("outcome").asText());
        assertEquals(1, TestDb.count(db, "select count(*) from audit_entry where action = 'screening.rescreen' and resource_id = '" + second + "'"));
        given().header("Authorization", TestTokens.bearer("physician")).contentType(ContentType.JSON)
                .body("{\"findings\":{}}").post("/api/v1/screenings/6a1f7d0e-0000-4000-8000-000000000000/rescreen")
                .then().statusCode(404).body("code", equalTo("ELIG-0102"));
        given().header("Authorization", TestTokens.bearer("nurse")).contentType(ContentType.JSON)
                .body("{\"findings\":{}}").post("/api/v1/screenings/" + first + "/rescreen").then().statusCode(403);
    }

    @Test
    void theConsensusProtocolIsChosenByIdAndRecordedWithItsVersion() {
        post(with("p-cons", "\"untreatedBrainMetastases\":{\"value\":true,\"date\":\"" + ScreeningApiTest.D + "\"},"
                + "\"ecogPerformanceStatus\":{\"value\":0,\"date\":\"" + ScreeningApiTest.D + "\"}")
                .replace("\"patientId\"", "\"protocolId\":\"consensus-2014\",\"patientId\""))
                .statusCode(201).body("protocol.id", equalTo("consensus-2014")).body("protocol.version", equalTo("2"))
                .body("outcome", equalTo("NEEDS_REVIEW"))
                .body("criteria.find { it.ruleId == 'CONS-2014-SEL-BRAIN-METS' }.effect", equalTo("REVIEW"));
        post(with("p-label-warn", "\"untreatedBrainMetastases\":{\"value\":true,\"date\":\"" + ScreeningApiTest.D + "\"}"))
                .statusCode(201).body("outcome", equalTo("ELIGIBLE"))
                .body("criteria.find { it.ruleId == 'LABEL-2024-SEL-BRAIN-METS' }.status", equalTo("MET"))
                .body("criteria.find { it.ruleId == 'LABEL-2024-SEL-BRAIN-METS' }.effect", equalTo("WARN"));
        given().header("Authorization", TestTokens.bearer("analyst")).get("/api/v1/protocols").then().statusCode(200)
                .body("id", hasItems("label-2024", "consensus-2014"));
    }

    @Test
    void datesAfterTheScreeningValuesOutOfRangeAndUndatedFindingsAreRejectedAndWriteNothing() {
        long screenings = TestDb.count(db, "select count(*) from screening");
        String tomorrow = LocalDate.now(ZoneOffset.UTC).plusDays(2).toString();
        post(replacing("p-bad", "creatinineMgDl", "{\"value\":0.9,\"date\":\"" + tomorrow + "\"}"))
                .statusCode(400).body("code", equalTo("ELIG-0104")).body("errors[0].field", equalTo("findings.creatinineMgDl.date"));
        post(replacing("p-bad", "fev1Litres", "{\"value\":25,\"date\":\"" + ScreeningApiTest.D + "\"}"))
                .statusCode(400).body("code", equalTo("ELIG-0002")).body("errors[0].field", equalTo("findings.fev1Litres.value"));
        post(replacing("p-bad", "organAllograft", "{\"value\":false}"))
                .statusCode(400).body("code", equalTo("ELIG-0002"));
        post(replacing("p-bad", "organAllograft", "{\"value\":false,\"date\":\"" + ScreeningApiTest.D + "\",\"when\":1}"))
                .statusCode(400).body("code", equalTo("ELIG-0004"));
        post(with("p-bad", "\"priorCourseToxicities\":{\"value\":[\"HEADACHE\"],\"date\":\"" + ScreeningApiTest.D + "\"}"))
                .statusCode(400).body("code", equalTo("ELIG-0003"));
        assertEquals(screenings, TestDb.count(db, "select count(*) from screening"));
    }
}
