package org.hdil2.monitoring.domain;

import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;
import java.util.Map;
import java.util.Optional;

/**
 * The observation codes the service accepts, each with its UCUM unit, the other units it converts from, and a
 * plausibility range that catches typing errors (a value outside is rejected, not evaluated).
 */
public final class ObservationCatalog {

    public static final String LOINC = "http://loinc.org";

    /** One accepted code. {@code factors} maps an accepted unit to the factor that converts it to {@code unit}. */
    public record Entry(String code, String display, String unit, Map<String, BigDecimal> factors, BigDecimal min,
                        BigDecimal max) {
    }

    private static final Map<String, Entry> ENTRIES = Map.of(
            "8480-6", new Entry("8480-6", "Systolic blood pressure", "mm[Hg]",
                    Map.of("mm[Hg]", BigDecimal.ONE, "mmHg", BigDecimal.ONE, "mm Hg", BigDecimal.ONE,
                            "kPa", new BigDecimal("7.50062")),
                    new BigDecimal("20"), new BigDecimal("300")));

    private ObservationCatalog() {
    }

    public static Optional<Entry> find(String code) {
        return Optional.ofNullable(ENTRIES.get(code));
    }

    public static Map<String, Entry> all() {
        return ENTRIES;
    }

    /** The value in the entry's UCUM unit, or empty when the unit is not one the entry accepts. */
    public static Optional<BigDecimal> toCanonical(Entry entry, BigDecimal value, String unit) {
        BigDecimal factor = entry.factors().get(unit);
        if (factor == null) {
            return Optional.empty();
        }
        if (factor.compareTo(BigDecimal.ONE) == 0) {
            return Optional.of(value);
        }
        return Optional.of(value.multiply(factor, MathContext.DECIMAL64).setScale(1, RoundingMode.HALF_UP));
    }
}
