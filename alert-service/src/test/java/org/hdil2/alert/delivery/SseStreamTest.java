package org.hdil2.alert.delivery;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.hdil2.alert.support.Alerts;
import org.hdil2.alert.support.Findings;
import org.hdil2.alert.support.Findings.Rule;
import org.hdil2.alert.support.WebhookReceiver;
import org.hdil2.testinfra.RealInfraResource;
import org.hdil2.testinfra.TestTokens;
import org.junit.jupiter.api.Test;

import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;

/** The SSE stream read by a real HTTP client: live delivery, filters, and resuming from Last-Event-ID. */
@QuarkusTest
@WithTestResource(value = RealInfraResource.class, initArgs = {
        @ResourceArg(name = "service", value = "alrt"),
        @ResourceArg(name = "topics", value = "hdil2.monitoring.findings.v1,hdil2.alerts.events.v1") })
@WithTestResource(WebhookReceiver.class)
class SseStreamTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @ConfigProperty(name = "quarkus.http.test-port")
    int port;

    /** One server-sent event. */
    record Event(long id, String name, JsonNode data) {
    }

    /** A connected SSE client; events arrive in {@link #events}. */
    final class Client implements AutoCloseable {
        final BlockingQueue<Event> events = new LinkedBlockingQueue<>();
        final HttpResponse<Stream<String>> response;
        final Thread reader;

        Client(String query, String lastEventId) throws Exception {
            HttpRequest.Builder req = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/api/v1/alerts/stream" + query))
                    .header("Authorization", TestTokens.bearer("nurse")).header("Accept", "text/event-stream");
            if (lastEventId != null) {
                req.header("Last-Event-ID", lastEventId);
            }
            response = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build().sendAsync(req.build(), HttpResponse.BodyHandlers.ofLines())
                    .get(20, TimeUnit.SECONDS);
            reader = new Thread(() -> {
                String id = null;
                String name = null;
                StringBuilder data = new StringBuilder();
                try {
                    for (var it = response.body().iterator(); it.hasNext();) {
                        String line = it.next();
                        if (line.isEmpty()) {
                            if (id != null && data.length() > 0) {
                                events.add(new Event(Long.parseLong(id), name, JSON.readTree(data.toString())));
                            }
                            id = null;
                            name = null;
                            data.setLength(0);
                        } else if (line.startsWith("id:")) {
                            id = line.substring(3).trim();
                        } else if (line.startsWith("event:")) {
                            name = line.substring(6).trim();
                        } else if (line.startsWith("data:")) {
                            data.append(line.substring(5).trim());
                        }
                    }
                } catch (Exception e) {
                    // closed
                }
            }, "sse-test-reader");
            reader.setDaemon(true);
            reader.start();
        }

        Event next() throws InterruptedException {
            Event e = events.poll(Alerts.WAIT.toSeconds(), TimeUnit.SECONDS);
            assertNotNull(e, "no server-sent event arrived");
            return e;
        }

        @Override
        public void close() {
            response.body().close();
        }
    }

    @Test
    void aClientSeesAlertsLiveAndAfterAReconnectGetsWhatItMissedInOrderThenLiveAgain() throws Exception {
        String patient = "p-sse-1";
        String finding = Findings.newId();
        long startId;
        try (Client client = new Client("?patientId=" + patient, null)) {
            assertEquals(200, client.response.statusCode());
            assertTrue(client.response.headers().firstValue("content-type").orElse("").startsWith("text/event-stream"));
            Findings.raise(patient, finding, Rule.SBP);
            Event start = client.next();
            assertEquals("alert", start.name());
            assertEquals("start", start.data().path("phase").asText());
            assertEquals("PH", start.data().path("acmPriority").asText());
            assertEquals(patient, start.data().path("patientId").asText());
            assertEquals("LABEL-2024-CV-SBP", start.data().path("rule").path("id").asText());
            // the contract's example names its protocol but no version: the push says what is known, no more
            assertEquals("label-2024", start.data().path("protocol").path("id").asText());
            assertTrue(start.data().path("protocol").path("version").isMissingNode());
            assertEquals("84", start.data().path("sourceObservation").path("value").asText());
            assertTrue(start.data().path("notice").asText().contains("never a replacement for bedside device alarms"));
            startId = start.id();
        }
        // while the client is away: the condition clears (latched update), a nurse acknowledges (end)
        Findings.clear(patient, finding, Rule.SBP);
        String alertId = Alerts.awaitOne(patient, "LATCHED");
        given().header("Authorization", Alerts.nurse()).contentType("application/json").body("{}")
                .post("/api/v1/alerts/" + alertId + "/acknowledge").then().statusCode(200);

        try (Client client = new Client("?patientId=" + patient, Long.toString(startId))) {
            Event update = client.next();
            Event end = client.next();
            assertEquals("update", update.data().path("phase").asText());
            assertEquals("LATCHED", update.data().path("state").asText());
            assertEquals("end", end.data().path("phase").asText());
            assertTrue(startId < update.id() && update.id() < end.id(), "ids increase");
            Findings.raise(patient, Findings.newId(), Rule.NEWS2_URGENT);
            Event live = client.next();
            assertEquals("start", live.data().path("phase").asText());
            assertEquals("NEWS2-URGENT", live.data().path("rule").path("id").asText());
            assertTrue(live.id() > end.id());
        }
        // the query parameter works like the header, and resuming from the start replays all four
        try (Client client = new Client("?patientId=" + patient + "&lastEventId=" + (startId - 1), null)) {
            List<Long> ids = new ArrayList<>();
            for (int i = 0; i < 4; i++) {
                ids.add(client.next().id());
            }
            assertEquals(startId, ids.get(0));
            assertEquals(ids.stream().sorted().distinct().toList(), ids);
        }
    }

    @Test
    void minPriorityAndWardFilterWhatAClientSees() throws Exception {
        String patient = "p-sse-2";
        try (Client high = new Client("?patientId=" + patient + "&minPriority=HIGH", null);
             Client all = new Client("?patientId=" + patient, null)) {
            Findings.raise(patient, Findings.newId(), Rule.NEWS2_SINGLE); // LOW
            Findings.raise(patient, Findings.newId(), Rule.SBP); // HIGH
            Event first = all.next();
            Event second = all.next();
            assertEquals(List.of("LOW", "HIGH"), List.of(first.data().path("priority").asText(), second.data().path("priority").asText()));
            Event onlyHigh = high.next();
            assertEquals("HIGH", onlyHigh.data().path("priority").asText());
            assertEquals(second.id(), onlyHigh.id());
        }
        String inWard = "p-sse-ward";
        EscalationTest.assign("WSSE", "S-1", inWard, "nurse-sse", "PRIMARY_NURSE");
        try (Client ward = new Client("?ward=WSSE", null)) {
            String elsewhere = "p-sse-elsewhere";
            Findings.raise(elsewhere, Findings.newId(), Rule.SBP);
            Alerts.awaitOne(elsewhere, "ACTIVE"); // its notification has the smaller id
            Findings.raise(inWard, Findings.newId(), Rule.SBP);
            Event first = ward.next();
            assertEquals(inWard, first.data().path("patientId").asText());
            assertEquals("S-1", first.data().path("bed").asText());
        }
    }

    @Test
    void theStreamNeedsATokenAndAValidLastEventId() {
        given().get("/api/v1/alerts/stream").then().statusCode(401);
        given().header("Authorization", TestTokens.bearer("device")).get("/api/v1/alerts/stream").then().statusCode(403);
        given().header("Authorization", Alerts.nurse()).header("Last-Event-ID", "yesterday").get("/api/v1/alerts/stream").then()
                .statusCode(400).body("code", equalTo("ALRT-0108"));
        given().header("Authorization", Alerts.nurse()).get("/api/v1/alerts/stream?minPriority=SOMETIMES").then()
                .statusCode(400).body("code", equalTo("ALRT-0107"));
    }
}
