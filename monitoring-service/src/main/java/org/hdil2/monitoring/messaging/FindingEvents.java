package org.hdil2.monitoring.messaging;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.hdil2.monitoring.domain.ActiveFinding;
import org.hdil2.monitoring.domain.Detail;
import org.hdil2.monitoring.domain.EvaluationOutcome;
import org.hdil2.monitoring.domain.News2;
import org.hdil2.monitoring.domain.ObservationFact;
import org.hdil2.monitoring.domain.PatientState;
import org.hdil2.monitoring.domain.Protocol;
import org.hdil2.monitoring.domain.RuleDefinition;
import org.hdil2.monitoring.domain.RuleState;
import org.hdil2.monitoring.domain.RuleStatus;

/** The data of the findings topic's events, shaped as the contract's schemas say. */
final class FindingEvents {

    private final Protocol protocol;

    FindingEvents(Protocol protocol) {
        this.protocol = protocol;
    }

    Map<String, Object> raised(String patientId, ActiveFinding f, List<RuleStatus> report) {
        Map<String, Object> m = finding(patientId, f);
        m.put("raisedAt", f.raisedAt().toString());
        List<Map<String, Object>> notEvaluable = report.stream()
                .filter(s -> s.state() == RuleState.NOT_EVALUABLE)
                .map(s -> Map.<String, Object>of("rule", s.ruleId(), "reason", s.reason())).toList();
        m.put("notEvaluable", notEvaluable);
        return m;
    }

    Map<String, Object> updated(String patientId, EvaluationOutcome.Updated u, String at) {
        Map<String, Object> m = finding(patientId, u.finding());
        m.put("raisedAt", u.finding().raisedAt().toString());
        m.put("updatedAt", at);
        if (u.previousSeverity() != null) {
            m.put("previousSeverity", u.previousSeverity());
        }
        return m;
    }

    Map<String, Object> cleared(String patientId, EvaluationOutcome.Cleared c, String at) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("findingId", c.finding().findingId());
        m.put("patientId", patientId);
        m.put("rule", rule(c.finding().ruleId(), c.finding().ruleVersion()));
        m.put("observation", observation(c.clearedBy() == null ? c.finding().deciding() : c.clearedBy()));
        m.put("clearedAt", at);
        m.put("reason", c.reason());
        m.put("severity", c.finding().severity());
        return m;
    }

    Map<String, Object> evaluated(PatientState e, List<RuleStatus> report, News2.Result news2) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("patientId", e.patientId());
        m.put("sequence", e.sequence());
        if (e.stateEpoch() != null) {
            m.put("stateEpoch", e.stateEpoch().toString());
        }
        m.put("intakeSequence", e.intakeSequence());
        m.put("protocol", Map.of("id", protocol.id(), "version", protocol.version()));
        m.put("evaluatedAt", e.evaluatedAt().toString());
        m.put("onTherapy", e.therapy() != null && e.therapy().onTherapy());
        m.put("latestInputs", e.latestInputs().stream().map(FindingEvents::observation).toList());
        m.put("activeFindings", e.active().values().stream().map(f -> {
            Map<String, Object> a = new LinkedHashMap<>();
            a.put("findingId", f.findingId());
            a.put("rule", rule(f.ruleId(), f.ruleVersion()));
            a.put("observation", observation(f.deciding()));
            return a;
        }).toList());
        Map<String, RuleStatus> byRule = new java.util.HashMap<>();
        report.forEach(s -> byRule.put(s.ruleId(), s));
        m.put("rules", protocol.rules().stream().map(r -> status(r, byRule.get(r.id()))).toList());
        if (news2 != null) {
            m.put("news2", news2(news2));
        }
        return m;
    }

    private Map<String, Object> finding(String patientId, ActiveFinding f) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("findingId", f.findingId());
        m.put("patientId", patientId);
        m.put("rule", rule(f.ruleId(), f.ruleVersion()));
        m.put("severity", f.severity());
        m.put("observation", observation(f.deciding()));
        m.put("evidence", f.evidence().stream().map(FindingEvents::observation).toList());
        if (f.detail() != null) {
            m.put("detail", detail(f.detail()));
        }
        return m;
    }

    private Map<String, Object> rule(String id, String version) {
        Map<String, Object> m = new LinkedHashMap<>();
        RuleDefinition r = protocol.rule(id).orElse(null);
        m.put("id", id);
        m.put("version", version);
        m.put("protocol", protocol.id());
        m.put("protocolVersion", protocol.version());
        m.put("source", r == null ? "no longer in protocol " + protocol.id() + " v" + protocol.version() : r.source());
        m.put("action", r == null ? "NOTIFY" : r.action());
        m.put("criterion", r == null ? id : r.criterion());
        if (r != null) {
            m.put("kind", r.kind().name());
            m.put("unverified", r.unverified());
        }
        return m;
    }

    private static Map<String, Object> status(RuleDefinition r, RuleStatus s) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", r.id());
        m.put("version", r.version());
        m.put("action", r.action());
        m.put("severity", r.severity());
        m.put("state", s == null ? RuleState.NOT_EVALUABLE.name() : s.state().name());
        m.put("preDose", r.preDose());
        if (s != null) {
            if (s.findingId() != null) {
                m.put("findingId", s.findingId());
            }
            if (s.detail() != null) {
                m.put("detail", detail(s.detail()));
            }
            // kept lean: this is published on every change; NOT_MET rules need no explanation
            if (s.reason() != null && s.state() != RuleState.NOT_MET) {
                m.put("reason", s.reason());
            }
            if (s.state() == RuleState.MET && s.observationIds() != null) {
                m.put("observationIds", s.observationIds());
            }
        }
        return m;
    }

    private static Map<String, Object> news2(News2.Result r) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("state", r.evaluable() ? "EVALUATED" : "NOT_EVALUABLE");
        if (r.evaluable()) {
            m.put("total", r.total());
            m.put("band", r.band());
        }
        m.put("scale", r.scale());
        m.put("components", r.components().stream().map(c -> {
            Map<String, Object> cm = new LinkedHashMap<>();
            cm.put("parameter", c.parameter());
            if (c.value() != null) {
                cm.put("value", c.value());
            }
            if (c.valueCode() != null) {
                cm.put("valueCode", c.valueCode());
            }
            if (c.unit() != null) {
                cm.put("unit", c.unit());
            }
            cm.put("score", c.score());
            cm.put("observationId", c.observationId());
            return cm;
        }).toList());
        m.put("missing", r.missing());
        return m;
    }

    private static Map<String, Object> detail(Detail d) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("name", d.name());
        m.put("value", d.value());
        if (d.unit() != null) {
            m.put("unit", d.unit());
        }
        if (d.grade() != null) {
            m.put("grade", d.grade());
        }
        if (d.band() != null) {
            m.put("band", d.band());
        }
        return m;
    }

    static Map<String, Object> observation(ObservationFact o) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("observationId", o.observationId());
        m.put("parameter", o.parameter());
        m.put("code", o.code());
        m.put("value", o.value());
        if (o.valueCode() != null) {
            m.put("valueCode", o.valueCode());
        }
        m.put("unit", o.unit());
        m.put("effectiveTime", o.effectiveTime().toString());
        if (o.hasPeriod()) {
            m.put("effectivePeriod", Map.of("start", o.periodStart().toString(), "end", o.effectiveTime().toString()));
        }
        if (o.sourceKind() != null) {
            m.put("sourceKind", o.sourceKind());
        }
        return m;
    }
}
