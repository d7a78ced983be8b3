package org.hdil2.alert.domain;

/**
 * What an alert takes from one monitoring finding: the rule, the severity and the priority it maps to, the words a
 * nurse sees, and the deciding observation (JSON, shown as it came).
 */
public record Finding(String ruleId, String ruleVersion, String action, String severity, Priority priority, String title,
                      String detail, String observation) {
}
