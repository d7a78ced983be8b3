package org.hdil2.alert.domain;

/** Coded reasons a physician may dismiss an alert for; OTHER needs a text. */
public enum DismissReason {
    CLINICALLY_EXPECTED,
    ARTEFACT,
    ALREADY_ADDRESSED,
    DUPLICATE,
    OTHER
}
