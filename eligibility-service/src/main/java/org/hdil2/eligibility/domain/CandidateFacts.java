package org.hdil2.eligibility.domain;

import java.time.LocalDate;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What is known about the candidate on the screening date {@code asOf}. A fact that is absent means "not assessed":
 * the criterion that needs it is NOT_EVALUABLE, never passed.
 */
public record CandidateFacts(LocalDate asOf, Map<String, Fact> facts) {

    public CandidateFacts {
        for (String name : facts.keySet()) {
            if (!FactCatalog.known(name)) {
                throw new IllegalArgumentException("unknown fact " + name);
            }
        }
        facts = Map.copyOf(facts);
    }

    public static CandidateFacts none(LocalDate asOf) {
        return new CandidateFacts(asOf, Map.of());
    }

    public Fact get(String name) {
        return facts.get(name);
    }

    public Object value(String name) {
        Fact f = facts.get(name);
        return f == null ? null : f.value();
    }

    /** The named facts as a criterion's inputs: each with value, unit, date and source, or null when absent. */
    public Map<String, Object> inputs(Iterable<String> names) {
        Map<String, Object> m = new LinkedHashMap<>();
        for (String n : names) {
            Fact f = facts.get(n);
            if (f == null) {
                m.put(n, null);
            } else {
                Map<String, Object> v = new LinkedHashMap<>();
                v.put("value", f.value());
                if (f.unit() != null && !f.unit().isEmpty()) {
                    v.put("unit", f.unit());
                }
                v.put("date", f.date());
                v.put("source", f.source());
                m.put(n, v);
            }
        }
        return m;
    }
}
