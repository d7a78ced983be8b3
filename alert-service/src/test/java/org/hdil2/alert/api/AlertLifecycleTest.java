package org.hdil2.alert.api;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import jakarta.inject.Inject;

import com.fasterxml.jackson.databind.JsonNode;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.hdil2.alert.support.Alerts;
import org.hdil2.alert.support.Findings;
import org.hdil2.alert.support.Findings.Rule;
import org.hdil2.alert.support.TestClock;
import org.hdil2.alert.support.WebhookReceiver;
import org.hdil2.contract.ContractAssertions;
import org.hdil2.testinfra.KafkaTestClient;
import org.hdil2.testinfra.RealInfraResource;
import org.hdil2.testinfra.TestTokens;
import org.junit.jupiter.api.Test;

import io.agroal.api.AgroalDataSource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;

/**
 * The alert use cases wired end to end on the real broker and database: each branch of {@code AlertLifecycle} (raise,
 * update, open alert met again, reopen, clear, people's commands) once, repeats, and roles. Every lifecycle rule on its
 * own is in {@code domain/AlertTest}.
 */
@QuarkusTest
@WithTestResource(value = RealInfraResource.class, initArgs = {
        @ResourceArg(name = "service", value = "alrt"),
        @ResourceArg(name = "topics", value = "hdil2.monitoring.findings.v1,hdil2.alerts.events.v1") })
@WithTestResource(WebhookReceiver.class)
class AlertLifecycleTest {

    @Inject
    AgroalDataSource db;

    @Inject
    TestClock clock;

    static String events() {
        return KafkaTestClient.topic("hdil2.alerts.events.v1");
    }

    /** Every alert event of the patient with {@code change} / of {@code type}, checked against the contract. */
    static JsonNode awaitEvent(String patient, String type, String change) {
        ConsumerRecord<String, String> r = KafkaTestClient.awaitRecord(events(), rec -> patient.equals(rec.key())
                && type.equals(new String(rec.headers().lastHeader("ce_type").value()))
                && (change == null || rec.value().contains("\"change\":\"" + change + "\"")), Alerts.WAIT);
        return ContractAssertions.assertConforms(r);
    }

    @Test
    void aLatchedHighAlertShowsTheClearingAndEndsOnAcknowledgementWithItsHistory() {
        String patient = "p-life-latch";
        String finding = Findings.newId();
        Findings.raise(patient, finding, Rule.SBP);
        String id = Alerts.awaitOne(patient, "ACTIVE");
        JsonPath a = Alerts.get(id);
        assertEquals("HIGH", a.getString("priority"));
        assertEquals("start", a.getString("phase"));
        assertEquals(true, a.getBoolean("latching"));
        assertTrue(a.getString("notice").contains("never a replacement for bedside device alarms"));

        Findings.clear(patient, finding, Rule.SBP);
        Alerts.awaitOne(patient, "LATCHED");
        a = Alerts.get(id);
        assertEquals("CLEARED", a.getString("condition"));
        assertEquals("latched", a.getString("alarmState"));
        assertTrue(a.getString("resolvedReason").startsWith("condition cleared: 104 mm[Hg]"), a.getString("resolvedReason"));

        given().header("Authorization", TestTokens.bearer("nurse-jo", "nurse")).contentType("application/json")
                .body("{\"note\":\"BP rechecked\"}").post("/api/v1/alerts/" + id + "/acknowledge").then().statusCode(200)
                .body("status", equalTo("RESOLVED")).body("phase", equalTo("end")).body("alarmState", equalTo("inactive"));

        List<Map<String, Object>> history = Alerts.get(id).getList("history");
        assertEquals(List.of("RAISE", "CONDITION_CLEARED", "END"), history.stream().map(h -> h.get("action")).toList());
        assertEquals("user:nurse-jo", history.get(2).get("actor"));
        assertEquals("LATCHED", history.get(2).get("fromStatus"));
        assertEquals("RESOLVED", history.get(2).get("toStatus"));
        assertEquals(List.of("START", "UPDATE", "END"), phases(patient));

        awaitEvent(patient, "org.hdil2.alerts.alert-raised.v1", null);
        awaitEvent(patient, "org.hdil2.alerts.alert-updated.v1", "CONDITION_CLEARED");
        JsonNode resolved = awaitEvent(patient, "org.hdil2.alerts.alert-resolved.v1", null);
        assertEquals("ACKNOWLEDGED_AFTER_CLEARING", resolved.path("outcome").asText());
        assertEquals(1, Alerts.count(db, "select count(*) from audit_entry where action = 'alert.acknowledge' and actor = 'nurse-jo' "
                + "and resource_id = '" + id + "'"));
    }


