package org.hdil2.alert.domain;

/** Alarm priority, mapped one-to-one to IEC 60601-1-8 high / medium / low. */
public enum Priority {
    HIGH,
    MEDIUM,
    LOW;

    /** A finding's severity becomes the alert's priority; an unknown severity is treated as HIGH (fail safe). */
    public static Priority fromSeverity(String severity) {
        for (Priority p : values()) {
            if (p.name().equals(severity)) {
                return p;
            }
        }
        return HIGH;
    }
}
