package org.hdil2.monitoring.domain;

import static org.hdil2.monitoring.domain.Facts.T0;
import static org.hdil2.monitoring.domain.Facts.at;
import static org.hdil2.monitoring.domain.Facts.over;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import org.hdil2.monitoring.config.ProtocolCatalog;
import org.junit.jupiter.api.Test;

/** Duration rules (met when the time is reached) and window rules (sums and maxima over a period), both sides. */
class DurationAndWindowRulesTest {

    private final Protocol label = ProtocolCatalog.read("label-2024");
    private final Protocol consensus = ProtocolCatalog.read("consensus-2014");

    private RuleResult judge(Protocol protocol, String ruleId, PatientState state, Instant asOf) {
        return new RuleEvaluator(protocol).evaluate(protocol.rule(ruleId).orElseThrow(), state, asOf);
    }

    @Test
    void intubationFor72HoursIsMetWhenTheTimeIsReachedWithoutAnotherObservation() {
        PatientState state = Facts.patient(at("airway", "INTUBATED", T0));
        assertEquals(RuleState.NOT_MET, judge(label, "LABEL-2024-RESP-INTUBATION", state, T0.plus(Duration.ofHours(72)).minusSeconds(1)).state());
        RuleResult reached = judge(label, "LABEL-2024-RESP-INTUBATION", state, T0.plus(Duration.ofHours(72)));
        assertEquals(RuleState.MET, reached.state());
        assertEquals(T0.plus(Duration.ofHours(72)), reached.metSince());
        PatientState extubated = Facts.patient(at("airway", "INTUBATED", T0), at("airway", "EXTUBATED", T0.plus(Duration.ofHours(71))));
        assertEquals(RuleState.NOT_MET, judge(label, "LABEL-2024-RESP-INTUBATION", extubated, T0.plus(Duration.ofHours(73))).state());
    }

    @Test
    void comaOver48HoursNeedsEveryCheckUnresponsiveAndFresh() {
        List<ObservationFact> checks = new ArrayList<>();
        for (int h = 0; h <= 48; h += 3) {
            checks.add(at("acvpu", "U", T0.plus(Duration.ofHours(h))));
        }
        PatientState state = Facts.patient(checks.toArray(ObservationFact[]::new));
        assertEquals(RuleState.NOT_MET, judge(label, "LABEL-2024-NEURO-COMA", state, T0.plus(Duration.ofHours(48)).minusSeconds(1)).state());
        assertEquals(RuleState.MET, judge(label, "LABEL-2024-NEURO-COMA", state, T0.plus(Duration.ofHours(48))).state());
        checks.set(5, at("acvpu", "P", checks.get(5).effectiveTime()));
        PatientState broken = Facts.patient(checks.toArray(ObservationFact[]::new));
        assertEquals(RuleState.NOT_MET, judge(label, "LABEL-2024-NEURO-COMA", broken, T0.plus(Duration.ofHours(48))).state());
        assertEquals(RuleState.NOT_EVALUABLE, judge(label, "LABEL-2024-NEURO-COMA", state, T0.plus(Duration.ofHours(52)).plusSeconds(1)).state(),
                "the last check is older than 4 h");
    }

    @Test
    void oliguriaUnderTenMillilitresAnHourFor16HoursFiresAtTheSixteenthHour() {
        List<ObservationFact> hourly = new ArrayList<>();
        for (int h = 1; h <= 15; h++) {
            hourly.add(over("urine-output", "9", T0.plus(Duration.ofHours(h)), Duration.ofHours(1)));
        }
        PatientState state = Facts.patient(hourly.toArray(ObservationFact[]::new));
        assertEquals(RuleState.NOT_MET, judge(label, "LABEL-OLD-RENAL-OLIGURIA", state, T0.plus(Duration.ofHours(16)).minusSeconds(1)).state());
        RuleResult met = judge(label, "LABEL-OLD-RENAL-OLIGURIA", state, T0.plus(Duration.ofHours(16)));
        assertEquals(RuleState.MET, met.state(), "fires when 16 h are reached, before the 16th hour is charted");
        assertEquals(15, met.evidence().size());
        PatientState tenPerHour = Facts.patient(over("urine-output", "10", T0.plus(Duration.ofHours(1)), Duration.ofHours(1)));
        RuleResult ten = judge(label, "LABEL-OLD-RENAL-OLIGURIA", tenPerHour, T0.plus(Duration.ofHours(1)));
        assertEquals(RuleState.NOT_MET, ten.state());
        assertEquals(false, ten.resumed(), "resume needs > 10 mL/h");
        PatientState eleven = Facts.patient(over("urine-output", "11", T0.plus(Duration.ofHours(1)), Duration.ofHours(1)));
        assertTrue(judge(label, "LABEL-OLD-RENAL-OLIGURIA", eleven, T0.plus(Duration.ofHours(1))).resumed());
    }

