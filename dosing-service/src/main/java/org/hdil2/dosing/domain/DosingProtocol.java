package org.hdil2.dosing.domain;

import java.time.Duration;
import java.util.List;

/** The dosing part of a protocol: dose per kg, the schedule, and what a pre-dose decision needs. Protocol content. */
public record DosingProtocol(String id, String version, String title, Dose dose, Schedule schedule, PreDose preDose) {

    public record Dose(String id, String version, String source, long iuPerKg) {
    }

    public record Schedule(String id, String version, String source, int intervalHours, int cycleDays, int restDays,
                           int cycles, int maxDosesPerCycle) {
    }

    /** Which observation codes must be present and how old they may be when the decision is made. */
    public record PreDose(String id, String version, String source, List<String> requiredCodes, Duration maxInputAge) {
    }
}
