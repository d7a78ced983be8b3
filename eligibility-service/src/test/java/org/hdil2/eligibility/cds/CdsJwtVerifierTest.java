package org.hdil2.eligibility.cds;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.spec.ECGenParameterSpec;
import java.util.Optional;
import java.util.UUID;

import com.fasterxml.jackson.databind.ObjectMapper;

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
        v.load();
        return v;
    }

    static String token(KeyPair keys, String alg, long issuedSecondsAgo) throws Exception {
        JwtClaims c = new JwtClaims();
        c.setIssuer("https://ehr.example.org");
        c.setSubject("client");
        c.setAudience(AUD);
        c.setIssuedAt(NumericDate.fromSeconds(NumericDate.now().getValue() - issuedSecondsAgo));
        c.setExpirationTime(NumericDate.fromSeconds(NumericDate.now().getValue() + 300));
        c.setJwtId(UUID.randomUUID().toString());
        JsonWebSignature jws = new JsonWebSignature();
        jws.setPayload(c.toJson());
        jws.setKeyIdHeaderValue("k1");
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
}
