package org.hdil2.kit.inbox;

/** The record can never be processed as it is (broken envelope, schema violation, unknown type): dead-letter it. */
public class PoisonEventException extends RuntimeException {

    public PoisonEventException(String reason) {
        super(reason);
    }

    public PoisonEventException(String reason, Throwable cause) {
        super(reason, cause);
    }
}
