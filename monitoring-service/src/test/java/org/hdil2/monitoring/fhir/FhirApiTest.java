package org.hdil2.monitoring.fhir;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Instant;
import java.time.temporal.ChronoUnit;

import jakarta.inject.Inject;

import org.hdil2.monitoring.api.MonitoringTopics;
import org.hdil2.testinfra.RealInfraResource;
import org.hdil2.testinfra.TestDb;
import org.hdil2.testinfra.TestTokens;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import io.agroal.api.AgroalDataSource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import io.restassured.parsing.Parser;
import io.restassured.specification.RequestSpecification;

/** FHIR R4 ingestion and search, with resources shaped like the R4 vital-signs profile examples. */
@QuarkusTest
@WithTestResource(value = RealInfraResource.class, initArgs = {
        @ResourceArg(name = "service", value = "mon"),
        @ResourceArg(name = "topics", value = MonitoringTopics.ALL) })
class FhirApiTest {

    static final String FHIR = "application/fhir+json";
    static final Instant T = Instant.now().minus(2, ChronoUnit.HOURS).truncatedTo(ChronoUnit.SECONDS);

    @Inject
    AgroalDataSource db;

    @BeforeAll
    static void fhirIsJson() {
        RestAssured.registerParser(FHIR, Parser.JSON);
    }

    static String vital(String id, String patient, String code, String display, Object value, String unit, Instant at) {
        return """
                {"resourceType":"Observation","id":"%s","meta":{"profile":["http://hl7.org/fhir/StructureDefinition/vitalsigns"]},
                 "status":"final",
                 "category":[{"coding":[{"system":"http://terminology.hl7.org/CodeSystem/observation-category","code":"vital-signs",
                   "display":"Vital Signs"}],"text":"Vital Signs"}],
                 "code":{"coding":[{"system":"http://loinc.org","code":"%s","display":"%s"}],"text":"%s"},
                 "subject":{"reference":"Patient/%s"},
                 "effectiveDateTime":"%s",
                 "valueQuantity":{"value":%s,"unit":"%s","system":"http://unitsofmeasure.org","code":"%s"}}"""
                .formatted(id, code, display, display, patient, at, value, unit, unit);
    }

    static String heartRate(String id, String patient, Object value, Instant at) {
        return vital(id, patient, "8867-4", "Heart rate", value, "/min", at);
    }

    static String bloodPressure(String id, String patient, int systolic, int diastolic, Instant at) {
        return """
                {"resourceType":"Observation","id":"%s","meta":{"profile":["http://hl7.org/fhir/StructureDefinition/vitalsigns"]},
                 "status":"final",
                 "category":[{"coding":[{"system":"http://terminology.hl7.org/CodeSystem/observation-category","code":"vital-signs"}]}],
                 "code":{"coding":[{"system":"http://loinc.org","code":"85354-9","display":"Blood pressure panel with all children optional"}],
                   "text":"Blood pressure systolic & diastolic"},
                 "subject":{"reference":"Patient/%s"},
                 "effectiveDateTime":"%s",
                 "bodySite":{"coding":[{"system":"http://snomed.info/sct","code":"368209003","display":"Right arm"}]},
                 "component":[
                  {"code":{"coding":[{"system":"http://loinc.org","code":"8480-6","display":"Systolic blood pressure"}]},
                   "valueQuantity":{"value":%d,"unit":"mmHg","system":"http://unitsofmeasure.org","code":"mm[Hg]"}},
                  {"code":{"coding":[{"system":"http://loinc.org","code":"8462-4","display":"Diastolic blood pressure"}]},
                   "valueQuantity":{"value":%d,"unit":"mmHg","system":"http://unitsofmeasure.org","code":"mm[Hg]"}}]}"""
                .formatted(id, patient, at, systolic, diastolic);
    }

    static String bundle(String type, String... resources) {
        StringBuilder entries = new StringBuilder();
        for (String r : resources) {
            entries.append(entries.length() == 0 ? "" : ",").append("{\"resource\":").append(r)
                    .append(type.equals("collection") ? "" : ",\"request\":{\"method\":\"POST\",\"url\":\"Observation\"}").append("}");
        }
        return "{\"resourceType\":\"Bundle\",\"type\":\"" + type + "\",\"entry\":[" + entries + "]}";
    }

