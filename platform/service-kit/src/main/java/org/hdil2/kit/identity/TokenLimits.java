package org.hdil2.kit.identity;

import java.time.Duration;
import java.time.Instant;

import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.eclipse.microprofile.jwt.JsonWebToken;
import org.jboss.logging.Logger;

import io.quarkus.security.AuthenticationFailedException;
import io.quarkus.security.identity.AuthenticationRequestContext;
import io.quarkus.security.identity.SecurityIdentity;
import io.quarkus.security.identity.SecurityIdentityAugmentor;
import io.smallrye.mutiny.Uni;

/**
 * What the OIDC extension does not check of a bearer token: that it says when it was issued, was not issued in the
 * future (beyond the clock skew), and lives no longer than {@code hdil2.tokens.max-lifetime} (a shift: a token minted
 * for ten years is refused even while it is unexpired). Signature, issuer, audience and expiry are the extension's.
 */
@ApplicationScoped
public class TokenLimits implements SecurityIdentityAugmentor {

    private static final Logger LOG = Logger.getLogger(TokenLimits.class);

    @ConfigProperty(name = "hdil2.tokens.max-lifetime", defaultValue = "PT12H")
    Duration maxLifetime;

    @ConfigProperty(name = "hdil2.tokens.clock-skew", defaultValue = "PT60S")
    Duration clockSkew;

    @Override
    public Uni<SecurityIdentity> augment(SecurityIdentity identity, AuthenticationRequestContext context) {
        if (identity.isAnonymous() || !(identity.getPrincipal() instanceof JsonWebToken token)) {
            return Uni.createFrom().item(identity);
        }
        String refusal = refusal(token.getIssuedAtTime(), token.getExpirationTime(), Instant.now());
        if (refusal != null) {
            // the reason only: the subject is a person
            LOG.infof("bearer token refused: %s", refusal);
            return Uni.createFrom().failure(new AuthenticationFailedException(refusal));
        }
        return Uni.createFrom().item(identity);
    }

    public String refusal(long issuedAt, long expiresAt, Instant now) {
        if (issuedAt <= 0) {
            return "no issue time (iat)";
        }
        if (Instant.ofEpochSecond(issuedAt).isAfter(now.plus(clockSkew))) {
            return "issued in the future";
        }
        if (expiresAt <= 0) {
            return "no expiry (exp)";
        }
        if (Duration.ofSeconds(expiresAt - issuedAt).compareTo(maxLifetime) > 0) {
            return "lifetime longer than " + maxLifetime;
        }
        return null;
    }
}
