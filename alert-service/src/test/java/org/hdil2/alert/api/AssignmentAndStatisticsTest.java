package org.hdil2.alert.api;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.notNullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;

import jakarta.inject.Inject;

import org.hdil2.alert.support.Alerts;
import org.hdil2.alert.support.Findings;
import org.hdil2.alert.support.Findings.Rule;
import org.hdil2.alert.support.TestClock;
import org.hdil2.alert.support.WebhookReceiver;
import org.hdil2.testinfra.RealInfraResource;
import org.hdil2.testinfra.TestTokens;
import org.junit.jupiter.api.Test;

import io.agroal.api.AgroalDataSource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;

/** Care-team assignments (CRUD, validation, roles, audit) and the alarm-fatigue statistics and metrics. */
@QuarkusTest
@WithTestResource(value = RealInfraResource.class, initArgs = {
        @ResourceArg(name = "service", value = "alrt"),
        @ResourceArg(name = "topics", value = "hdil2.monitoring.findings.v1,hdil2.alerts.events.v1") })
@WithTestResource(WebhookReceiver.class)
class AssignmentAndStatisticsTest {

    @Inject
    AgroalDataSource db;

    @Inject
    TestClock clock;

    static final String CHARGE = TestTokens.bearer("charge-kim", "nurse");

    @Test
    void assignmentsAreCreatedReadChangedAndEndedWithAnAuditTrail() {
        String id = given().header("Authorization", CHARGE).contentType("application/json")
                .body("{\"ward\":\"W-A\",\"bed\":\"A-3\",\"patientId\":\"p-asg-1\",\"user\":\"nurse-lee\",\"role\":\"PRIMARY_NURSE\"}")
                .post("/api/v1/assignments").then().statusCode(201).body("validFrom", notNullValue())
                .body("createdBy", equalTo("charge-kim")).extract().path("id");
        given().header("Authorization", TestTokens.bearer("analyst")).get("/api/v1/assignments?patientId=p-asg-1&current=true")
                .then().statusCode(200).body("$", hasSize(1)).body("[0].user", equalTo("nurse-lee"));
        given().header("Authorization", CHARGE).contentType("application/json")
                .body("{\"ward\":\"W-A\",\"bed\":\"A-4\",\"patientId\":\"p-asg-1\",\"user\":\"nurse-lee\",\"role\":\"PRIMARY_NURSE\","
                        + "\"validFrom\":\"2026-01-01T00:00:00Z\"}")
                .put("/api/v1/assignments/" + id).then().statusCode(200).body("bed", equalTo("A-4"));
        given().header("Authorization", CHARGE).delete("/api/v1/assignments/" + id).then().statusCode(200)
                .body("validTo", notNullValue());
        given().header("Authorization", CHARGE).get("/api/v1/assignments?patientId=p-asg-1&current=true").then()
                .body("$", hasSize(0));
        given().header("Authorization", CHARGE).get("/api/v1/assignments/" + id).then().statusCode(200).body("bed", equalTo("A-4"));
        assertEquals(3, Alerts.count(db, "select count(*) from audit_entry where resource_id = '" + id + "' and actor = 'charge-kim'"));
    }

    @Test
    void badAssignmentsAreRejectedWithCodesAndWriteNothing() {
        long before = Alerts.count(db, "select count(*) from care_assignment");
        given().header("Authorization", CHARGE).contentType("application/json")
                .body("{\"ward\":\"W-A\",\"user\":\"u\",\"role\":\"JANITOR\"}").post("/api/v1/assignments").then().statusCode(400)
                .body("code", equalTo("ALRT-0003"));
        given().header("Authorization", CHARGE).contentType("application/json")
                .body("{\"user\":\"u\",\"role\":\"CHARGE_NURSE\"}").post("/api/v1/assignments").then().statusCode(400)
                .body("code", equalTo("ALRT-0002"));
        given().header("Authorization", CHARGE).contentType("application/json")
                .body("{\"ward\":\"W-A\",\"user\":\"u\",\"role\":\"CHARGE_NURSE\",\"validFrom\":\"2026-02-01T00:00:00Z\","
                        + "\"validTo\":\"2026-01-01T00:00:00Z\"}").post("/api/v1/assignments").then().statusCode(400)
                .body("code", equalTo("ALRT-0110"));
        given().header("Authorization", CHARGE).contentType("application/json")
                .body("{\"ward\":\"W A; drop\",\"user\":\"u\",\"role\":\"CHARGE_NURSE\"}").post("/api/v1/assignments").then()
                .statusCode(400).body("code", equalTo("ALRT-0002"));
        given().header("Authorization", CHARGE).contentType("application/json")
                .body("{\"ward\":\"W-A\",\"user\":\"u\",\"role\":\"CHARGE_NURSE\",\"shift\":\"night\"}").post("/api/v1/assignments")
                .then().statusCode(400).body("code", equalTo("ALRT-0004"));
        given().header("Authorization", TestTokens.bearer("analyst")).contentType("application/json")
                .body("{\"ward\":\"W-A\",\"user\":\"u\",\"role\":\"CHARGE_NURSE\"}").post("/api/v1/assignments").then().statusCode(403);
        given().header("Authorization", CHARGE).get("/api/v1/assignments/" + java.util.UUID.randomUUID()).then().statusCode(404)
                .body("code", equalTo("ALRT-0106"));
        given().header("Authorization", CHARGE).get("/api/v1/assignments?at=noon").then().statusCode(400)
                .body("code", equalTo("ALRT-0111"));
        assertEquals(before, Alerts.count(db, "select count(*) from care_assignment"));
    }

