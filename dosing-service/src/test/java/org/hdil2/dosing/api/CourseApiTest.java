package org.hdil2.dosing.api;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.hasSize;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

import jakarta.inject.Inject;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.hdil2.contract.CloudEventHeaders;
import org.hdil2.contract.ContractAssertions;
import org.hdil2.contract.EventContract;
import org.hdil2.dosing.persistence.DoseOpportunityEntity;
import org.hdil2.testinfra.KafkaTestClient;
import org.hdil2.testinfra.RealInfraResource;
import org.hdil2.testinfra.TestDb;
import org.hdil2.testinfra.TestTokens;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.agroal.api.AgroalDataSource;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;

@QuarkusTest
@WithTestResource(value = RealInfraResource.class, initArgs = {
        @ResourceArg(name = "service", value = "dose"),
        @ResourceArg(name = "topics", value = "hdil2.eligibility.screenings.v1,hdil2.monitoring.findings.v1,hdil2.dosing.events.v1") })
@WithTestResource(MonitoringStub.class)
class CourseApiTest {

    static final String SCREENING = "org.hdil2.eligibility.screening-completed.v1";
    static final String EVALUATION = "org.hdil2.monitoring.evaluation-updated.v1";

    @Inject
    AgroalDataSource db;

    /** The contract's example screening, for this patient and outcome: the consumer reads what the producer promises. */
    static String screening(String patient, String outcome) {
        ObjectNode e = (ObjectNode) EventContract.load().examples(SCREENING).get(0).deepCopy();
        e.put("patientId", patient).put("outcome", outcome).put("screeningId", UUID.randomUUID().toString())
                .put("screenedAt", Instant.now().toString());
        return e.toString();
    }

    static String evaluation(String patient, long sequence, int sbp, Instant at, boolean withholdActive) {
        ObjectNode e = (ObjectNode) EventContract.load().examples(EVALUATION).get(0).deepCopy();
        e.put("patientId", patient).put("sequence", sequence).put("evaluatedAt", at.toString());
        ObjectNode input = (ObjectNode) e.withArray("latestInputs").get(0);
        input.put("value", sbp).put("effectiveTime", at.toString()).put("observationId", UUID.randomUUID().toString());
        ArrayNode active = e.withArray("activeFindings");
        if (withholdActive) {
            ((ObjectNode) active.get(0)).set("observation", input.deepCopy());
        } else {
            active.removeAll();
        }
        return e.toString();
    }

    /** The evaluation with a pre-dose rule monitoring could not evaluate. */
    static String withPreDoseGap(String evaluation) {
        try {
            ObjectNode e = (ObjectNode) new com.fasterxml.jackson.databind.ObjectMapper().readTree(evaluation);
            e.putArray("rules").addObject().put("id", "LABEL-2024-RESP-SPO2").put("version", "1").put("action", "WITHHOLD")
                    .put("state", "NOT_EVALUABLE").put("preDose", true).put("reason", "no spo2 observation");
            return e.toString();
        } catch (com.fasterxml.jackson.core.JsonProcessingException ex) {
            throw new IllegalStateException(ex);
        }
    }

    static void publish(String baseTopic, String patient, String type, String json) {
        KafkaTestClient.publishEvent(KafkaTestClient.topic(baseTopic), patient, type, json);
    }

    void awaitScreening(String patient) {
        await().atMost(Duration.ofSeconds(30)).until(() -> count("select count(*) from patient_screening where patient_id = '" + patient + "'") == 1);
    }

    void awaitEvaluation(String patient, long sequence) {
        await().atMost(Duration.ofSeconds(30)).until(() ->
                count("select count(*) from patient_evaluation where patient_id = '" + patient + "' and sequence = " + sequence) == 1);
    }

    /** monitoring (its stand-in) writes checkpoints, and dosing has a recent one of every partition. */
    @BeforeEach
    void monitoringRuns() {
        awaitMonitoringCurrent(db);
    }

    static void awaitMonitoringCurrent(AgroalDataSource db) {
        MonitoringStub.pauseCheckpoints(false);
        MonitoringStub.intakeAnswers(200, 0);
        MonitoringStub.checkpointing(KafkaTestClient.topic("hdil2.monitoring.findings.v1"), KafkaTestClient.bootstrap());
        await().atMost(Duration.ofSeconds(60)).until(() -> TestDb.count(db, "select count(*) from evaluation_checkpoint "
                + "where checkpoint_at > now() - interval '3 seconds'") == 3);
    }

