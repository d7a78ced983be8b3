package org.hdil2.alert.delivery;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import jakarta.inject.Inject;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

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

/** Escalation by policy on a controlled clock; timers persisted across a scheduler restart; two claimers act once. */
@QuarkusTest
@WithTestResource(value = RealInfraResource.class, initArgs = {
        @ResourceArg(name = "service", value = "alrt"),
        @ResourceArg(name = "topics", value = "hdil2.monitoring.findings.v1,hdil2.alerts.events.v1") })
@WithTestResource(WebhookReceiver.class)
class EscalationTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Inject
    AgroalDataSource db;

    @Inject
    TestClock clock;

    @Inject
    EscalationScheduler scheduler;

    static void assign(String ward, String bed, String patient, String user, String role) {
        StringBuilder body = new StringBuilder("{\"ward\":\"" + ward + "\",\"user\":\"" + user + "\",\"role\":\"" + role + "\"");
        if (bed != null) {
            body.append(",\"bed\":\"").append(bed).append("\"");
        }
        if (patient != null) {
            body.append(",\"patientId\":\"").append(patient).append("\"");
        }
        body.append(",\"validFrom\":\"2020-01-01T00:00:00Z\"}");
        given().header("Authorization", TestTokens.bearer("charge-nurse", "nurse")).contentType("application/json")
                .body(body.toString()).post("/api/v1/assignments").then().statusCode(201);
    }

    /** The patient's notifications in order, as JSON. */
    List<JsonNode> notifications(String patient) {
        List<JsonNode> out = new ArrayList<>();
        try (var c = db.getConnection(); var st = c.prepareStatement("select payload from alert_notification where patient_id = ? order by id")) {
            st.setString(1, patient);
            try (var rs = st.executeQuery()) {
                while (rs.next()) {
                    out.add(JSON.readTree(rs.getString(1)));
                }
            }
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
        return out;
    }

    long escalations(String alertId) {
        return Alerts.count(db, "select count(*) from alert_transition where action = 'ESCALATE' and alert_id = '" + alertId + "'");
    }

    @Test
    void aHighAlertGoesToThePrimaryNurseThenTheChargeNurseAfterTwoMinutesThenThePhysicianAfterFive() {
        String patient = "p-esc-high";
        assign("W7", "7-01", patient, "nurse-ann", "PRIMARY_NURSE");
        assign("W7", null, null, "charge-bo", "CHARGE_NURSE");
        assign("W7", "7-01", null, "dr-cy", "PHYSICIAN");
        Findings.raise(patient, Findings.newId(), Rule.SBP);
        String id = Alerts.awaitOne(patient, "ACTIVE");
        JsonNode start = notifications(patient).get(0);
        assertEquals("start", start.path("phase").asText());
        assertEquals("PRIMARY_NURSE", start.path("targetRole").asText());
        assertEquals("[\"nurse-ann\"]", start.path("recipients").toString());
        assertEquals("W7", start.path("ward").asText());
        assertEquals("7-01", start.path("bed").asText());
        assertEquals(0, Alerts.get(id).getInt("escalationLevel"));

        clock.advance(Duration.ofSeconds(121));
        await().atMost(Alerts.WAIT).until(() -> Alerts.get(id).getInt("escalationLevel") == 1);
        JsonNode second = notifications(patient).get(1);
        assertEquals("escalate", second.path("phase").asText());
        assertEquals("CHARGE_NURSE", second.path("targetRole").asText());
        assertEquals("[\"charge-bo\"]", second.path("recipients").toString());

        var escalated = KafkaTestClient.awaitRecord(KafkaTestClient.topic("hdil2.alerts.events.v1"), r -> patient.equals(r.key())
                && r.value().contains("\"change\":\"ESCALATED\""), Alerts.WAIT);
        JsonNode event = ContractAssertions.assertConforms(escalated);
        assertEquals("CHARGE_NURSE", event.path("targetRole").asText());
        assertEquals(1, event.path("escalationLevel").asInt());

        clock.advance(Duration.ofSeconds(180));
        await().atMost(Alerts.WAIT).until(() -> Alerts.get(id).getInt("escalationLevel") == 2);
        assertEquals("[\"dr-cy\"]", notifications(patient).get(2).path("recipients").toString());
        assertEquals("PHYSICIAN", notifications(patient).get(2).path("targetRole").asText());
        assertNull(Alerts.get(id).getString("nextEscalationAt"));

        clock.advance(Duration.ofMinutes(30)); // the policy has no fourth step
        scheduler.runOnce();
        assertEquals(2, escalations(id));
        given().header("Authorization", TestTokens.bearer("dr-cy", "physician")).contentType("application/json").body("{}")
                .post("/api/v1/alerts/" + id + "/acknowledge").then().statusCode(200);
        assertEquals(3, Alerts.count(db, "select count(*) from audit_entry where resource_id = '" + id + "' and action in "
                + "('alert.raise', 'alert.escalate', 'alert.acknowledge') and action <> 'alert.raise'"));
    }

    @Test
    void anAcknowledgedAlertDoesNotEscalateAndAMediumOneWaitsTenMinutes() {
        String acked = "p-esc-acked";
        Findings.raise(acked, Findings.newId(), Rule.SBP);
        String ackedId = Alerts.awaitOne(acked, "ACTIVE");
        given().header("Authorization", Alerts.nurse()).contentType("application/json").body("{}")
                .post("/api/v1/alerts/" + ackedId + "/acknowledge").then().statusCode(200);

        String medium = "p-esc-medium";
        Findings.raise(medium, Findings.newId(), Rule.NEWS2_URGENT);
        String mediumId = Alerts.awaitOne(medium, "ACTIVE");
        clock.advance(Duration.ofMinutes(6));
        scheduler.runOnce();
        assertEquals(0, escalations(mediumId));
        clock.advance(Duration.ofMinutes(5));
        await().atMost(Alerts.WAIT).until(() -> Alerts.get(mediumId).getInt("escalationLevel") == 1);
        assertEquals(0, escalations(ackedId));
        assertEquals("CHARGE_NURSE", notifications(medium).get(1).path("targetRole").asText());
        assertEquals("[]", notifications(medium).get(1).path("recipients").toString()); // nobody assigned: the ward's team
    }

    @Test
    void aPendingEscalationActsAfterTheSchedulerRestartsAndTwoConcurrentClaimersActOnce() throws Exception {
        scheduler.stop();
        try {
            List<String> ids = new ArrayList<>();
            for (int i = 0; i < 6; i++) {
                String patient = "p-esc-restart-" + i;
                Findings.raise(patient, Findings.newId(), Rule.SBP);
                ids.add(Alerts.awaitOne(patient, "ACTIVE"));
            }
            clock.advance(Duration.ofSeconds(150)); // every timer is due, but nobody is running them
            for (String id : ids) {
                assertEquals(0, Alerts.get(id).getInt("escalationLevel"));
            }
            // two replicas' claimers at the same moment: SKIP LOCKED gives each alert to one of them
            ExecutorService pool = Executors.newFixedThreadPool(2);
            CountDownLatch go = new CountDownLatch(1);
            Callable<Integer> claimer = () -> {
                go.await();
                int n = 0;
                int got;
                while ((got = scheduler.runOnce()) > 0) {
                    n += got;
                }
                return n;
            };
            Future<Integer> a = pool.submit(claimer);
            Future<Integer> b = pool.submit(claimer);
            go.countDown();
            int claimed = a.get() + b.get();
            pool.shutdown();
            for (String id : ids) {
                assertEquals(1, escalations(id), "escalated exactly once");
                assertEquals(1, Alerts.get(id).getInt("escalationLevel"));
            }
            assertEquals(true, claimed >= ids.size(), "every due alert was claimed: " + claimed);

            // the next step is still a timer in the database; a restarted scheduler takes it once
            clock.advance(Duration.ofMinutes(3));
            assertEquals(1, escalations(ids.get(0)));
            scheduler.start();
            for (String id : ids) {
                await().atMost(Alerts.WAIT).until(() -> Alerts.get(id).getInt("escalationLevel") == 2);
                assertEquals(2, escalations(id));
            }
        } finally {
            scheduler.start();
        }
    }
}
