package org.hdil2.kit.problem;

import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.stream.Collectors;

import jakarta.inject.Inject;
import jakarta.validation.ConstraintViolation;
import jakarta.validation.ConstraintViolationException;
import jakarta.ws.rs.NotAllowedException;
import jakarta.ws.rs.NotFoundException;
import jakarta.ws.rs.NotSupportedException;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;

import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.exc.InvalidFormatException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;

import org.hdil2.kit.audit.RequestId;
import org.hdil2.kit.input.RefusedValueException;
import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

import io.quarkus.security.AuthenticationFailedException;
import io.quarkus.security.ForbiddenException;
import io.quarkus.security.UnauthorizedException;

/**
 * Turns every failure into {@code application/problem+json} with a stable code. Generic codes are the service's
 * prefix plus: 0001 malformed JSON, 0002 validation failed, 0003 wrong type or unknown value, 0004 unknown field,
 * 0005 not found, 0006 method or media type not supported, 0007 query, path or header parameter refused, 0008 a
 * concurrent request changed the same record (retry), 0009 a value the database cannot store, 0010 not authenticated,
 * 0011 not allowed for the caller's role, 0500 internal error. Service-specific codes start at 0100. Never a stack
 * trace, and never a database message: those can carry patient data.
 */
public class ProblemMappers {

    private static final Logger LOG = Logger.getLogger(ProblemMappers.class);

    @Inject
    ProblemConfig config;

    @Inject
    RequestId requestId;

    @ServerExceptionMapper
    public Response problem(ProblemException e, UriInfo uri) {
        return respond(e.status(), e.code(), e.title(), e.getMessage(), uri, e.errors());
    }

    @ServerExceptionMapper(priority = 1)
    public Response validation(ConstraintViolationException e, UriInfo uri) {
        List<Problem.FieldError> errors = e.getConstraintViolations().stream()
                .map(v -> new Problem.FieldError(fieldOf(v), v.getMessage()))
                .sorted((a, b) -> a.field().compareTo(b.field()))
                .toList();
        String detail = errors.stream().map(f -> f.field() + ": " + f.message()).collect(Collectors.joining("; "));
        return respond(400, code("0002"), "Validation failed", detail, uri, errors);
    }

    @ServerExceptionMapper(priority = 1)
    public Response json(JsonProcessingException e, UriInfo uri) {
        if (e instanceof RefusedValueException refused) {
            String field = path(refused);
            String message = "value refused: " + refused.reason();
            return respond(400, code("0003"), "Invalid value", message, uri, List.of(new Problem.FieldError(field, message)));
        }
        if (e instanceof StreamConstraintsException limit) {
            return respond(400, code("0001"), "Request too large or too deep", "the request body exceeds a limit: "
                    + limit.getOriginalMessage(), uri, List.of());
        }
        if (e instanceof UnrecognizedPropertyException unknown) {
            String field = path(unknown);
            return respond(400, code("0004"), "Unknown field",
                    "field '" + field + "' is not part of this request; allowed fields: " + unknown.getKnownPropertyIds(),
                    uri, List.of(new Problem.FieldError(field, "unknown field")));
        }
        if (e instanceof InvalidFormatException format) {
            String field = path(format);
            String message = "value " + quote(format.getValue()) + " is not a valid " + describe(format.getTargetType());
            return respond(400, code("0003"), "Invalid value", message, uri, List.of(new Problem.FieldError(field, message)));
        }
        if (e instanceof MismatchedInputException mismatch && mismatch.getTargetType() != null) {
            String field = path(mismatch);
            String message = "expected " + describe(mismatch.getTargetType());
            return respond(400, code("0003"), "Invalid value", message, uri, List.of(new Problem.FieldError(field, message)));
        }
        if (e instanceof JsonMappingException mapping && !(e instanceof JsonParseException)) {
            String field = path(mapping);
            return respond(400, code("0003"), "Invalid value", "cannot read field '" + field + "'", uri,
                    List.of(new Problem.FieldError(field, "invalid value")));
        }
        return respond(400, code("0001"), "Malformed JSON", "the request body is not valid JSON: " + e.getOriginalMessage(),
                uri, List.of());
    }

    /** Quarkus ships its own mapper for this subtype; ours must win so that the answer stays problem+json. */
    @ServerExceptionMapper(priority = 1)
    public Response mismatched(MismatchedInputException e, UriInfo uri) {
        return json(e, uri);
    }

    @ServerExceptionMapper(priority = 1)
    public Response parse(JsonParseException e, UriInfo uri) {
        return json(e, uri);
    }

    @ServerExceptionMapper
    public Response notFound(NotFoundException e, UriInfo uri) {
        return respond(404, code("0005"), "Not found", "no resource at this address", uri, List.of());
    }

    @ServerExceptionMapper
    public Response notAllowed(NotAllowedException e, UriInfo uri) {
        return respond(405, code("0006"), "Method not allowed", "allowed: " + e.getResponse().getAllowedMethods(), uri, List.of());
    }