    @Test
    void aCourseIsOrderedThenHeldWhileHypotensiveThenGivenAfterRecovery() {
        String patient = "p-dose-1";
        publish("hdil2.eligibility.screenings.v1", patient, SCREENING, screening(patient, "ELIGIBLE"));
        awaitScreening(patient);

        String courseId = given().header("Authorization", TestTokens.bearer("physician")).contentType(ContentType.JSON)
                .body(order(patient, "70.0", Instant.now()))
                .post("/api/v1/courses").then().statusCode(201)
                .body("status", equalTo("ORDERED"))
                .body("doseIu", equalTo(42000000))
                .body("doseBasis.ruleId", equalTo("LABEL-2024-DOSE"))
                .body("doses", hasSize(28))
                .body("doses[14].cycle", equalTo(2))
                .extract().path("id");
        ConsumerRecord<String, String> ordered = KafkaTestClient.awaitRecord(KafkaTestClient.topic("hdil2.dosing.events.v1"),
                r -> r.value().contains(courseId), Duration.ofSeconds(20));
        assertEquals(42000000, ContractAssertions.assertConforms(ordered).path("doseIu").asInt());

        String decision = "/api/v1/courses/" + courseId + "/doses/next/decision";
        String nurse = TestTokens.bearer("nurse");
        given().header("Authorization", nurse).get(decision).then().statusCode(200)
                .body("decision", equalTo("ASSESS")).body("doseNumber", equalTo(1))
                .body("reasons", hasItem(containsString("pharmacist")));
        given().header("Authorization", TestTokens.bearer("pharmacist")).contentType(ContentType.JSON)
                .post("/api/v1/courses/" + courseId + "/verification").then().statusCode(200)
                .body("status", equalTo("ACTIVE")).body("verifiedBy", equalTo("test-pharmacist"));
        given().header("Authorization", TestTokens.bearer("pharmacist")).get("/api/v1/courses/" + courseId + "/preparation")
                .then().statusCode(200).body("vials", equalTo(2)).body("drawMl", equalTo(2.33f)).body("d5wMl", equalTo(50))
                .body("finalMgPerMl", equalTo(0.0474f)).body("concentrationInRange", equalTo(true));
        given().header("Authorization", nurse).get(decision).then().statusCode(200)
                .body("decision", equalTo("ASSESS")).body("reasons", hasItem(containsString("no evaluation")));

        Instant t = Instant.now().minusSeconds(120);
        publish("hdil2.monitoring.findings.v1", patient, EVALUATION, evaluation(patient, 1, 84, t, true));
        awaitEvaluation(patient, 1);
        given().header("Authorization", nurse).get(decision).then().statusCode(200)
                .body("decision", equalTo("HOLD"))
                .body("findings[0].ruleId", equalTo("LABEL-2024-CV-SBP"))
                .body("findings[0].value", equalTo(84))
                .body("findings[0].source", containsString("Table 2"));
        given().header("Authorization", nurse).header("Second-Signature", SECOND_NURSE).contentType(ContentType.JSON).body(administration(42000000))
                .post("/api/v1/courses/" + courseId + "/doses/1/administration")
                .then().statusCode(409).body("code", equalTo("DOSE-0107"));

        publish("hdil2.monitoring.findings.v1", patient, EVALUATION, withPreDoseGap(evaluation(patient, 2, 104, t.plusSeconds(30), false)));
        awaitEvaluation(patient, 2);
        given().header("Authorization", nurse).get(decision).then().statusCode(200).body("decision", equalTo("ASSESS"))
                .body("reasons", hasItem(containsString("LABEL-2024-RESP-SPO2 v1, required before a dose: no spo2 observation")));

        publish("hdil2.monitoring.findings.v1", patient, EVALUATION, evaluation(patient, 3, 104, t.plusSeconds(60), false));
        awaitEvaluation(patient, 3);
        given().header("Authorization", nurse).get(decision).then().statusCode(200).body("decision", equalTo("GIVE"));
        String administration = "/api/v1/courses/" + courseId + "/doses/1/administration";
        // two people sign, each with her own token; a name in the body is refused
        given().header("Authorization", nurse).contentType(ContentType.JSON).body(administration(42000000))
                .post(administration).then().statusCode(400).body("code", equalTo("DOSE-0125"));
        given().header("Authorization", nurse).header("Second-Signature", nurse).contentType(ContentType.JSON)
                .body(administration(42000000)).post(administration).then().statusCode(400).body("code", equalTo("DOSE-0118"));
        given().header("Authorization", nurse).header("Second-Signature", TestTokens.bearer("test-nurse", "nurse", "pharmacist"))
                .contentType(ContentType.JSON).body(administration(42000000)).post(administration).then().statusCode(400)
                .body("code", equalTo("DOSE-0118"));
        given().header("Authorization", nurse).header("Second-Signature", TestTokens.bearer("physician")).contentType(ContentType.JSON)
                .body(administration(42000000)).post(administration).then().statusCode(403).body("code", equalTo("DOSE-0127"));
        given().header("Authorization", nurse).header("Second-Signature", "Bearer not-a-token").contentType(ContentType.JSON)
                .body(administration(42000000)).post(administration).then().statusCode(403).body("code", equalTo("DOSE-0126"));
        given().header("Authorization", nurse).header("Second-Signature", SECOND_NURSE).contentType(ContentType.JSON)
                .body(administration(42000000).replace("}", ",\"verifiedBy\":\"test-nurse-2\"}")).post(administration)
                .then().statusCode(400).body("code", equalTo("DOSE-0125"));
        given().header("Authorization", nurse).header("Second-Signature", SECOND_NURSE).contentType(ContentType.JSON).body(administration(42000001))
                .post(administration).then().statusCode(400).body("code", equalTo("DOSE-0119"));
        // the infusion's times: within the dose's window, not in the future, a plausible length; years nobody means refused outright
        Instant now = Instant.now();
        for (String times : List.of("\"startedAt\":\"" + now.plusSeconds(600) + "\"", "\"startedAt\":\"1970-01-01T00:00:00Z\"",
                "\"startedAt\":\"" + now.minusSeconds(60) + "\",\"endedAt\":\"" + now.minusSeconds(120) + "\"",
                "\"startedAt\":\"" + now.minusSeconds(3 * 3600 + 60) + "\",\"endedAt\":\"" + now.minusSeconds(60) + "\"",
                "\"startedAt\":\"" + now.minusSeconds(60) + "\",\"endedAt\":\"" + now.plusSeconds(900) + "\"")) {
            given().header("Authorization", nurse).header("Second-Signature", SECOND_NURSE).contentType(ContentType.JSON)
                    .body("{" + times + ",\"iuGiven\":42000000}").post(administration).then().statusCode(400)
                    .body("code", equalTo("DOSE-0119"));
        }
        given().header("Authorization", nurse).header("Second-Signature", SECOND_NURSE).contentType(ContentType.JSON)
                .body("{\"startedAt\":\"2999-01-01T00:00:00Z\",\"iuGiven\":42000000}").post(administration).then().statusCode(400)
                .body("code", equalTo("DOSE-0003"));
        String key = "dose-1-" + UUID.randomUUID();
        for (int attempt = 0; attempt < 2; attempt++) {
            given().header("Authorization", nurse).header("Idempotency-Key", key).header("Second-Signature", SECOND_NURSE).contentType(ContentType.JSON)
                    .body(administration(42000000)).post(administration)
                    .then().statusCode(200).body("doses[0].status", equalTo("GIVEN"))
                    .body("doses[0].record.administeredBy", equalTo("test-nurse"))
                    .body("doses[0].record.verifiedBy", equalTo("test-nurse-2"));
        }
        assertEquals(1, count("select count(*) from dose_record where idempotency_key = '" + key + "'"));
        // a key stands for one command by one caller on one dose
        given().header("Authorization", TestTokens.bearer("test-nurse-3", "nurse")).header("Idempotency-Key", key)
                .header("Second-Signature", SECOND_NURSE).contentType(ContentType.JSON).body(administration(42000000))
                .post(administration).then().statusCode(409).body("code", equalTo("DOSE-0117"));
        given().header("Authorization", nurse).header("Idempotency-Key", key).contentType(ContentType.JSON)
                .body("{\"reason\":\"patient asleep\"}").post("/api/v1/courses/" + courseId + "/doses/2/hold").then().statusCode(409)
                .body("code", equalTo("DOSE-0117"));
        given().header("Authorization", nurse).header("Second-Signature", SECOND_NURSE).contentType(ContentType.JSON).body(administration(42000000))
                .post(administration).then().statusCode(409).body("code", equalTo("DOSE-0105"));
        ConsumerRecord<String, String> given = KafkaTestClient.awaitRecord(KafkaTestClient.topic("hdil2.dosing.events.v1"),
                r -> r.value().contains(courseId) && r.value().contains("administeredBy"), Duration.ofSeconds(20));
        ContractAssertions.assertConforms(given);
        given().header("Authorization", nurse).get(decision).then().statusCode(200).body("doseNumber", equalTo(2));

        // an older evaluation arriving late never replaces a newer one
        publish("hdil2.monitoring.findings.v1", patient, EVALUATION, evaluation(patient, 1, 70, t.minusSeconds(600), true));
        String marker = "p-dose-marker";
        publish("hdil2.monitoring.findings.v1", marker, EVALUATION, evaluation(marker, 1, 120, t, false));
        awaitEvaluation(marker, 1);
        given().header("Authorization", nurse).get(decision).then().statusCode(200).body("decision", equalTo("GIVE"));

        // a mistaken entry is voided by a new entry, never edited; the slot is open again
        // a nurse alone cannot void a given dose (and record it again alone): a second person signs
        given().header("Authorization", nurse).contentType(ContentType.JSON).body("{\"reason\":\"recorded on the wrong patient\"}")
                .post("/api/v1/courses/" + courseId + "/doses/1/corrections").then().statusCode(400).body("code", equalTo("DOSE-0125"));
        given().header("Authorization", nurse).header("Second-Signature", SECOND_NURSE).contentType(ContentType.JSON)
                .body("{\"reason\":\"recorded on the wrong patient\"}")
                .post("/api/v1/courses/" + courseId + "/doses/1/corrections").then().statusCode(200)
                .body("doses[0].status", equalTo("SCHEDULED"));
        given().header("Authorization", nurse).get("/api/v1/courses/" + courseId + "/ledger").then().statusCode(200)
                .body("kind", equalTo(java.util.List.of("GIVEN", "ENTERED_IN_ERROR")));
        ContractAssertions.assertConforms(KafkaTestClient.awaitRecord(KafkaTestClient.topic("hdil2.dosing.events.v1"),
                r -> r.value().contains(courseId) && r.value().contains("correctedRecordId"), Duration.ofSeconds(20)));
        // held: counted, audited, announced
        given().header("Authorization", nurse).contentType(ContentType.JSON).body("{\"reason\":\"patient refused\"}")
                .post("/api/v1/courses/" + courseId + "/doses/1/hold").then().statusCode(200)
                .body("doses[0].status", equalTo("HELD")).body("doses[0].record.reason", equalTo("patient refused"));
        // the decision's one count query: the voided given dose is no longer counted, the hold is
        assertEquals(new DoseOpportunityEntity.Counts(1, 0),
                QuarkusTransaction.requiringNew().call(() -> DoseOpportunityEntity.counts(UUID.fromString(courseId))));
        ContractAssertions.assertConforms(KafkaTestClient.awaitRecord(KafkaTestClient.topic("hdil2.dosing.events.v1"),
                r -> r.value().contains(courseId) && r.value().contains("patient refused"), Duration.ofSeconds(20)));
        // hold-started and hold-ended were announced when the evaluation turned
        KafkaTestClient.awaitRecords(KafkaTestClient.topic("hdil2.dosing.events.v1"), rs -> rs.stream()
                .filter(r -> r.value().contains(courseId) && r.value().contains("\"findings\"")).count() == 2, Duration.ofSeconds(20))
                .stream().filter(r -> r.value().contains(courseId) && r.value().contains("\"findings\""))
                .forEach(ContractAssertions::assertConforms);
    }

