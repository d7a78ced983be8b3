package org.hdil2.alert.domain;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Derives an alert's priority from the finding's rule action and severity. Defaults: DISCONTINUE and WITHHOLD are
 * HIGH (a dose decision hangs on them), NOTIFY takes the finding's severity (NEWS2 ≥ 7 HIGH, 5–6 MEDIUM, a single
 * parameter of 3 LOW; CTCAE by grade). A per-rule override wins over both. Anything unknown is HIGH (fail safe).
 */
public final class PriorityPolicy {

    /** The action value that means "use the finding's severity". */
    public static final String SEVERITY = "SEVERITY";

    private final Map<String, String> byAction;
    private final Map<String, Priority> byRule;

    public PriorityPolicy(Map<String, String> byAction, Map<String, Priority> byRule) {
        this.byAction = Map.copyOf(byAction);
        this.byRule = Map.copyOf(byRule);
    }

    public static PriorityPolicy defaults() {
        return new PriorityPolicy(Map.of("DISCONTINUE", "HIGH", "WITHHOLD", "HIGH", "NOTIFY", SEVERITY), Map.of());
    }

    /**
     * Parses {@code RULE=PRIORITY} pairs separated by commas (e.g. {@code NEWS2-SINGLE-3=MEDIUM}).
     *
     * @throws IllegalArgumentException for a malformed pair or an unknown priority
     */
    public static Map<String, Priority> parseOverrides(String spec) {
        Map<String, Priority> out = new LinkedHashMap<>();
        if (spec == null || spec.isBlank()) {
            return out;
        }
        for (String pair : spec.split(",")) {
            String[] kv = pair.trim().split("=");
            Priority p = kv.length == 2 ? Priority.parse(kv[1]) : null;
            if (p == null || kv[0].isBlank()) {
                throw new IllegalArgumentException("priority override '" + pair.trim() + "' is not RULE=HIGH|MEDIUM|LOW");
            }
            out.put(kv[0].trim(), p);
        }
        return out;
    }

    public Priority priorityOf(String ruleId, String action, String severity) {
        Priority override = byRule.get(ruleId);
        if (override != null) {
            return override;
        }
        String mapped = byAction.get(action);
        if (mapped == null) {
            return Priority.HIGH;
        }
        if (SEVERITY.equals(mapped)) {
            return Priority.fromSeverity(severity);
        }
        Priority p = Priority.parse(mapped);
        return p == null ? Priority.HIGH : p;
    }
}
