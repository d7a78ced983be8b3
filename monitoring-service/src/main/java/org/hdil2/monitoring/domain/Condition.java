package org.hdil2.monitoring.domain;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;

/**
 * A test on one value: every bound given must hold ({@code lt}, {@code le}, {@code gt}, {@code ge}), or the
 * observation's code must be one of {@code in}. A bound is a number, or {@code LLN} / {@code ULN} for the
 * institution's limit of the parameter; with {@code multipleOf ULN} on the rule, numbers are multiples of the ULN.
 */
public record Condition(String lt, String le, String gt, String ge, List<String> in) {

    /** Thrown when a bound needs an institution limit the protocol does not set. */
    public static final class MissingLimit extends RuntimeException {
        public MissingLimit(String message) {
            super(message, null, false, false);
        }
    }

    public boolean holds(BigDecimal value, String valueCode, Scale scale) {
        if (in != null && !in.isEmpty()) {
            return valueCode != null && in.contains(valueCode);
        }
        if (value == null) {
            return false;
        }
        return (lt == null || value.compareTo(scale.resolve(lt)) < 0)
                && (le == null || value.compareTo(scale.resolve(le)) <= 0)
                && (gt == null || value.compareTo(scale.resolve(gt)) > 0)
                && (ge == null || value.compareTo(scale.resolve(ge)) >= 0);
    }

    /** The test in words, e.g. {@code >= 2.5 and < 3.0} or {@code in [AF, SVT]}. */
    public String describe() {
        if (in != null && !in.isEmpty()) {
            return "in " + in;
        }
        List<String> parts = new ArrayList<>();
        if (gt != null) {
            parts.add("> " + gt);
        }
        if (ge != null) {
            parts.add(">= " + ge);
        }
        if (lt != null) {
            parts.add("< " + lt);
        }
        if (le != null) {
            parts.add("<= " + le);
        }
        return String.join(" and ", parts);
    }

    /** Turns a bound into a number: plain, a multiple of the ULN, or the LLN / ULN itself. */
    public record Scale(String parameter, Limits limits, boolean multiplesOfUln) {

        public static Scale plain(String parameter) {
            return new Scale(parameter, null, false);
        }

        BigDecimal resolve(String bound) {
            if ("LLN".equals(bound)) {
                return required(limits == null ? null : limits.lln(), "LLN");
            }
            if ("ULN".equals(bound)) {
                return required(limits == null ? null : limits.uln(), "ULN");
            }
            BigDecimal number = new BigDecimal(bound);
            if (multiplesOfUln) {
                return number.multiply(required(limits == null ? null : limits.uln(), "ULN"));
            }
            return number;
        }

        private BigDecimal required(BigDecimal limit, String name) {
            if (limit == null) {
                throw new MissingLimit("the institution has not set the " + name + " of " + parameter
                        + " (protocol limits." + parameter + "." + name.toLowerCase() + ")");
            }
            return limit;
        }
    }
}