    @Test
    void concurrentRetriesWithOneIdempotencyKeyAllGetTheOneAnswerAndConcurrentCommandsRecordOnce() throws Exception {
        String courseId = verifiedCourse("p-dose-20");
        String hold = "/api/v1/courses/" + courseId + "/doses/1/hold";
        String key = "hold-1-" + UUID.randomUUID();
        java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(6);
        try {
            List<java.util.concurrent.Future<Integer>> retries = new java.util.ArrayList<>();
            for (int i = 0; i < 6; i++) {
                retries.add(pool.submit(() -> given().header("Authorization", TestTokens.bearer("nurse")).header("Idempotency-Key", key)
                        .contentType(ContentType.JSON).body("{\"reason\":\"patient asleep\"}").post(hold).statusCode()));
            }
            for (java.util.concurrent.Future<Integer> r : retries) {
                assertEquals(200, r.get(), "a concurrent retry is answered like the first");
            }
            assertEquals(1, count("select count(*) from dose_record where idempotency_key = '" + key + "'"));
            // different keys for the same dose at once: one records it, the others learn it is recorded (never a 5xx)
            List<java.util.concurrent.Future<Integer>> racing = new java.util.ArrayList<>();
            String hold2 = hold.replace("/doses/1/", "/doses/2/");
            for (int i = 0; i < 6; i++) {
                racing.add(pool.submit(() -> given().header("Authorization", TestTokens.bearer("nurse"))
                        .header("Idempotency-Key", "hold-2-" + UUID.randomUUID()).contentType(ContentType.JSON)
                        .body("{\"reason\":\"patient asleep\"}").post(hold2).statusCode()));
            }
            java.util.Map<Integer, Integer> statuses = new java.util.TreeMap<>();
            for (java.util.concurrent.Future<Integer> r : racing) {
                statuses.merge(r.get(), 1, Integer::sum);
            }
            assertEquals(java.util.Map.of(200, 1, 409, 5), statuses);
        } finally {
            pool.shutdownNow();
        }
        // a dose days ahead cannot be held now
        given().header("Authorization", TestTokens.bearer("nurse")).contentType(ContentType.JSON).body("{\"reason\":\"x\"}")
                .post(hold.replace("/doses/1/", "/doses/12/")).then().statusCode(409).body("code", equalTo("DOSE-0128"));
    }

