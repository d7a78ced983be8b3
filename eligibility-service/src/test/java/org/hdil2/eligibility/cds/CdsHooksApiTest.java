package org.hdil2.eligibility.cds;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.spec.PKCS8EncodedKeySpec;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.Base64;
import java.util.Set;
import java.util.UUID;

import jakarta.inject.Inject;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;

import org.hdil2.testinfra.RealInfraResource;
import org.hdil2.testinfra.TestDb;
import org.hdil2.testinfra.TestTokens;
import org.jose4j.jws.AlgorithmIdentifiers;
import org.jose4j.jws.JsonWebSignature;
import org.jose4j.jwt.JwtClaims;
import org.jose4j.keys.HmacKey;
import org.junit.jupiter.api.Test;

import io.agroal.api.AgroalDataSource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;

/** CDS Hooks 2.0 and FHIR input against the real database and broker; fixtures in src/test/resources/cds. */
@QuarkusTest
@WithTestResource(value = RealInfraResource.class, initArgs = {
        @ResourceArg(name = "service", value = "elig"),
        @ResourceArg(name = "topics", value = "hdil2.eligibility.screenings.v1") })
class CdsHooksApiTest {

    static final String BASE = "https://cds.test.example";
    static final String ISSUER = "https://ehr.test.example";
    static final String SIGN = "/cds-services/hdil2-aldesleukin-eligibility-sign";
    static final String SELECT = "/cds-services/hdil2-aldesleukin-eligibility-select";
    static final ObjectMapper JSON = new ObjectMapper();

    @Inject
    AgroalDataSource db;

