package org.hdil2.alert.domain;

/**
 * What an alert takes from one monitoring finding: the rule, the protocol the patient was evaluated under, the
 * severity and the priority it maps to, the words a nurse sees, and the deciding observation (JSON, shown as it came).
 *
 * @param protocolId      the protocol's id; null when the finding did not name one
 * @param protocolVersion that protocol's version; null when not named (or without a protocol id)
 */
public record Finding(String ruleId, String ruleVersion, String action, String protocolId, String protocolVersion, String severity,
                      Priority priority, String title, String detail, String observation) {
}
