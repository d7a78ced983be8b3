package org.hdil2.eligibility.api;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.everyItem;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.notNullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneOffset;

import jakarta.inject.Inject;

import com.fasterxml.jackson.databind.JsonNode;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.hdil2.contract.ContractAssertions;
import org.hdil2.testinfra.KafkaTestClient;
import org.hdil2.testinfra.RealInfraResource;
import org.hdil2.testinfra.TestDb;
import org.hdil2.testinfra.TestTokens;
import org.junit.jupiter.api.Test;

import io.agroal.api.AgroalDataSource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;

@QuarkusTest
@WithTestResource(value = RealInfraResource.class, initArgs = {
        @ResourceArg(name = "service", value = "elig"),
        @ResourceArg(name = "topics", value = "hdil2.eligibility.screenings.v1") })
public class ScreeningApiTest {

    public static final String D = LocalDate.now(ZoneOffset.UTC).minusDays(5).toString();

    /** A healthy first-course candidate, every finding dated five days ago; %s is the patient id. */
    public static final String ELIGIBLE = """
            {"patientId":"%s","indication":"METASTATIC_RENAL_CELL_CARCINOMA","findings":{
              "severeHypersensitivityHistory":{"value":false,"date":"D"},"organAllograft":{"value":false,"date":"D"},
              "abnormalEjectionFraction":{"value":false,"date":"D"},"impairedWallMotion":{"value":false,"date":"D"},
              "significantCoronaryArteryDisease":{"value":false,"date":"D"},
              "fev1Litres":{"value":3.1,"date":"D","source":"PFT lab"},"fev1PercentPredicted":{"value":92,"date":"D","source":"PFT lab"},
              "significantRenalImpairment":{"value":false,"date":"D"},"significantHepaticImpairment":{"value":false,"date":"D"},
              "significantCnsImpairment":{"value":false,"date":"D","source":"neurology"},
              "untreatedActiveBacterialInfection":{"value":false,"date":"D"},"femaleOfReproductivePotential":{"value":false,"date":"D"},
              "priorAldesleukinCourse":{"value":false,"date":"D"},"ejectionFractionPercent":{"value":62,"date":"D","source":"echo"},
              "creatinineMgDl":{"value":0.9,"date":"D"},"bilirubinMgDl":{"value":0.5,"date":"D"},
              "astUnitsPerLitre":{"value":21,"date":"D"},"altUnitsPerLitre":{"value":24,"date":"D"},
              "plateletsPerNanolitre":{"value":240,"date":"D"},"neutrophilsPerNanolitre":{"value":3.9,"date":"D"}}}"""
            .replace("\"D\"", "\"" + D + "\"");

    @Inject
    AgroalDataSource db;

