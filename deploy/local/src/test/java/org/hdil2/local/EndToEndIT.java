package org.hdil2.local;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

import com.fasterxml.jackson.databind.JsonNode;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.hdil2.contract.ContractAssertions;
import org.hdil2.infra.InfraEndpoints;
import org.hdil2.infra.TopicReader;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * The four packaged services as separate JVMs on the real broker and database: one clinical path through all of
 * them, and a crash between a service's commit and its publish.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class EndToEndIT {

    private static final Duration READY = TestStack.READY;
    private static final Duration FLOW = Duration.ofSeconds(60);
    private static TestStack run;
    private static InfraEndpoints infra;
    private static Stack stack;
    private static String suffix;

    @BeforeAll
    static void startSuite() throws IOException {
        run = TestStack.start("e2e");
        infra = run.infra;
        stack = run.stack;
        suffix = run.suffix;
    }

    @AfterAll
    static void stopSuite() {
        if (run != null) {
            run.close();
        }
    }

    @Test
    @Order(1)
    void screeningCourseHypotensionHoldRecoveryAndDoseGiven() {
        String patient = "e2e-001";
        String physician = stack.token("dr-e2e", "physician", Duration.ofHours(1));
        String nurse = stack.token("nurse-e2e", "nurse", Duration.ofHours(1));

        Http.Response screening = Http.post(stack.url(Service.ELIGIBILITY) + "/api/v1/screenings", physician,
                DemoPatient.screeningRequest(patient, "METASTATIC_MELANOMA", "2.8", "81"));
        assertEquals(201, screening.status(), screening.body().toString());
        assertEquals("ELIGIBLE", screening.body().path("outcome").asText());

        String dosing = stack.url(Service.DOSING);
        String order = """
                {"patientId":"%s","dosingWeightKg":82.5,"weightMeasuredAt":"%s","weightSource":"bed scale","firstDoseAt":"%s"}"""
                .formatted(patient, Instant.now().minus(3, ChronoUnit.HOURS).truncatedTo(ChronoUnit.SECONDS),
                        Instant.now().truncatedTo(ChronoUnit.SECONDS));
        JsonNode course = await("dosing-service to learn of the screening", () -> {
            Http.Response r = Http.post(dosing + "/api/v1/courses", physician, order);
            return r.status() == 201 ? r.body() : null;
        });
        assertEquals(49_500_000L, course.path("doseIu").asLong(), "600,000 IU/kg x 82.5 kg");
        assertEquals(28, course.path("doses").size());
        String decision = dosing + "/api/v1/courses/" + course.path("id").asText() + "/doses/next/decision";
        assertEquals("ASSESS", Http.get(decision, nurse).body().path("decision").asText(), "not verified, no blood pressure");
        String pharmacist = stack.token("pharm-e2e", "pharmacist", Duration.ofHours(1));
        Http.Response verified = Http.post(dosing + "/api/v1/courses/" + course.path("id").asText() + "/verification", pharmacist, "");
        assertEquals(200, verified.status(), verified.body().toString());
        JsonNode prep = Http.get(dosing + "/api/v1/courses/" + course.path("id").asText() + "/preparation", pharmacist).body();
        assertEquals(3, prep.path("vials").asInt(), "49.5 MIU needs 3 vials of 22 MIU");
        assertEquals(50, prep.path("d5wMl").asInt());
        assertTrue(prep.path("concentrationInRange").asBoolean());

        observe(patient, nurse, 83, Instant.now().minus(10, ChronoUnit.MINUTES));
        JsonNode hold = awaitDecision(decision, nurse, "HOLD");
        assertEquals("LABEL-2024-CV-SBP", hold.path("findings").get(0).path("ruleId").asText());
        assertEquals(83, hold.path("findings").get(0).path("value").asInt());
        // NEWS2 also raises a LOW single-parameter alert for SBP <= 90; the hypotension alert is the HIGH one
        String alerts = stack.url(Service.ALERT) + "/api/v1/alerts?patientId=" + patient + "&minPriority=HIGH";
        JsonNode alert = await("an active alert", () -> {
            JsonNode list = Http.get(alerts, nurse).body();
            return list.size() == 1 && "ACTIVE".equals(list.get(0).path("status").asText()) ? list.get(0) : null;
        });
        assertEquals("HIGH", alert.path("priority").asText());
        String given1 = """
                {"startedAt":"%s","iuGiven":49500000}""".formatted(Instant.now());
        Map<String, String> secondNurse = Map.of("Second-Signature", "Bearer " + stack.token("nurse-e2e-2", "nurse", Duration.ofHours(1)));
        Http.Response refused = Http.post(dosing + "/api/v1/courses/" + course.path("id").asText() + "/doses/1/administration", nurse, given1,
                secondNurse);
        assertEquals(409, refused.status());

        observe(patient, nurse, 101, Instant.now().minus(2, ChronoUnit.MINUTES));
        awaitDecision(decision, nurse, "GIVE");
        // a HIGH alert latches: the clearing is shown, and it ends when a nurse acknowledges it
        String alertUrl = stack.url(Service.ALERT) + "/api/v1/alerts/" + alert.path("id").asText();
        await("the alert latched", () -> "LATCHED".equals(Http.get(alertUrl, nurse).body().path("status").asText()) ? true : null);
        assertEquals("CLEARED", Http.get(alertUrl, nurse).body().path("condition").asText());
        Http.Response ack = Http.post(alertUrl + "/acknowledge", nurse, "{}");
        assertEquals(200, ack.status(), ack.body().toString());
        assertEquals("RESOLVED", ack.body().path("status").asText());
        JsonNode history = Http.get(alertUrl, nurse).body().path("history");
        assertEquals("RAISE", history.get(0).path("action").asText());
        assertEquals("END", history.get(history.size() - 1).path("action").asText());

        Http.Response given = Http.post(dosing + "/api/v1/courses/" + course.path("id").asText() + "/doses/1/administration", nurse, given1,
                secondNurse);
        assertEquals(200, given.status(), given.body().toString());
        assertEquals("GIVEN", given.body().path("doses").get(0).path("status").asText());

        // who touched the record, as the privacy officer finds it in each service: reads by the readers' own identities
        // (monitoring's intake was read by dosing with the nurse's token), changes from the audit trail
        String privacy = stack.token("privacy-e2e", "privacy-officer", Duration.ofHours(1));
        String courseId = course.path("id").asText();
        assertAccess(Service.ELIGIBILITY, patient, privacy, "CHANGE", "dr-e2e", null);
        assertAccess(Service.DOSING, patient, privacy, "READ", "pharm-e2e", "Preparation");
        assertAccess(Service.DOSING, patient, privacy, "READ", "nurse-e2e", "DoseDecision");
        assertAccess(Service.DOSING, patient, privacy, "CHANGE", "nurse-e2e", null);
        assertAccess(Service.MONITORING, patient, privacy, "READ", "nurse-e2e", "Intake");
        assertAccess(Service.ALERT, patient, privacy, "SEARCH", "nurse-e2e", "Alert");
        assertAccess(Service.ALERT, patient, privacy, "READ", "nurse-e2e", "Alert");
        assertEquals(courseId, accessLog(Service.DOSING, patient, privacy).findValuesAsText("resourceId").stream()
                .filter(courseId::equals).findFirst().orElse(null));
        for (Service s : Service.values()) {
            assertEquals(403, Http.get(stack.url(s) + "/api/v1/access-log?patientId=" + patient, nurse).status(), s.module());
        }

        // every event of the path is on its topic, per contract
        assertEvents("hdil2.eligibility.screenings.v1", patient, 1);
        // ordered, verified, hold started, hold ended, given
        assertEvents("hdil2.dosing.events.v1", patient, 5);
        assertEvents("hdil2.monitoring.observations.v1", patient, 16);
        assertEvents("hdil2.monitoring.findings.v1", patient, 4);
        // raised, updated (condition cleared), resolved; more if it escalated before the acknowledgement
        assertEvents("hdil2.alerts.events.v1", patient, 3);
    }

    @Test
    @Order(2)
    void anEventCommittedBeforeACrashIsPublishedAfterTheRestart() {
        String physician = stack.token("dr-crash", "physician", Duration.ofHours(1));
        // the relay paused stands for the instant between commit and publish; then the process is killed outright
        stack.restart(Service.ELIGIBILITY, false, Map.of("HDIL2_OUTBOX_RELAY_ENABLED", "false"), READY);
        Http.Response r = Http.post(stack.url(Service.ELIGIBILITY) + "/api/v1/screenings", physician, """
                {"patientId":"e2e-crash","indication":"OTHER","findings":{}}""");
        assertEquals(201, r.status(), r.body().toString());
        String screeningId = r.body().path("id").asText();
        String topic = "hdil2.eligibility.screenings.v1" + suffix;
        List<ConsumerRecord<String, String>> before = TopicReader.read(infra.kafkaBootstrap(), topic, rs -> false, Duration.ofSeconds(2));
        assertTrue(before.stream().noneMatch(rec -> rec.value().contains(screeningId)), "not published before the crash");

        stack.restart(Service.ELIGIBILITY, true, Map.of(), READY);
        List<ConsumerRecord<String, String>> after = TopicReader.read(infra.kafkaBootstrap(), topic,
                rs -> rs.stream().anyMatch(rec -> rec.value().contains(screeningId)), FLOW);
        List<ConsumerRecord<String, String>> published = after.stream().filter(rec -> rec.value().contains(screeningId)).toList();
        assertEquals(1, published.size(), "published once after the restart");
        ContractAssertions.assertConforms(published.get(0));
    }

    /** A nurse's full bedside set: the decision needs SBP, SpO2 and the confusion grade fresh, NEWS2 needs the rest. */
    private static JsonNode accessLog(Service service, String patient, String privacyOfficer) {
        Http.Response r = Http.get(stack.url(service) + "/api/v1/access-log?patientId=" + patient + "&size=1000", privacyOfficer);
        assertEquals(200, r.status(), r.body().toString());
        return r.body();
    }

    private static void assertAccess(Service service, String patient, String privacyOfficer, String kind, String actor,
                                     String resourceType) {
        JsonNode entries = accessLog(service, patient, privacyOfficer);
        for (JsonNode e : entries) {
            if (kind.equals(e.path("kind").asText()) && actor.equals(e.path("actor").asText())
                    && (resourceType == null || resourceType.equals(e.path("resourceType").asText()))) {
                return;
            }
        }
        throw new AssertionError(service.module() + ": no " + kind + " by " + actor + " of " + resourceType + " in " + entries);
    }

    private static void observe(String patient, String nurse, int sbp, Instant at) {
        Http.Response r = Http.post(stack.url(Service.MONITORING) + "/api/v1/observations/batch", nurse,
                DemoPatient.bedsideSet(patient, sbp, at));
        assertEquals(2, r.status() / 100, r.body().toString());
    }

    private static JsonNode awaitDecision(String url, String nurse, String wanted) {
        return await("decision " + wanted, () -> {
            JsonNode d = Http.get(url, nurse).body();
            return wanted.equals(d.path("decision").asText()) ? d : null;
        });
    }

    private static void assertEvents(String baseTopic, String patient, int atLeast) {
        List<ConsumerRecord<String, String>> records = TopicReader.read(infra.kafkaBootstrap(), baseTopic + suffix,
                rs -> rs.stream().filter(r -> patient.equals(r.key())).count() >= atLeast, FLOW);
        List<ConsumerRecord<String, String>> mine = records.stream().filter(r -> patient.equals(r.key())).toList();
        assertTrue(mine.size() >= atLeast, baseTopic + ": " + mine.size() + " records, wanted " + atLeast);
        mine.forEach(ContractAssertions::assertConforms);
    }

    private static <T> T await(String what, Supplier<T> attempt) {
        return Poll.until(FLOW, what, attempt);
    }

}
