package org.hdil2.dosing.domain;

/** What became of a dose opportunity: SCHEDULED, or the kind of the ledger entry that stands for it. */
public enum SlotStatus {
    SCHEDULED,
    GIVEN,
    HELD,
    MISSED,
    CANCELLED
}