    @Test
    void anEligibleScreeningIsStoredAuditedAndPublishedPerContract() {
        String id = given().header("Authorization", TestTokens.bearer("physician")).contentType(ContentType.JSON)
                .body(ELIGIBLE.formatted("p-elig-1"))
                .post("/api/v1/screenings")
                .then().statusCode(201)
                .header("Location", containsString("/api/v1/screenings/"))
                .body("outcome", equalTo("ELIGIBLE"))
                .body("protocol.id", equalTo("label-2024"))
                .body("screenedBy", equalTo("test-physician"))
                .body("protocol.version", equalTo("3"))
                .body("asOf", equalTo(LocalDate.now(ZoneOffset.UTC).toString()))
                .body("criteria", hasSize(19))
                .body("criteria.source", everyItem(notNullValue()))
                .body("criteria.findAll { it.required }.status", everyItem(equalTo("NOT_MET")))
                .body("criteria.findAll { !it.required }.status", everyItem(equalTo("NOT_EVALUABLE")))
                .body("criteria.find { it.ruleId == 'LABEL-2024-LAB-LIMITS' }.status", equalTo("NOT_EVALUABLE"))
                .body("criteria.find { it.ruleId == 'LABEL-2024-CONSISTENCY' }.explanation", containsString("not cross-checked"))
                .body("criteria.find { it.ruleId == 'LABEL-2024-CONSISTENCY' }.inputs.ejectionFractionPercent.value", notNullValue())
                .body("criteria.find { it.ruleId == 'LABEL-2024-CI-PULMONARY' }.inputs.fev1Litres.unit", equalTo("L"))
                .body("criteria.find { it.ruleId == 'LABEL-2024-CI-PULMONARY' }.inputs.fev1Litres.date", equalTo(D))
                .body("criteria.find { it.ruleId == 'LABEL-2024-CI-PULMONARY' }.inputs.fev1Litres.source", equalTo("PFT lab"))
                .body("criteria.find { it.ruleId == 'LABEL-2024-CI-PULMONARY' }.thresholds.maxExcludingFev1Litres", equalTo(2.0f))
                .extract().path("id");

        given().header("Authorization", TestTokens.bearer("nurse")).get("/api/v1/screenings/" + id)
                .then().statusCode(200).body("patientId", equalTo("p-elig-1"));
        given().header("Authorization", TestTokens.bearer("analyst")).get("/api/v1/screenings?patientId=p-elig-1")
                .then().statusCode(200).body("id", hasItem(id));

        ConsumerRecord<String, String> record = KafkaTestClient.awaitRecord(
                KafkaTestClient.topic("hdil2.eligibility.screenings.v1"),
                r -> r.value().contains(id), Duration.ofSeconds(20));
        JsonNode data = ContractAssertions.assertConforms(record);
        assertEquals("p-elig-1", record.key());
        assertEquals("ELIGIBLE", data.path("outcome").asText());
        assertEquals(1, count("select count(*) from audit_entry where action = 'screening.create' and resource_id = '" + id
                + "' and actor = 'test-physician'"));
    }

    @Test
    void aContraindicationMakesTheCandidateIneligibleWithTheReason() {
        given().header("Authorization", TestTokens.bearer("physician")).contentType(ContentType.JSON)
                .body(ELIGIBLE.formatted("p-elig-2").replace("\"fev1Litres\":{\"value\":3.1", "\"fev1Litres\":{\"value\":2.0"))
                .post("/api/v1/screenings")
                .then().statusCode(201)
                .body("outcome", equalTo("INELIGIBLE"))
                .body("criteria.find { it.ruleId == 'LABEL-2024-CI-PULMONARY' }.status", equalTo("MET"))
                .body("criteria.find { it.ruleId == 'LABEL-2024-CI-PULMONARY' }.explanation", containsString("2.0 L"));
    }

    @Test
    void anUnassessedFindingNeedsReviewNotEligible() {
        given().header("Authorization", TestTokens.bearer("physician")).contentType(ContentType.JSON)
                .body(ELIGIBLE.formatted("p-elig-3").replace("\"organAllograft\":{\"value\":false,\"date\":\"" + D + "\"},", ""))
                .post("/api/v1/screenings")
                .then().statusCode(201)
                .body("outcome", equalTo("NEEDS_REVIEW"))
                .body("criteria.find { it.ruleId == 'LABEL-2024-CI-ALLOGRAFT' }.status", equalTo("NOT_EVALUABLE"));
    }

    @Test
    void withoutATokenItIs401AndWithTheWrongRole403() {
        given().contentType(ContentType.JSON).body(ELIGIBLE.formatted("p-elig-4")).post("/api/v1/screenings")
                .then().statusCode(401);
        given().header("Authorization", TestTokens.bearer("nurse")).contentType(ContentType.JSON)
                .body(ELIGIBLE.formatted("p-elig-4")).post("/api/v1/screenings")
                .then().statusCode(403);
        given().header("Authorization", TestTokens.bearer("device")).get("/api/v1/protocols").then().statusCode(403);
        given().header("Authorization", "Bearer not-a-token").get("/api/v1/protocols").then().statusCode(401);
        assertEquals(0, count("select count(*) from screening where patient_id = 'p-elig-4'"));
    }