    @Test
    void aPhysicianMayOverrideAHoldForOneDoseOnlyForTheFindingsThenActive() {
        String patient = "p-dose-6";
        String courseId = verifiedCourse(patient);
        Instant t = Instant.now().minusSeconds(60);
        publish("hdil2.monitoring.findings.v1", patient, EVALUATION, evaluation(patient, 1, 84, t, true));
        awaitEvaluation(patient, 1);
        String decision = "/api/v1/courses/" + courseId + "/doses/next/decision";
        given().header("Authorization", TestTokens.bearer("nurse")).get(decision).then().body("decision", equalTo("HOLD"));
        given().header("Authorization", TestTokens.bearer("nurse")).contentType(ContentType.JSON).body("{\"reason\":\"x\"}")
                .post("/api/v1/courses/" + courseId + "/doses/1/override").then().statusCode(403);
        given().header("Authorization", TestTokens.bearer("physician")).contentType(ContentType.JSON)
                .body("{\"reason\":\"MAP 70 on arterial line; cuff reading unreliable\"}")
                .post("/api/v1/courses/" + courseId + "/doses/1/override").then().statusCode(200)
                .body("decision", equalTo("GIVE")).body("overridden", equalTo(true));
        given().header("Authorization", TestTokens.bearer("nurse")).get("/api/v1/courses/" + courseId).then()
                .body("doses[0].override.physician", equalTo("test-physician"));
        assertEquals(1, count("select count(*) from audit_entry where action = 'dose.override' and patient_id = '" + patient + "'"));
        given().header("Authorization", TestTokens.bearer("nurse")).header("Second-Signature", SECOND_NURSE).contentType(ContentType.JSON).body(administration(42000000))
                .post("/api/v1/courses/" + courseId + "/doses/1/administration").then().statusCode(200);
        ContractAssertions.assertConforms(KafkaTestClient.awaitRecord(KafkaTestClient.topic("hdil2.dosing.events.v1"),
                r -> r.value().contains(courseId) && r.value().contains("\"overridden\":true"), Duration.ofSeconds(20)));
        // the override was for dose 1 only
        given().header("Authorization", TestTokens.bearer("nurse")).get(decision).then().body("doseNumber", equalTo(2))
                .body("decision", equalTo("HOLD"));
    }

