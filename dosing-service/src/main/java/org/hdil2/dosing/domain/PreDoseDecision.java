package org.hdil2.dosing.domain;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Decides GIVE, HOLD, STOP or ASSESS for the next dose. Fails closed: an unverified course, no evaluation, an
 * evaluation that is not current ({@link EvaluationCurrency}: monitoring stopped, behind, or missing an accepted
 * observation), or a required input missing or older than the protocol allows gives ASSESS with the reason, never
 * GIVE.
 * Precedence: STOP, then HOLD, then ASSESS; every reason found is listed. A physician's override lifts a HOLD for
 * one dose, and only for the findings it names; it never lifts a STOP or an ASSESS.
 */
public final class PreDoseDecision {

    /** The decision with the findings it rests on and every reason in words. */
    public record Result(Decision decision, List<PatientState.Finding> findings, List<String> reasons,
                         Optional<Instant> evaluatedAt, boolean overridden) {
    }

    private PreDoseDecision() {
    }

    public static Result decide(DosingProtocol.PreDose preDose, Optional<PatientState> state, EvaluationCurrency currency, Instant now) {
        return decide(preDose, null, CourseContext.verifiedCourse(), state, currency, now);
    }

    /** {@code currency}: whether the evaluation in {@code state} is current; anything but current means ASSESS (or worse). */
    public static Result decide(DosingProtocol.PreDose preDose, DosingProtocol.StopRules stopRules, CourseContext course,
                                Optional<PatientState> state, EvaluationCurrency currency, Instant now) {
        List<String> reasons = new ArrayList<>();
        List<PatientState.Finding> stops = state.map(s -> s.findingsWith(PatientState.DISCONTINUE)).orElse(List.of());
        List<PatientState.Finding> holds = state.map(s -> s.findingsWith(PatientState.WITHHOLD)).orElse(List.of());

        boolean stop = !stops.isEmpty();
        stops.forEach(f -> reasons.add("discontinue: " + describe(f)));
        if (course.stopFlag().isPresent()) {
            stop = true;
            reasons.add("the course is flagged for a physician's stop review: " + course.stopFlag().get());
        }
        if (stopRules != null && stopRules.maxHeldDoses() != null && course.heldDoses() >= stopRules.maxHeldDoses()) {
            stop = true;
            reasons.add(course.heldDoses() + " doses held in this course; " + stopRules.maxHeldDoses() + " stop it (" + stopRules.id() + ")");
        }
        long withholdCriteria = holds.stream().map(PatientState.Finding::ruleId).distinct().count();
        if (stopRules != null && stopRules.maxActiveWithholdCriteria() != null && withholdCriteria >= stopRules.maxActiveWithholdCriteria()) {
            stop = true;
            reasons.add(withholdCriteria + " withhold criteria met at once; " + stopRules.maxActiveWithholdCriteria()
                    + " stop the course (" + stopRules.id() + ")");
        }

        holds.forEach(f -> reasons.add("withhold: " + describe(f)));
        boolean hold = !holds.isEmpty();
        boolean overridden = false;
        if (hold && course.override().isPresent()
                && holds.stream().allMatch(f -> course.override().get().findingIds().contains(f.findingId()))) {
            CourseContext.Override o = course.override().get();
            hold = false;
            overridden = true;
            reasons.add("HOLD overridden for this dose by " + o.physician() + ": " + o.reason());
        }

        boolean unsure = false;
        if (!course.verified()) {
            unsure = true;
            reasons.add("the course has not been verified by a pharmacist");
        }
        if (!course.unmetGates().isEmpty()) {
            unsure = true;
            reasons.addAll(course.unmetGates());
        }
        if (state.isEmpty()) {
            unsure = true;
            reasons.add("no evaluation of this patient has been received from monitoring");
        } else {
            String evaluatedUnder = state.get().protocolId();
            if (course.protocolId() != null && evaluatedUnder != null && !course.protocolId().equals(evaluatedUnder)) {
                // after an order or a change of protocol, until monitoring has evaluated the patient under the course's
                unsure = true;
                reasons.add("monitoring's latest evaluation is under protocol " + evaluatedUnder + ", the course is under "
                        + course.protocolId() + ": its rules have not judged the patient yet");
            }
            unsure |= missingOrStale(preDose, state.get(), now, reasons);
            if (!currency.isCurrent()) {
                unsure = true;
                reasons.addAll(currency.reasons());
            }
        }

        List<PatientState.Finding> cited = new ArrayList<>(stops);
        cited.addAll(holds);
        Decision decision = stop ? Decision.STOP : hold ? Decision.HOLD : unsure ? Decision.ASSESS : Decision.GIVE;
        if (decision == Decision.GIVE && !overridden) {
            reasons.add("no hold or stop criterion is met; required inputs are present and recent");
        }
        return new Result(decision, cited, reasons, state.map(PatientState::evaluatedAt), overridden && decision == Decision.GIVE);
    }

    private static boolean missingOrStale(DosingProtocol.PreDose preDose, PatientState s, Instant now, List<String> reasons) {
        boolean unsure = false;
        for (PatientState.Gap gap : s.preDoseGaps()) {
            reasons.add("monitoring cannot evaluate " + gap.ruleId() + ", required before a dose: " + gap.reason());
            unsure = true;
        }
        for (String parameter : preDose.requiredParameters()) {
            Optional<PatientState.Input> input = s.latestInputs().stream().filter(i -> parameter.equals(i.parameter())).findFirst();
            if (input.isEmpty()) {
                reasons.add("no " + parameter + " observation has been evaluated");
                unsure = true;
            } else {
                Duration age = Duration.between(input.get().effectiveTime(), now);
                if (age.compareTo(preDose.maxInputAge()) > 0) {
                    reasons.add("latest " + parameter + " is " + age.toMinutes() + " min old; at most "
                            + preDose.maxInputAge().toMinutes() + " min allowed (" + preDose.id() + ")");
                    unsure = true;
                }
            }
        }
        return unsure;
    }

    private static String describe(PatientState.Finding f) {
        return f.ruleId() + " v" + f.ruleVersion() + " (" + f.criterion() + "): " + f.value().toPlainString() + " " + f.unit()
                + " at " + f.effectiveTime();
    }
}
