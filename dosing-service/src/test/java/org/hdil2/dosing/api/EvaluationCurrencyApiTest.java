package org.hdil2.dosing.api;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;

import jakarta.inject.Inject;

import com.fasterxml.jackson.databind.node.ObjectNode;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.hdil2.contract.ContractAssertions;
import org.hdil2.contract.EventContract;
import org.hdil2.testinfra.KafkaTestClient;
import org.hdil2.testinfra.RealInfraResource;
import org.hdil2.testinfra.TestDb;
import org.hdil2.testinfra.TestTokens;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.agroal.api.AgroalDataSource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;

/**
 * The decision is GIVE only on a current evaluation: monitoring (its stand-in here: real HTTP, real broker) must
 * write checkpoints, report no failure for the patient, and have nothing accepted that the held evaluation misses;
 * else ASSESS with the reason, and back to the data once it is current. The watch announces lapses per course.
 */
@QuarkusTest
@WithTestResource(value = RealInfraResource.class, initArgs = {
        @ResourceArg(name = "service", value = "dose"),
        @ResourceArg(name = "topics", value = "hdil2.eligibility.screenings.v1,hdil2.monitoring.findings.v1,hdil2.dosing.events.v1") })
@WithTestResource(MonitoringStub.class)
class EvaluationCurrencyApiTest {

    private static final String FINDINGS = "hdil2.monitoring.findings.v1";

    @Inject
    AgroalDataSource db;

    @BeforeEach
    void monitoringRuns() {
        CourseApiTest.awaitMonitoringCurrent(db);
    }

    @AfterEach
    void monitoringRunsAgain() {
        MonitoringStub.pauseCheckpoints(false);
        MonitoringStub.intakeAnswers(200, 0);
    }

    @Test
    void anAcceptedObservationTheEvaluationMissesTurnsGiveToAssessAfterTheGraceAndItsEvaluationTurnsItBack() {
        String patient = "p-cur-1";
        String decision = decisionUrl(course(patient));
        Instant t = Instant.now().minusSeconds(60);
        publishEvaluation(patient, 3, 120, t, 17);
        awaitDecision(decision, "GIVE");
        assertTrue(MonitoringStub.asked(patient), "monitoring's intake was asked, with the caller's token");

        MonitoringStub.accepted(patient, 18, Instant.now().minusSeconds(2));
        given().header("Authorization", TestTokens.bearer("nurse")).get(decision).then().body("decision", equalTo("GIVE"))
                .body("evaluationCurrent", equalTo(true));
        MonitoringStub.accepted(patient, 19, Instant.now().minusSeconds(30));
        given().header("Authorization", TestTokens.bearer("nurse")).get(decision).then().statusCode(200)
                .body("decision", equalTo("ASSESS")).body("evaluationCurrent", equalTo(false))
                .body("reasons", hasItem(containsString("monitoring has not evaluated observations accepted since")))
                .body("reasons", hasItem(containsString("accepted after intake #17")));
        given().header("Authorization", TestTokens.bearer("nurse")).header("Second-Signature", CourseApiTest.SECOND_NURSE).contentType(ContentType.JSON)
                .body(CourseApiTest.administration(42000000)).post(decision.replace("next/decision", "1/administration"))
                .then().statusCode(409).body("code", equalTo("DOSE-0107"));

        publishEvaluation(patient, 4, 118, t.plusSeconds(5), 19);
        awaitDecision(decision, "GIVE");
        // a blood pressure accepted a moment ago and not yet evaluated: no grace, it may be the value that holds the dose
        MonitoringStub.accepted(patient, 20, Instant.now(), true);
        given().header("Authorization", TestTokens.bearer("nurse")).get(decision).then().body("decision", equalTo("ASSESS"))
                .body("reasons", hasItem(containsString("monitoring is still evaluating observations accepted since")));
        ObjectNode hypotensive = (ObjectNode) read(CourseApiTest.evaluation(patient, 5, 84, t.plusSeconds(10), true));
        CourseApiTest.publish(FINDINGS, patient, CourseApiTest.EVALUATION, hypotensive.put("stateEpoch", EPOCH).put("intakeSequence", 20)
                .toString());
        awaitDecision(decision, "HOLD");
    }

    @Test
    void aCheckpointSayingTheHeldEvaluationNowIncludesNewerObservationsIsEnough() {
        String patient = "p-cur-2";
        String decision = decisionUrl(course(patient));
        publishEvaluation(patient, 5, 121, Instant.now().minusSeconds(60), 30);
        awaitDecision(decision, "GIVE");
        MonitoringStub.accepted(patient, 31, Instant.now().minusSeconds(40));
        awaitDecision(decision, "ASSESS");
        // a reading that changed nothing: monitoring publishes no evaluation, its checkpoint says the evaluation includes it
        ObjectNode checkpoint = checkpoint(patient);
        checkpoint.withArray("evaluations").addObject().put("patientId", patient).put("stateEpoch", EPOCH).put("sequence", 5)
                .put("intakeSequence", 31);
        KafkaTestClient.publishEvent(KafkaTestClient.topic(FINDINGS), checkpoint.path("key").asText(), MonitoringStub.CHECKPOINT,
                withoutKey(checkpoint));
        awaitDecision(decision, "GIVE");
        assertEquals(31, TestDb.count(db, "select intake_sequence from patient_evaluation where patient_id = '" + patient + "'"));
    }