    static RequestSpecification as(String role) {
        return given().header("Authorization", TestTokens.bearer(role)).contentType(FHIR);
    }

    @Test
    void vitalSignsExamplesAreStoredInCanonicalUnits() {
        as("device").body(heartRate("hr-1", "p-fhir-1", 44, T)).post("/fhir/Observation").then().statusCode(201)
                .contentType(containsString(FHIR)).header("Location", startsWith("Observation/"))
                .body("resourceType", equalTo("Observation")).body("valueQuantity.value", equalTo(44))
                .body("valueQuantity.code", equalTo("/min")).body("subject.reference", equalTo("Patient/p-fhir-1"))
                .body("identifier[0].value", equalTo("hr-1"));
        as("nurse").body(vital("temp-1", "p-fhir-1", "8310-5", "Body temperature", 99.5, "[degF]", T)).post("/fhir/Observation")
                .then().statusCode(201).body("valueQuantity.value", equalTo(37.5f)).body("valueQuantity.code", equalTo("Cel"));
        as("nurse").body(vital("wt-1", "p-fhir-1", "29463-7", "Body weight", 185, "[lb_av]", T)).post("/fhir/Observation")
                .then().statusCode(201).body("valueQuantity.value", equalTo(83.91f)).body("valueQuantity.code", equalTo("kg"));
        String spo2 = vital("spo2-1", "p-fhir-1", "2708-6", "Oxygen saturation in Arterial blood", 95, "%", T)
                .replace("\"coding\":[{\"system\":\"http://loinc.org\",\"code\":\"2708-6\"",
                        "\"coding\":[{\"system\":\"http://loinc.org\",\"code\":\"59408-5\"},{\"system\":\"http://loinc.org\",\"code\":\"2708-6\"");
        as("device").body(spo2).post("/fhir/Observation").then().statusCode(201).body("code.coding[0].code", equalTo("59408-5"))
                .body("code.text", equalTo("spo2"));
        // the same resource again: stored once, answered 200
        as("device").body(heartRate("hr-1", "p-fhir-1", 44, T)).post("/fhir/Observation").then().statusCode(200);
        assertEquals(4, count("select count(*) from observation where patient_id = 'p-fhir-1'"));
        assertEquals(4, count("select count(*) from outbox_event where record_key = 'p-fhir-1'"));
    }

    @Test
    void aBloodPressurePanelBecomesOneObservationPerComponent() {
        as("device").body(bloodPressure("bp-1", "p-fhir-2", 107, 60, T)).post("/fhir/Observation").then().statusCode(201)
                .body("resourceType", equalTo("OperationOutcome")).body("issue", hasSize(2))
                .body("issue[0].diagnostics", containsString("(8480-6)")).body("issue[1].diagnostics", containsString("(8462-4)"));
        assertEquals(1, count("select count(*) from observation where patient_id = 'p-fhir-2' and parameter = 'systolic-bp' and value = 107"));
        assertEquals(1, count("select count(*) from observation where patient_id = 'p-fhir-2' and parameter = 'diastolic-bp' and value = 60"));
        assertEquals(1, count("select count(*) from observation where patient_id = 'p-fhir-2' and sender_id = 'bp-1#8480-6'"));
    }