    @Test
    void aRepeatedFindingIdWithANewEventIdRaisesNoSecondAlertAndNoSecondNotification() {
        String patient = "p-life-repeat";
        String finding = Findings.newId();
        Findings.raise(patient, finding, Rule.SBP);
        Alerts.awaitOne(patient, "ACTIVE");
        String second = Findings.raise(patient, finding, Rule.SBP); // same finding, new ce_id (monitoring re-emitted it)
        Alerts.awaitProcessed(db, second);
        assertEquals(1, Alerts.of(patient).getList("$").size());
        assertEquals(1, Alerts.notifications(db, patient));
        assertEquals(1, Alerts.count(db, "select count(*) from webhook_delivery d join alert_notification n on n.id = d.notification_id "
                + "where n.patient_id = '" + patient + "'"));
        // an update that changes nothing people see is not a notification either
        String same = Findings.update(patient, finding, Rule.SBP, "HIGH", "HIGH");
        Alerts.awaitProcessed(db, same);
        assertEquals(1, Alerts.notifications(db, patient));
    }

    @Test
    void aFlappingConditionReopensTheSameAlertWithinTheWindowAndRaisesANewOneAfterIt() {
        String patient = "p-life-flap";
        String f1 = Findings.newId();
        Findings.raise(patient, f1, Rule.NEWS2_URGENT);
        String id = Alerts.awaitOne(patient, "ACTIVE");
        assertEquals("MEDIUM", Alerts.get(id).getString("priority"));
        assertEquals(false, Alerts.get(id).getBoolean("latching"));
        Findings.clear(patient, f1, Rule.NEWS2_URGENT);
        Alerts.awaitOne(patient, "RESOLVED"); // MEDIUM does not latch

        String f2 = Findings.newId(); // met again: monitoring gives the new episode a new finding id
        Findings.raise(patient, f2, Rule.NEWS2_URGENT);
        assertEquals(id, Alerts.awaitOne(patient, "ACTIVE"));
        assertEquals(1, Alerts.get(id).getInt("reopenCount"));
        awaitEvent(patient, "org.hdil2.alerts.alert-updated.v1", "REOPENED");
        Findings.clear(patient, f2, Rule.NEWS2_URGENT);
        Alerts.awaitOne(patient, "RESOLVED");

        clock.advance(Duration.ofMinutes(11)); // past the 10-minute flap window
        Findings.raise(patient, Findings.newId(), Rule.NEWS2_URGENT);
        List<Map<String, Object>> alerts = Alerts.awaitAlerts(patient, l -> l.size() == 2);
        assertNotEquals(id, alerts.get(0).get("id"));
        assertEquals("ACTIVE", alerts.get(0).get("status"));
        assertEquals(List.of("START", "END", "UPDATE", "END", "START"), phases(patient));
    }


    @Test
    void aLatchedAlertMetAgainBecomesActiveAgainInsteadOfASecondAlert() {
        String patient = "p-life-relatch";
        String f1 = Findings.newId();
        Findings.raise(patient, f1, Rule.SBP);
        String id = Alerts.awaitOne(patient, "ACTIVE");
        Findings.clear(patient, f1, Rule.SBP);
        Alerts.awaitOne(patient, "LATCHED");
        Findings.raise(patient, Findings.newId(), Rule.SBP);
        assertEquals(id, Alerts.awaitOne(patient, "ACTIVE"));
        assertEquals("PRESENT", Alerts.get(id).getString("condition"));
        assertEquals(List.of("START", "UPDATE", "UPDATE"), phases(patient));
    }

    @Test
    void aFindingUpdateThatRaisesTheSeverityRaisesThePriorityAndMakesTheAlertLatch() {
        String patient = "p-life-upd";
        String finding = Findings.newId();
        Findings.raise(patient, finding, Rule.NEWS2_URGENT);
        String id = Alerts.awaitOne(patient, "ACTIVE");
        Findings.update(patient, finding, Rule.NEWS2_URGENT, "HIGH", "MEDIUM");
        await().atMost(Alerts.WAIT).until(() -> "HIGH".equals(Alerts.get(id).getString("priority")));
        assertEquals(true, Alerts.get(id).getBoolean("latching"));
        JsonNode updated = awaitEvent(patient, "org.hdil2.alerts.alert-updated.v1", "UPDATED");
        assertEquals("MEDIUM", updated.path("previousPriority").asText());
        Findings.clear(patient, finding, Rule.NEWS2_URGENT);
        Alerts.awaitOne(patient, "LATCHED");
    }

