package org.hdil2.alert.delivery;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import jakarta.inject.Inject;

import org.hdil2.alert.support.Alerts;
import org.hdil2.alert.support.Findings;
import org.hdil2.alert.support.Findings.Rule;
import org.hdil2.alert.support.WebhookReceiver;
import org.hdil2.testinfra.RealInfraResource;
import org.junit.jupiter.api.Test;

import io.agroal.api.AgroalDataSource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;

/** Webhook deliveries to a local HTTP receiver that fails: retried with backoff, recorded, given up after the maximum. */
@QuarkusTest
@WithTestResource(value = RealInfraResource.class, initArgs = {
        @ResourceArg(name = "service", value = "alrt"),
        @ResourceArg(name = "topics", value = "hdil2.monitoring.findings.v1,hdil2.alerts.events.v1") })
@WithTestResource(WebhookReceiver.class)
class WebhookDeliveryTest {

    @Inject
    AgroalDataSource db;

    private String delivery(String patient, String column) {
        try (var c = db.getConnection(); var st = c.prepareStatement("select d." + column + " from webhook_delivery d join "
                + "alert_notification n on n.id = d.notification_id where n.patient_id = ? order by d.id limit 1")) {
            st.setString(1, patient);
            try (var rs = st.executeQuery()) {
                return rs.next() ? rs.getString(1) : null;
            }
        } catch (java.sql.SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void aFailingReceiverGetsTheAlertOnTheThirdAttemptSignedAndShapedAfterAcm() {
        String patient = "p-hook-1";
        WebhookReceiver.failFirst(patient, 2);
        Findings.raise(patient, Findings.newId(), Rule.SBP);
        Alerts.awaitOne(patient, "ACTIVE");
        await().atMost(Alerts.WAIT).until(() -> "DELIVERED".equals(delivery(patient, "status")));
        assertEquals("3", delivery(patient, "attempts"));
        List<WebhookReceiver.Call> calls = WebhookReceiver.callsFor(patient);
        assertEquals(List.of(500, 500, 204), calls.stream().map(WebhookReceiver.Call::answeredWith).toList());
        WebhookReceiver.Call ok = calls.get(2);
        assertEquals(calls.get(0).header("X-HDIL2-Delivery"), ok.header("X-HDIL2-Delivery"), "one delivery, retried");
        assertEquals("3", ok.header("X-HDIL2-Attempt"));
        assertEquals("sha256=" + WebhookDispatcher.hmac(WebhookReceiver.SECRET, ok.raw()), ok.header("X-HDIL2-Signature"));
        assertEquals("start", ok.body().path("phase").asText());
        assertEquals("PH", ok.body().path("acmPriority").asText());
        assertEquals("ACTIVE", ok.body().path("state").asText());
        assertEquals("LABEL-2024-CV-SBP", ok.body().path("rule").path("id").asText());
        assertTrue(ok.body().path("text").asText().startsWith("Withhold aldesleukin"));
        assertTrue(ok.body().has("sourceObservation") && ok.body().has("alertId") && ok.body().has("time"));
        assertEquals("HTTP 500", delivery(patient, "last_error"));
    }

    @Test
    void aReceiverThatNeverAnswersWellIsGivenUpAfterTheMaximumAndLaterPhasesWaitForEarlierOnes() {
        String patient = "p-hook-2";
        WebhookReceiver.failFirst(patient, Integer.MAX_VALUE);
        String finding = Findings.newId();
        Findings.raise(patient, finding, Rule.NEWS2_URGENT);
        Alerts.awaitOne(patient, "ACTIVE");
        Findings.clear(patient, finding, Rule.NEWS2_URGENT);
        Alerts.awaitOne(patient, "RESOLVED");
        await().atMost(Alerts.WAIT).until(() -> Alerts.count(db, "select count(*) from webhook_delivery d join alert_notification n "
                + "on n.id = d.notification_id where n.patient_id = '" + patient + "' and d.status = 'FAILED'") == 2);
        assertEquals(8, WebhookReceiver.callsFor(patient).size(), "4 attempts each (max-attempts=4 in tests)");
        // the start was tried to the end before the end phase was first tried
        List<String> phases = WebhookReceiver.callsFor(patient).stream().map(c -> c.body().path("phase").asText()).toList();
        assertEquals(List.of("start", "start", "start", "start", "end", "end", "end", "end"), phases);
    }
}