    @Test
    void aTransactionIsAllOrNothing() {
        String good = bundle("transaction", heartRate("tx-hr", "p-fhir-3", 88, T), bloodPressure("tx-bp", "p-fhir-3", 120, 80, T),
                vital("tx-t", "p-fhir-3", "8310-5", "Body temperature", 38.2, "Cel", T));
        String bad = bundle("transaction", heartRate("tx-hr2", "p-fhir-3", 88, T.plusSeconds(1)),
                vital("tx-bad", "p-fhir-3", "8480-6", "Systolic blood pressure", 120, "psi", T),
                heartRate("tx-hr3", "p-fhir-3", 400, T));
        as("nurse").body(bad).post("/fhir").then().statusCode(400).contentType(containsString(FHIR))
                .body("resourceType", equalTo("OperationOutcome")).body("issue", hasSize(2))
                .body("issue[0].details.coding[0].code", equalTo("MON-0102"))
                .body("issue[0].expression[0]", equalTo("Bundle.entry[1].resource.valueQuantity.code"))
                .body("issue[1].details.coding[0].code", equalTo("MON-0103"))
                .body("issue[1].expression[0]", equalTo("Bundle.entry[2].resource.value[x]"));
        assertEquals(0, count("select count(*) from observation where patient_id = 'p-fhir-3'"));
        as("nurse").body(good).post("/fhir").then().statusCode(200).body("resourceType", equalTo("Bundle"))
                .body("type", equalTo("transaction-response")).body("entry", hasSize(3))
                .body("entry.response.status", equalTo(java.util.List.of("201 Created", "201 Created", "201 Created")))
                .body("entry[0].response.location", startsWith("Observation/"));
        assertEquals(4, count("select count(*) from observation where patient_id = 'p-fhir-3'"));
        as("nurse").body(good).post("/fhir").then().statusCode(200)
                .body("entry.response.status", equalTo(java.util.List.of("200 OK", "200 OK", "200 OK")));
        as("nurse").body(good.replace("\"transaction\"", "\"collection\"").replace(",\"request\":{\"method\":\"POST\",\"url\":\"Observation\"}", ""))
                .post("/fhir").then().statusCode(200).body("type", equalTo("transaction-response"));
        assertEquals(4, count("select count(*) from observation where patient_id = 'p-fhir-3'"));
    }

    @Test
    void aBatchAnswersEveryEntryOnItsOwn() {
        String batch = bundle("batch", heartRate("b-hr", "p-fhir-4", 90, T),
                heartRate("b-bad", "p-fhir-4", 90, T).replace("\"status\":\"final\"", "\"status\":\"entered-in-error\""),
                "{\"resourceType\":\"Patient\",\"id\":\"p-fhir-4\"}");
        as("device").body(batch).post("/fhir").then().statusCode(200).body("type", equalTo("batch-response"))
                .body("entry[0].response.status", equalTo("201 Created"))
                .body("entry[1].response.status", equalTo("400 Bad Request"))
                .body("entry[1].response.outcome.issue[0].details.coding[0].code", equalTo("MON-0108"))
                .body("entry[1].response.outcome.issue[0].expression[0]", equalTo("Bundle.entry[1].resource.status"))
                .body("entry[2].response.outcome.issue[0].details.coding[0].code", equalTo("MON-0112"));
        assertEquals(1, count("select count(*) from observation where patient_id = 'p-fhir-4'"));
    }

    @Test
    void searchByPatientCodeAndDate() {
        for (int i = 0; i < 4; i++) {
            as("device").body(heartRate("s-hr-" + i, "p-fhir-5", 70 + i, T.plus(i, ChronoUnit.HOURS).minus(5, ChronoUnit.HOURS)))
                    .post("/fhir/Observation").then().statusCode(201);
        }
        as("device").body(vital("s-t", "p-fhir-5", "8310-5", "Body temperature", 37.0, "Cel", T)).post("/fhir/Observation")
                .then().statusCode(201);
        Instant first = T.minus(5, ChronoUnit.HOURS);
        given().header("Authorization", TestTokens.bearer("analyst"))
                .get("/fhir/Observation?patient=Patient/p-fhir-5&code=http://loinc.org|8867-4&date=ge" + first.plus(1, ChronoUnit.HOURS)
                        + "&date=lt" + first.plus(3, ChronoUnit.HOURS))
                .then().statusCode(200).contentType(containsString(FHIR)).body("resourceType", equalTo("Bundle"))
                .body("type", equalTo("searchset")).body("total", equalTo(2)).body("entry", hasSize(2))
                .body("entry[0].resource.valueQuantity.value", equalTo(72)).body("entry[1].resource.valueQuantity.value", equalTo(71));
        given().header("Authorization", TestTokens.bearer("nurse")).get("/fhir/Observation?patient=p-fhir-5")
                .then().statusCode(200).body("total", equalTo(5)).body("entry.resource.code.coding[0].code", hasItem("8310-5"));
        given().header("Authorization", TestTokens.bearer("nurse")).get("/fhir/Observation?patient=p-fhir-5&code=8867-4&date=gt" + T)
                .then().statusCode(200).body("total", equalTo(0));
        given().header("Authorization", TestTokens.bearer("nurse")).get("/fhir/Observation?patient=p-fhir-5&date=around-noon")
                .then().statusCode(400).body("resourceType", equalTo("OperationOutcome"))
                .body("issue[0].details.coding[0].code", equalTo("MON-0114"));
        given().header("Authorization", TestTokens.bearer("nurse")).get("/fhir/Observation").then().statusCode(400)
                .body("issue[0].details.coding[0].code", equalTo("MON-0114"));
        given().header("Authorization", TestTokens.bearer("device")).get("/fhir/Observation?patient=p-fhir-5").then().statusCode(403);
    }

