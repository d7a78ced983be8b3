package org.hdil2.eligibility.api;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.not;

import java.util.List;
import java.util.Map;

import org.hdil2.testinfra.RealInfraResource;
import org.hdil2.testinfra.TestTokens;
import org.junit.jupiter.api.Test;

import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;

/** Every read of a patient's record leaves an access entry; the privacy officer lists them with the changes. */
@QuarkusTest
@WithTestResource(value = RealInfraResource.class, initArgs = {
        @ResourceArg(name = "service", value = "elig"),
        @ResourceArg(name = "topics", value = "hdil2.eligibility.screenings.v1") })
public class AccessLogApiTest {

    private static final String PRIVACY = TestTokens.bearer("privacy-officer-1", "privacy-officer");

    @Test
    void readsAndChangesOfAPatientAreListedForThePrivacyOfficerOnly() {
        String patient = "p-elig-access";
        String id = given().header("Authorization", TestTokens.bearer("physician")).contentType(ContentType.JSON)
                .body(ScreeningApiTest.ELIGIBLE.formatted(patient)).post("/api/v1/screenings")
                .then().statusCode(201).extract().path("id");
        given().header("Authorization", TestTokens.bearer("nurse")).header("X-Request-Id", "req-read-1")
                .get("/api/v1/screenings/" + id).then().statusCode(200);
        given().header("Authorization", TestTokens.bearer("analyst")).header("X-Request-Id", "req-search-1")
                .queryParam("patientId", patient).get("/api/v1/screenings").then().statusCode(200);
        given().header("Authorization", TestTokens.bearer("nurse")).queryParam("patientId", "p-elig-other")
                .get("/api/v1/screenings").then().statusCode(200);

        List<Map<String, Object>> entries = given().header("Authorization", PRIVACY).queryParam("patientId", patient)
                .get("/api/v1/access-log").then().statusCode(200)
                .body("find { it.requestId == 'req-read-1' }.kind", equalTo("READ"))
                .body("find { it.requestId == 'req-read-1' }.actor", equalTo("test-nurse"))
                .body("find { it.requestId == 'req-read-1' }.roles", equalTo("nurse"))
                .body("find { it.requestId == 'req-read-1' }.resourceType", equalTo("Screening"))
                .body("find { it.requestId == 'req-read-1' }.resourceId", equalTo(id))
                .body("find { it.requestId == 'req-search-1' }.kind", equalTo("SEARCH"))
                .body("find { it.requestId == 'req-search-1' }.actor", equalTo("test-analyst"))
                .body("find { it.kind == 'CHANGE' }.action", equalTo("screening.create"))
                .body("find { it.kind == 'CHANGE' }.actor", equalTo("test-physician"))
                .body("find { it.kind == 'CHANGE' }.resourceId", equalTo(id))
                // the privacy officer's own look is an access too, and the newest
                .body("[0].actor", equalTo("privacy-officer-1"))
                .body("[0].resourceType", equalTo("AccessLog"))
                .body("requestId", not(hasItem("p-elig-other")))
                .extract().jsonPath().getList("$");
        org.junit.jupiter.api.Assertions.assertEquals(4, entries.size(), "one change, one read, one search, one look: " + entries);

        for (String role : List.of("nurse", "physician", "analyst", "admin")) {
            given().header("Authorization", TestTokens.bearer(role)).queryParam("patientId", patient)
                    .get("/api/v1/access-log").then().statusCode(403);
        }
        given().header("Authorization", PRIVACY).queryParam("patientId", patient).queryParam("from", "2026-12-02T10:00:00Z")
                .queryParam("to", "2026-12-02T09:00:00Z").get("/api/v1/access-log")
                .then().statusCode(400).body("code", equalTo("ELIG-0013"));
        given().header("Authorization", PRIVACY).queryParam("patientId", patient).queryParam("from", "yesterday")
                .get("/api/v1/access-log").then().statusCode(400).body("code", equalTo("ELIG-0013"));
        given().header("Authorization", PRIVACY).get("/api/v1/access-log").then().statusCode(400);
    }
}
