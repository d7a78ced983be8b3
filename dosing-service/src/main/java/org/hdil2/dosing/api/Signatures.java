package org.hdil2.dosing.api;

import java.time.Duration;
import java.util.Optional;

import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Inject;
import jakarta.ws.rs.core.HttpHeaders;

import org.eclipse.microprofile.jwt.JsonWebToken;
import org.hdil2.dosing.domain.Signer;
import org.hdil2.kit.identity.TokenLimits;
import org.hdil2.kit.problem.ProblemException;

import io.quarkus.oidc.AccessTokenCredential;
import io.quarkus.oidc.TenantIdentityProvider;
import io.quarkus.security.AuthenticationFailedException;
import io.quarkus.security.identity.SecurityIdentity;

/**
 * Who signs a request: the caller, from her bearer token, and a second person where a step needs two (a dose given, a
 * given dose voided), from her own bearer token in the {@value #SECOND_SIGNATURE} header, checked like the first
 * (signature, issuer, audience, expiry, lifetime). Nobody's identity is taken from a request body.
 */
@RequestScoped
public class Signatures {

    public static final String SECOND_SIGNATURE = "Second-Signature";

    @Inject
    SecurityIdentity identity;

    @Inject
    TenantIdentityProvider tokens;

    @Inject
    TokenLimits limits;

    @Inject
    HttpHeaders headers;

    public Signer caller() {
        return signer(identity);
    }

    /** The second signer, if the request carries a second signature; refused (never ignored) when it is not valid. */
    public Optional<Signer> second() {
        String header = headers.getHeaderString(SECOND_SIGNATURE);
        if (header == null || header.isBlank()) {
            return Optional.empty();
        }
        if (!header.regionMatches(true, 0, "Bearer ", 0, 7) || header.length() > 16_384) {
            throw invalid("the " + SECOND_SIGNATURE + " header is 'Bearer <the second person's access token>'");
        }
        SecurityIdentity second;
        try {
            second = tokens.authenticate(new AccessTokenCredential(header.substring(7).trim())).await().atMost(Duration.ofSeconds(10));
        } catch (AuthenticationFailedException e) {
            throw invalid("the second signature's token is not valid (signature, issuer, audience or expiry)");
        }
        if (second == null || !(second.getPrincipal() instanceof JsonWebToken token)) {
            throw invalid("the second signature's token is not valid");
        }
        String refusal = limits.refusal(token.getIssuedAtTime(), token.getExpirationTime(), java.time.Instant.now());
        if (refusal != null) {
            throw invalid("the second signature's token is refused: " + refusal);
        }
        return Optional.of(signer(second));
    }

    private static Signer signer(SecurityIdentity id) {
        String subject = id.getPrincipal() instanceof JsonWebToken jwt && jwt.getSubject() != null ? jwt.getSubject()
                : id.getPrincipal().getName();
        return new Signer(subject, id.getPrincipal().getName(), id.getRoles());
    }

    private static ProblemException invalid(String message) {
        return new ProblemException(403, "DOSE-0126", "Second signature not valid", message);
    }
}
