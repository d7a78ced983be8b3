package org.hdil2.monitoring.messaging;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.hdil2.monitoring.domain.ActiveFinding;
import org.hdil2.monitoring.domain.EvaluationOutcome;
import org.hdil2.monitoring.domain.ObservationFact;
import org.hdil2.monitoring.domain.PatientEvaluation;
import org.hdil2.monitoring.domain.ThresholdRule;

/** The data of the findings topic's events, shaped as the contract's schemas say. */
final class FindingEvents {

    static final String RAISED = "org.hdil2.monitoring.finding-raised.v1";
    static final String CLEARED = "org.hdil2.monitoring.finding-cleared.v1";
    static final String EVALUATED = "org.hdil2.monitoring.evaluation-updated.v1";

    private FindingEvents() {
    }

    static Map<String, Object> raised(String patientId, ActiveFinding f) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("findingId", f.findingId());
        m.put("patientId", patientId);
        m.put("rule", rule(f.rule()));
        m.put("severity", f.rule().severity());
        m.put("observation", observation(f.observation()));
        m.put("raisedAt", f.observation().effectiveTime().toString());
        return m;
    }

    static Map<String, Object> cleared(String patientId, EvaluationOutcome.Cleared c) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("findingId", c.finding().findingId());
        m.put("patientId", patientId);
        m.put("rule", rule(c.finding().rule()));
        m.put("observation", observation(c.clearedBy()));
        m.put("clearedAt", c.clearedBy().effectiveTime().toString());
        return m;
    }

    static Map<String, Object> evaluated(PatientEvaluation e, String protocolId, String protocolVersion) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("patientId", e.patientId());
        m.put("sequence", e.sequence());
        m.put("protocol", Map.of("id", protocolId, "version", protocolVersion));
        m.put("evaluatedAt", e.evaluatedAt().orElseThrow().toString());
        m.put("latestInputs", e.latestByCode().values().stream().map(FindingEvents::observation).toList());
        List<Map<String, Object>> active = e.activeByRule().values().stream().map(f -> {
            Map<String, Object> a = new LinkedHashMap<>();
            a.put("findingId", f.findingId());
            a.put("rule", rule(f.rule()));
            a.put("observation", observation(f.observation()));
            return a;
        }).toList();
        m.put("activeFindings", active);
        return m;
    }

    private static Map<String, Object> rule(ThresholdRule r) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", r.id());
        m.put("version", r.version());
        m.put("protocol", r.protocol());
        m.put("source", r.source());
        m.put("action", r.action());
        m.put("criterion", r.criterion());
        return m;
    }

    private static Map<String, Object> observation(ObservationFact o) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("observationId", o.observationId());
        m.put("code", o.code());
        m.put("value", o.value());
        m.put("unit", o.unit());
        m.put("effectiveTime", o.effectiveTime().toString());
        m.put("sourceKind", o.sourceKind());
        return m;
    }
}
