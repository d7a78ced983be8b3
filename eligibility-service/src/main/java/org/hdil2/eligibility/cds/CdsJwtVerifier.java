package org.hdil2.eligibility.cds;

import java.security.Key;
import java.security.KeyFactory;
import java.security.PublicKey;
import java.security.spec.X509EncodedKeySpec;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.hdil2.kit.problem.ProblemException;
import org.jose4j.jwa.AlgorithmConstraints;
import org.jose4j.jwk.JsonWebKey;
import org.jose4j.jwk.JsonWebKeySet;
import org.jose4j.jws.AlgorithmIdentifiers;
import org.jose4j.jwt.JwtClaims;
import org.jose4j.jwt.MalformedClaimException;
import org.jose4j.jwt.consumer.InvalidJwtException;
import org.jose4j.jwt.consumer.JwtConsumer;
import org.jose4j.jwt.consumer.JwtConsumerBuilder;
import org.jose4j.jwt.consumer.JwtContext;
import org.jose4j.keys.resolvers.JwksVerificationKeyResolver;
import org.jose4j.keys.resolvers.VerificationKeyResolver;
import org.jboss.logging.Logger;

/**
 * Verifies the JWT a CDS Client sends with every CDS Hooks request (CDS Hooks 2.0, "Trusting CDS Clients"): signed
 * with an asymmetric algorithm, by an issuer on the allow-list whose keys are configured here by value (no key is
 * fetched over the network), {@code aud} the invoked service URL, {@code exp}, {@code iat} and {@code jti} present,
 * and a {@code jti} not seen before while the token is valid.
 */
@ApplicationScoped
public class CdsJwtVerifier {

    private static final Logger LOG = Logger.getLogger(CdsJwtVerifier.class);

    static final String[] ASYMMETRIC = { AlgorithmIdentifiers.RSA_USING_SHA256, AlgorithmIdentifiers.RSA_USING_SHA384,
            AlgorithmIdentifiers.RSA_USING_SHA512, AlgorithmIdentifiers.RSA_PSS_USING_SHA256,
            AlgorithmIdentifiers.RSA_PSS_USING_SHA384, AlgorithmIdentifiers.RSA_PSS_USING_SHA512,
            AlgorithmIdentifiers.ECDSA_USING_P256_CURVE_AND_SHA256, AlgorithmIdentifiers.ECDSA_USING_P384_CURVE_AND_SHA384,
            AlgorithmIdentifiers.ECDSA_USING_P521_CURVE_AND_SHA512 };

    /** Issuer to its keys, as JSON: {@code {"<iss>": {"jwks": {"keys": [...]}}}} or {@code {"<iss>": {"publicKey": "<base64 X.509>"}}}. */
    @ConfigProperty(name = "hdil2.cds.trusted-issuers")
    Optional<String> trustedIssuers;

    /** This service's public base URL as the EHR calls it; {@code aud} must be this plus the invoked path. */
    @ConfigProperty(name = "hdil2.cds.base-url")
    Optional<String> baseUrl;

    @ConfigProperty(name = "hdil2.cds.max-token-age-seconds", defaultValue = "300")
    long maxAgeSeconds;

    @Inject
    ObjectMapper json;

    private final Map<String, VerificationKeyResolver> issuers = new LinkedHashMap<>();
    private final Map<String, Instant> seenJti = new ConcurrentHashMap<>();

    /** The verified caller: issuer and subject (the CDS Client). */
    public record Caller(String issuer, String subject) {
    }

    @PostConstruct
    void load() {
        try {
            JsonNode root = json.readTree(trustedIssuers.orElse("{}"));
            for (Iterator<Map.Entry<String, JsonNode>> it = root.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> e = it.next();
                issuers.put(e.getKey(), resolver(e.getValue()));
            }
        } catch (Exception e) {
            throw new IllegalStateException("hdil2.cds.trusted-issuers is not valid: " + e.getClass().getSimpleName(), e);
        }
    }

