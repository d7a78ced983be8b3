package org.hdil2.dosing.domain;

import java.time.Instant;

/** One q8h dose opportunity of a course. */
public record DoseSlot(int doseNumber, int cycle, Instant scheduledAt) {
}
