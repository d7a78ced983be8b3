package org.hdil2.kit.input;

import java.util.List;
import java.util.Map;
import java.util.Optional;

import jakarta.inject.Inject;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.core.MultivaluedMap;

import org.hdil2.kit.problem.Problem;
import org.hdil2.kit.problem.ProblemConfig;
import org.hdil2.kit.problem.ProblemException;
import org.jboss.resteasy.reactive.server.ServerRequestFilter;

/**
 * Every query and path parameter, and the request headers a resource reads, bounded before any resource or query sees
 * them: no control character (a NUL reaches PostgreSQL as an error), no unpaired surrogate, at most
 * {@value #MAX_LENGTH} characters. Refused as {@code <prefix>-0007}.
 */
public class BoundedParameters {

    static final int MAX_LENGTH = 512;
    private static final List<String> HEADERS = List.of("Idempotency-Key", "Last-Event-ID", "If-Match", "If-None-Match");

    @Inject
    ProblemConfig config;

    @ServerRequestFilter
    public void check(ContainerRequestContext request) {
        check("query parameter", request.getUriInfo().getQueryParameters());
        check("path parameter", request.getUriInfo().getPathParameters());
        for (String header : HEADERS) {
            String value = request.getHeaderString(header);
            if (value != null) {
                refusal(value).ifPresent(why -> {
                    throw refused("header " + header, why);
                });
            }
        }
    }

    private void check(String kind, MultivaluedMap<String, String> parameters) {
        for (Map.Entry<String, List<String>> p : parameters.entrySet()) {
            refusal(p.getKey()).ifPresent(why -> {
                throw refused(kind + " name", why);
            });
            for (String value : p.getValue()) {
                refusal(value).ifPresent(why -> {
                    throw refused(kind + " " + p.getKey(), why);
                });
            }
        }
    }

    private static Optional<String> refusal(String value) {
        if (value.length() > MAX_LENGTH) {
            return Optional.of("longer than " + MAX_LENGTH + " characters");
        }
        return ValueBounds.text(value).or(() -> value.indexOf('\t') >= 0 || value.indexOf('\n') >= 0 || value.indexOf('\r') >= 0
                ? Optional.of("control character") : Optional.empty());
    }

    private ProblemException refused(String what, String why) {
        String message = what + " refused: " + why;
        return new ProblemException(400, config.codePrefix() + "-0007", "Invalid parameter", message,
                List.of(new Problem.FieldError(what, why)));
    }
}
