package org.hdil2.alert.domain;

/** What changed in an alert (the {@code change} of alert-updated events and notifications). */
public enum Change {
    RAISED,
    CONDITION_PRESENT,
    REOPENED,
    UPDATED,
    CONDITION_CLEARED,
    ACKNOWLEDGED,
    ESCALATED,
    COMMENTED,
    RESOLVED,
    DISMISSED
}