    @Test
    void mentalStatusChangeNotReversibleWithinTwoHours() {
        PatientState state = Facts.patient(at("confusion-grade", "1", T0), at("confusion-grade", "2", T0.plus(Duration.ofHours(1))));
        assertEquals(RuleState.NOT_MET, judge(consensus, "DUTCHER-2014-NEURO-MENTAL-ABS", state, T0.plus(Duration.ofMinutes(119))).state());
        assertEquals(RuleState.MET, judge(consensus, "DUTCHER-2014-NEURO-MENTAL-ABS", state, T0.plus(Duration.ofMinutes(120))).state());
    }

    @Test
    void urineOutputPerEightHourShiftBothSidesOfEightyAndOneHundredSixty() {
        Instant end = T0.plus(Duration.ofHours(8));
        assertEquals(RuleState.MET, judge(consensus, "DUTCHER-2014-RENAL-URINE-ABS", shift("79.9", end), end).state());
        assertEquals(RuleState.NOT_MET, judge(consensus, "DUTCHER-2014-RENAL-URINE-ABS", shift("80", end), end).state());
        assertEquals(RuleState.MET, judge(consensus, "DUTCHER-2014-RENAL-URINE-REL", shift("80", end), end).state());
        assertEquals(RuleState.MET, judge(consensus, "DUTCHER-2014-RENAL-URINE-REL", shift("160", end), end).state());
        assertEquals(RuleState.NOT_MET, judge(consensus, "DUTCHER-2014-RENAL-URINE-REL", shift("160.1", end), end).state());
        assertEquals(RuleState.MET, judge(label, "CTCAE-URINE-OUTPUT-G3", shift("79.9", end), end).state());
        assertEquals(RuleState.NOT_MET, judge(label, "CTCAE-URINE-OUTPUT-G3", shift("80", end), end).state());
    }

    @Test
    void aWindowSumSplitsVolumesByTimeAndNeedsTheWholeWindowCharted() {
        Instant end = T0.plus(Duration.ofHours(8));
        PatientState hourly = Facts.patient(hourly(8, "10", end));
        RuleResult sum = judge(consensus, "DUTCHER-2014-RENAL-URINE-REL", hourly, end);
        assertEquals(RuleState.MET, sum.state(), sum.reason());
        assertEquals(0, sum.detail().value().compareTo(new java.math.BigDecimal("80")));
        PatientState sevenHours = Facts.patient(hourly(7, "10", end));
        RuleResult partial = judge(consensus, "DUTCHER-2014-RENAL-URINE-ABS", sevenHours, end);
        assertEquals(RuleState.NOT_EVALUABLE, partial.state(), "7 h charted of 8: uncharted is unknown, not zero");
        // a 12 h period: 2/3 of its volume falls in the last 8 h
        PatientState twelve = Facts.patient(over("urine-output", "120", end, Duration.ofHours(12)));
        assertEquals(0, judge(consensus, "DUTCHER-2014-RENAL-URINE-REL", twelve, end).detail().value().compareTo(new java.math.BigDecimal("80.0")));
    }

