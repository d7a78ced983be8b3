package org.hdil2.dosing.domain;

import java.time.Instant;

/** A dose given as the nurse records it: when the infusion ran and how many IU went in. */
public record Administration(Instant startedAt, Instant endedAt, long iuGiven) {
}
