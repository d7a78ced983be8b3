package org.hdil2.alert.domain;

/** Alarm priority, mapped one-to-one to IEC 60601-1-8 high / medium / low and to ACM PH / PM / PL. */
public enum Priority {
    HIGH("PH"),
    MEDIUM("PM"),
    LOW("PL");

    private final String acm;

    Priority(String acm) {
        this.acm = acm;
    }

    /** The IHE PCD ACM priority code. */
    public String acm() {
        return acm;
    }

    /** True when this priority is at least {@code other} (HIGH is at least MEDIUM). */
    public boolean atLeast(Priority other) {
        return ordinal() <= other.ordinal();
    }

    /** A finding's severity becomes the alert's priority; an unknown severity is treated as HIGH (fail safe). */
    public static Priority fromSeverity(String severity) {
        for (Priority p : values()) {
            if (p.name().equals(severity)) {
                return p;
            }
        }
        return HIGH;
    }

    /** Parses a configured or requested priority name, or null when it is none of them. */
    public static Priority parse(String name) {
        for (Priority p : values()) {
            if (p.name().equalsIgnoreCase(name == null ? "" : name.trim())) {
                return p;
            }
        }
        return null;
    }
}
