package org.hdil2.dosing.domain;

/** A course's lifecycle: ordered by a physician, verified by a pharmacist (active), then completed or discontinued. */
public enum CourseStatus {
    ORDERED,
    ACTIVE,
    COMPLETED,
    DISCONTINUED;

    public boolean open() {
        return this == ORDERED || this == ACTIVE;
    }
}
