package org.hdil2.dosing.domain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

import org.junit.jupiter.api.Test;

/** Both sides of the currency rule's two limits, and every way monitoring's view can be not current. */
class EvaluationCurrencyTest {

    private static final Instant NOW = Instant.parse("2026-11-29T16:00:00Z");
    private static final EvaluationCurrency.Rule RULE = new EvaluationCurrency.Rule("HDIL2-PREDOSE-CURRENCY", "1", "suite design",
            Duration.ofSeconds(15), Duration.ofSeconds(10));

    private static Optional<EvaluationCurrency.Checkpoint> checkpointAt(Instant at, EvaluationCurrency.Failure... failures) {
        return Optional.of(new EvaluationCurrency.Checkpoint(2, at, List.of(failures), false));
    }

    @Test
    void aCheckpointFifteenSecondsOldStillCountsAndOneMillisecondOlderDoesNot() {
        assertTrue(EvaluationCurrency.ofCheckpoint(RULE, checkpointAt(NOW.minusSeconds(15)), "partition 2", NOW).isCurrent());
        EvaluationCurrency stale = EvaluationCurrency.ofCheckpoint(RULE, checkpointAt(NOW.minusSeconds(15).minusMillis(1)), "partition 2", NOW);
        assertFalse(stale.isCurrent());
        assertEquals(Optional.of(NOW.minusSeconds(15).minusMillis(1)), stale.notCurrentSince());
        assertTrue(stale.reasons().get(0).startsWith("monitoring evaluation not current since 2026-11-29T15:59:44.999Z"), stale.reasons().toString());
        assertTrue(stale.reasons().get(0).contains("partition 2") && stale.reasons().get(0).contains("HDIL2-PREDOSE-CURRENCY"));
    }

    @Test
    void noCheckpointAtAllIsNotCurrent() {
        EvaluationCurrency none = EvaluationCurrency.ofCheckpoint(RULE, Optional.empty(), "partition 5", NOW);
        assertFalse(none.isCurrent());
        assertTrue(none.reasons().get(0).contains("no evaluation checkpoint has been received for partition 5"));
    }

    @Test
    void aFailureReportedForThePatientIsNotCurrentAndSaysWhatWasNotEvaluated() {
        EvaluationCurrency.Failure f = new EvaluationCurrency.Failure("urine-output", "o-1", NOW.minusSeconds(120), 42L,
                NOW.minusSeconds(100), "the evaluation failed on this record (ArithmeticException)");
        EvaluationCurrency c = EvaluationCurrency.ofCheckpoint(RULE, checkpointAt(NOW.minusSeconds(1), f), "partition 2", NOW);
        assertFalse(c.isCurrent());
        assertTrue(c.reasons().get(0).contains("could not evaluate a urine-output observation of 2026-11-29T15:58:00Z (intake #42)"),
                c.reasons().toString());
        assertEquals(Optional.of(NOW.minusSeconds(100)), c.notCurrentSince());
        EvaluationCurrency truncated = EvaluationCurrency.ofCheckpoint(RULE,
                Optional.of(new EvaluationCurrency.Checkpoint(2, NOW, List.of(), true)), "partition 2", NOW);
        assertFalse(truncated.isCurrent(), "more failures than listed: this patient may be one");
    }

    @Test
    void anAcceptedObservationTenSecondsPendingIsStillWithinGraceAndOneMillisecondMoreIsNot() {
        assertTrue(EvaluationCurrency.ofIntake(RULE, 17, new EvaluationCurrency.Intake(18, 18L, NOW.minusSeconds(10), 1, List.of("temperature"), null, null), NOW)
                .isCurrent());
        EvaluationCurrency behind = EvaluationCurrency.ofIntake(RULE, 17,
                new EvaluationCurrency.Intake(19, 18L, NOW.minusSeconds(10).minusMillis(1), 2, List.of("heart-rate", "temperature"), null, null), NOW);
        assertFalse(behind.isCurrent());
        assertTrue(behind.reasons().get(0).startsWith("monitoring has not evaluated observations accepted since 2026-11-29T15:59:49.999Z"),
                behind.reasons().toString());
        assertTrue(behind.reasons().get(0).contains("2 accepted after intake #17") && behind.reasons().get(0).contains("up to #19"));
    }

    @Test
    void aPendingValueOfAnInputRequiredBeforeADoseIsNotCurrentAtOnce() {
        EvaluationCurrency c = EvaluationCurrency.ofIntake(RULE, 17, new EvaluationCurrency.Intake(18, 18L, NOW.minusMillis(300), 1,
                List.of("systolic-bp"), NOW.minusMillis(300), null), NOW);
        assertFalse(c.isCurrent(), "no grace: the pending blood pressure may be the one that holds the dose");
        assertTrue(c.reasons().get(0).contains("still evaluating observations accepted since 2026-11-29T15:59:59.700Z of systolic-bp"),
                c.reasons().toString());
    }

    @Test
    void anEvaluationThatIncludesEverythingAcceptedIsCurrentHoweverOld() {
        assertTrue(EvaluationCurrency.ofIntake(RULE, 19, new EvaluationCurrency.Intake(19, null, null, 0, List.of(), null, null), NOW).isCurrent());
        assertTrue(EvaluationCurrency.ofIntake(RULE, 0, new EvaluationCurrency.Intake(0, null, null, 0, List.of(), null, null), NOW).isCurrent(),
                "nothing accepted, nothing missed");
    }

    @Test
    void aMonitoringThatCannotBeAskedIsNotCurrent() {
        EvaluationCurrency c = EvaluationCurrency.ofIntake(RULE, 17, EvaluationCurrency.Intake.unavailable("monitoring-service did not "
                + "answer within 2000 ms"), NOW);
        assertFalse(c.isCurrent());
        assertTrue(c.reasons().get(0).contains("did not answer within 2000 ms"));
    }
}
