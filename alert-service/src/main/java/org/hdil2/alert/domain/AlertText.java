package org.hdil2.alert.domain;

/** The words an alert shows a nurse: what to do, why, and the value behind it. */
public final class AlertText {

    private AlertText() {
    }

    public static String title(String action, String criterion, String value, String unit) {
        String verb = switch (action) {
            case "WITHHOLD" -> "Withhold aldesleukin";
            case "DISCONTINUE" -> "Stop aldesleukin (physician to confirm)";
            default -> "Review patient";
        };
        return verb + ": " + criterion + " (" + value + (unit == null || unit.isBlank() ? "" : " " + unit) + ")";
    }

    /** The detail for a rule with {@code action}: a NOTIFY rule holds no dose, so it says nothing about holds. */
    public static String detail(String action, String ruleId, String ruleVersion, String source, String effectiveTime) {
        if ("NOTIFY".equals(action)) {
            return "Rule " + ruleId + " v" + ruleVersion + " met by the observation of " + effectiveTime + ". Source: " + source
                    + ". A secondary notification: the bedside device alarms stay primary.";
        }
        return detail(ruleId, ruleVersion, source, effectiveTime);
    }

    public static String detail(String ruleId, String ruleVersion, String source, String effectiveTime) {
        return "Rule " + ruleId + " v" + ruleVersion + " met by the observation of " + effectiveTime + ". Source: " + source
                + ". Acknowledging this alert does not lift the hold: only the condition clearing, or a physician's recorded override, does.";
    }
}
