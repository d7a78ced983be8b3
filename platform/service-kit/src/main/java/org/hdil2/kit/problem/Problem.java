package org.hdil2.kit.problem;

import java.util.List;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * RFC 9457 problem details with the suite's extensions: {@code code}, a stable identifier per error
 * ({@code DOSE-0101}), {@code requestId} to find the request in the audit trail, and {@code errors} naming each
 * offending field.
 */
@JsonInclude(JsonInclude.Include.NON_EMPTY)
public record Problem(String type, String title, int status, String detail, String instance, String code,
                      String requestId, List<FieldError> errors) {

    public static final String MEDIA_TYPE = "application/problem+json";

    /** One invalid input: where it is (JSON path or parameter name) and what is wrong with it. */
    public record FieldError(String field, String message) {
    }
}
