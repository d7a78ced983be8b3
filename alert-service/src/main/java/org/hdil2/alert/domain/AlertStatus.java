package org.hdil2.alert.domain;

/**
 * Where an alert stands for the people who must act on it, after IHE PCD ACM and IEC 60601-1-8.
 * <ul>
 * <li>ACTIVE: condition present, nobody has acknowledged (ACM alarm state {@code active}).</li>
 * <li>LATCHED: a latching (HIGH) alert whose condition cleared before anyone acknowledged it; it stays until
 * acknowledged so a transient event is not missed (ACM alarm state {@code latched}).</li>
 * <li>ACKNOWLEDGED: someone owns it; the condition is still present (ACM inactivation state
 * {@code alert-acknowledged}).</li>
 * <li>RESOLVED: ended because the condition cleared (and, when latching, after acknowledgement).</li>
 * <li>DISMISSED: ended by a physician with a coded reason.</li>
 * </ul>
 */
public enum AlertStatus {
    ACTIVE,
    LATCHED,
    ACKNOWLEDGED,
    RESOLVED,
    DISMISSED;

    public boolean ended() {
        return this == RESOLVED || this == DISMISSED;
    }

    /** Escalation runs while nobody has acknowledged the alert. */
    public boolean escalates() {
        return this == ACTIVE || this == LATCHED;
    }

    /** ACM alarm state: active, latched or inactive. */
    public String alarmState() {
        return switch (this) {
            case ACTIVE, ACKNOWLEDGED -> "active";
            case LATCHED -> "latched";
            default -> "inactive";
        };
    }

    /** ACM inactivation state. */
    public String inactivationState() {
        return this == ACKNOWLEDGED ? "alert-acknowledged" : this == DISMISSED ? "alarm-off" : "enabled";
    }
}
