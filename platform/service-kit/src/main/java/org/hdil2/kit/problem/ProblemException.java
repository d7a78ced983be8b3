package org.hdil2.kit.problem;

import java.util.List;

/** Thrown by resources and domain adapters to answer with a coded problem instead of a result. */
public class ProblemException extends RuntimeException {

    private final int status;
    private final String code;
    private final String title;
    private final List<Problem.FieldError> errors;

    public ProblemException(int status, String code, String title, String detail) {
        this(status, code, title, detail, List.of());
    }

    public ProblemException(int status, String code, String title, String detail, List<Problem.FieldError> errors) {
        super(detail);
        this.status = status;
        this.code = code;
        this.title = title;
        this.errors = List.copyOf(errors);
    }

    public static ProblemException notFound(String code, String what) {
        return new ProblemException(404, code, "Not found", what + " does not exist");
    }

    public static ProblemException conflict(String code, String title, String detail) {
        return new ProblemException(409, code, title, detail);
    }

    public static ProblemException invalid(String code, String field, String message) {
        return new ProblemException(400, code, "Invalid input", message, List.of(new Problem.FieldError(field, message)));
    }

    public int status() {
        return status;
    }

    public String code() {
        return code;
    }

    public String title() {
        return title;
    }

    public List<Problem.FieldError> errors() {
        return errors;
    }
}
