package org.hdil2.alert.domain;

/** A clinician's part in covering a patient; the escalation policy names these. */
public enum AssignmentRole {
    PRIMARY_NURSE,
    CHARGE_NURSE,
    PHYSICIAN
}
