package org.hdil2.monitoring.domain;

import java.math.BigDecimal;

/**
 * A hold or stop criterion on one observation code: met while the latest value of {@code code} compares to
 * {@code threshold}; cleared when a newer value no longer does (the resume condition). Protocol content: every field
 * comes from the protocol file, with its source.
 */
public record ThresholdRule(String id, String version, String protocol, String source, String code, String unit,
                            Comparator comparator, BigDecimal threshold, String action, String severity,
                            String resumeCondition) {

    public boolean isMetBy(BigDecimal value) {
        return comparator.holds(value, threshold);
    }

    /** The criterion in words, e.g. {@code 8480-6 < 90 mm[Hg]}. */
    public String criterion() {
        return code + " " + comparator.symbol() + " " + threshold.toPlainString() + " " + unit;
    }
}
