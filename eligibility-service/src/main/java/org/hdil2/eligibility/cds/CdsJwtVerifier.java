package org.hdil2.eligibility.cds;

import java.net.URI;
import java.security.Key;
import java.security.KeyFactory;
import java.security.PublicKey;
import java.security.spec.X509EncodedKeySpec;
import java.time.Instant;
import java.util.Base64;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.hdil2.kit.problem.ProblemException;
import org.jose4j.http.Get;
import org.jose4j.jwa.AlgorithmConstraints;
import org.jose4j.jwk.HttpsJwks;
import org.jose4j.jwk.JsonWebKey;
import org.jose4j.jwk.JsonWebKeySet;
import org.jose4j.jws.AlgorithmIdentifiers;
import org.jose4j.jwt.JwtClaims;
import org.jose4j.jwt.MalformedClaimException;
import org.jose4j.jwt.consumer.InvalidJwtException;
import org.jose4j.jwt.consumer.JwtConsumer;
import org.jose4j.jwt.consumer.JwtConsumerBuilder;
import org.jose4j.jwt.consumer.JwtContext;
import org.jose4j.keys.resolvers.HttpsJwksVerificationKeyResolver;
import org.jose4j.keys.resolvers.JwksVerificationKeyResolver;
import org.jose4j.keys.resolvers.VerificationKeyResolver;
import org.jboss.logging.Logger;

/**
 * Verifies the JWT a CDS Client sends with every CDS Hooks request (CDS Hooks 2.0, "Trusting CDS Clients"): signed
 * with an asymmetric algorithm, by an issuer on the allow-list, {@code aud} the invoked service URL, {@code exp},
 * {@code iat} and {@code jti} present, and a {@code jti} no replica has accepted before ({@link UsedTokenIds}).
 *
 * <p>An issuer's keys are configured by value ({@code jwks} or {@code publicKey}) or fetched from a JWKS URL the token
 * names in its {@code jku} header, when that URL is on the issuer's {@code jku} allow-list (so a client can rotate its
 * keys without a redeployment). A fetched key set is cached ({@code Cache-Control}, else 5 minutes) and fetched again
 * when a token names a key it does not hold. The clinician is the token's {@code userClaim} claim (default
 * {@code fhirUser}), never the request body's {@code context.userId}.
 */
@ApplicationScoped
public class CdsJwtVerifier {

    private static final Logger LOG = Logger.getLogger(CdsJwtVerifier.class);
    static final String DEFAULT_USER_CLAIM = "fhirUser";
    static final int MAX_JTI_LENGTH = 256;

    static final String[] ASYMMETRIC = { AlgorithmIdentifiers.RSA_USING_SHA256, AlgorithmIdentifiers.RSA_USING_SHA384,
            AlgorithmIdentifiers.RSA_USING_SHA512, AlgorithmIdentifiers.RSA_PSS_USING_SHA256,
            AlgorithmIdentifiers.RSA_PSS_USING_SHA384, AlgorithmIdentifiers.RSA_PSS_USING_SHA512,
            AlgorithmIdentifiers.ECDSA_USING_P256_CURVE_AND_SHA256, AlgorithmIdentifiers.ECDSA_USING_P384_CURVE_AND_SHA384,
            AlgorithmIdentifiers.ECDSA_USING_P521_CURVE_AND_SHA512 };

    /**
     * Issuer to its trust, as JSON: {@code {"<iss>": {"jwks": {"keys": [...]}}}}, {@code {"<iss>": {"publicKey":
     * "<base64 X.509>"}}} and/or {@code {"<iss>": {"jku": ["https://ehr.example/jwks.json"]}}}; optionally
     * {@code "userClaim": "<claim naming the clinician>"}.
     */
    @ConfigProperty(name = "hdil2.cds.trusted-issuers")
    Optional<String> trustedIssuers;

    /** This service's public base URL as the EHR calls it; {@code aud} must be this plus the invoked path. */
    @ConfigProperty(name = "hdil2.cds.base-url")
    Optional<String> baseUrl;

    @ConfigProperty(name = "hdil2.cds.max-token-age-seconds", defaultValue = "300")
    long maxAgeSeconds;

    /** A key set fetched by jku is not fetched again sooner than this, however many unknown keys tokens name. */
    @ConfigProperty(name = "hdil2.cds.jwks-min-refresh-interval", defaultValue = "PT10S")
    java.time.Duration jwksMinRefreshInterval = java.time.Duration.ofSeconds(10);

    @Inject
    ObjectMapper json;

    @Inject
    UsedTokenIds usedTokenIds;

    private final Map<String, Trust> issuers = new LinkedHashMap<>();

    /** The verified caller: issuer and subject (the CDS Client), and the clinician when the token names one. */
    public record Caller(String issuer, String subject, String user) {
    }

    /** What one issuer is trusted with: keys by value (may be null), allowed JWKS URLs, the clinician's claim. */
    record Trust(VerificationKeyResolver keys, Map<String, VerificationKeyResolver> jku, String userClaim) {
    }

