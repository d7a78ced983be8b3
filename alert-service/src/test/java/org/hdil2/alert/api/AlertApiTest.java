package org.hdil2.alert.api;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

import jakarta.inject.Inject;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.hdil2.alert.messaging.AlertEvents;
import org.hdil2.alert.support.WebhookReceiver;
import org.hdil2.contract.CloudEventHeaders;
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

@QuarkusTest
@WithTestResource(value = RealInfraResource.class, initArgs = {
        @ResourceArg(name = "service", value = "alrt"),
        @ResourceArg(name = "topics", value = "hdil2.monitoring.findings.v1,hdil2.alerts.events.v1") })
@WithTestResource(WebhookReceiver.class)
class AlertApiTest {

    static final String RAISED = "org.hdil2.monitoring.finding-raised.v1";
    static final String CLEARED = "org.hdil2.monitoring.finding-cleared.v1";

    @Inject
    AgroalDataSource db;

    /** The contract's example of {@code type}, re-addressed to this patient and finding. */
    static String example(String type, String patient, String findingId) {
        ObjectNode e = (ObjectNode) EventContract.load().examples(type).get(0).deepCopy();
        return e.put("patientId", patient).put("findingId", findingId).toString();
    }

    static String findings() {
        return KafkaTestClient.topic("hdil2.monitoring.findings.v1");
    }

    @Test
    void aFindingRaisesAHighPriorityAlertThatLatchesWhenItClearsAndEndsWhenAcknowledged() {
        String patient = "p-alrt-1";
        String findingId = UUID.randomUUID().toString();
        KafkaTestClient.publishEvent(findings(), patient, RAISED, example(RAISED, patient, findingId));
        String nurse = TestTokens.bearer("nurse");
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() ->
                given().header("Authorization", nurse).get("/api/v1/alerts?patientId=" + patient).then().statusCode(200)
                        .body("$", hasSize(1)).body("[0].status", equalTo("ACTIVE")));
        given().header("Authorization", nurse).get("/api/v1/alerts?patientId=" + patient).then()
                .body("[0].priority", equalTo("HIGH"))
                .body("[0].ruleId", equalTo("LABEL-2024-CV-SBP"))
                .body("[0].title", containsString("Withhold aldesleukin"))
                .body("[0].detail", containsString("Table 2"));

        // a second finding of the same rule while the alert is active is merged, not a second alert
        KafkaTestClient.publishEvent(findings(), patient, RAISED, example(RAISED, patient, UUID.randomUUID().toString()));