    @Test
    void badInputGetsACodedProblemAndWritesNothing() {
        long screenings = count("select count(*) from screening");
        long outbox = count("select count(*) from outbox_event");
        String physician = TestTokens.bearer("physician");
        given().header("Authorization", physician).contentType(ContentType.JSON).body("{\"patientId\": ")
                .post("/api/v1/screenings").then().statusCode(400).contentType("application/problem+json")
                .body("code", equalTo("ELIG-0001"));
        given().header("Authorization", physician).contentType(ContentType.JSON)
                .body(ELIGIBLE.formatted("p-elig-5").replace("\"fev1Litres\":{\"value\":3.1", "\"fev1Litres\":{\"value\":\"lots\""))
                .post("/api/v1/screenings").then().statusCode(400).contentType("application/problem+json")
                .body("code", equalTo("ELIG-0003")).body("errors[0].field", equalTo("findings.fev1Litres.value"));
        given().header("Authorization", physician).contentType(ContentType.JSON)
                .body(ELIGIBLE.formatted("p-elig-5").replace("METASTATIC_RENAL_CELL_CARCINOMA", "FLU"))
                .post("/api/v1/screenings").then().statusCode(400)
                .body("code", equalTo("ELIG-0003")).body("detail", containsString("METASTATIC_MELANOMA"));
        given().header("Authorization", physician).contentType(ContentType.JSON)
                .body("{\"patientId\":\"p-elig-5\",\"findings\":{}}")
                .post("/api/v1/screenings").then().statusCode(400)
                .body("code", equalTo("ELIG-0002")).body("errors.field", hasItem("indication"));
        given().header("Authorization", physician).contentType(ContentType.JSON)
                .body(ELIGIBLE.formatted("p-elig-5").replace("\"organAllograft\"", "\"organAlograft\""))
                .post("/api/v1/screenings").then().statusCode(400)
                .body("code", equalTo("ELIG-0004")).body("errors[0].field", equalTo("findings.organAlograft"));
        given().header("Authorization", physician).contentType(ContentType.JSON)
                .body(ELIGIBLE.formatted("p elig 5"))
                .post("/api/v1/screenings").then().statusCode(400)
                .body("code", equalTo("ELIG-0002")).body("errors[0].field", equalTo("patientId"));
        given().header("Authorization", physician).contentType(ContentType.JSON)
                .body(ELIGIBLE.formatted("p-elig-5").replace("\"patientId\"", "\"protocolId\":\"nope\",\"patientId\""))
                .post("/api/v1/screenings").then().statusCode(400).body("code", equalTo("ELIG-0101"));
        given().header("Authorization", physician).get("/api/v1/screenings/6a1f7d0e-0000-4000-8000-000000000000")
                .then().statusCode(404).body("code", equalTo("ELIG-0102"));
        assertEquals(screenings, count("select count(*) from screening"));
        assertEquals(outbox, count("select count(*) from outbox_event"));
    }

    @Test
    void everyRuleIsVisibleWithIdVersionSourceAndThresholds() {
        given().header("Authorization", TestTokens.bearer("analyst")).get("/api/v1/protocols/label-2024")
                .then().statusCode(200)
                .body("version", equalTo("3"))
                .body("rules", hasSize(19))
                .body("rules.find { it.id == 'LABEL-2024-CI-PULMONARY' }.parameters.maxExcludingFev1Litres", equalTo(2.0f))
                .body("rules.source", everyItem(notNullValue()));
    }

    @Test
    void healthAndMetricsNeedNoToken() {
        given().get("/q/health/ready").then().statusCode(200).body("status", equalTo("UP"));
        given().get("/q/health/live").then().statusCode(200);
        given().get("/q/health/started").then().statusCode(200);
        given().get("/q/metrics").then().statusCode(200).body(containsString("hdil2_outbox"));
    }

    private long count(String sql) {
        return TestDb.count(db, sql);
    }
}