    @PostConstruct
    void load() {
        try {
            JsonNode root = json.readTree(trustedIssuers.orElse("{}"));
            for (Iterator<Map.Entry<String, JsonNode>> it = root.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> e = it.next();
                issuers.put(e.getKey(), trust(e.getValue()));
            }
        } catch (Exception e) {
            throw new IllegalStateException("hdil2.cds.trusted-issuers is not valid: " + e.getMessage(), e);
        }
    }

    private Trust trust(JsonNode trust) throws Exception {
        VerificationKeyResolver keys = null;
        if (trust.has("jwks")) {
            List<JsonWebKey> list = new JsonWebKeySet(trust.get("jwks").toString()).getJsonWebKeys();
            keys = new JwksVerificationKeyResolver(list);
        } else if (trust.has("publicKey")) {
            keys = publicKey(trust.path("publicKey").asText());
        }
        Map<String, VerificationKeyResolver> jku = new LinkedHashMap<>();
        for (JsonNode url : trust.path("jku")) {
            jku.put(allowedJku(url.asText()), fetched(url.asText()));
        }
        if (keys == null && jku.isEmpty()) {
            throw new IllegalArgumentException("an issuer needs jwks, publicKey or a jku allow-list");
        }
        return new Trust(keys, jku, trust.path("userClaim").asText(DEFAULT_USER_CLAIM));
    }

    /** https only; plain http is allowed for a loopback host (a test's or a sidecar's key server). */
    static String allowedJku(String url) {
        URI uri = URI.create(url);
        boolean loopback = "localhost".equals(uri.getHost()) || "127.0.0.1".equals(uri.getHost()) || "[::1]".equals(uri.getHost());
        if (!"https".equals(uri.getScheme()) && !("http".equals(uri.getScheme()) && loopback)) {
            throw new IllegalArgumentException("jku " + url + " is not an https URL");
        }
        return url;
    }

    private VerificationKeyResolver fetched(String url) {
        Get get = new Get();
        get.setConnectTimeout(2000);
        get.setReadTimeout(2000);
        get.setRetries(0);
        get.setResponseBodySizeLimit(64 * 1024);
        HttpsJwks jwks = new HttpsJwks(url);
        jwks.setSimpleHttpGet(get);
        jwks.setDefaultCacheDuration(300);
        jwks.setRefreshReprieveThreshold(jwksMinRefreshInterval.toMillis());
        return new HttpsJwksVerificationKeyResolver(jwks);
    }

    private static VerificationKeyResolver publicKey(String text) {
        String pem = text.replaceAll("-----[A-Z ]+-----", "").replaceAll("\\s", "");
        byte[] der = Base64.getDecoder().decode(pem);
        PublicKey key = null;
        for (String algorithm : List.of("EC", "RSA")) {
            try {
                key = KeyFactory.getInstance(algorithm).generatePublic(new X509EncodedKeySpec(der));
                break;
            } catch (java.security.spec.InvalidKeySpecException | java.security.NoSuchAlgorithmException ignored) {
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
        String jku;
        try {
            JwtContext unverified = new JwtConsumerBuilder().setSkipAllValidators().setDisableRequireSignature()
                    .setSkipSignatureVerification().build().process(token);
            issuer = unverified.getJwtClaims().getIssuer();
            jku = unverified.getJoseObjects().isEmpty() ? null : unverified.getJoseObjects().get(0).getHeader("jku");
        } catch (InvalidJwtException | MalformedClaimException e) {
            throw unauthorized("the token is not a JWT");
        }
        Trust trust = issuer == null ? null : issuers.get(issuer);
        if (trust == null) {
            throw unauthorized("the issuer is not trusted");
        }
        VerificationKeyResolver keys = jku == null ? trust.keys() : trust.jku().get(jku);
        if (keys == null) {
            throw unauthorized(jku == null ? "the token names no jku and the issuer's keys are only fetched by jku"
                    : "the token's jku is not on the issuer's allow-list");
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
        JwtClaims claims;
        try {
            claims = consumer.processToClaims(token);
        } catch (InvalidJwtException e) {
            // the reason names the failed check, never the token's content
            LOG.debugf("CDS Hooks JWT rejected: %s", e.getClass().getSimpleName());
            throw unauthorized("the token failed verification (signature, key, algorithm, audience, exp, iat or jti)");
        }
        try {
            String jti = claims.getJwtId();
            if (jti.length() > MAX_JTI_LENGTH) {
                throw unauthorized("the token's jti is longer than " + MAX_JTI_LENGTH + " characters");
            }
            Instant expires = Instant.ofEpochSecond(claims.getExpirationTime().getValue());
            String user = claims.getClaimValue(trust.userClaim()) instanceof String u && !u.isBlank() ? u : null;
            if (!usedTokenIds.firstUse(issuer, jti, expires)) {
                throw unauthorized("the token was already used (jti)");
            }
            return new Caller(issuer, claims.getSubject(), user);
        } catch (MalformedClaimException e) {
            throw unauthorized("the token's claims are malformed");
        }
    }

    private static ProblemException unauthorized(String why) {
        return new ProblemException(401, "ELIG-0010", "Not authenticated", why);
    }

}