    @Test
    void anuriaUnder240MillilitresIn24Hours() {
        Instant end = T0.plus(Duration.ofHours(24));
        PatientState low = Facts.patient(over("urine-output", "79", end.minus(Duration.ofHours(16)), Duration.ofHours(8)),
                over("urine-output", "80", end.minus(Duration.ofHours(8)), Duration.ofHours(8)), over("urine-output", "80", end, Duration.ofHours(8)));
        assertEquals(RuleState.MET, judge(label, "CTCAE-URINE-OUTPUT-G4", low, end).state());
        PatientState enough = Facts.patient(over("urine-output", "80", end.minus(Duration.ofHours(16)), Duration.ofHours(8)),
                over("urine-output", "80", end.minus(Duration.ofHours(8)), Duration.ofHours(8)), over("urine-output", "80", end, Duration.ofHours(8)));
        assertEquals(RuleState.NOT_MET, judge(label, "CTCAE-URINE-OUTPUT-G4", enough, end).state());
    }

    @Test
    void diarrhoeaOfAThousandMillilitresInTwoConsecutiveShifts() {
        Instant end = T0.plus(Duration.ofHours(16));
        PatientState both = Facts.patient(over("diarrhea-volume", "1000", end.minus(Duration.ofHours(8)), Duration.ofHours(8)),
                over("diarrhea-volume", "1000", end, Duration.ofHours(8)));
        assertEquals(RuleState.MET, judge(consensus, "DUTCHER-2014-GI-DIARRHOEA-ABS", both, end).state());
        assertEquals(RuleState.MET, judge(consensus, "DUTCHER-2014-GI-DIARRHOEA-REL", both, end).state());
        PatientState one = Facts.patient(over("diarrhea-volume", "999", end.minus(Duration.ofHours(8)), Duration.ofHours(8)),
                over("diarrhea-volume", "1000", end, Duration.ofHours(8)));
        assertEquals(RuleState.NOT_MET, judge(consensus, "DUTCHER-2014-GI-DIARRHOEA-ABS", one, end).state());
        assertEquals(RuleState.MET, judge(consensus, "DUTCHER-2014-GI-DIARRHOEA-REL", one, end).state());
    }

    @Test
    void phenylephrineMaximumCountsFromTheLastDose() {
        Instant dose = T0;
        PatientState state = Facts.withBaseline(Facts.patient(at("phenylephrine-rate", "1.6", T0.plus(Duration.ofHours(1))),
                at("phenylephrine-rate", "0.3", T0.plus(Duration.ofHours(2)))), "70", dose);
        Instant now = T0.plus(Duration.ofHours(3));
        assertEquals(RuleState.MET, judge(consensus, "DUTCHER-2014-HD-PHENYLEPHRINE-MAX-ABS", state, now).state());
        assertEquals(RuleState.NOT_MET, judge(consensus, "DUTCHER-2014-HD-PHENYLEPHRINE-MIN-REL", state, now).state());
        PatientState afterNextDose = Facts.withBaseline(state, "70", T0.plus(Duration.ofMinutes(150)));
        PatientState withNew = afterNextDose.with(at("phenylephrine-rate", "1.5", T0.plus(Duration.ofMinutes(170))), now, Duration.ofDays(1), 128);
        assertEquals(RuleState.NOT_MET, judge(consensus, "DUTCHER-2014-HD-PHENYLEPHRINE-MAX-ABS", withNew, now).state(),
                "1.6 was before the last dose");
        assertEquals(RuleState.MET, judge(consensus, "DUTCHER-2014-HD-PHENYLEPHRINE-MAX-REL", withNew, now).state(), "1.5 is in 1.0-1.5");
        PatientState underOne = afterNextDose.with(at("phenylephrine-rate", "0.99", T0.plus(Duration.ofMinutes(170))), now, Duration.ofDays(1), 128);
        assertEquals(RuleState.NOT_MET, judge(consensus, "DUTCHER-2014-HD-PHENYLEPHRINE-MAX-REL", underOne, now).state());
    }

    private static PatientState shift(String millilitres, Instant end) {
        return Facts.patient(over("urine-output", millilitres, end, Duration.ofHours(8)));
    }

    private static ObservationFact[] hourly(int hours, String each, Instant end) {
        List<ObservationFact> facts = new ArrayList<>();
        for (int h = hours - 1; h >= 0; h--) {
            facts.add(over("urine-output", each, end.minus(Duration.ofHours(h)), Duration.ofHours(1)));
        }
        return facts.toArray(ObservationFact[]::new);
    }
}
