package org.hdil2.alert.domain;

/** The clinical condition behind an alert, independent of who has seen the alert. */
public enum Condition {
    PRESENT,
    CLEARED
}
