package org.hdil2.dosing.domain;

/** The kinds of dose ledger entry; ENTERED_IN_ERROR voids an earlier entry and stands for nothing itself. */
public enum EntryKind {
    GIVEN,
    HELD,
    MISSED,
    CANCELLED,
    ENTERED_IN_ERROR;

    /** The slot status an entry of this kind stands for. */
    public SlotStatus slotStatus() {
        if (this == ENTERED_IN_ERROR) {
            throw new IllegalStateException("a correction stands for no slot status");
        }
        return SlotStatus.valueOf(name());
    }
}