    @Test
    void statisticsSummariseAlertsPerPatientDayAckTimesEscalationDepthAndDismissalsForAWard() {
        String ward = "W-STAT";
        Instant from = clock.instant().minus(Duration.ofMinutes(1));
        for (String p : new String[] { "p-stat-1", "p-stat-2" }) {
            given().header("Authorization", CHARGE).contentType("application/json")
                    .body("{\"ward\":\"" + ward + "\",\"patientId\":\"" + p + "\",\"user\":\"nurse-s\",\"role\":\"PRIMARY_NURSE\"}")
                    .post("/api/v1/assignments").then().statusCode(201);
        }
        Findings.raise("p-stat-1", Findings.newId(), Rule.SBP);
        String acked = Alerts.awaitOne("p-stat-1", "ACTIVE");
        Findings.raise("p-stat-2", Findings.newId(), Rule.NEWS2_SINGLE);
        String dismissed = Alerts.awaitOne("p-stat-2", "ACTIVE");
        clock.advance(Duration.ofSeconds(60));
        given().header("Authorization", Alerts.nurse()).contentType("application/json").body("{}")
                .post("/api/v1/alerts/" + acked + "/acknowledge").then().statusCode(200);
        given().header("Authorization", TestTokens.bearer("physician")).contentType("application/json")
                .body("{\"reason\":\"CLINICALLY_EXPECTED\"}").post("/api/v1/alerts/" + dismissed + "/dismiss").then().statusCode(200);

        JsonPath s = given().header("Authorization", TestTokens.bearer("analyst"))
                .get("/api/v1/alerts/statistics?ward=" + ward + "&from=" + from + "&to=" + clock.instant().plusSeconds(1))
                .then().statusCode(200).extract().jsonPath();
        assertEquals(2, s.getInt("alerts"));
        assertEquals(2, s.getInt("patients"));
        assertEquals(1, s.getInt("acknowledged"));
        float p50 = s.getFloat("ackSecondsP50");
        assertTrue(p50 >= 60 && p50 < 90, "ack after the 60 s the clock moved: " + p50);
        assertEquals(Map.of("CLINICALLY_EXPECTED", 1), s.getMap("dismissalsByReason"));
        assertEquals(Map.of("0", 2), s.getMap("escalationDepth"));
        assertEquals(Map.of("HIGH", 1, "LOW", 1), s.getMap("byPriority"));
        assertTrue(s.getInt("patientDays") >= 2, "two patients, at least one day each");
        assertEquals(2, s.getList("perRule").size());

        given().header("Authorization", TestTokens.bearer("analyst")).get("/api/v1/alerts/statistics?from=2026-02-01T00:00:00Z&to=2026-01-01T00:00:00Z")
                .then().statusCode(400).body("code", equalTo("ALRT-0109"));
        given().header("Authorization", TestTokens.bearer("device")).get("/api/v1/alerts/statistics").then().statusCode(403);

        await().atMost(Alerts.WAIT).untilAsserted(() -> given().get("/q/metrics").then().statusCode(200)
                .body(containsString("hdil2_alerts_raised_total{priority=\"HIGH\",rule=\"LABEL-2024-CV-SBP\"}"))
                .body(containsString("hdil2_alerts_dismissed_total{reason=\"CLINICALLY_EXPECTED\",rule=\"NEWS2-SINGLE-3\"}"))
                .body(containsString("hdil2_alerts_time_to_acknowledge_seconds"))
                .body(containsString("hdil2_alerts_escalation_depth")));
    }
}
