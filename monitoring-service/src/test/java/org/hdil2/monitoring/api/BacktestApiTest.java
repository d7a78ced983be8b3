package org.hdil2.monitoring.api;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.UUID;

import jakarta.inject.Inject;

import com.fasterxml.jackson.databind.node.ObjectNode;

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

/**
 * A back-test over the service's own stored data: a course ordered under the label with three doses given, and the
 * observations of BacktestReplayTest's patient A, replayed under consensus-2014 against the label (the course's
 * protocol). Same hand-worked counts; the report read as JSON and CSV; the job audited; nothing published.
 */
@QuarkusTest
@WithTestResource(value = RealInfraResource.class, initArgs = {
        @ResourceArg(name = "service", value = "mon"),
        @ResourceArg(name = "topics", value = MonitoringTopics.ALL) })
class BacktestApiTest {

    private static final String DOSING = "org.hdil2.dosing.";

    @Inject
    AgroalDataSource db;

    @Test
    void aProtocolIsReplayedOverStoredHistoriesAndComparedWithTheCoursesProtocol() {
        String patient = "p-backtest-" + System.nanoTime();
        Instant t0 = Instant.now().minus(2, ChronoUnit.DAYS).truncatedTo(ChronoUnit.MINUTES);
        String course = UUID.randomUUID().toString();
        String topic = KafkaTestClient.topic("hdil2.dosing.events.v1");
        ObjectNode ordered = example("course-ordered", patient, course);
        ordered.put("orderedAt", t0.toString()).put("dosingWeightKg", 70);
        ordered.putObject("protocol").put("id", "label-2024").put("version", "2");
        KafkaTestClient.publishEvent(topic, patient, DOSING + "course-ordered.v1", ordered.toString());
        for (String start : new String[] { "PT1H", "PT9H", "PT17H" }) {
            ObjectNode given = example("dose-given", patient, course).put("recordId", UUID.randomUUID().toString())
                    .put("startedAt", t0.plus(Duration.parse(start)).toString());
            KafkaTestClient.publishEvent(topic, patient, DOSING + "dose-given.v1", given.toString());
        }
        String device = TestTokens.bearer("device");
        for (String[] o : new String[][] { { "8480-6", "112", "mm[Hg]", "PT30M" }, { "8480-6", "85", "mm[Hg]", "PT8H30M" },
                { "8480-6", "100", "mm[Hg]", "PT16H30M" }, { "8867-4", "125", "/min", "PT16H40M" } }) {
            given().header("Authorization", device).contentType(ContentType.JSON)
                    .body(ObservationApiTest.quantity(patient, o[0], Integer.parseInt(o[1]), o[2], t0.plus(Duration.parse(o[3]))))
                    .post("/api/v1/observations").then().statusCode(201);
        }
        await().atMost(Duration.ofSeconds(30)).until(() -> TestDb.count(db, "select count(*) from therapy_dose where patient_id = '"
                + patient + "'") == 3 && TestDb.count(db, "select count(*) from patient_therapy where protocol_id = 'label-2024' "
                + "and patient_id = '" + patient + "'") == 1);
        String nurse = TestTokens.bearer("nurse");
        await().atMost(Duration.ofSeconds(30)).until(() -> given().header("Authorization", nurse)
                .get("/api/v1/patients/" + patient + "/evaluation").statusCode() == 200);
        // the live evaluation has taken in the order, the doses and the observations when its sequence stops moving
        String[] liveBefore = { "" };
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofSeconds(3)).until(() -> {
            String now = given().header("Authorization", nurse).get("/api/v1/patients/" + patient + "/evaluation").then()
                    .extract().path("sequence").toString();
            boolean settled = now.equals(liveBefore[0]);
            liveBefore[0] = now;
            return settled;
        });
        given().header("Authorization", nurse).get("/api/v1/patients/" + patient + "/evaluation").then()
                .body("protocol.id", equalTo("label-2024"));

