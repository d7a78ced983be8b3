package org.hdil2.dosing.domain;

/** The answer to "may this dose be given now?". */
public enum Decision {
    /** Every check passed on fresh data. */
    GIVE,
    /** A withhold criterion is met now. */
    HOLD,
    /** A permanent-discontinuation criterion is met: stop the course, physician to confirm. */
    STOP,
    /** The service cannot be sure (no evaluation, missing or stale inputs): a clinician must assess. */
    ASSESS
}
