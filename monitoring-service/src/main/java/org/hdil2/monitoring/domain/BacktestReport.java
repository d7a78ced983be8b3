package org.hdil2.monitoring.domain;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * What a back-test found: per rule of the tested protocol, the findings its replay raised and in how many patients;
 * per patient, the doses it would have held or stopped against those of the comparison (the protocol the patient is
 * evaluated under live: their course's, else the deployment's default) replayed on the same history; and the totals.
 */
public record BacktestReport(String protocolId, String protocolVersion, boolean draft, int patients, List<RuleRow> rules,
                             List<PatientRow> patientRows, Totals totals) {

    /** One rule of either protocol: findings raised in the replay under the tested one and under the comparison. */
    public record RuleRow(String ruleId, String action, boolean inTestedProtocol, int findingsRaised, int patientsWithFinding,
                          int comparisonFindingsRaised, int comparisonPatientsWithFinding) {
    }

    public record PatientRow(String patientId, String comparisonProtocolId, String comparisonProtocolVersion, int observations,
                             int doses, long held, long stopped, long comparisonHeld, long comparisonStopped,
                             long dosesJudgedDifferently) {
    }

    public record Totals(int observations, int doses, long held, long stopped, long comparisonHeld, long comparisonStopped,
                         long dosesJudgedDifferently) {
    }

    /** One patient: the replay under the tested protocol, and under the comparison. */
    public record Pair(Replay.Result tested, Replay.Result comparison) {
    }

    /** {@code comparisonActions}: the action of each rule of the comparison protocols, for rules the tested one lacks. */
    public static BacktestReport of(Protocol tested, boolean draft, List<Pair> pairs, Map<String, String> comparisonActions) {
        Map<String, int[]> byRule = new TreeMap<>();
        Map<String, String> actions = new TreeMap<>();
        tested.rules().forEach(r -> actions.put(r.id(), r.action()));
        List<PatientRow> rows = new ArrayList<>();
        int observations = 0;
        int doses = 0;
        long held = 0;
        long stopped = 0;
        long comparisonHeld = 0;
        long comparisonStopped = 0;
        long different = 0;
        for (Pair p : pairs) {
            p.tested().raisedByRule().forEach((rule, n) -> {
                int[] c = byRule.computeIfAbsent(rule, k -> new int[4]);
                c[0] += n;
                c[1]++;
            });
            p.comparison().raisedByRule().forEach((rule, n) -> {
                int[] c = byRule.computeIfAbsent(rule, k -> new int[4]);
                c[2] += n;
                c[3]++;
            });
            long differently = 0;
            for (int i = 0; i < p.tested().doses().size(); i++) {
                Replay.DoseJudgement a = p.tested().doses().get(i);
                Replay.DoseJudgement b = p.comparison().doses().get(i);
                if (a.held() != b.held() || a.stopped() != b.stopped()) {
                    differently++;
                }
            }
            Replay.Result t = p.tested();
            Replay.Result c = p.comparison();
            rows.add(new PatientRow(t.patientId(), c.protocolId(), c.protocolVersion(), t.observations(), t.doses().size(), t.held(),
                    t.stopped(), c.held(), c.stopped(), differently));
            observations += t.observations();
            doses += t.doses().size();
            held += t.held();
            stopped += t.stopped();
            comparisonHeld += c.held();
            comparisonStopped += c.stopped();
            different += differently;
        }
        Set<String> ruleIds = new TreeSet<>(actions.keySet());
        ruleIds.addAll(byRule.keySet());
        List<RuleRow> rules = new ArrayList<>();
        for (String id : ruleIds) {
            int[] c = byRule.getOrDefault(id, new int[4]);
            rules.add(new RuleRow(id, actions.getOrDefault(id, comparisonActions.get(id)), actions.containsKey(id), c[0], c[1], c[2], c[3]));
        }
        return new BacktestReport(tested.id(), tested.version(), draft, pairs.size(), rules, rows,
                new Totals(observations, doses, held, stopped, comparisonHeld, comparisonStopped, different));
    }

    /** The per-rule table as CSV (RFC 4180; ids and actions never hold a comma or a quote). */
    public String rulesCsv() {
        StringBuilder csv = new StringBuilder("rule_id,action,in_tested_protocol,findings_raised,patients_with_finding,"
                + "comparison_findings_raised,comparison_patients_with_finding\r\n");
        for (RuleRow r : rules) {
            csv.append(r.ruleId()).append(',').append(r.action() == null ? "" : r.action()).append(',').append(r.inTestedProtocol())
                    .append(',').append(r.findingsRaised()).append(',').append(r.patientsWithFinding()).append(',')
                    .append(r.comparisonFindingsRaised()).append(',').append(r.comparisonPatientsWithFinding()).append("\r\n");
        }
        return csv.toString();
    }

    /** The per-patient table as CSV. */
    public String patientsCsv() {
        StringBuilder csv = new StringBuilder("patient_id,comparison_protocol,observations,doses,held,stopped,comparison_held,"
                + "comparison_stopped,doses_judged_differently\r\n");
        for (PatientRow p : patientRows) {
            csv.append(p.patientId()).append(',').append(p.comparisonProtocolId()).append(' ').append(p.comparisonProtocolVersion())
                    .append(',').append(p.observations()).append(',').append(p.doses()).append(',').append(p.held()).append(',')
                    .append(p.stopped()).append(',').append(p.comparisonHeld()).append(',').append(p.comparisonStopped()).append(',')
                    .append(p.dosesJudgedDifferently()).append("\r\n");
        }
        return csv.toString();
    }
}
