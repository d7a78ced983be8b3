package org.hdil2.monitoring.domain;

import static org.hdil2.monitoring.domain.Facts.T0;
import static org.hdil2.monitoring.domain.Facts.at;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import org.hdil2.monitoring.config.ProtocolCatalog;
import org.junit.jupiter.api.Test;

/**
 * A back-test of consensus-2014 against label-2024 on a small fixture whose counts are worked out by hand:
 *
 * <pre>
 * patient A, course ordered at T0 (70 kg), doses at T0+1h, T0+9h, T0+17h
 *   T0+0:30  SBP 112   normal under both
 *   T0+8:30  SBP 85    &lt; 90: LABEL-2024-CV-SBP (WITHHOLD, in both protocols); NEWS2 single parameter 3 (NOTIFY)
 *   T0+16:30 SBP 100   &gt;= 90 on fresh data: the SBP finding clears, so does NEWS2's (SBP 91-100 scores 2)
 *   T0+16:40 HR 125    100-130: DUTCHER-2014-CV-TACHYCARDIA-REL (WITHHOLD, consensus only); NEWS2 scores 2
 *   dose 1: given under both; dose 2: held under both (SBP); dose 3: held under consensus only (HR)
 * patient B, no course
 *   T0+0:10  HR 135    &gt; 130: DUTCHER-2014-CV-TACHYCARDIA-ABS (DISCONTINUE, consensus only); NEWS2 single 3 (both)
 * </pre>
 */
class BacktestReplayTest {

    private static final Protocol CONSENSUS = ProtocolCatalog.read("consensus-2014");
    private static final Protocol LABEL = ProtocolCatalog.read("label-2024");

    private static Instant plus(String duration) {
        return T0.plus(Duration.parse(duration));
    }

    private static Replay.History patientA() {
        return new Replay.History("p-a", List.of(at("systolic-bp", "112", plus("PT30M")), at("systolic-bp", "85", plus("PT8H30M")),
                at("systolic-bp", "100", plus("PT16H30M")), at("heart-rate", "125", plus("PT16H40M"))),
                new Replay.Course("c-a", T0, new BigDecimal("70"), List.of(plus("PT1H"), plus("PT9H"), plus("PT17H"))));
    }

    private static Replay.History patientB() {
        return new Replay.History("p-b", List.of(at("heart-rate", "135", plus("PT10M"))), null);
    }

    @Test
    void eachDoseIsJudgedByTheFindingsActiveAtItsStart() {
        Replay.Result consensus = Replay.of(new Evaluator(CONSENSUS), patientA(), Duration.ofMinutes(5));
        assertEquals(List.of(false, true, true), consensus.doses().stream().map(Replay.DoseJudgement::held).toList());
        assertEquals(List.of("DUTCHER-2014-CV-TACHYCARDIA-REL"), consensus.doses().get(2).withholdRules());
        assertEquals(Map.of("LABEL-2024-CV-SBP", 1, "NEWS2-SINGLE-3", 1, "DUTCHER-2014-CV-TACHYCARDIA-REL", 1), consensus.raisedByRule());

        Replay.Result label = Replay.of(new Evaluator(LABEL), patientA(), Duration.ofMinutes(5));
        assertEquals(List.of(false, true, false), label.doses().stream().map(Replay.DoseJudgement::held).toList());
        assertEquals(List.of("LABEL-2024-CV-SBP"), label.doses().get(1).withholdRules());
        assertEquals(Map.of("LABEL-2024-CV-SBP", 1, "NEWS2-SINGLE-3", 1), label.raisedByRule());
        assertTrue(label.doses().stream().noneMatch(Replay.DoseJudgement::stopped));
    }

    @Test
    void theReportCountsPerRuleAndPerPatientAgainstTheComparison() {
        List<BacktestReport.Pair> pairs = List.of(
                new BacktestReport.Pair(Replay.of(new Evaluator(CONSENSUS), patientA(), Duration.ofMinutes(5)),
                        Replay.of(new Evaluator(LABEL), patientA(), Duration.ofMinutes(5))),
                new BacktestReport.Pair(Replay.of(new Evaluator(CONSENSUS), patientB(), Duration.ofMinutes(5)),
                        Replay.of(new Evaluator(LABEL), patientB(), Duration.ofMinutes(5))));
        Map<String, String> labelActions = new java.util.TreeMap<>();
        LABEL.rules().forEach(r -> labelActions.put(r.id(), r.action()));
        BacktestReport report = BacktestReport.of(CONSENSUS, false, pairs, labelActions);

        assertEquals(2, report.patients());
        assertEquals(new BacktestReport.Totals(5, 3, 2, 0, 1, 0, 1), report.totals());
        assertEquals(new BacktestReport.RuleRow("LABEL-2024-CV-SBP", "WITHHOLD", true, 1, 1, 1, 1), row(report, "LABEL-2024-CV-SBP"));
        assertEquals(new BacktestReport.RuleRow("NEWS2-SINGLE-3", "NOTIFY", true, 2, 2, 2, 2), row(report, "NEWS2-SINGLE-3"));
        assertEquals(new BacktestReport.RuleRow("DUTCHER-2014-CV-TACHYCARDIA-REL", "WITHHOLD", true, 1, 1, 0, 0),
                row(report, "DUTCHER-2014-CV-TACHYCARDIA-REL"));
        assertEquals(new BacktestReport.RuleRow("DUTCHER-2014-CV-TACHYCARDIA-ABS", "DISCONTINUE", true, 1, 1, 0, 0),
                row(report, "DUTCHER-2014-CV-TACHYCARDIA-ABS"));
        assertEquals(CONSENSUS.rules().size(), report.rules().size(), "every rule of the tested protocol has a row, met or not");
        assertEquals(0, row(report, "DUTCHER-2014-PULM-O2-ABS").findingsRaised());

        BacktestReport.PatientRow a = report.patientRows().get(0);
        assertEquals(new BacktestReport.PatientRow("p-a", "label-2024", LABEL.version(), 4, 3, 2, 0, 1, 0, 1), a);
        assertEquals(new BacktestReport.PatientRow("p-b", "label-2024", LABEL.version(), 1, 0, 0, 0, 0, 0, 0), report.patientRows().get(1));

        String csv = report.rulesCsv();
        assertTrue(csv.startsWith("rule_id,action,in_tested_protocol,findings_raised,patients_with_finding,"
                + "comparison_findings_raised,comparison_patients_with_finding\r\n"));
        assertTrue(csv.contains("\r\nDUTCHER-2014-CV-TACHYCARDIA-REL,WITHHOLD,true,1,1,0,0\r\n"), csv);
        assertTrue(report.patientsCsv().contains("\r\np-a,label-2024 " + LABEL.version() + ",4,3,2,0,1,0,1\r\n"), report.patientsCsv());
    }

    @Test
    void aReplayPublishesNothingAndKeepsNoState() {
        Replay.History a = patientA();
        Replay.Result first = Replay.of(new Evaluator(CONSENSUS), a, Duration.ofMinutes(5));
        Replay.Result again = Replay.of(new Evaluator(CONSENSUS), a, Duration.ofMinutes(5));
        assertEquals(first, again, "a replay is a function of the history");
        assertFalse(first.doses().isEmpty());
    }

    private static BacktestReport.RuleRow row(BacktestReport report, String ruleId) {
        return report.rules().stream().filter(r -> r.ruleId().equals(ruleId)).findFirst().orElseThrow();
    }
}
