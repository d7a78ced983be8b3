package org.hdil2.dosing.domain;

import java.time.Duration;
import java.util.List;

/** The dosing part of a protocol: dose per kg, the schedule, and what a pre-dose decision needs. Protocol content. */
public record DosingProtocol(String id, String version, String title, Dose dose, Schedule schedule, PreDose preDose,
                             Preparation.Facts preparation, CourseRules course, StopRules stop, EvaluationCurrency.Rule currency) {

    /** The same protocol with the deployment's currency rule (how current monitoring's evaluation must be). */
    public DosingProtocol withCurrency(EvaluationCurrency.Rule rule) {
        return new DosingProtocol(id, version, title, dose, schedule, preDose, preparation, course, stop, rule);
    }

    /** {@code weightBasis}: which body weight the order's dosing weight must be (the label does not say). */
    public record Dose(String id, String version, String source, long iuPerKg, String weightBasis) {
    }

    public record Schedule(String id, String version, String source, int intervalHours, int cycleDays, int restDays,
                           int cycles, int maxDosesPerCycle) {
    }

    /**
     * What a course order needs: a screening and a dosing weight no older than their limits, a gap since the previous
     * course's discharge, a first dose at most {@code firstDoseHorizon} after the order (the screening and weight limits
     * are checked again at the first dose); when a dose may be recorded: from {@code windowBefore} its time until
     * {@code missedAfter} it, after which the slot is MISSED (skipped, never made up), and an infusion recorded as
     * lasting at most {@code maxInfusion}; a dose may be held ahead at most {@code holdHorizon} before it is due.
     */
    public record CourseRules(String id, String version, String source, Duration screeningMaxAge, Duration weightMaxAge,
                              Duration retreatmentMinInterval, Duration windowBefore, Duration missedAfter,
                              Duration firstDoseHorizon, Duration maxInfusion, Duration holdHorizon) {
    }

    /**
     * Consensus stop rules across a course (reference section 4.5); null disables one. {@code maxHeldDoses}: that many
     * held doses stop the course; {@code maxActiveWithholdCriteria}: that many withhold criteria met at once stop it.
     */
    public record StopRules(String id, String version, String source, Integer maxHeldDoses, Integer maxActiveWithholdCriteria) {
    }

    /**
     * Which observations must be present and how old they may be when the decision is made, by the suite's parameter
     * ids (platform/contract: observation-parameters.json), so any code monitoring maps to a parameter counts.
     */
    public record PreDose(String id, String version, String source, List<String> requiredParameters, Duration maxInputAge) {
    }
}