    @ServerExceptionMapper
    public Response unsupported(NotSupportedException e, UriInfo uri) {
        return respond(415, code("0006"), "Unsupported media type", "send application/json", uri, List.of());
    }

    @ServerExceptionMapper({ UnauthorizedException.class, AuthenticationFailedException.class })
    public Response unauthenticated(RuntimeException e, UriInfo uri) {
        Response r = respond(401, code("0010"), "Not authenticated", "a valid bearer token is required", uri, List.of());
        return Response.fromResponse(r).header(HttpHeaders.WWW_AUTHENTICATE, "Bearer").build();
    }

    @ServerExceptionMapper
    public Response forbidden(ForbiddenException e, UriInfo uri) {
        return respond(403, code("0011"), "Not allowed", "the caller's role may not do this", uri, List.of());
    }

    @ServerExceptionMapper
    public Response web(WebApplicationException e, UriInfo uri) {
        int status = e.getResponse().getStatus();
        if (status >= 500) {
            return internal(e, uri);
        }
        if (e.getCause() instanceof JsonProcessingException cause) {
            return json(cause, uri);
        }
        if (status == 400) {
            return respond(400, code("0001"), "Malformed request", "the request body cannot be read", uri, List.of());
        }
        return respond(status, code("0006"), e.getResponse().getStatusInfo().getReasonPhrase(), "the request cannot be served",
                uri, List.of());
    }

    @ServerExceptionMapper
    public Response internal(Throwable e, UriInfo uri) {
        Optional<String> sqlState = sqlState(e);
        if (sqlState.isPresent() && (sqlState.get().startsWith("23") || sqlState.get().startsWith("40"))) {
            // integrity (unique, foreign key) or serialisation: another request got there first; asking again is safe
            LOG.infof("request refused: database state %s (concurrent change)", sqlState.get());
            return respond(409, code("0008"), "Concurrent change", "another request changed the same record at the same time; "
                    + "read it again and retry", uri, List.of());
        }
        if (sqlState.isPresent() && sqlState.get().startsWith("22")) {
            LOG.infof("request refused: database state %s (value cannot be stored)", sqlState.get());
            return respond(400, code("0009"), "Value cannot be stored", "a value of the request cannot be stored", uri, List.of());
        }
        String incident = UUID.randomUUID().toString();
        // the exception type and incident id only: messages may carry patient data
        LOG.errorf("incident %s: %s at %s", incident, e.getClass().getName(), firstFrame(e));
        LOG.debugf(e, "incident %s", incident);
        return respond(500, code("0500"), "Internal error", "the request failed; incident " + incident, uri, List.of());
    }

    /** The SQLSTATE of the first database error in the cause chain (never its message: it may quote patient data). */
    private static Optional<String> sqlState(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof SQLException sql && sql.getSQLState() != null) {
                return Optional.of(sql.getSQLState());
            }
        }
        return Optional.empty();
    }

    private Response respond(int status, String code, String title, String detail, UriInfo uri, List<Problem.FieldError> errors) {
        String instance = uri == null ? null : uri.getPath();
        Problem body = new Problem("https://hdil2.org/problems/" + code, title, status, detail, instance, code,
                requestId.value(), errors);
        return Response.status(status).type(Problem.MEDIA_TYPE).entity(body).build();
    }

    private String code(String number) {
        return config.codePrefix() + "-" + number;
    }

    private static String fieldOf(ConstraintViolation<?> v) {
        // "create.request.weightKg" -> "weightKg": drop the method and parameter names
        String path = v.getPropertyPath().toString();
        String[] parts = path.split("\\.");
        return parts.length > 2 ? String.join(".", Arrays.copyOfRange(parts, 2, parts.length)) : path;
    }

    private static String path(JsonMappingException e) {
        List<String> parts = new ArrayList<>();
        for (JsonMappingException.Reference ref : e.getPath()) {
            if (ref.getFieldName() != null) {
                parts.add(ref.getFieldName());
            } else if (ref.getIndex() >= 0) {
                parts.add("[" + ref.getIndex() + "]");
            }
        }
        return parts.isEmpty() ? "(body)" : String.join(".", parts).replace(".[", "[");
    }

    private static String describe(Class<?> type) {
        if (type.isEnum()) {
            return "value; allowed: " + Arrays.toString(type.getEnumConstants());
        }
        if (Number.class.isAssignableFrom(type) || type.isPrimitive()) {
            return "number";
        }
        if (type == java.time.Instant.class || type == java.time.OffsetDateTime.class) {
            return "date-time (RFC 3339, e.g. 2026-11-29T08:00:00Z)";
        }
        if (type == Boolean.class) {
            return "boolean";
        }
        if (type == String.class) {
            return "string";
        }
        return type.getSimpleName();
    }

    private static String quote(Object value) {
        if (value == null) {
            return "null";
        }
        String text = String.valueOf(value);
        return "'" + (text.length() > 64 ? text.substring(0, 64) + "…" : text) + "'";
    }

    private static String firstFrame(Throwable e) {
        StackTraceElement[] trace = e.getStackTrace();
        return trace.length == 0 ? "?" : trace[0].toString();
    }
}
