package org.hdil2.local;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import org.awaitility.Awaitility;
import org.hdil2.infra.DevTokens;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * The four packaged services against what a careless or hostile client sends: generated malformed requests for every
 * operation of every OpenAPI document (none may answer 5xx, none may write a row, and no value of theirs may reach a
 * log), tokens the services must refuse, and two course orders for one patient at once.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class HostileInputIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(3)).build();
    /** Written by the services' own background work whatever the requests: not counted. */
    private static final Set<String> BACKGROUND_TABLES = Set.of("flyway_schema_history", "evaluation_checkpoint",
            "outbox_event", "inbox_event", "audit_entry",
            // the reads the answered hostile GETs made: a read is logged, it writes nothing of the request
            "access_entry");
    private static final List<String> ROLES = List.of("physician", "nurse", "pharmacist", "device", "analyst", "admin",
            "privacy-officer");

    private static TestStack run;
    private static Stack stack;
    private static String marker;
    private static String everyRole;

    @BeforeAll
    static void startSuite() throws IOException {
        run = TestStack.start("hostile");
        stack = run.stack;
        marker = "hostile-" + UUID.randomUUID().toString().substring(0, 8);
        everyRole = stack.token("fuzz-" + marker, ROLES, Duration.ofHours(1));
    }

    @AfterAll
    static void stopSuite() {
        if (run != null) {
            run.close();
        }
    }

    @Test
    @Order(1)
    void generatedMalformedRequestsAreRefusedWithoutA5xxAndWriteNothing() throws Exception {
        Map<Service, String> report = new EnumMap<>(Service.class);
        List<String> failures = new ArrayList<>();
        for (Service s : Service.values()) {
            JsonNode openApi = JSON.readTree(send("GET", stack.url(s) + "/q/openapi?format=json", null, null, Map.of()).body());
            List<HostileRequests.Request> requests = new HostileRequests(openApi, marker).all();
            Map<String, Long> before = rowCounts(s);
            int fiveHundreds = 0;
            int accepted = 0;
            Map<Integer, Integer> byStatus = new TreeMap<>();
            for (HostileRequests.Request r : requests) {
                Map<String, String> headers = new LinkedHashMap<>(r.headers());
                headers.put("Authorization", "Bearer " + everyRole);
                HttpResponse<String> response = send(r.method(), stack.url(s) + r.path(), r.contentType(), r.body(), headers);
                byStatus.merge(response.statusCode(), 1, Integer::sum);
                if (response.statusCode() >= 500) {
                    fiveHundreds++;
                    failures.add(s.module() + " " + r.method() + " " + r.path().substring(0, Math.min(120, r.path().length())) + " ("
                            + r.what() + ") answered " + response.statusCode() + ": " + abbreviate(response.body()));
                } else if (response.statusCode() < 300 && !"GET".equals(r.method())) {
                    accepted++;
                    failures.add(s.module() + " " + r.method() + " " + r.path() + " (" + r.what() + ") accepted a hostile request: "
                            + abbreviate(r.body()));
                } else if (response.statusCode() >= 400 && !explained(response, r.path())) {
                    failures.add(s.module() + " " + r.method() + " " + r.path() + " answered " + response.statusCode()
                            + " without a problem+json body (an OperationOutcome on /fhir)");
                }
            }
            Map<String, Long> after = rowCounts(s);
            long written = 0;
            for (Map.Entry<String, Long> e : after.entrySet()) {
                long grew = e.getValue() - before.getOrDefault(e.getKey(), 0L);
                if (grew != 0 && !BACKGROUND_TABLES.contains(e.getKey())) {
                    written += grew;
                    failures.add(s.module() + " table " + e.getKey() + " changed by " + grew + " rows under hostile requests");
                }
            }
            report.put(s, requests.size() + " requests, " + fiveHundreds + " answered >= 500, " + accepted + " accepted, "
                    + written + " rows written; statuses " + byStatus);
        }
        report.forEach((s, line) -> System.out.println("hostile input: " + s.module() + ": " + line));
        Files.writeString(stack.process(Service.DOSING).log().getParent().resolve("hostile-input.txt"),
                String.join("\n", report.values()) + "\n" + String.join("\n", failures), StandardCharsets.UTF_8);
        assertTrue(failures.isEmpty(), failures.size() + " failures, the first 30:\n" + String.join("\n",
                failures.subList(0, Math.min(30, failures.size()))));
    }

    @Test
    @Order(2)
    void tokensWithAnotherAudienceTooLongALifeOrIssuedInTheFutureAreRefused() {
        Instant now = Instant.now();
        Map<String, Map<String, Object>> refused = new LinkedHashMap<>();
        Map<String, Object> otherAudience = DevTokens.claims("nurse-x", List.of("nurse"), now, Duration.ofMinutes(10));
        otherAudience.put("aud", "another-system");
        refused.put("another audience", otherAudience);
        Map<String, Object> noAudience = DevTokens.claims("nurse-x", List.of("nurse"), now, Duration.ofMinutes(10));
        noAudience.remove("aud");
        refused.put("no audience", noAudience);
        refused.put("a ten-year lifetime", DevTokens.claims("nurse-x", List.of("nurse"), now, Duration.ofDays(3650)));
        refused.put("issued in an hour", DevTokens.claims("nurse-x", List.of("nurse"), now.plusSeconds(3600), Duration.ofMinutes(10)));
        Map<String, Object> noIssueTime = DevTokens.claims("nurse-x", List.of("nurse"), now, Duration.ofMinutes(10));
        noIssueTime.remove("iat");
        refused.put("no issue time", noIssueTime);
        refused.put("expired", DevTokens.claims("nurse-x", List.of("nurse"), now.minusSeconds(7200), Duration.ofMinutes(10)));
        String fine = stack.token(DevTokens.claims("nurse-x", List.of("nurse"), now, Duration.ofHours(12)));
        for (Service s : Service.values()) {
            String url = stack.url(s) + readPath(s);
            assertEquals(true, List.of(200, 404).contains(get(url, fine)), s.module() + " refused a valid token");
            for (Map.Entry<String, Map<String, Object>> e : refused.entrySet()) {
                assertEquals(401, get(url, stack.token(e.getValue())), s.module() + ": a token with " + e.getKey());
            }
        }
    }

    @Test
    @Order(3)
    void twoCourseOrdersForOnePatientAtOnceGiveOneCourseAndNo5xx() throws Exception {
        String patient = marker + "-c1";
        String physician = stack.token("dr-" + marker, "physician", Duration.ofHours(1));
        Http.Response screening = Http.post(stack.url(Service.ELIGIBILITY) + "/api/v1/screenings", physician,
                DemoPatient.screeningRequest(patient, "METASTATIC_MELANOMA", "2.8", "81"));
        assertEquals(201, screening.status(), screening.body().toString());
        String order = """
                {"patientId":"%s","dosingWeightKg":80,"weightMeasuredAt":"%s","weightSource":"bed scale","firstDoseAt":"%s"}"""
                .formatted(patient, Instant.now().minusSeconds(3600), Instant.now().plusSeconds(3600));
        String courses = stack.url(Service.DOSING) + "/api/v1/courses";
        awaitScreeningKnown(courses, physician, order);
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            List<Future<Http.Response>> answers = new ArrayList<>();
            for (int i = 0; i < 8; i++) {
                answers.add(pool.submit(() -> Http.post(courses, physician, order)));
            }
            Map<Integer, Integer> statuses = new TreeMap<>();
            for (Future<Http.Response> a : answers) {
                statuses.merge(a.get().status(), 1, Integer::sum);
            }
            assertEquals(Map.of(201, 1, 409, 7), statuses, "one course, seven refusals");
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    @Order(4)
    void noPatientIdentifierOfTheseRequestsReachedALog() throws IOException {
        for (Service s : Service.values()) {
            for (ServiceProcess p : stack.instances(s)) {
                String log = Files.readString(p.log(), StandardCharsets.UTF_8);
                assertTrue(!log.contains(marker), p.log() + " holds a patient identifier of this run (" + marker + ")");
            }
        }
    }

    /** Until dosing knows the patient's screening (an order is refused with DOSE-0129 before that). */
    private static void awaitScreeningKnown(String courses, String physician, String order) {
        // a first dose beyond the 7-day horizon is refused only past the screening gate
        String probe = order.replaceAll("\"firstDoseAt\":\"[^\"]+\"", "\"firstDoseAt\":\"" + Instant.now().plus(Duration.ofDays(30)) + "\"");
        Awaitility.await("dosing-service to learn of the screening").atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(250))
                .until(() -> {
                    Http.Response r = Http.post(courses, physician, probe);
                    return r.status() == 400 && "DOSE-0130".equals(r.body().path("code").asText());
                });
    }

    private static String readPath(Service s) {
        return switch (s) {
            case ELIGIBILITY -> "/api/v1/screenings?patientId=" + marker + "-t";
            case DOSING -> "/api/v1/courses?patientId=" + marker + "-t";
            case MONITORING -> "/api/v1/observations?patientId=" + marker + "-t";
            case ALERT -> "/api/v1/alerts?patientId=" + marker + "-t";
        };
    }

    private static int get(String url, String token) {
        return send("GET", url, null, null, Map.of("Authorization", "Bearer " + token)).statusCode();
    }

    private static HttpResponse<String> send(String method, String url, String contentType, String body, Map<String, String> headers) {
        try {
            HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(30))
                    .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
            if (contentType != null) {
                b.header("Content-Type", contentType);
            }
            headers.forEach(b::header);
            return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
        } catch (IllegalArgumentException invalidUri) {
            // a hostile path the client itself refuses to send: nothing reached the service
            return new RefusedByClient(url);
        } catch (IOException e) {
            throw new IllegalStateException(method + " " + url + " failed: " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    private static Map<String, Long> rowCounts(Service s) throws SQLException {
        Map<String, Long> counts = new TreeMap<>();
        try (Connection c = DriverManager.getConnection(run.jdbcUrl(s), run.infra.pgUser(), run.infra.pgPassword());
             Statement st = c.createStatement()) {
            List<String> tables = new ArrayList<>();
            try (ResultSet rs = st.executeQuery("select table_name from information_schema.tables where table_schema = 'public' "
                    + "and table_type = 'BASE TABLE'")) {
                while (rs.next()) {
                    tables.add(rs.getString(1));
                }
            }
            for (String t : tables) {
                try (ResultSet rs = st.executeQuery("select count(*) from \"" + t + "\"")) {
                    rs.next();
                    counts.put(t, rs.getLong(1));
                }
            }
        }
        return counts;
    }

    /** A refusal says why: problem+json, or on FHIR paths an OperationOutcome. */
    private static boolean explained(HttpResponse<String> response, String path) {
        String type = response.headers().firstValue("Content-Type").orElse("");
        return type.contains("problem+json") || (path.startsWith("/fhir") && type.contains("fhir+json")
                && response.body().contains("OperationOutcome"));
    }

    private static String abbreviate(String s) {
        return s == null ? "" : s.length() > 200 ? s.substring(0, 200) + "…" : s;
    }

    /** A response for a request the HTTP client would not send (an illegal URI). */
    private record RefusedByClient(String url) implements HttpResponse<String> {
        public int statusCode() {
            return 400;
        }

        public HttpRequest request() {
            return null;
        }

        public java.util.Optional<HttpResponse<String>> previousResponse() {
            return java.util.Optional.empty();
        }

        public java.net.http.HttpHeaders headers() {
            return java.net.http.HttpHeaders.of(Map.of("Content-Type", List.of("application/problem+json")), (a, b) -> true);
        }

        public String body() {
            return "";
        }

        public java.util.Optional<javax.net.ssl.SSLSession> sslSession() {
            return java.util.Optional.empty();
        }

        public URI uri() {
            return URI.create("http://refused.invalid/");
        }

        public HttpClient.Version version() {
            return HttpClient.Version.HTTP_1_1;
        }
    }
}
