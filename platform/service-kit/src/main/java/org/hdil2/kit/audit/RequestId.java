package org.hdil2.kit.audit;

import java.util.UUID;
import java.util.regex.Pattern;

import jakarta.enterprise.context.RequestScoped;

/** The id of the current HTTP request: the caller's {@code X-Request-Id} when it is sane, otherwise a new one. */
@RequestScoped
public class RequestId {

    public static final String HEADER = "X-Request-Id";
    private static final Pattern SANE = Pattern.compile("[A-Za-z0-9._:-]{1,64}");

    private String value;

    public String value() {
        if (value == null) {
            value = UUID.randomUUID().toString();
        }
        return value;
    }

    void accept(String fromCaller) {
        if (fromCaller != null && SANE.matcher(fromCaller).matches()) {
            value = fromCaller;
        }
    }
}