    @Test
    void aPhysicianDismissesWithACodedReasonAndBadRequestsWriteNothing() {
        String patient = "p-life-dismiss";
        Findings.raise(patient, Findings.newId(), Rule.NEWS2_SINGLE);
        String id = Alerts.awaitOne(patient, "ACTIVE");
        assertEquals("LOW", Alerts.get(id).getString("priority"));
        String physician = TestTokens.bearer("dr-who", "physician");
        long transitions = Alerts.count(db, "select count(*) from alert_transition where alert_id = '" + id + "'");

        given().header("Authorization", Alerts.nurse()).contentType("application/json").body("{\"reason\":\"ARTEFACT\"}")
                .post("/api/v1/alerts/" + id + "/dismiss").then().statusCode(403).body("code", equalTo("ALRT-0011"));
        given().header("Authorization", physician).contentType("application/json").body("{\"reason\":\"OTHER\"}")
                .post("/api/v1/alerts/" + id + "/dismiss").then().statusCode(400).body("code", equalTo("ALRT-0105"));
        given().header("Authorization", physician).contentType("application/json").body("{\"reason\":\"BORED\"}")
                .post("/api/v1/alerts/" + id + "/dismiss").then().statusCode(400).body("code", equalTo("ALRT-0003"));
        given().header("Authorization", physician).contentType("application/json").body("{}")
                .post("/api/v1/alerts/" + id + "/dismiss").then().statusCode(400).body("code", equalTo("ALRT-0002"));
        given().header("Authorization", physician).contentType("application/json").body("{\"text\":\"\"}")
                .post("/api/v1/alerts/" + id + "/comments").then().statusCode(400).body("code", equalTo("ALRT-0002"));
        assertEquals(transitions, Alerts.count(db, "select count(*) from alert_transition where alert_id = '" + id + "'"));
        assertEquals("ACTIVE", Alerts.get(id).getString("status"));

        given().header("Authorization", Alerts.nurse()).contentType("application/json").body("{\"text\":\"patient moving\"}")
                .post("/api/v1/alerts/" + id + "/comments").then().statusCode(200);
        given().header("Authorization", physician).contentType("application/json")
                .body("{\"reason\":\"ARTEFACT\",\"text\":\"probe off\"}").post("/api/v1/alerts/" + id + "/dismiss").then()
                .statusCode(200).body("status", equalTo("DISMISSED")).body("dismissReason", equalTo("ARTEFACT"));
        List<Map<String, Object>> history = Alerts.get(id).getList("history");
        assertEquals(List.of("RAISE", "COMMENT", "DISMISS"), history.stream().map(h -> h.get("action")).toList());
        assertEquals("patient moving", history.get(1).get("detail"));
        JsonNode resolved = awaitEvent(patient, "org.hdil2.alerts.alert-resolved.v1", null);
        assertEquals("DISMISSED", resolved.path("status").asText());
        assertEquals("ARTEFACT", resolved.path("dismissReason").asText());
        JsonNode commented = awaitEvent(patient, "org.hdil2.alerts.alert-updated.v1", "COMMENTED");
        assertTrue(!commented.toString().contains("patient moving"), "analytics events carry no comment text");
        given().header("Authorization", physician).contentType("application/json").body("{\"reason\":\"ARTEFACT\"}")
                .post("/api/v1/alerts/" + id + "/dismiss").then().statusCode(409).body("code", equalTo("ALRT-0104"));
    }

    @Test
    void filtersAndRolesOnTheList() {
        given().header("Authorization", Alerts.nurse()).get("/api/v1/alerts?minPriority=URGENT").then().statusCode(400)
                .body("code", equalTo("ALRT-0107"));
        given().header("Authorization", Alerts.nurse()).get("/api/v1/alerts?status=OPEN,LATCHED").then().statusCode(400)
                .body("code", equalTo("ALRT-0101"));
        given().header("Authorization", Alerts.nurse()).get("/api/v1/alerts?status=ACTIVE,LATCHED&minPriority=HIGH").then()
                .statusCode(200);
        given().header("Authorization", TestTokens.bearer("analyst")).contentType("application/json").body("{}")
                .post("/api/v1/alerts/" + java.util.UUID.randomUUID() + "/acknowledge").then().statusCode(403);
        given().header("Authorization", Alerts.nurse()).contentType("application/json").body("{}")
                .post("/api/v1/alerts/" + java.util.UUID.randomUUID() + "/acknowledge").then().statusCode(404)
                .body("code", equalTo("ALRT-0102"));
    }

    private List<String> phases(String patient) {
        return Alerts.count(db, "select count(*) from alert_notification where patient_id = '" + patient + "'") == 0 ? List.of()
                : phaseList(patient);
    }

    private List<String> phaseList(String patient) {
        List<String> out = new java.util.ArrayList<>();
        try (var c = db.getConnection(); var st = c.prepareStatement("select phase from alert_notification where patient_id = ? order by id")) {
            st.setString(1, patient);
            try (var rs = st.executeQuery()) {
                while (rs.next()) {
                    out.add(rs.getString(1));
                }
            }
        } catch (java.sql.SQLException e) {
            throw new IllegalStateException(e);
        }
        return out;
    }
}
