package org.hdil2.kit.input;

import java.math.BigDecimal;
import java.util.Optional;

/**
 * What the suite accepts of one value from outside, wherever it comes from (a JSON field, a query or path parameter,
 * a FHIR resource). Each check answers why a value is refused, or nothing.
 */
public final class ValueBounds {

    /** Earliest and latest year of any clinical or administrative time; PostgreSQL could store more, nobody needs it. */
    public static final int FIRST_YEAR = 1900;
    public static final int LAST_YEAR = 2199;
    /** Significant digits and decimal places of one decimal: far beyond any measurement, within numeric columns. */
    public static final int MAX_DIGITS = 30;
    public static final int MAX_SCALE = 12;

    private ValueBounds() {
    }

    /**
     * Text with no control characters (C0 but tab, line feed and carriage return; DEL; the C1 range U+0080-U+009F,
     * which no clinical text holds and legacy encodings smuggle in) and no unpaired surrogate.
     */
    public static Optional<String> text(String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if ((c < 0x20 && c != '\t' && c != '\n' && c != '\r') || (c >= 0x7f && c <= 0x9f)) {
                return Optional.of("control character U+" + String.format("%04X", (int) c) + " at position " + i);
            }
            if (Character.isHighSurrogate(c)) {
                if (i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1))) {
                    i++;
                    continue;
                }
                return Optional.of("unpaired surrogate at position " + i);
            }
            if (Character.isLowSurrogate(c)) {
                return Optional.of("unpaired surrogate at position " + i);
            }
        }
        return Optional.empty();
    }

    public static Optional<String> decimal(BigDecimal d) {
        if (d.scale() > MAX_SCALE) {
            return Optional.of("more than " + MAX_SCALE + " decimal places");
        }
        if (d.precision() - d.scale() > MAX_DIGITS - MAX_SCALE) {
            return Optional.of("more than " + (MAX_DIGITS - MAX_SCALE) + " digits before the decimal point");
        }
        return Optional.empty();
    }

    /** A finite number within ±10^15 and, unless 0, no smaller than 10^-9 in magnitude: beyond any measurement's precision. */
    public static Optional<String> floating(double d) {
        if (!Double.isFinite(d) || Math.abs(d) >= 1e15) {
            return Optional.of("out of range");
        }
        return d != 0 && Math.abs(d) < 1e-9 ? Optional.of("too small to be a measurement") : Optional.empty();
    }

    /** A number written with a non-zero digit that became 0 (such as 1E-20000) is not what the sender meant. */
    static Optional<String> underflow(String text) {
        String mantissa = text.split("[eE]", 2)[0];
        return mantissa.chars().anyMatch(c -> c >= '1' && c <= '9') ? Optional.of("too small to represent") : Optional.empty();
    }

    public static Optional<String> year(int year) {
        return year < FIRST_YEAR || year > LAST_YEAR
                ? Optional.of("year " + year + " is outside " + FIRST_YEAR + "–" + LAST_YEAR)
                : Optional.empty();
    }
}
