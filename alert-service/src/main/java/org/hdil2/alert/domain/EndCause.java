package org.hdil2.alert.domain;

/** Why an alert ended. A flapping condition reopens an alert only when it ended by clearing, never a dismissed one. */
public enum EndCause {
    CONDITION_CLEARED,
    ACKNOWLEDGED_AFTER_CLEARING,
    DISMISSED;

    public boolean byClearing() {
        return this != DISMISSED;
    }
}
