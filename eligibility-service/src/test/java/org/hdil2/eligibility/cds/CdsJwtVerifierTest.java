package org.hdil2.eligibility.cds;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;

import org.hdil2.kit.problem.ProblemException;
import org.jose4j.jwk.PublicJsonWebKey;
import org.jose4j.jws.AlgorithmIdentifiers;
import org.jose4j.jws.JsonWebSignature;
import org.jose4j.jwt.JwtClaims;
import org.jose4j.jwt.NumericDate;
import org.junit.jupiter.api.Test;

/** The CDS Hooks JWT rules with keys configured as a JWKS: the happy path and each rejection. */
class CdsJwtVerifierTest {

    static final String AUD = "https://cds.example.org/cds-services/x";

    static KeyPair ec() throws Exception {
        KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
        g.initialize(new ECGenParameterSpec("secp384r1"));
        return g.generateKeyPair();
    }

    static CdsJwtVerifier verifier(KeyPair keys) throws Exception {
        PublicJsonWebKey jwk = PublicJsonWebKey.Factory.newPublicJwk(keys.getPublic());
        jwk.setKeyId("k1");
        CdsJwtVerifier v = new CdsJwtVerifier();
        v.json = new ObjectMapper();
        v.trustedIssuers = Optional.of("{\"https://ehr.example.org\":{\"jwks\":{\"keys\":[" + jwk.toJson() + "]}}}");
        v.baseUrl = Optional.of("https://cds.example.org/");
        v.maxAgeSeconds = 300;
        v.usedTokenIds = inMemory();
        v.load();
        return v;
    }

    /** The JWT rules alone; the PostgreSQL store is tested with the service (CdsHooksApiTest). */
    static UsedTokenIds inMemory() {
        Set<String> used = ConcurrentHashMap.newKeySet();
        return (issuer, jti, expires) -> used.add(issuer + " " + jti);
    }

    static String token(KeyPair keys, String alg, long issuedSecondsAgo) throws Exception {
        return token(keys, alg, issuedSecondsAgo, "k1", null, null);
    }

    static String token(KeyPair keys, String alg, long issuedSecondsAgo, String kid, String jku, String fhirUser) throws Exception {
        JwtClaims c = new JwtClaims();
        c.setIssuer("https://ehr.example.org");
        c.setSubject("client");
        c.setAudience(AUD);
        c.setIssuedAt(NumericDate.fromSeconds(NumericDate.now().getValue() - issuedSecondsAgo));
        c.setExpirationTime(NumericDate.fromSeconds(NumericDate.now().getValue() + 300));
        c.setJwtId(UUID.randomUUID().toString());
        if (fhirUser != null) {
            c.setClaim("fhirUser", fhirUser);
        }
        JsonWebSignature jws = new JsonWebSignature();
        jws.setPayload(c.toJson());
        jws.setKeyIdHeaderValue(kid);
        if (jku != null) {
            jws.setHeader("jku", jku);
        }
        jws.setAlgorithmHeaderValue(alg);
        if (!alg.equals(AlgorithmIdentifiers.NONE)) {
            jws.setKey(keys.getPrivate());
        }
        jws.setAlgorithmConstraints(org.jose4j.jwa.AlgorithmConstraints.NO_CONSTRAINTS);
        return "Bearer " + jws.getCompactSerialization();
    }

    @Test
    void aTokenSignedByATrustedIssuersJwksKeyIsAcceptedOnce() throws Exception {
        KeyPair keys = ec();
        CdsJwtVerifier v = verifier(keys);
        String t = token(keys, AlgorithmIdentifiers.ECDSA_USING_P384_CURVE_AND_SHA384, 0);
        assertEquals("https://ehr.example.org", v.verify(Optional.of(t), "/cds-services/x").issuer());
        assertThrows(ProblemException.class, () -> v.verify(Optional.of(t), "/cds-services/x"));
    }

    @Test
    void unsignedOldWrongKeyOrWrongAudienceTokensAreRejected() throws Exception {
        KeyPair keys = ec();
        CdsJwtVerifier v = verifier(keys);
        String none = token(keys, AlgorithmIdentifiers.NONE, 0);
        String old = token(keys, AlgorithmIdentifiers.ECDSA_USING_P384_CURVE_AND_SHA384, 3600);
        String otherKey = token(ec(), AlgorithmIdentifiers.ECDSA_USING_P384_CURVE_AND_SHA384, 0);
        String good = token(keys, AlgorithmIdentifiers.ECDSA_USING_P384_CURVE_AND_SHA384, 0);
        for (String t : new String[] { none, old, otherKey }) {
            ProblemException e = assertThrows(ProblemException.class, () -> v.verify(Optional.of(t), "/cds-services/x"));
            assertEquals(401, e.status());
        }
        assertThrows(ProblemException.class, () -> v.verify(Optional.of(good), "/cds-services/y"));
        assertThrows(ProblemException.class, () -> v.verify(Optional.empty(), "/cds-services/x"));
    }