        String analyst = TestTokens.bearer("analyst");
        String body = "{\"protocolId\":\"consensus-2014\",\"patients\":[\"" + patient + "\"]}";
        given().header("Authorization", TestTokens.bearer("nurse")).contentType(ContentType.JSON).body(body)
                .post("/api/v1/backtests").then().statusCode(403);
        String id = given().header("Authorization", analyst).contentType(ContentType.JSON).body(body)
                .post("/api/v1/backtests").then().statusCode(202).header("Location", containsString("/api/v1/backtests/"))
                .body("protocolId", equalTo("consensus-2014")).body("patientsTotal", equalTo(1)).extract().path("id");
        await().atMost(Duration.ofSeconds(60)).until(() -> "DONE".equals(given().header("Authorization", analyst)
                .get("/api/v1/backtests/" + id).then().statusCode(200).extract().path("status")));
        given().header("Authorization", TestTokens.bearer("physician")).get("/api/v1/backtests/" + id).then().statusCode(200)
                .body("patientsDone", equalTo(1))
                .body("report.totals.doses", equalTo(3)).body("report.totals.held", equalTo(2))
                .body("report.totals.comparisonHeld", equalTo(1)).body("report.totals.dosesJudgedDifferently", equalTo(1))
                .body("report.patientRows[0].comparisonProtocolId", equalTo("label-2024"))
                .body("report.rules.find { it.ruleId == 'DUTCHER-2014-CV-TACHYCARDIA-REL' }.findingsRaised", equalTo(1))
                .body("report.rules.find { it.ruleId == 'DUTCHER-2014-CV-TACHYCARDIA-REL' }.comparisonFindingsRaised", equalTo(0))
                .body("report.rules.find { it.ruleId == 'LABEL-2024-CV-SBP' }.comparisonFindingsRaised", equalTo(1));
        String csv = given().header("Authorization", analyst).get("/api/v1/backtests/" + id + "/report.csv?table=patients")
                .then().statusCode(200).contentType(containsString("text/csv")).extract().asString();
        assertTrue(csv.contains(patient + ",label-2024 2,4,3,2,0,1,0,1"), csv);
        assertTrue(given().header("Authorization", analyst).get("/api/v1/backtests/" + id + "/report.csv").then().statusCode(200)
                .extract().asString().contains("DUTCHER-2014-CV-TACHYCARDIA-REL,WITHHOLD,true,1,1,0,0"));
        // the live evaluation is untouched: still the label's, at the same sequence
        assertEquals(liveBefore[0], given().header("Authorization", nurse).get("/api/v1/patients/" + patient + "/evaluation").then()
                .extract().path("sequence").toString());
        assertEquals(1, count("select count(*) from audit_entry where action = 'backtest.create' and resource_id = '" + id + "'"));
        await().atMost(Duration.ofSeconds(30)).until(() -> count("select count(*) from access_entry where patient_id = '" + patient
                + "' and resource_type = 'Backtest'") >= 1);
    }

    @Test
    void aDraftProtocolIsCheckedAndBadRequestsGetACodedProblem() {
        String analyst = TestTokens.bearer("analyst");
        String draft = "{\"draftProtocol\":{\"id\":\"draft-sbp-95\",\"version\":\"0.1\",\"title\":\"SBP 95\",\"include\":[\"news2-rcp-2017\"],"
                + "\"rules\":[{\"id\":\"DRAFT-SBP-95\",\"version\":\"1\",\"title\":\"SBP below 95\",\"kind\":\"THRESHOLD\","
                + "\"parameter\":\"systolic-bp\",\"when\":{\"lt\":95},\"resumeWhen\":{\"ge\":95},\"freshness\":\"PT4H\",\"action\":\"WITHHOLD\","
                + "\"severity\":\"HIGH\",\"source\":\"committee draft\",\"criterion\":\"SBP < 95 mm Hg\"}]},\"patients\":[\"p-none\"]}";
        given().header("Authorization", analyst).contentType(ContentType.JSON).body(draft).post("/api/v1/backtests").then()
                .statusCode(202).body("draft", equalTo(true)).body("protocolId", equalTo("draft-sbp-95"));
        given().header("Authorization", analyst).contentType(ContentType.JSON)
                .body(draft.replace("\"action\":\"WITHHOLD\"", "\"action\":\"MAYBE\"")).post("/api/v1/backtests").then()
                .statusCode(400).contentType("application/problem+json").body("code", equalTo("MON-0161"));
        given().header("Authorization", analyst).contentType(ContentType.JSON).body("{\"protocolId\":\"no-such\",\"patients\":[\"p\"]}")
                .post("/api/v1/backtests").then().statusCode(400).body("code", equalTo("MON-0160"));
        given().header("Authorization", analyst).contentType(ContentType.JSON).body("{\"protocolId\":\"label-2024\"}")
                .post("/api/v1/backtests").then().statusCode(400).body("code", equalTo("MON-0162"));
        given().header("Authorization", analyst).contentType(ContentType.JSON)
                .body("{\"protocolId\":\"label-2024\",\"from\":\"2026-01-01T00:00:00Z\",\"to\":\"2026-12-01T00:00:00Z\"}")
                .post("/api/v1/backtests").then().statusCode(400).body("code", equalTo("MON-0162"));
        given().header("Authorization", analyst).get("/api/v1/backtests/" + UUID.randomUUID()).then().statusCode(404)
                .body("code", equalTo("MON-0163"));
        given().get("/api/v1/backtests").then().statusCode(401);
    }

    @Inject
    org.hdil2.monitoring.app.Backtests backtests;

    /** A history longer than the cap fails the job with the reason; a job whose replica stopped is marked FAILED, a live one is not. */
    @Test
    void aTooLongHistoryAndAnAbandonedJobFailWithTheirReason() {
        String patient = "p-backtest-long-" + System.nanoTime();
        Instant t0 = Instant.now().minus(3, ChronoUnit.HOURS);
        StringBuilder batch = new StringBuilder("{\"observations\":[");
        for (int i = 0; i < 21; i++) {
            batch.append(i == 0 ? "" : ",").append(ObservationApiTest.quantity(patient, "8480-6", 110 + i % 5, "mm[Hg]", t0.plusSeconds(60L * i)));
        }
        given().header("Authorization", TestTokens.bearer("device")).contentType(ContentType.JSON).body(batch.append("]}").toString())
                .post("/api/v1/observations/batch").then().statusCode(201);
        String analyst = TestTokens.bearer("analyst");
        String id = given().header("Authorization", analyst).contentType(ContentType.JSON)
                .body("{\"protocolId\":\"consensus-2014\",\"patients\":[\"" + patient + "\"]}").post("/api/v1/backtests").then()
                .statusCode(202).extract().path("id");
        await().atMost(Duration.ofSeconds(30)).until(() -> "FAILED".equals(given().header("Authorization", analyst)
                .get("/api/v1/backtests/" + id).then().extract().path("status")));
        given().header("Authorization", analyst).get("/api/v1/backtests/" + id).then()
                .body("error", containsString("21 stored observations, more than the 20 a back-test replays"));

        UUID stale = UUID.randomUUID();
        UUID live = UUID.randomUUID();
        for (UUID job : new UUID[] { stale, live }) {
            TestDb.execute(db, "insert into backtest (id, requested_by, requested_at, protocol_id, protocol_version, draft, request, status, "
                    + "patients_total, patients_done, updated_at) values ('" + job + "', 'x', now(), 'label-2024', '2', false, '{}', 'RUNNING', 1, 0, "
                    + (job == stale ? "now() - interval '11 minutes'" : "now()") + ")");
        }
        backtests.abandoned();
        assertEquals(1, count("select count(*) from backtest where id = '" + stale + "' and status = 'FAILED' and error like 'interrupted%'"));
        assertEquals(1, count("select count(*) from backtest where id = '" + live + "' and status = 'RUNNING'"));
        TestDb.execute(db, "delete from backtest where id in ('" + stale + "', '" + live + "')");
    }

    private static ObjectNode example(String type, String patient, String course) {
        ObjectNode e = (ObjectNode) EventContract.load().examples(DOSING + type + ".v1").get(0).deepCopy();
        return e.put("patientId", patient).put("courseId", course);
    }

    private long count(String sql) {
        return TestDb.count(db, sql);
    }
}