        KafkaTestClient.publishEvent(findings(), patient, CLEARED, example(CLEARED, patient, findingId));
        // HIGH latches: the clearing is shown, the alert stays until someone acknowledges it
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() ->
                given().header("Authorization", nurse).get("/api/v1/alerts?patientId=" + patient + "&status=LATCHED")
                        .then().statusCode(200).body("$", hasSize(1)).body("[0].condition", equalTo("CLEARED"))
                        .body("[0].alarmState", equalTo("latched")));
        String alertId = given().header("Authorization", nurse).get("/api/v1/alerts?patientId=" + patient).then()
                .body("$", hasSize(1)).extract().path("[0].id");
        given().header("Authorization", nurse).contentType("application/json").body("{}")
                .post("/api/v1/alerts/" + alertId + "/acknowledge").then().statusCode(200)
                .body("status", equalTo("RESOLVED")).body("acknowledgedBy", equalTo("test-nurse"));
        given().header("Authorization", nurse).get("/api/v1/alerts?patientId=" + patient + "&status=RESOLVED").then()
                .body("$", hasSize(1));

        String alerts = KafkaTestClient.topic("hdil2.alerts.events.v1");
        ConsumerRecord<String, String> raised = KafkaTestClient.awaitRecord(alerts,
                r -> patient.equals(r.key()) && r.value().contains("raisedAt"), Duration.ofSeconds(60));
        ConsumerRecord<String, String> resolved = KafkaTestClient.awaitRecord(alerts,
                r -> patient.equals(r.key()) && r.value().contains("resolvedAt"), Duration.ofSeconds(60));
        assertEquals("HIGH", ContractAssertions.assertConforms(raised).path("priority").asText());
        ContractAssertions.assertConforms(resolved);
    }

    /**
     * A deployment evaluates several protocols at once: the alert names the protocol and version its finding came
     * from, in the REST view, the notification and every alert event (each conforming to the contract).
     */
    @Test
    void anAlertNamesTheProtocolAndVersionOfItsFindingInTheViewTheNotificationAndItsEvents() throws Exception {
        String patient = "p-alrt-protocol";
        String findingId = UUID.randomUUID().toString();
        ObjectNode finding = (ObjectNode) JSON.readTree(example(RAISED, patient, findingId));
        ((ObjectNode) finding.path("rule")).put("protocol", "consensus-2014").put("protocolVersion", "1");
        KafkaTestClient.publishEvent(findings(), patient, RAISED, finding.toString());
        String nurse = TestTokens.bearer("nurse");
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() ->
                given().header("Authorization", nurse).get("/api/v1/alerts?patientId=" + patient).then().statusCode(200)
                        .body("$", hasSize(1)).body("[0].status", equalTo("ACTIVE"))
                        .body("[0].protocol.id", equalTo("consensus-2014")).body("[0].protocol.version", equalTo("1")));
        String alertId = given().header("Authorization", nurse).get("/api/v1/alerts?patientId=" + patient).then()
                .extract().path("[0].id");
        given().header("Authorization", nurse).get("/api/v1/alerts/" + alertId).then().statusCode(200)
                .body("protocol.id", equalTo("consensus-2014")).body("protocol.version", equalTo("1"));
        JsonNode notification = JSON.readTree(payloadOfFirstNotification(alertId));
        assertEquals("consensus-2014", notification.path("protocol").path("id").asText());
        assertEquals("1", notification.path("protocol").path("version").asText());

        String alerts = KafkaTestClient.topic("hdil2.alerts.events.v1");
        ConsumerRecord<String, String> raised = KafkaTestClient.awaitRecord(alerts,
                r -> patient.equals(r.key()) && AlertEvents.ALERT_RAISED.equals(type(r)), Duration.ofSeconds(60));
        JsonNode raisedData = ContractAssertions.assertConforms(raised);
        assertEquals(alertId, raisedData.path("alertId").asText());
        assertEquals("consensus-2014", raisedData.path("protocol").path("id").asText());
        assertEquals("1", raisedData.path("protocol").path("version").asText());

        // the HIGH alert latches on clearing (alert-updated) and ends when acknowledged (alert-resolved): both name it too
        KafkaTestClient.publishEvent(findings(), patient, CLEARED, example(CLEARED, patient, findingId));
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> given().header("Authorization", nurse)
                .get("/api/v1/alerts/" + alertId).then().statusCode(200).body("status", equalTo("LATCHED")));
        given().header("Authorization", nurse).contentType("application/json").body("{}")
                .post("/api/v1/alerts/" + alertId + "/acknowledge").then().statusCode(200).body("status", equalTo("RESOLVED"))
                .body("protocol.id", equalTo("consensus-2014"));
        for (String type : List.of(AlertEvents.ALERT_UPDATED, AlertEvents.ALERT_RESOLVED)) {
            ConsumerRecord<String, String> r = KafkaTestClient.awaitRecord(alerts, e -> patient.equals(e.key()) && type.equals(type(e)),
                    Duration.ofSeconds(60));
            JsonNode data = ContractAssertions.assertConforms(r);
            assertEquals("consensus-2014", data.path("protocol").path("id").asText(), type);
            assertEquals("1", data.path("protocol").path("version").asText(), type);
        }

        // an alert stored before findings named their protocol shows none
        TestDb.execute(db, "update alert set protocol_id = null, protocol_version = null where id = '" + alertId + "'");
        given().header("Authorization", nurse).get("/api/v1/alerts/" + alertId).then().statusCode(200)
                .body("protocol", nullValue()).body("ruleId", equalTo("LABEL-2024-CV-SBP"));
    }

    private String payloadOfFirstNotification(String alertId) throws java.sql.SQLException {
        try (java.sql.Connection c = db.getConnection(); java.sql.PreparedStatement st = c.prepareStatement(
                "select payload from alert_notification where alert_id = ? order by id limit 1")) {
            st.setObject(1, UUID.fromString(alertId));
            try (java.sql.ResultSet rs = st.executeQuery()) {
                assertTrue(rs.next(), "the raise was notified");
                return rs.getString(1);
            }
        }
    }

    @Test
    void aRedeliveredFindingActsOnceAndEvaluationsAreIgnored() {
        String patient = "p-alrt-2";
        String findingId = UUID.randomUUID().toString();
        String eventId = UUID.randomUUID().toString();
        String body = example(RAISED, patient, findingId);
        KafkaTestClient.publishEvent(findings(), patient, RAISED, body, eventId);
        KafkaTestClient.publishEvent(findings(), patient, RAISED, body, eventId);
        ObjectNode evaluation = (ObjectNode) EventContract.load().examples("org.hdil2.monitoring.evaluation-updated.v1").get(0).deepCopy();
        KafkaTestClient.publishEvent(findings(), patient, "org.hdil2.monitoring.evaluation-updated.v1",
                evaluation.put("patientId", patient).toString());
        // an evaluation this consumer ignores is not read: even a broken one is acknowledged, not dead-lettered
        KafkaTestClient.publishEvent(findings(), patient, "org.hdil2.monitoring.evaluation-updated.v1", "{\"patientId\": ");
        String marker = "p-alrt-marker";
        KafkaTestClient.publishEvent(findings(), marker, RAISED, example(RAISED, marker, UUID.randomUUID().toString()));
        await().atMost(Duration.ofSeconds(60)).until(() -> count("select count(*) from alert where patient_id = '" + marker + "'") == 1);
        assertEquals(1, count("select count(*) from alert where patient_id = '" + patient + "'"));
        assertEquals(1, count("select count(*) from inbox_event where event_id = '" + eventId + "'"));
        assertEquals(1, count("select count(*) from audit_entry where request_id = '" + eventId + "'"));
        assertEquals(1, count("select count(*) from alert_notification where patient_id = '" + patient + "'"), "one notification");
        // a record of an unknown type after it, on the same partition (same key), is dead-lettered: only that one
        KafkaTestClient.publishEvent(findings(), patient, "org.hdil2.monitoring.unheard-of.v1", "{}");
        List<ConsumerRecord<String, String>> dead = KafkaTestClient.awaitRecords(findings() + ".dlq",
                rs -> rs.stream().anyMatch(r -> patient.equals(r.key()) && "org.hdil2.monitoring.unheard-of.v1".equals(type(r))),
                Duration.ofSeconds(60));
        assertEquals(List.of("org.hdil2.monitoring.unheard-of.v1"), dead.stream().filter(r -> patient.equals(r.key())).map(AlertApiTest::type).toList());
    }

    private static String type(ConsumerRecord<String, String> r) {
        return CloudEventHeaders.read(r.headers(), CloudEventHeaders.TYPE);
    }

    /**
     * The consumer takes a poll at a time in one transaction: when that fails on one record (here the database refuses
     * the first insert of one of three findings), the poll is rolled back and each record runs alone, so every finding
     * becomes exactly one alert, one inbox row and one notification.
     */
    @Test
    void aPollWhoseTransactionFailsOnOneRecordRunsEachAloneAndNoneTwice() throws Exception {
        String patient = "p-alrt-batch";
        try (java.sql.Connection c = db.getConnection(); java.sql.Statement st = c.createStatement()) {
            st.execute("create sequence alert_test_fail_once");
            st.execute("create function alert_test_fail_once() returns trigger language plpgsql as $$ begin "
                    + "if new.patient_id = '" + patient + "' and new.rule_id = 'NEWS2-SINGLE-3' and nextval('alert_test_fail_once') = 1 "
                    + "then raise exception 'the first insert of this alert fails'; end if; return new; end $$");
            st.execute("create trigger alert_test_fail_once before insert on alert for each row execute function alert_test_fail_once()");
        }
        try {
            List<String> rules = List.of("LABEL-2024-CV-SBP", "NEWS2-SINGLE-3", "LABEL-2024-RESP-SPO2");
            for (String rule : rules) {
                ObjectNode raised = (ObjectNode) JSON.readTree(example(RAISED, patient, UUID.randomUUID().toString()));
                ((ObjectNode) raised.path("rule")).put("id", rule);
                KafkaTestClient.publishEvent(findings(), patient, RAISED, raised.toString());
            }
            await().atMost(Duration.ofSeconds(60)).until(() -> count("select count(*) from alert where patient_id = '" + patient + "'") == 3);
            assertEquals(3, count("select count(distinct rule_id) from alert where patient_id = '" + patient + "'"));
            assertEquals(3, count("select count(*) from alert_notification where patient_id = '" + patient + "'"), "one notification each");
            assertEquals(3, count("select count(*) from audit_entry where patient_id = '" + patient + "'"), "one audit entry each");
            assertTrue(count("select last_value from alert_test_fail_once") >= 2, "the refused insert was tried again");
        } finally {
            try (java.sql.Connection c = db.getConnection(); java.sql.Statement st = c.createStatement()) {
                st.execute("drop trigger alert_test_fail_once on alert");
                st.execute("drop function alert_test_fail_once()");
                st.execute("drop sequence alert_test_fail_once");
            }
        }
    }

    private static final com.fasterxml.jackson.databind.ObjectMapper JSON = new com.fasterxml.jackson.databind.ObjectMapper();

    @Test
    void aPoisonRecordIsDeadLetteredAndTheConsumerGoesOn() {
        KafkaTestClient.publishEvent(findings(), "p-alrt-3", "org.hdil2.monitoring.unheard-of.v1", "{}");
        ConsumerRecord<String, String> dead = KafkaTestClient.awaitRecord(findings() + ".dlq", r -> "p-alrt-3".equals(r.key()),
                Duration.ofSeconds(60));
        String reason = new String(dead.headers().lastHeader(CloudEventHeaders.DEAD_LETTER_REASON).value(), StandardCharsets.UTF_8);
        assertTrue(reason.contains("not in the contract"), reason);
        KafkaTestClient.publishEvent(findings(), "p-alrt-3", RAISED, example(RAISED, "p-alrt-3", UUID.randomUUID().toString()));
        await().atMost(Duration.ofSeconds(60)).until(() -> count("select count(*) from alert where patient_id = 'p-alrt-3'") == 1);
    }

    @Test
    void withoutATokenItIs401AndWithTheWrongRole403AndABadFilter400() {
        given().get("/api/v1/alerts").then().statusCode(401);
        given().header("Authorization", TestTokens.bearer("device")).get("/api/v1/alerts").then().statusCode(403);
        given().header("Authorization", TestTokens.bearer("nurse")).get("/api/v1/alerts?status=SNOOZED").then().statusCode(400)
                .contentType("application/problem+json").body("code", equalTo("ALRT-0101"));
        given().header("Authorization", TestTokens.bearer("nurse")).get("/api/v1/alerts?size=0").then().statusCode(400)
                .body("code", equalTo("ALRT-0002"));
        given().header("Authorization", TestTokens.bearer("nurse")).get("/api/v1/alerts/" + UUID.randomUUID()).then().statusCode(404)
                .body("code", equalTo("ALRT-0102"));
    }

    private long count(String sql) {
        return TestDb.count(db, sql);
    }
}
