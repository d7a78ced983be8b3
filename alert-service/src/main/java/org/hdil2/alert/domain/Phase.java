package org.hdil2.alert.domain;

/** ACM event phase of a notification. */
public enum Phase {
    START,
    UPDATE,
    ESCALATE,
    END;

    /** The ACM spelling ({@code start}, {@code update}, {@code escalate}, {@code end}). */
    public String acm() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