    @Test
    void invalidResourcesGetAnOperationOutcome() {
        expect(as("nurse").body("{\"resourceType\":\"Observation\",\"status\":"), "MON-0112", null);
        expect(as("nurse").body(heartRate("e-1", "p-fhir-6", 80, T).replace("\"subject\":{\"reference\":\"Patient/p-fhir-6\"},", "")),
                "MON-0112", "Observation.subject");
        expect(as("nurse").body(heartRate("e-2", "p-fhir-6", 80, T).replace("8867-4", "0000-0")), "MON-0101", "Observation.code");
        expect(as("nurse").body(heartRate("e-3", "p-fhir-6", 80, T).replace(T.toString(), "2026-11-28")), "MON-0107",
                "Observation.effectiveDateTime");
        // ward time without its offset: refused, never read as UTC (or as the server's zone)
        expect(as("nurse").body(heartRate("e-12", "p-fhir-6", 80, T).replace(T.toString(), T.toString().replace("Z", ""))), "MON-0117",
                "Observation.effectiveDateTime");
        // an offset is honoured: 2 h ago read as -05:00 is 3 h ahead, in the future
        expect(as("nurse").body(heartRate("e-13", "p-fhir-6", 80, T).replace(T.toString(), T.toString().replace("Z", "-05:00"))),
                "MON-0104", "Observation.effective[x]");
        expect(as("nurse").body(heartRate("e-4", "p-fhir-6", 80, T).replace("\"status\":\"final\"", "\"status\":\"cancelled\"")),
                "MON-0108", "Observation.status");
        expect(as("nurse").body(heartRate("e-5", "p-fhir-6", 80, T.plus(3, ChronoUnit.HOURS))), "MON-0104", "Observation.effective[x]");
        expect(as("nurse").body(heartRate("e-10", "p-fhir-6", "1E-999999999", T)), "MON-0115", "Observation.value[x]");
        expect(as("nurse").body(heartRate("e-11", "p-fhir-6", 80, T.minus(8, ChronoUnit.DAYS))), "MON-0116", "Observation.effective[x]");
        expect(as("nurse").body(bundle("transaction", heartRate("e-6", "p-fhir-6", 80, T))).contentType(FHIR), "MON-0112", "(body)");
        expect(as("nurse").body(bundle("searchset", heartRate("e-7", "p-fhir-6", 80, T))).contentType(FHIR), "MON-0112", "Bundle.type",
                "/fhir");
        assertEquals(0, count("select count(*) from observation where patient_id = 'p-fhir-6'"));
        given().contentType(FHIR).body(heartRate("e-8", "p-fhir-6", 80, T)).post("/fhir/Observation").then().statusCode(401);
        as("analyst").body(heartRate("e-9", "p-fhir-6", 80, T)).post("/fhir/Observation").then().statusCode(403);
    }

    private static void expect(RequestSpecification request, String code, String expression) {
        expect(request, code, expression, "/fhir/Observation");
    }

    private static void expect(RequestSpecification request, String code, String expression, String path) {
        var then = request.post(path).then().statusCode(400).contentType(containsString(FHIR))
                .body("resourceType", equalTo("OperationOutcome")).body("issue[0].severity", equalTo("error"))
                .body("issue[0].details.coding[0].code", equalTo(code)).body("issue[0].diagnostics", startsWith(code));
        if (expression != null && !expression.equals("(body)")) {
            then.body("issue[0].expression[0]", equalTo(expression));
        }
    }

    private long count(String sql) {
        return TestDb.count(db, sql);
    }
}
