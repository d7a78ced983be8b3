package org.hdil2.monitoring.domain;

import java.math.BigDecimal;

/**
 * The number a rule judged when it is not simply the latest observation's value: a rate, a sum over a window, a
 * percentage of baseline, a NEWS2 score, a CTCAE grade.
 */
public record Detail(String name, BigDecimal value, String unit, Integer grade, String band) {

    public static Detail of(String name, BigDecimal value, String unit) {
        return new Detail(name, value, unit, null, null);
    }

    /**
     * Whether two details say the same clinically: the same grade for a graded rule (a temperature moving within grade 3
     * is not news), the same score and band for NEWS2, else the same number.
     */
    public static boolean sameMeaning(Detail a, Detail b) {
        if (a == null || b == null) {
            return a == b;
        }
        if (a.grade() != null || b.grade() != null) {
            return java.util.Objects.equals(a.grade(), b.grade());
        }
        return java.util.Objects.equals(a.band(), b.band()) && a.value().compareTo(b.value()) == 0;
    }
}