    @Test
    void theGatesThatNeedTheDatabaseAndTheCallersCredentialsHoldOverHttp() {
        // every gate's rule, both sides of each threshold, is CourseTest's; here what only the wiring decides: the
        // verifier named by the token, one open course per patient, the previous course's discharge loaded for the
        // retreatment interval, and the discontinuation event as the contract says
        String patient = "p-dose-7";
        publish("hdil2.eligibility.screenings.v1", patient, SCREENING, screening(patient, "ELIGIBLE"));
        awaitScreening(patient);
        String both = TestTokens.bearer("dr-both", "physician", "pharmacist");
        String courseId = given().header("Authorization", both).contentType(ContentType.JSON).body(order(patient, "70", Instant.now()))
                .post("/api/v1/courses").then().statusCode(201).extract().path("id");
        given().header("Authorization", both).post("/api/v1/courses/" + courseId + "/verification").then().statusCode(409)
                .body("code", equalTo("DOSE-0115"));
        given().header("Authorization", both).contentType(ContentType.JSON).body(order(patient, "70", Instant.now()))
                .post("/api/v1/courses").then().statusCode(409).body("code", equalTo("DOSE-0102"));
        String discontinuation = "/api/v1/courses/" + courseId + "/discontinuation";
        given().header("Authorization", both).contentType(ContentType.JSON)
                .body("{\"reason\":\"patient declined\",\"dischargedAt\":\"" + Instant.now().plusSeconds(3600) + "\"}")
                .post(discontinuation).then().statusCode(400).body("code", equalTo("DOSE-0113"));
        given().header("Authorization", both).contentType(ContentType.JSON)
                .body("{\"reason\":\"patient declined\",\"dischargedAt\":\"" + Instant.now() + "\"}")
                .post(discontinuation).then().statusCode(200)
                .body("status", equalTo("DISCONTINUED")).body("doses[27].status", equalTo("CANCELLED"));
        ContractAssertions.assertConforms(KafkaTestClient.awaitRecord(KafkaTestClient.topic("hdil2.dosing.events.v1"),
                r -> r.value().contains(courseId) && r.value().contains("dosesCancelled"), Duration.ofSeconds(20)));
        // a new course needs 7 weeks after the discharge (LABEL-OLD): the course is moved 45 days into the past
        TestDb.execute(db, "update course set ordered_at = ordered_at - interval '45 days', discharged_at = discharged_at - "
                + "interval '45 days', ended_at = ended_at - interval '45 days' where id = '" + courseId + "'");
        Instant discharged = Instant.parse(given().header("Authorization", both).get("/api/v1/courses/" + courseId).then()
                .extract().path("dischargedAt"));
        given().header("Authorization", both).contentType(ContentType.JSON)
                .body(order(patient, "70", discharged.plus(Duration.ofDays(48))))
                .post("/api/v1/courses").then().statusCode(409).body("code", equalTo("DOSE-0111"));
        String second = given().header("Authorization", both).contentType(ContentType.JSON)
                .body(order(patient, "70", discharged.plus(Duration.ofDays(49))))
                .post("/api/v1/courses").then().statusCode(201).extract().path("id");
        // stored in UTC; shown in the ward's zone (a spring-forward is covered by CourseViewsTest)
        Instant first = Instant.parse(given().header("Authorization", both).get("/api/v1/courses/" + second + "?zone=Europe/Amsterdam")
                .then().statusCode(200).body("displayZone", equalTo("Europe/Amsterdam")).extract().path("doses[0].scheduledAt"));
        given().header("Authorization", both).get("/api/v1/courses/" + second + "?zone=Europe/Amsterdam").then()
                .body("doses[0].scheduledLocal", equalTo(first.atZone(java.time.ZoneId.of("Europe/Amsterdam")).toOffsetDateTime().toString()));
        given().header("Authorization", both).get("/api/v1/courses/" + second + "?zone=Mars/Olympus").then().statusCode(400)
                .body("code", equalTo("DOSE-0124"));
    }

    @Inject
    org.hdil2.dosing.messaging.MissedDoses missedDoses;