    /** A client's key server on the loopback interface: serves whatever key set it holds now, counts the fetches. */
    static final class KeyServer implements AutoCloseable {
        final HttpServer server;
        final AtomicInteger fetches = new AtomicInteger();
        volatile String jwks = "{\"keys\":[]}";

        KeyServer() throws Exception {
            server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
            server.createContext("/jwks.json", exchange -> {
                fetches.incrementAndGet();
                byte[] body = jwks.getBytes(StandardCharsets.UTF_8);
                exchange.getResponseHeaders().add("Content-Type", "application/json");
                exchange.sendResponseHeaders(200, body.length);
                exchange.getResponseBody().write(body);
                exchange.close();
            });
            server.start();
        }

        String url() {
            return "http://127.0.0.1:" + server.getAddress().getPort() + "/jwks.json";
        }

        void serve(KeyPair keys, String kid) throws Exception {
            PublicJsonWebKey jwk = PublicJsonWebKey.Factory.newPublicJwk(keys.getPublic());
            jwk.setKeyId(kid);
            jwks = "{\"keys\":[" + jwk.toJson() + "]}";
        }

        @Override
        public void close() {
            server.stop(0);
        }
    }

    static CdsJwtVerifier byJku(String allowed) {
        CdsJwtVerifier v = new CdsJwtVerifier();
        v.json = new ObjectMapper();
        v.trustedIssuers = Optional.of("{\"https://ehr.example.org\":{\"jku\":[\"" + allowed + "\"]}}");
        v.baseUrl = Optional.of("https://cds.example.org/");
        v.maxAgeSeconds = 300;
        v.jwksMinRefreshInterval = Duration.ZERO;
        v.usedTokenIds = inMemory();
        v.load();
        return v;
    }

    @Test
    void keysComeFromAnAllowListedJkuAndARotatedKeyIsFetchedAgain() throws Exception {
        try (KeyServer ehr = new KeyServer()) {
            KeyPair first = ec();
            ehr.serve(first, "k1");
            CdsJwtVerifier v = byJku(ehr.url());
            String es384 = AlgorithmIdentifiers.ECDSA_USING_P384_CURVE_AND_SHA384;
            CdsJwtVerifier.Caller caller = v.verify(Optional.of(token(first, es384, 0, "k1", ehr.url(), "Practitioner/dr-7")),
                    "/cds-services/x");
            assertEquals("Practitioner/dr-7", caller.user());
            assertEquals(1, ehr.fetches.get());
            v.verify(Optional.of(token(first, es384, 0, "k1", ehr.url(), null)), "/cds-services/x");
            assertEquals(1, ehr.fetches.get(), "the key set is cached");

            KeyPair second = ec();
            ehr.serve(second, "k2");
            assertNull(v.verify(Optional.of(token(second, es384, 0, "k2", ehr.url(), null)), "/cds-services/x").user());
            assertEquals(2, ehr.fetches.get(), "a key the cache lacks fetches the set again");

            // the retired key, a jku off the allow-list, and no jku at all are refused
            String retired = token(first, es384, 0, "k1", ehr.url(), null);
            String elsewhere = token(second, es384, 0, "k2", "http://127.0.0.1:1/jwks.json", null);
            String none = token(second, es384, 0, "k2", null, null);
            for (String t : new String[] { retired, elsewhere, none }) {
                ProblemException e = assertThrows(ProblemException.class, () -> v.verify(Optional.of(t), "/cds-services/x"));
                assertEquals(401, e.status());
            }
        }
    }

    @Test
    void aJkuMustBeHttpsUnlessItIsOnTheLoopbackInterface() {
        assertThrows(IllegalStateException.class, () -> byJku("http://ehr.example.org/jwks.json"));
        assertThrows(IllegalStateException.class, () -> byJku("ftp://ehr.example.org/jwks.json"));
        assertEquals("https://ehr.example.org/jwks.json", CdsJwtVerifier.allowedJku("https://ehr.example.org/jwks.json"));
        assertEquals("http://localhost:8089/jwks.json", CdsJwtVerifier.allowedJku("http://localhost:8089/jwks.json"));
    }
}
