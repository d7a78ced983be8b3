package org.hdil2.kit.input;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.exc.InvalidFormatException;

/** A JSON value of the right type that the suite does not accept (see {@link ValueBounds}); answered as 400. */
public final class RefusedValueException extends InvalidFormatException {

    private final String reason;

    RefusedValueException(JsonParser p, String reason, Object value, Class<?> type) {
        super(p, reason, value, type);
        this.reason = reason;
    }

    public String reason() {
        return reason;
    }
}