    @Test
    void whenMonitoringStopsCheckpointingEveryDecisionTurnsAssessTheCourseIsAnnouncedLapsedAndBothComeBack() {
        String patient = "p-cur-3";
        String courseId = course(patient);
        String decision = decisionUrl(courseId);
        publishEvaluation(patient, 2, 119, Instant.now().minusSeconds(60), 4);
        awaitDecision(decision, "GIVE");
        MonitoringStub.pauseCheckpoints(true);
        long stopped = System.nanoTime();
        String reason = await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(250)).until(() -> {
            var d = given().header("Authorization", TestTokens.bearer("nurse")).get(decision).then().extract();
            return "ASSESS".equals(d.path("decision")) ? d.<java.util.List<String>>path("reasons").toString() : null;
        }, r -> r != null);
        long toAssessMs = (System.nanoTime() - stopped) / 1_000_000;
        assertTrue(reason.contains("monitoring evaluation not current since"), reason);
        assertTrue(toAssessMs <= 8_000 + 1_000 + 2_000, "ASSESS within the checkpoint age allowed, took " + toAssessMs + " ms");
        ConsumerRecord<String, String> lapsed = KafkaTestClient.awaitRecord(KafkaTestClient.topic("hdil2.dosing.events.v1"),
                r -> r.value().contains(courseId) && "org.hdil2.dosing.evaluation-lapsed.v1".equals(ContractAssertions.header(r, "ce_type")),
                Duration.ofSeconds(20));
        assertTrue(ContractAssertions.assertConforms(lapsed).path("reason").asText().contains("not current since"));
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> given().get("/q/metrics").then()
                .body(containsString("hdil2_dosing_evaluation_lapsed_courses")).body(containsString("hdil2_dosing_evaluation_checkpoint_age_seconds")));

        MonitoringStub.pauseCheckpoints(false);
        awaitDecision(decision, "GIVE");
        ContractAssertions.assertConforms(KafkaTestClient.awaitRecord(KafkaTestClient.topic("hdil2.dosing.events.v1"),
                r -> r.value().contains(courseId) && "org.hdil2.dosing.evaluation-restored.v1".equals(ContractAssertions.header(r, "ce_type")),
                Duration.ofSeconds(20)));
        assertEquals(1, TestDb.count(db, "select count(*) from audit_entry where action = 'course.evaluation-lapsed' and patient_id = '"
                + patient + "'"));
    }

    @Test
    void aMonitoringThatCannotBeAskedMeansAssess() {
        String patient = "p-cur-4";
        String decision = decisionUrl(course(patient));
        publishEvaluation(patient, 2, 119, Instant.now().minusSeconds(60), 4);
        awaitDecision(decision, "GIVE");
        MonitoringStub.intakeAnswers(503, 0);
        given().header("Authorization", TestTokens.bearer("nurse")).get(decision).then().body("decision", equalTo("ASSESS"))
                .body("reasons", hasItem(containsString("monitoring-service answered HTTP 503")));
        MonitoringStub.intakeAnswers(200, 3_000); // a SIGSTOPped monitoring accepts the connection and never answers
        given().header("Authorization", TestTokens.bearer("nurse")).get(decision).then().body("decision", equalTo("ASSESS"))
                .body("reasons", hasItem(containsString("did not answer within 1000 ms")));
        MonitoringStub.intakeAnswers(200, 0);
        awaitDecision(decision, "GIVE");
    }

    @Test
    void aPatientMonitoringReportsFailingIsAssessUntilTheFailureIsLifted() {
        String patient = "p-cur-5";
        String decision = decisionUrl(course(patient));
        publishEvaluation(patient, 2, 119, Instant.now().minusSeconds(60), 4);
        awaitDecision(decision, "GIVE");
        MonitoringStub.failing(patient, "urine-output");
        String reasons = awaitDecision(decision, "ASSESS").path("reasons").toString();
        assertTrue(reasons.contains("could not evaluate a urine-output observation"), reasons);
        MonitoringStub.failing(patient, null);
        awaitDecision(decision, "GIVE");
    }

    @Test
    void aRebuiltEvaluationWithANewEpochIsFollowedAndTheOldEpochIsNot() {
        String patient = "p-cur-6";
        course(patient);
        String later = Instant.now().minusSeconds(5).toString();
        publishEvaluation(patient, 40, 119, Instant.now().minusSeconds(600), 4);
        await().atMost(Duration.ofSeconds(30)).until(() -> TestDb.count(db, "select sequence from patient_evaluation where patient_id = '"
                + patient + "'") == 40);
        ObjectNode rebuilt = evaluation(patient, 1, 84, Instant.now().minusSeconds(60), 5);
        rebuilt.put("stateEpoch", later);
        CourseApiTest.publish(FINDINGS, patient, CourseApiTest.EVALUATION, rebuilt.toString());
        await().atMost(Duration.ofSeconds(30)).until(() -> TestDb.count(db, "select sequence from patient_evaluation where patient_id = '"
                + patient + "'") == 1);
        publishEvaluation(patient, 41, 120, Instant.now().minusSeconds(30), 6); // the old epoch, however high its sequence
        publishEvaluation("p-cur-marker", 1, 120, Instant.now(), 1);
        await().atMost(Duration.ofSeconds(30)).until(() -> TestDb.count(db, "select count(*) from patient_evaluation where patient_id = 'p-cur-marker'") == 1);
        assertEquals(1, TestDb.count(db, "select sequence from patient_evaluation where patient_id = '" + patient + "'"));
    }

    @Test
    void aFindingUpdatedIsAcknowledgedNotDeadLettered() {
        // the consumers' names against the AsyncAPI document: messaging/EventsMatchTheContractTest
        String patient = "p-cur-7";
        String type = "org.hdil2.monitoring.finding-updated.v1";
        ObjectNode updated = (ObjectNode) EventContract.load().examples(type).get(0).deepCopy();
        updated.put("patientId", patient);
        String id = KafkaTestClient.publishEvent(KafkaTestClient.topic(FINDINGS), patient, type, updated.toString());
        publishEvaluation(patient, 1, 120, Instant.now(), 1);
        await().atMost(Duration.ofSeconds(30)).until(() -> TestDb.count(db, "select count(*) from patient_evaluation where patient_id = '" + patient + "'") == 1);
        var dead = org.hdil2.infra.TopicReader.read(KafkaTestClient.bootstrap(), KafkaTestClient.topic(FINDINGS) + ".dlq",
                rs -> false, Duration.ofSeconds(2));
        assertTrue(dead.stream().noneMatch(r -> id.equals(ContractAssertions.header(r, "ce_id"))), "not dead-lettered");
    }

    private static final String EPOCH = "2026-11-28T06:00:00Z";

    private ObjectNode evaluation(String patient, long sequence, int sbp, Instant at, long intakeSequence) {
        ObjectNode e = (ObjectNode) read(CourseApiTest.evaluation(patient, sequence, sbp, at, false));
        return e.put("stateEpoch", EPOCH).put("intakeSequence", intakeSequence);
    }

    private void publishEvaluation(String patient, long sequence, int sbp, Instant at, long intakeSequence) {
        CourseApiTest.publish(FINDINGS, patient, CourseApiTest.EVALUATION, evaluation(patient, sequence, sbp, at, intakeSequence).toString());
    }

    /** A checkpoint of the patient's partition as monitoring writes it (its record key in "key", removed before publishing). */
    private static ObjectNode checkpoint(String patient) {
        int partition = org.hdil2.contract.PatientPartition.of(patient, 3);
        ObjectNode c = new com.fasterxml.jackson.databind.ObjectMapper().createObjectNode();
        c.put("key", "partition/" + partition).put("partition", partition).put("partitions", 3).put("at", Instant.now().toString());
        c.putArray("evaluations");
        c.putArray("failures");
        return c;
    }

    private static String withoutKey(ObjectNode checkpoint) {
        ObjectNode copy = checkpoint.deepCopy();
        copy.remove("key");
        return copy.toString();
    }

    private String course(String patient) {
        CourseApiTest.publish("hdil2.eligibility.screenings.v1", patient, CourseApiTest.SCREENING, CourseApiTest.screening(patient, "ELIGIBLE"));
        await().atMost(Duration.ofSeconds(30)).until(() -> TestDb.count(db, "select count(*) from patient_screening where patient_id = '"
                + patient + "'") == 1);
        String courseId = given().header("Authorization", TestTokens.bearer("physician")).contentType(ContentType.JSON)
                .body(CourseApiTest.order(patient, "70", Instant.now())).post("/api/v1/courses").then().statusCode(201).extract().path("id");
        given().header("Authorization", TestTokens.bearer("pharmacist")).post("/api/v1/courses/" + courseId + "/verification")
                .then().statusCode(200);
        return courseId;
    }

    private static String decisionUrl(String courseId) {
        return "/api/v1/courses/" + courseId + "/doses/next/decision";
    }

    private static com.fasterxml.jackson.databind.JsonNode awaitDecision(String url, String wanted) {
        return await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(250)).until(() -> read(given()
                .header("Authorization", TestTokens.bearer("nurse")).get(url).then().statusCode(200).extract().asString()),
                d -> wanted.equals(d.path("decision").asText()));
    }

    private static com.fasterxml.jackson.databind.JsonNode read(String json) {
        try {
            return new com.fasterxml.jackson.databind.ObjectMapper().readTree(json);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