    static String fixture(String name, String patient) {
        try (InputStream in = CdsHooksApiTest.class.getClassLoader().getResourceAsStream("cds/" + name)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8)
                    .replace("__DATE__", LocalDate.now(ZoneOffset.UTC).minusDays(5).toString())
                    .replace("__PATIENT__", patient);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    static PrivateKey key(String file, String algorithm) {
        try {
            String pem = fixture(file, "").replaceAll("-----[A-Z ]+-----", "").replaceAll("\\s", "");
            return KeyFactory.getInstance(algorithm).generatePrivate(new PKCS8EncodedKeySpec(Base64.getDecoder().decode(pem)));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    static String jwt(String issuer, String aud, java.security.Key key, String alg, boolean withJti) {
        return jwt(issuer, aud, key, alg, withJti ? UUID.randomUUID().toString() : null, "Practitioner/dr-1");
    }

    static String jwt(String issuer, String aud, java.security.Key key, String alg, String jti, String fhirUser) {
        try {
            JwtClaims claims = new JwtClaims();
            claims.setIssuer(issuer);
            claims.setSubject("ehr-client");
            claims.setAudience(aud);
            claims.setIssuedAtToNow();
            claims.setExpirationTimeMinutesInTheFuture(5);
            if (jti != null) {
                claims.setJwtId(jti);
            }
            if (fhirUser != null) {
                claims.setClaim("fhirUser", fhirUser);
            }
            JsonWebSignature jws = new JsonWebSignature();
            jws.setPayload(claims.toJson());
            jws.setKey(key);
            jws.setAlgorithmHeaderValue(alg);
            jws.setHeader("typ", "JWT");
            jws.setDoKeyValidation(false);
            return "Bearer " + jws.getCompactSerialization();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    static String ehr(String path) {
        return jwt(ISSUER, BASE + path, key("ehr-test-key.p8.pem", "EC"), AlgorithmIdentifiers.ECDSA_USING_P256_CURVE_AND_SHA256, true);
    }

    static String ehr(String path, String jti, String fhirUser) {
        return jwt(ISSUER, BASE + path, key("ehr-test-key.p8.pem", "EC"), AlgorithmIdentifiers.ECDSA_USING_P256_CURVE_AND_SHA256,
                jti, fhirUser);
    }

    static void assertShape(String schema, String json) {
        try (InputStream in = CdsHooksApiTest.class.getClassLoader().getResourceAsStream("cds/" + schema)) {
            Set<ValidationMessage> errors = JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012).getSchema(in)
                    .validate(JSON.readTree(json));
            assertTrue(errors.isEmpty(), schema + ": " + errors);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void discoveryListsBothHooksInTheSpecShape() {
        String body = given().header("Authorization", ehr("/cds-services")).get("/cds-services")
                .then().statusCode(200).body("services", hasSize(2)).extract().asString();
        assertShape("cds-discovery.schema.json", body);
        JsonNode services = read(body).path("services");
        assertEquals("order-select", services.get(0).path("hook").asText());
        assertEquals("order-sign", services.get(1).path("hook").asText());
        assertEquals("Patient/{{context.patientId}}", services.get(0).path("prefetch").path("patient").asText());
    }

    @Test
    void anEligiblePatientGetsAnInfoCardAndTheScreeningIsStoredAndAudited() {
        String request = fixture("order-sign-request.json", "cds-ok");
        assertShape("cds-request.schema.json", request);
        String body = given().header("Authorization", ehr(SIGN)).contentType(ContentType.JSON).body(request).post(SIGN)
                .then().statusCode(200).body("cards", hasSize(1)).body("cards[0].indicator", equalTo("info"))
                .body("cards[0].detail", containsString("LABEL-2024-CI-PULMONARY"))
                .body("cards[0].links[0].type", equalTo("absolute"))
                .extract().asString();
        assertShape("cds-response.schema.json", body);
        assertEquals(1, TestDb.count(db, "select count(*) from screening where patient_id = 'cds-ok' and outcome = 'ELIGIBLE'"));
        assertEquals(1, TestDb.count(db, "select count(*) from audit_entry where patient_id = 'cds-ok' and channel = 'cds-hooks'"
                + " and actor like 'cds:https://ehr.test.example user Practitioner/dr-1'"));
    }

    @Test
    void anIneligiblePatientGetsACriticalCardWithOverrideReasonsAndTheOverrideIsRecorded() {
        String request = fixture("order-select-request.json", "cds-bad").replace("\"value\": 3.1", "\"value\": 1.8");
        String body = given().header("Authorization", ehr(SELECT)).contentType(ContentType.JSON).body(request).post(SELECT)
                .then().statusCode(200).body("cards[0].indicator", equalTo("critical"))
                .body("cards[0].detail", containsString("FEV1 1.8 L is at or below 2.0 L"))
                .body("cards[0].overrideReasons", hasSize(4)).extract().asString();
        assertShape("cds-response.schema.json", body);
        String card = read(body).path("cards").get(0).path("uuid").asText();
        String feedback = fixture("feedback-request.json", "").replace("__CARD__", card).replace("__NOW__", Instant.now().toString());
        assertShape("cds-feedback.schema.json", feedback);
        given().header("Authorization", ehr(SELECT + "/feedback")).contentType(ContentType.JSON).body(feedback)
                .post(SELECT + "/feedback").then().statusCode(200);
        assertEquals(1, TestDb.count(db, "select count(*) from cds_feedback where card_id = '" + card
                + "' and outcome = 'overridden' and override_code = 'assessed-by-il2-team' and user_comment = 'Reviewed at tumour board'"));
        assertEquals(1, TestDb.count(db, "select count(*) from audit_entry where action = 'cds.feedback' and resource_id = '" + card + "'"));
        given().header("Authorization", ehr(SELECT + "/feedback")).contentType(ContentType.JSON)
                .body(feedback.replace(card, UUID.randomUUID().toString())).post(SELECT + "/feedback")
                .then().statusCode(400).body("code", equalTo("ELIG-0109"));
    }

    @Test
    void missingPrefetchIsReportedAndMissingFactsNeedReview() {
        JsonNode request = read(fixture("order-sign-request.json", "cds-missing"));
        ((com.fasterxml.jackson.databind.node.ObjectNode) request.path("prefetch")).remove("observations");
        given().header("Authorization", ehr(SIGN)).contentType(ContentType.JSON).body(request.toString()).post(SIGN)
                .then().statusCode(412).contentType("application/fhir+json")
                .body("resourceType", equalTo("OperationOutcome"))
                .body("issue[0].expression[0]", equalTo("prefetch.observations"));
        assertEquals(0, TestDb.count(db, "select count(*) from screening where patient_id = 'cds-missing'"));
        ((com.fasterxml.jackson.databind.node.ObjectNode) request.path("prefetch")).set("observations",
                read("{\"resourceType\":\"Bundle\",\"type\":\"searchset\"}"));
        given().header("Authorization", ehr(SIGN)).contentType(ContentType.JSON).body(request.toString()).post(SIGN)
                .then().statusCode(200).body("cards[0].indicator", equalTo("warning"))
                .body("cards[0].detail", containsString("LABEL-2024-WORKUP"));
    }

    @Test
    void anOrderWithoutAldesleukinGetsNoCards() {
        String request = fixture("order-sign-request.json", "cds-other").replace("Aldesleukin (Proleukin)", "Paracetamol");
        given().header("Authorization", ehr(SIGN)).contentType(ContentType.JSON).body(request).post(SIGN)
                .then().statusCode(200).body("cards", hasSize(0));
    }

    @Test
    void everyCallNeedsAValidCdsHooksJwt() {
        String request = fixture("order-sign-request.json", "cds-401");
        java.security.Key ec = key("ehr-test-key.p8.pem", "EC");
        String[] rejected = {
                null,
                TestTokens.bearer("physician"),                                               // an OIDC user token is not a CDS Client's
                jwt("https://rogue.example", BASE + SIGN, ec, AlgorithmIdentifiers.ECDSA_USING_P256_CURVE_AND_SHA256, true),
                jwt(ISSUER, BASE + SELECT, ec, AlgorithmIdentifiers.ECDSA_USING_P256_CURVE_AND_SHA256, true), // other service's aud
                jwt(ISSUER, BASE + SIGN, ec, AlgorithmIdentifiers.ECDSA_USING_P256_CURVE_AND_SHA256, false),  // no jti
                jwt(ISSUER, BASE + SIGN, key("untrusted-rsa-key.p8.pem", "RSA"), AlgorithmIdentifiers.RSA_USING_SHA256, true),
                jwt(ISSUER, BASE + SIGN, new HmacKey(new byte[32]), AlgorithmIdentifiers.HMAC_SHA256, true),   // symmetric
        };
        for (String token : rejected) {
            var spec = given().contentType(ContentType.JSON).body(request);
            if (token != null) {
                spec = spec.header("Authorization", token);
            }
            spec.post(SIGN).then().statusCode(401).body("code", equalTo("ELIG-0010"));
        }
        String once = ehr(SIGN);
        given().header("Authorization", once).contentType(ContentType.JSON).body(request).post(SIGN).then().statusCode(200);
        given().header("Authorization", once).contentType(ContentType.JSON).body(request).post(SIGN).then().statusCode(401);
        given().get("/cds-services").then().statusCode(401);
        assertEquals(1, TestDb.count(db, "select count(*) from screening where patient_id = 'cds-401'"));
        // the rest of the API keeps its OIDC roles
        given().header("Authorization", ehr("/api/v1/protocols")).get("/api/v1/protocols").then().statusCode(401);
    }

    @Test
    void aTokenIdIsUsedOnceAcrossReplicasConcurrentCallsAndFailedRequests() throws Exception {
        String request = fixture("order-sign-request.json", "cds-jti");
        // another replica accepted this jti: the shared store refuses it here
        String elsewhere = UUID.randomUUID().toString();
        TestDb.execute(db, "insert into cds_jti (issuer, jti, expires_at) values ('" + ISSUER + "', '" + elsewhere
                + "', now() + interval '5 minutes')");
        given().header("Authorization", ehr(SIGN, elsewhere, "Practitioner/dr-1")).contentType(ContentType.JSON).body(request)
                .post(SIGN).then().statusCode(401).body("detail", containsString("already used"));
        // eight calls at once with one token: one is answered
        String shared = ehr(SIGN, UUID.randomUUID().toString(), "Practitioner/dr-1");
        java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(8);
        try {
            java.util.List<java.util.concurrent.Future<Integer>> calls = new java.util.ArrayList<>();
            for (int i = 0; i < 8; i++) {
                calls.add(pool.submit(() -> given().header("Authorization", shared).contentType(ContentType.JSON).body(request)
                        .post(SIGN).then().extract().statusCode()));
            }
            java.util.List<Integer> codes = new java.util.ArrayList<>();
            for (var c : calls) {
                codes.add(c.get());
            }
            assertEquals(1, codes.stream().filter(c -> c == 200).count(), "codes " + codes);
            assertEquals(7, codes.stream().filter(c -> c == 401).count(), "codes " + codes);
        } finally {
            pool.shutdownNow();
        }
        assertEquals(1, TestDb.count(db, "select count(*) from screening where patient_id = 'cds-jti'"));
        // a request refused after its token was verified has used the token all the same
        String refused = ehr(SIGN, UUID.randomUUID().toString(), "Practitioner/dr-1");
        given().header("Authorization", refused).contentType(ContentType.JSON).body("{\"hook\":\"order-sign\"}").post(SIGN)
                .then().statusCode(400);
        given().header("Authorization", refused).contentType(ContentType.JSON).body(request).post(SIGN).then().statusCode(401);
        // expired ids are removed as new ones come in
        TestDb.execute(db, "insert into cds_jti (issuer, jti, expires_at) values ('" + ISSUER + "', 'old-jti', now() - interval '2 minutes')");
        given().header("Authorization", ehr("/cds-services")).get("/cds-services").then().statusCode(200);
        assertEquals(0, TestDb.count(db, "select count(*) from cds_jti where jti = 'old-jti'"));
    }

    @Test
    void theClinicianIsTheTokensNotTheRequestBodys() {
        String dr1 = fixture("order-sign-request.json", "cds-user");
        given().header("Authorization", ehr(SIGN, UUID.randomUUID().toString(), "Practitioner/dr-2")).contentType(ContentType.JSON)
                .body(dr1).post(SIGN).then().statusCode(403).body("code", equalTo("ELIG-0110"));
        assertEquals(0, TestDb.count(db, "select count(*) from screening where patient_id = 'cds-user'"));
        // a token without the clinician: the client is the actor, the body's userId is not taken for one
        given().header("Authorization", ehr(SIGN, UUID.randomUUID().toString(), null)).contentType(ContentType.JSON)
                .body(dr1).post(SIGN).then().statusCode(200);
        assertEquals(1, TestDb.count(db, "select count(*) from audit_entry where patient_id = 'cds-user'"
                + " and actor = 'cds:https://ehr.test.example'"));
        assertEquals(0, TestDb.count(db, "select count(*) from audit_entry where patient_id = 'cds-user' and actor like '%dr-1%'"));
    }

    @Test
    void aFhirBundleScreensLikeTheEquivalentJson() {
        String bundle = fixture("healthy-bundle.json", "fhir-rt");
        String json = given().header("Authorization", TestTokens.bearer("physician")).contentType("application/fhir+json")
                .body(bundle).post("/api/v1/screenings")
                .then().statusCode(201).body("outcome", equalTo("ELIGIBLE")).body("patientId", equalTo("fhir-rt"))
                .body("criteria.find { it.ruleId == 'LABEL-2024-CI-PULMONARY' }.inputs.fev1Litres.source",
                        equalTo("Observation/o-fev1 (LOINC 20150-9)"))
                .body("criteria.find { it.ruleId == 'LABEL-2024-CI-PULMONARY' }.inputs.fev1Litres.unit", equalTo("L"))
                .body("criteria.find { it.ruleId == 'LABEL-2024-CI-ALLOGRAFT' }.inputs.organAllograft.value", equalTo(false))
                .body("criteria.find { it.ruleId == 'LABEL-2024-IND' }.inputs.indication.value", equalTo("METASTATIC_RENAL_CELL_CARCINOMA"))
                .extract().asString();
        JsonNode fromFhir = read(json);
        // the same facts as the service's own JSON give the same result per criterion
        String own = given().header("Authorization", TestTokens.bearer("physician")).contentType(ContentType.JSON)
                .body(org.hdil2.eligibility.api.ScreeningApiTest.ELIGIBLE.formatted("fhir-rt-json")
                        .replace("\"fev1Litres\":{\"value\":3.1,\"date\":\"" + org.hdil2.eligibility.api.ScreeningApiTest.D + "\",\"source\":\"PFT lab\"}",
                                "\"fev1Litres\":{\"value\":3.1,\"date\":\"" + org.hdil2.eligibility.api.ScreeningApiTest.D + "\",\"source\":\"PFT lab\"},"
                                        + "\"ageYears\":{\"value\":" + java.time.Period.between(LocalDate.of(1970, 3, 1), LocalDate.now(ZoneOffset.UTC)).getYears()
                                        + ",\"date\":\"" + LocalDate.now(ZoneOffset.UTC) + "\"}"))
                .post("/api/v1/screenings").then().statusCode(201).extract().asString();
        JsonNode fromJson = read(own);
        for (int i = 0; i < fromJson.path("criteria").size(); i++) {
            assertEquals(fromJson.path("criteria").get(i).path("status").asText(), fromFhir.path("criteria").get(i).path("status").asText(),
                    fromJson.path("criteria").get(i).path("ruleId").asText());
        }
        // what a bundle lacks is not evaluable; two observations disagreeing on the same date drop the fact
        String conflicting = bundle.replace("\"id\": \"o-fev1\"", "\"id\": \"o-fev1\"").replace("\"entry\": [",
                "\"entry\": [{\"resource\": {\"resourceType\": \"Observation\", \"id\": \"o-fev1-b\", \"status\": \"final\","
                        + " \"code\": {\"coding\": [{\"system\": \"http://loinc.org\", \"code\": \"20150-9\"}]},"
                        + " \"effectiveDateTime\": \"" + org.hdil2.eligibility.api.ScreeningApiTest.D + "\","
                        + " \"valueQuantity\": {\"value\": 1.7, \"system\": \"http://unitsofmeasure.org\", \"code\": \"L\"}}},");
        given().header("Authorization", TestTokens.bearer("physician")).contentType("application/fhir+json")
                .body(conflicting).post("/api/v1/screenings")
                .then().statusCode(201).body("outcome", equalTo("NEEDS_REVIEW"))
                .body("inputNotes[0]", containsString("disagree"))
                .body("criteria.find { it.ruleId == 'LABEL-2024-CI-PULMONARY' }.status", equalTo("NOT_EVALUABLE"));
        given().header("Authorization", TestTokens.bearer("physician")).contentType("application/fhir+json")
                .body("{\"resourceType\":\"Patient\",\"id\":\"x\"}").post("/api/v1/screenings")
                .then().statusCode(400).body("code", equalTo("ELIG-0106"));
        // a time of day without its zone could move the fact's date by a day: refused, never guessed
        String zoneless = conflicting.replace("\"effectiveDateTime\": \"" + org.hdil2.eligibility.api.ScreeningApiTest.D + "\"",
                "\"effectiveDateTime\": \"" + org.hdil2.eligibility.api.ScreeningApiTest.D + "T23:30:00\"");
        given().header("Authorization", TestTokens.bearer("physician")).contentType("application/fhir+json")
                .body(zoneless).post("/api/v1/screenings")
                .then().statusCode(400).contentType("application/problem+json").body("code", equalTo("ELIG-0111"))
                .body("errors[0].field", equalTo("Observation.effectiveDateTime"));
        given().header("Authorization", TestTokens.bearer("physician")).contentType("application/fhir+json")
                .body(zoneless.replace("T23:30:00\"", "T23:30:00+01:00\"")).post("/api/v1/screenings")
                .then().statusCode(201);
    }

    static JsonNode read(String s) {
        try {
            return JSON.readTree(s);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