    private static VerificationKeyResolver resolver(JsonNode trust) throws Exception {
        if (trust.has("jwks")) {
            List<JsonWebKey> keys = new JsonWebKeySet(trust.get("jwks").toString()).getJsonWebKeys();
            return new JwksVerificationKeyResolver(keys);
        }
        String pem = trust.path("publicKey").asText().replaceAll("-----[A-Z ]+-----", "").replaceAll("\\s", "");
        byte[] der = Base64.getDecoder().decode(pem);
        PublicKey key = null;
        for (String algorithm : List.of("EC", "RSA")) {
            try {
                key = KeyFactory.getInstance(algorithm).generatePublic(new X509EncodedKeySpec(der));
                break;
            } catch (java.security.spec.InvalidKeySpecException ignored) {
                // try the next key type
            }
        }
        if (key == null) {
            throw new IllegalArgumentException("publicKey is neither an EC nor an RSA X.509 key");
        }
        Key verification = key;
        return (jws, nestingContext) -> verification;
    }

    public boolean configured() {
        return !issuers.isEmpty() && baseUrl.filter(u -> !u.isBlank()).isPresent();
    }

    /** Verifies {@code authorization} for a call to {@code path}; any failure is a 401. */
    public Caller verify(Optional<String> authorization, String path) {
        String token = authorization.filter(h -> h.regionMatches(true, 0, "Bearer ", 0, 7)).map(h -> h.substring(7).trim())
                .orElseThrow(() -> unauthorized("a CDS Hooks JWT is required (Authorization: Bearer)"));
        if (!configured()) {
            throw unauthorized("no CDS Client is trusted by this deployment");
        }
        String issuer;
        try {
            JwtContext unverified = new JwtConsumerBuilder().setSkipAllValidators().setDisableRequireSignature()
                    .setSkipSignatureVerification().build().process(token);
            issuer = unverified.getJwtClaims().getIssuer();
        } catch (InvalidJwtException | MalformedClaimException e) {
            throw unauthorized("the token is not a JWT");
        }
        VerificationKeyResolver keys = issuer == null ? null : issuers.get(issuer);
        if (keys == null) {
            throw unauthorized("the issuer is not trusted");
        }
        String audience = baseUrl.orElseThrow().replaceAll("/+$", "") + path;
        JwtConsumer consumer = new JwtConsumerBuilder()
                .setJwsAlgorithmConstraints(AlgorithmConstraints.ConstraintType.PERMIT, ASYMMETRIC)
                .setVerificationKeyResolver(keys)
                .setExpectedIssuer(issuer)
                .setExpectedAudience(audience)
                .setRequireExpirationTime()
                .setRequireIssuedAt()
                .setRequireJwtId()
                .setIssuedAtRestrictions(30, (int) maxAgeSeconds)
                .setAllowedClockSkewInSeconds(30)
                .build();
        try {
            JwtClaims claims = consumer.processToClaims(token);
            Instant expires = Instant.ofEpochSecond(claims.getExpirationTime().getValue());
            purge();
            if (seenJti.putIfAbsent(issuer + " " + claims.getJwtId(), expires) != null) {
                throw unauthorized("the token was already used (jti)");
            }
            return new Caller(issuer, claims.getSubject());
        } catch (InvalidJwtException | MalformedClaimException e) {
            // the reason names the failed check, never the token's content
            LOG.debugf("CDS Hooks JWT rejected: %s", e.getClass().getSimpleName());
            throw unauthorized("the token failed verification (signature, algorithm, audience, exp, iat or jti)");
        }
    }

    private void purge() {
        Instant now = Instant.now().minusSeconds(60);
        List<String> old = new ArrayList<>();
        seenJti.forEach((k, v) -> {
            if (v.isBefore(now)) {
                old.add(k);
            }
        });
        old.forEach(seenJti::remove);
    }

    private static ProblemException unauthorized(String why) {
        return new ProblemException(401, "ELIG-0010", "Not authenticated", why);
    }

}
