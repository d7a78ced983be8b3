package org.hdil2.infra;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.Signature;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * Signs RS256 bearer tokens with a {@link DevKeys} pair: one user, one or more roles in the {@code groups} claim, the
 * suite's audience ({@value #AUDIENCE}).
 */
public final class DevTokens {

    public static final String ISSUER = "https://hdil2.local/dev-issuer";
    /** The audience every service requires by default ({@code OIDC_TOKEN_AUDIENCE}). */
    public static final String AUDIENCE = "hdil2";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Base64.Encoder B64 = Base64.getUrlEncoder().withoutPadding();

    private DevTokens() {
    }

    public static String sign(KeyPair keys, String user, List<String> roles, Duration lifetime) {
        return sign(keys, claims(user, roles, Instant.now(), lifetime));
    }

    /** The claims of a token for {@code user}, issued at {@code issuedAt}: for tests that alter one of them. */
    public static Map<String, Object> claims(String user, List<String> roles, Instant issuedAt, Duration lifetime) {
        Map<String, Object> claims = new LinkedHashMap<>();
        claims.put("iss", ISSUER);
        claims.put("aud", AUDIENCE);
        claims.put("sub", user);
        claims.put("upn", user);
        claims.put("preferred_username", user);
        claims.put("groups", roles);
        claims.put("iat", issuedAt.getEpochSecond());
        claims.put("exp", issuedAt.plus(lifetime).getEpochSecond());
        return claims;
    }

    /** A token with exactly these claims. */
    public static String sign(KeyPair keys, Map<String, Object> claims) {
        Map<String, Object> header = Map.of("alg", "RS256", "typ", "JWT");
        try {
            String signingInput = B64.encodeToString(JSON.writeValueAsBytes(header)) + "."
                    + B64.encodeToString(JSON.writeValueAsBytes(claims));
            Signature rsa = Signature.getInstance("SHA256withRSA");
            rsa.initSign(keys.getPrivate());
            rsa.update(signingInput.getBytes(StandardCharsets.US_ASCII));
            return signingInput + "." + B64.encodeToString(rsa.sign());
        } catch (JsonProcessingException | GeneralSecurityException e) {
            throw new IllegalStateException("cannot sign token", e);
        }
    }
}
