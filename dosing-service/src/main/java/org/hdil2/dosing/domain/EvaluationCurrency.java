package org.hdil2.dosing.domain;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Whether the evaluation dosing holds for a patient is current, and if not why: every reason makes the pre-dose
 * decision ASSESS. Current means all of: monitoring's evaluation of the patient's partition wrote a checkpoint
 * within {@code maxCheckpointAge} (so it runs, has its broker, and dosing's consumer is not behind); it reports no
 * observation of the patient it could not evaluate; every observation monitoring accepted for the patient of a
 * parameter a rule required before a dose reads is included in the evaluation dosing holds, and so is every other
 * observation accepted more than {@code pendingGrace} ago (monitoring says what it accepted; if it cannot be asked,
 * that is not current either).
 */
public record EvaluationCurrency(List<String> reasons, Optional<Instant> notCurrentSince) {

    /** The rule as configured, shown with the other pre-dose rules. */
    public record Rule(String id, String version, String source, Duration maxCheckpointAge, Duration pendingGrace) {
    }

    /** monitoring's newest checkpoint of the patient's partition, and the patient's failures it lists. */
    public record Checkpoint(int partition, Instant at, List<Failure> failures, boolean failuresTruncated) {
    }

    /** An accepted observation monitoring could not evaluate. Any field but since and reason may be null. */
    public record Failure(String parameter, String observationId, Instant effectiveTime, Long intakeSequence, Instant since,
                          String reason) {
    }

    /**
     * What monitoring has accepted of the patient: the last intake sequence and the oldest accepted after the one the
     * evaluation includes; or why monitoring could not be asked.
     */
    public record Intake(long acceptedSequence, Long firstPendingSequence, Instant firstPendingAcceptedAt, long pendingCount,
                         List<String> pendingParameters, Instant preDosePendingSince, String unavailable) {

        public Intake {
            pendingParameters = pendingParameters == null ? List.of() : List.copyOf(pendingParameters);
        }

        public static Intake unavailable(String why) {
            return new Intake(0, null, null, 0, List.of(), null, why);
        }
    }

    public EvaluationCurrency {
        reasons = List.copyOf(reasons);
    }

    public static EvaluationCurrency confirmed() {
        return new EvaluationCurrency(List.of(), Optional.empty());
    }

    public boolean isCurrent() {
        return reasons.isEmpty();
    }

    /** What the checkpoint of the patient's partition says (nothing received is not current). */
    public static EvaluationCurrency ofCheckpoint(Rule rule, Optional<Checkpoint> checkpoint, String patientPartition, Instant now) {
        if (checkpoint.isEmpty()) {
            return new EvaluationCurrency(List.of("monitoring evaluation not current: no evaluation checkpoint has been received for "
                    + patientPartition + ", so it cannot be confirmed that monitoring's evaluation runs (" + rule.id() + ")"),
                    Optional.of(now));
        }
        Checkpoint c = checkpoint.get();
        List<String> reasons = new ArrayList<>();
        Instant since = null;
        Duration age = Duration.between(c.at(), now);
        if (age.compareTo(rule.maxCheckpointAge()) > 0) {
            reasons.add("monitoring evaluation not current since " + c.at() + ": no checkpoint of partition " + c.partition() + " for "
                    + age.toSeconds() + " s, at most " + rule.maxCheckpointAge().toSeconds() + " s allowed (" + rule.id() + ")");
            since = c.at();
        }
        if (c.failuresTruncated()) {
            reasons.add("monitoring reports more patients of partition " + c.partition() + " with observations it could not evaluate "
                    + "than it lists; this patient may be one (" + rule.id() + ")");
            since = since == null ? c.at() : since;
        }
        for (Failure f : c.failures()) {
            reasons.add("monitoring could not evaluate " + (f.parameter() == null ? "a record" : "a " + f.parameter() + " observation")
                    + (f.effectiveTime() == null ? "" : " of " + f.effectiveTime())
                    + (f.intakeSequence() == null ? "" : " (intake #" + f.intakeSequence() + ")") + " since " + f.since() + ": "
                    + f.reason() + "; assess the patient until a later observation has been evaluated (" + rule.id() + ")");
            since = since == null || f.since().isBefore(since) ? f.since() : since;
        }
        return new EvaluationCurrency(reasons, Optional.ofNullable(since));
    }

    /** What monitoring's intake says against the intake sequence the held evaluation includes. */
    public static EvaluationCurrency ofIntake(Rule rule, long includedSequence, Intake intake, Instant now) {
        if (intake.unavailable() != null) {
            return new EvaluationCurrency(List.of("cannot confirm with monitoring-service that every accepted observation has been "
                    + "evaluated: " + intake.unavailable() + " (" + rule.id() + ")"), Optional.of(now));
        }
        if (intake.firstPendingAcceptedAt() == null || intake.acceptedSequence() <= includedSequence) {
            return confirmed();
        }
        if (intake.preDosePendingSince() != null) {
            // a newer value of an input required before a dose may be the one that holds it: no grace
            return new EvaluationCurrency(List.of("monitoring is still evaluating observations accepted since "
                    + intake.preDosePendingSince() + " of " + String.join(", ", intake.pendingParameters())
                    + ", which the rules required before a dose read; ask again in a moment (" + rule.id() + ")"),
                    Optional.of(intake.preDosePendingSince()));
        }
        Duration waiting = Duration.between(intake.firstPendingAcceptedAt(), now);
        if (waiting.compareTo(rule.pendingGrace()) <= 0) {
            return confirmed();
        }
        return new EvaluationCurrency(List.of("monitoring has not evaluated observations accepted since "
                + intake.firstPendingAcceptedAt() + ": " + intake.pendingCount() + " accepted after intake #" + includedSequence
                + ", which the evaluation includes (accepted up to #" + intake.acceptedSequence() + "); at most "
                + rule.pendingGrace().toSeconds() + " s allowed (" + rule.id() + ")"), Optional.of(intake.firstPendingAcceptedAt()));
    }
}