    @Test
    void aDiscontinueFindingFlagsTheCourseForAPhysiciansStopReview() {
        String patient = "p-dose-9";
        String courseId = verifiedCourse(patient);
        Instant t = Instant.now().minusSeconds(60);
        String discontinue = evaluation(patient, 1, 84, t, true).replace("\"WITHHOLD\"", "\"DISCONTINUE\"");
        publish("hdil2.monitoring.findings.v1", patient, EVALUATION, discontinue);
        awaitEvaluation(patient, 1);
        String decision = "/api/v1/courses/" + courseId + "/doses/next/decision";
        given().header("Authorization", TestTokens.bearer("nurse")).get(decision).then().body("decision", equalTo("STOP"));
        // the flag outlives the finding: only a physician's review lifts or confirms it
        publish("hdil2.monitoring.findings.v1", patient, EVALUATION, evaluation(patient, 2, 110, t.plusSeconds(30), false));
        awaitEvaluation(patient, 2);
        given().header("Authorization", TestTokens.bearer("nurse")).get(decision).then().body("decision", equalTo("STOP"))
                .body("reasons[0]", containsString("stop review"));
        given().header("Authorization", TestTokens.bearer("physician")).contentType(ContentType.JSON)
                .body("{\"confirm\":false,\"reason\":\"artefact: lead disconnected\"}")
                .post("/api/v1/courses/" + courseId + "/stop-review").then().statusCode(200).body("stopFlaggedAt", equalTo(null));
        given().header("Authorization", TestTokens.bearer("nurse")).get(decision).then().body("decision", equalTo("GIVE"));
        assertEquals(1, count("select count(*) from audit_entry where action = 'course.stop-flag.reject' and patient_id = '" + patient + "'"));
        given().header("Authorization", TestTokens.bearer("physician")).contentType(ContentType.JSON)
                .body("{\"confirm\":true,\"reason\":\"x\"}")
                .post("/api/v1/courses/" + courseId + "/stop-review").then().statusCode(409).body("code", equalTo("DOSE-0122"));
    }

    @Test
    void anOverdueDoseIsMissedAndSkippedAndTheFhirViewShowsTheLedger() {
        String patient = "p-dose-8";
        String courseId = verifiedCourse(patient);
        String nurse = TestTokens.bearer("nurse");
        given().header("Authorization", nurse).contentType(ContentType.JSON).body("{\"reason\":\"SBP 84 at the bedside\"}")
                .post("/api/v1/courses/" + courseId + "/doses/1/hold").then().statusCode(200);
        // two hours and more after dose 2's time nothing was recorded: it is missed, never made up
        assertTrue(missedDoses.markOverdue(Instant.now().plus(Duration.ofHours(8)).plus(Duration.ofMinutes(121))) >= 1);
        given().header("Authorization", nurse).get("/api/v1/courses/" + courseId).then()
                .body("doses[1].status", equalTo("MISSED")).body("doses[1].record.recordedBy", equalTo("system"));
        ContractAssertions.assertConforms(KafkaTestClient.awaitRecord(KafkaTestClient.topic("hdil2.dosing.events.v1"),
                r -> r.value().contains(courseId) && r.value().contains("no record within"), Duration.ofSeconds(20)));
        given().header("Authorization", nurse).get("/api/v1/courses/" + courseId + "/doses/next/decision").then()
                .body("doseNumber", equalTo(3));

        ca.uhn.fhir.context.FhirContext fhir = ca.uhn.fhir.context.FhirContext.forR4();
        String request = given().header("Authorization", TestTokens.bearer("analyst")).get("/fhir/MedicationRequest/" + courseId)
                .then().statusCode(200).contentType("application/fhir+json").extract().asString();
        org.hl7.fhir.r4.model.MedicationRequest mr = fhir.newJsonParser().parseResource(org.hl7.fhir.r4.model.MedicationRequest.class, request);
        assertEquals(org.hl7.fhir.r4.model.MedicationRequest.MedicationRequestStatus.ACTIVE, mr.getStatus());
        assertEquals(0, new java.math.BigDecimal("42000000").compareTo(mr.getDosageInstructionFirstRep().getDoseAndRateFirstRep().getDoseQuantity().getValue()));
        String bundleJson = given().header("Authorization", TestTokens.bearer("analyst"))
                .get("/fhir/MedicationAdministration?request=" + courseId).then().statusCode(200).extract().asString();
        org.hl7.fhir.r4.model.Bundle bundle = fhir.newJsonParser().parseResource(org.hl7.fhir.r4.model.Bundle.class, bundleJson);
        assertTrue(bundle.getEntry().size() >= 2);
        org.hl7.fhir.r4.model.MedicationAdministration held = (org.hl7.fhir.r4.model.MedicationAdministration) bundle.getEntry().get(0).getResource();
        assertEquals(org.hl7.fhir.r4.model.MedicationAdministration.MedicationAdministrationStatus.NOTDONE, held.getStatus());
        assertTrue(held.getStatusReasonFirstRep().getText().contains("SBP 84"));
        given().header("Authorization", TestTokens.bearer("device")).get("/fhir/MedicationRequest/" + courseId).then().statusCode(403);
    }

    String verifiedCourse(String patient) {
        publish("hdil2.eligibility.screenings.v1", patient, SCREENING, screening(patient, "ELIGIBLE"));
        awaitScreening(patient);
        String courseId = given().header("Authorization", TestTokens.bearer("physician")).contentType(ContentType.JSON)
                .body(order(patient, "70", Instant.now())).post("/api/v1/courses").then().statusCode(201).extract().path("id");
        given().header("Authorization", TestTokens.bearer("pharmacist")).post("/api/v1/courses/" + courseId + "/verification")
                .then().statusCode(200);
        return courseId;
    }

    static String order(String patient, String kg, Instant firstDose) {
        return order(patient, kg, firstDose, Instant.now().minusSeconds(3600));
    }

