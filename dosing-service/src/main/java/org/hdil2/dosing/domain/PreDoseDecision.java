package org.hdil2.dosing.domain;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Decides GIVE, HOLD, STOP or ASSESS for the next dose. Fails closed: without a current evaluation, or with a
 * required input missing or older than the protocol allows, the answer is ASSESS with the reason, never GIVE.
 * Precedence: STOP, then HOLD, then ASSESS; every reason found is listed.
 */
public final class PreDoseDecision {

    /** The decision with the findings it rests on and every reason in words. */
    public record Result(Decision decision, List<PatientState.Finding> findings, List<String> reasons,
                         Optional<Instant> evaluatedAt) {
    }

    private PreDoseDecision() {
    }

    public static Result decide(DosingProtocol.PreDose preDose, Optional<PatientState> state, Instant now) {
        if (state.isEmpty()) {
            return new Result(Decision.ASSESS, List.of(), List.of("no evaluation of this patient has been received from monitoring"),
                    Optional.empty());
        }
        PatientState s = state.get();
        List<String> reasons = new ArrayList<>();
        List<PatientState.Finding> stops = s.activeFindings().stream().filter(f -> "DISCONTINUE".equals(f.action())).toList();
        List<PatientState.Finding> holds = s.activeFindings().stream().filter(f -> "WITHHOLD".equals(f.action())).toList();
        stops.forEach(f -> reasons.add("discontinue: " + describe(f)));
        holds.forEach(f -> reasons.add("withhold: " + describe(f)));
        boolean unsure = false;
        for (String code : preDose.requiredCodes()) {
            Optional<PatientState.Input> input = s.latestInputs().stream().filter(i -> i.code().equals(code)).findFirst();
            if (input.isEmpty()) {
                reasons.add("no " + code + " observation has been evaluated");
                unsure = true;
            } else {
                Duration age = Duration.between(input.get().effectiveTime(), now);
                if (age.compareTo(preDose.maxInputAge()) > 0) {
                    reasons.add("latest " + code + " is " + age.toMinutes() + " min old; at most "
                            + preDose.maxInputAge().toMinutes() + " min allowed (" + preDose.id() + ")");
                    unsure = true;
                }
            }
        }
        List<PatientState.Finding> cited = new ArrayList<>(stops);
        cited.addAll(holds);
        Decision decision = !stops.isEmpty() ? Decision.STOP : !holds.isEmpty() ? Decision.HOLD
                : unsure ? Decision.ASSESS : Decision.GIVE;
        if (decision == Decision.GIVE) {
            reasons.add("no hold or stop criterion is met; required inputs are present and recent");
        }
        return new Result(decision, cited, reasons, Optional.of(s.evaluatedAt()));
    }

    private static String describe(PatientState.Finding f) {
        return f.ruleId() + " v" + f.ruleVersion() + " (" + f.criterion() + "): " + f.value().toPlainString() + " " + f.unit()
                + " at " + f.effectiveTime();
    }
}
