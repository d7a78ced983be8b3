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
        return verb + ": " + criterion + " (" + value + " " + unit + ")";
    }

    public static String detail(String ruleId, String ruleVersion, String source, String effectiveTime) {
        return "Rule " + ruleId + " v" + ruleVersion + " met by the observation of " + effectiveTime + ". Source: " + source
                + ". Acknowledging this alert does not lift the hold: only the condition clearing, or a physician's recorded override, does.";
    }
}