    static String order(String patient, String kg, Instant firstDose, Instant weightAt) {
        return "{\"patientId\":\"" + patient + "\",\"dosingWeightKg\":" + kg + ",\"weightMeasuredAt\":\"" + weightAt
                + "\",\"weightSource\":\"ward scale\",\"firstDoseAt\":\"" + firstDose + "\"}";
    }

    /** The second nurse of a two-nurse check: her own token, in the Second-Signature header. */
    static final String SECOND_NURSE = TestTokens.bearer("test-nurse-2", "nurse");

    static String administration(long iu) {
        return "{\"startedAt\":\"" + Instant.now() + "\",\"iuGiven\":" + iu + "}";
    }

    /** Two courses under two protocols in one deployment; one then moved by a physician, audited and announced. */
    @Test
    void eachCourseIsDecidedUnderItsOwnProtocolAndAPhysicianMayMoveIt() {
        String physician = TestTokens.bearer("physician");
        given().header("Authorization", TestTokens.bearer("nurse")).get("/api/v1/protocols").then().statusCode(200)
                .body("id", equalTo(List.of("label-2024", "consensus-2014"))).body("isDefault", equalTo(List.of(true, false)));
        given().header("Authorization", TestTokens.bearer("analyst")).get("/api/v1/rules?protocol=consensus-2014").then()
                .statusCode(200).body("stop.maxHeldDoses", equalTo(3));

        String labelCourse = verifiedCourse("p-dose-proto-1");
        String patient = "p-dose-proto-2";
        publish("hdil2.eligibility.screenings.v1", patient, SCREENING, screening(patient, "ELIGIBLE"));
        awaitScreening(patient);
        String unknown = order(patient, "70", Instant.now()).replace("}", ",\"protocolId\":\"no-such-protocol\"}");
        given().header("Authorization", physician).contentType(ContentType.JSON).body(unknown).post("/api/v1/courses")
                .then().statusCode(400).contentType("application/problem+json").body("code", equalTo("DOSE-0132"));
        String consensusCourse = given().header("Authorization", physician).contentType(ContentType.JSON)
                .body(order(patient, "70", Instant.now()).replace("}", ",\"protocolId\":\"consensus-2014\"}"))
                .post("/api/v1/courses").then().statusCode(201).body("protocol.id", equalTo("consensus-2014"))
                .extract().path("id");
        ConsumerRecord<String, String> ordered = KafkaTestClient.awaitRecord(KafkaTestClient.topic("hdil2.dosing.events.v1"),
                r -> r.value().contains(consensusCourse) && r.value().contains("plannedDoses"), Duration.ofSeconds(20));
        assertEquals("consensus-2014", ContractAssertions.assertConforms(ordered).path("protocol").path("id").asText());
        given().header("Authorization", TestTokens.bearer("pharmacist")).post("/api/v1/courses/" + consensusCourse + "/verification")
                .then().statusCode(200);

        String nurse = TestTokens.bearer("nurse");
        given().header("Authorization", nurse).get("/api/v1/courses/" + labelCourse + "/doses/next/decision").then().statusCode(200)
                .body("protocol.id", equalTo("label-2024")).body("ruleId", equalTo("HDIL2-PREDOSE-FRESHNESS"));
        // monitoring's evaluation is still under the label (it has not seen the order yet): not GIVE
        publish("hdil2.monitoring.findings.v1", patient, EVALUATION, evaluation(patient, 1, 112, Instant.now().minusSeconds(60), false));
        awaitEvaluation(patient, 1);
        given().header("Authorization", nurse).get("/api/v1/courses/" + consensusCourse + "/doses/next/decision").then().statusCode(200)
                .body("protocol.id", equalTo("consensus-2014")).body("decision", equalTo("ASSESS"))
                .body("reasons", hasItem(containsString("under protocol label-2024, the course is under consensus-2014")));

        String move = "{\"protocolId\":\"label-2024\",\"reason\":\"patient transferred to a label-protocol ward\"}";
        given().header("Authorization", nurse).contentType(ContentType.JSON).body(move)
                .post("/api/v1/courses/" + consensusCourse + "/protocol-change").then().statusCode(403);
        given().header("Authorization", physician).contentType(ContentType.JSON).body("{\"protocolId\":\"label-2024\"}")
                .post("/api/v1/courses/" + consensusCourse + "/protocol-change").then().statusCode(400);
        given().header("Authorization", physician).contentType(ContentType.JSON).body(move)
                .post("/api/v1/courses/" + consensusCourse + "/protocol-change").then().statusCode(200)
                .body("protocol.id", equalTo("label-2024"));
        given().header("Authorization", physician).contentType(ContentType.JSON).body(move)
                .post("/api/v1/courses/" + consensusCourse + "/protocol-change").then().statusCode(409).body("code", equalTo("DOSE-0134"));
        ConsumerRecord<String, String> changed = KafkaTestClient.awaitRecord(KafkaTestClient.topic("hdil2.dosing.events.v1"),
                r -> r.value().contains(consensusCourse) && r.value().contains("previousProtocol"), Duration.ofSeconds(20));
        assertEquals("org.hdil2.dosing.course-protocol-changed.v1", ContractAssertions.header(changed, CloudEventHeaders.TYPE));
        assertEquals("consensus-2014", ContractAssertions.assertConforms(changed).path("previousProtocol").path("id").asText());
        given().header("Authorization", nurse).get("/api/v1/courses/" + consensusCourse + "/doses/next/decision").then().statusCode(200)
                .body("protocol.id", equalTo("label-2024")).body("decision", equalTo("GIVE"));
        assertEquals(1, count("select count(*) from audit_entry where action = 'course.protocol-change' and patient_id = '" + patient + "'"));
    }

