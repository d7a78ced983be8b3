package org.hdil2.monitoring.domain;

import java.time.Duration;
import java.time.Instant;

/**
 * An accepted observation the evaluation could not evaluate (the record went to the dead-letter topic), or a
 * re-evaluation of the patient that failed. While one stands, consumers must not trust the evaluation to have seen
 * everything: the pre-dose decision is ASSESS. {@code reason} names what failed, never a value.
 */
public record EvaluationFailure(Kind kind, String observationId, String parameter, Instant effectiveTime, long intakeSequence,
                                Instant since, String reason) {

    /** How long a failure whose parameter is unknown stands: past it, a lost value can no longer be the latest one a rule reads. */
    public static final Duration UNKNOWN_PARAMETER_STANDS = Duration.ofHours(24);

    public enum Kind {
        /** An observation of a known parameter: stands until a later observation of that parameter has been evaluated. */
        OBSERVATION,
        /** A record that could not be read (parameter unknown): stands for {@link #UNKNOWN_PARAMETER_STANDS}. */
        RECORD,
        /** Re-evaluating the patient as time passed failed: stands until a re-evaluation succeeds. */
        EVALUATION
    }

    /** Whether evaluating {@code fact} successfully lifts this failure. */
    boolean liftedBy(ObservationFact fact) {
        return kind == Kind.OBSERVATION && parameter != null && parameter.equals(fact.parameter())
                && (effectiveTime == null || !fact.effectiveTime().isBefore(effectiveTime));
    }

    boolean expired(Instant asOf) {
        return kind == Kind.RECORD && !since.plus(UNKNOWN_PARAMETER_STANDS).isAfter(asOf);
    }
}