    @Test
    void aCourseIsRefusedUnlessTheLatestScreeningIsEligible() {
        String physician = TestTokens.bearer("physician");
        given().header("Authorization", physician).contentType(ContentType.JSON).body(order("p-dose-none", "70", Instant.now()))
                .post("/api/v1/courses").then().statusCode(409).contentType("application/problem+json")
                .body("code", equalTo("DOSE-0129"));
        publish("hdil2.eligibility.screenings.v1", "p-dose-2", SCREENING, screening("p-dose-2", "NEEDS_REVIEW"));
        awaitScreening("p-dose-2");
        given().header("Authorization", physician).contentType(ContentType.JSON).body(order("p-dose-2", "70", Instant.now()))
                .post("/api/v1/courses").then().statusCode(409).body("code", equalTo("DOSE-0101"))
                .body("detail", containsString("NEEDS_REVIEW"));
        assertEquals(0, count("select count(*) from course where patient_id in ('p-dose-none', 'p-dose-2')"));
    }

    @Test
    void aRedeliveredEventActsOnce() {
        String patient = "p-dose-3";
        String eventId = UUID.randomUUID().toString();
        String body = screening(patient, "ELIGIBLE");
        String topic = KafkaTestClient.topic("hdil2.eligibility.screenings.v1");
        KafkaTestClient.publishEvent(topic, patient, SCREENING, body, eventId);
        KafkaTestClient.publishEvent(topic, patient, SCREENING, body, eventId);
        publish("hdil2.eligibility.screenings.v1", patient, SCREENING, screening(patient, "INELIGIBLE"));
        await().atMost(Duration.ofSeconds(30)).until(() ->
                count("select count(*) from patient_screening where patient_id = '" + patient + "' and outcome = 'INELIGIBLE'") == 1);
        assertEquals(1, count("select count(*) from inbox_event where event_id = '" + eventId + "'"));
        assertEquals(1, count("select count(*) from audit_entry where request_id = '" + eventId + "'"));
    }

    @Test
    void aPoisonRecordIsDeadLetteredWithTheReasonAndTheConsumerGoesOn() {
        String topic = KafkaTestClient.topic("hdil2.eligibility.screenings.v1");
        KafkaTestClient.publishEvent(topic, "p-dose-4", SCREENING, "{\"patientId\":\"p-dose-4\",\"outcome\":\"PERHAPS\"}");
        ConsumerRecord<String, String> dead = KafkaTestClient.awaitRecord(topic + ".dlq", r -> "p-dose-4".equals(r.key()),
                Duration.ofSeconds(30));
        String reason = new String(dead.headers().lastHeader(CloudEventHeaders.DEAD_LETTER_REASON).value(), StandardCharsets.UTF_8);
        assertTrue(reason.contains("schema"), reason);
        publish("hdil2.eligibility.screenings.v1", "p-dose-4", SCREENING, screening("p-dose-4", "ELIGIBLE"));
        awaitScreening("p-dose-4");
    }

    @Test
    void withoutATokenItIs401AndWithTheWrongRole403AndBadInputIs400() {
        String body = order("p-dose-5", "70", Instant.now());
        given().contentType(ContentType.JSON).body(body).post("/api/v1/courses").then().statusCode(401);
        given().header("Authorization", TestTokens.bearer("nurse")).contentType(ContentType.JSON).body(body)
                .post("/api/v1/courses").then().statusCode(403);
        given().header("Authorization", TestTokens.bearer("analyst"))
                .get("/api/v1/courses/" + UUID.randomUUID() + "/doses/next/decision").then().statusCode(403);
        String physician = TestTokens.bearer("physician");
        given().header("Authorization", physician).contentType(ContentType.JSON).body(body.replace(":70,", ":-3,"))
                .post("/api/v1/courses").then().statusCode(400).body("code", equalTo("DOSE-0002"))
                .body("errors.field", hasItem("dosingWeightKg"));
        given().header("Authorization", physician).contentType(ContentType.JSON).body(body.replace(":70,", ":\"heavy\","))
                .post("/api/v1/courses").then().statusCode(400).body("code", equalTo("DOSE-0003"));
        given().header("Authorization", physician).contentType(ContentType.JSON).body("{\"patientId\":")
                .post("/api/v1/courses").then().statusCode(400).body("code", equalTo("DOSE-0001"));
        given().header("Authorization", physician).get("/api/v1/courses/" + UUID.randomUUID())
                .then().statusCode(404).body("code", equalTo("DOSE-0104"));
        assertEquals(0, count("select count(*) from course where patient_id = 'p-dose-5'"));
        given().header("Authorization", TestTokens.bearer("pharmacist")).get("/api/v1/rules").then().statusCode(200)
                .body("dose.iuPerKg", equalTo(600000)).body("schedule.maxDosesPerCycle", equalTo(14));
    }

    private long count(String sql) {
        return TestDb.count(db, sql);
    }
}
