package org.hdil2.monitoring.domain;

import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * NEWS2 (Royal College of Physicians 2017, Chart 1 scoring, Chart 4 bands; reference section 8) from the latest
 * observation of each parameter that is not older than the freshness window. A missing or stale parameter makes the
 * score not evaluable: a partial score would understate the risk.
 */
public final class News2 {

    public static final String AIR_OR_OXYGEN = "air-or-oxygen";
    /** The catalog parameters the score reads. */
    public static final List<String> PARAMETERS = List.of("respiratory-rate", "spo2", "oxygen-flow", "fio2", "systolic-bp",
            "heart-rate", "acvpu", "temperature");

    /** One scored parameter. {@code value} is null for air/oxygen, whose {@code valueCode} is AIR or OXYGEN. */
    public record Component(String parameter, BigDecimal value, String valueCode, String unit, int score,
                            String observationId) {
    }

    public record Result(boolean evaluable, int total, String band, int scale, List<Component> components,
                         List<String> missing, List<ObservationFact> evidence) {

        public int highestSingleScore() {
            return components.stream().mapToInt(Component::score).max().orElse(0);
        }
    }

    private News2() {
    }

    public static Result score(Function<String, ObservationFact> latest, Instant asOf, Duration freshness, int scale) {
        List<Component> components = new ArrayList<>();
        List<String> missing = new ArrayList<>();
        List<ObservationFact> evidence = new ArrayList<>();
        ObservationFact flow = fresh(latest.apply("oxygen-flow"), asOf, freshness);
        ObservationFact fio2 = fresh(latest.apply("fio2"), asOf, freshness);
        Boolean onOxygen = null;
        if (flow != null || fio2 != null) {
            onOxygen = (flow != null && flow.value().signum() > 0) || (fio2 != null && fio2.value().compareTo(BigDecimal.valueOf(21)) > 0);
            ObservationFact used = flow != null ? flow : fio2;
            evidence.add(used);
            components.add(new Component(AIR_OR_OXYGEN, null, onOxygen ? "OXYGEN" : "AIR", null, onOxygen ? 2 : 0, used.observationId()));
        } else {
            missing.add(AIR_OR_OXYGEN + " (oxygen-flow or fio2)");
        }
        score(latest, asOf, freshness, "respiratory-rate", v -> band(v, new int[] {8, 11, 20, 24}, new int[] {3, 1, 0, 2, 3}),
                components, missing, evidence);
        final Boolean oxygen = onOxygen;
        score(latest, asOf, freshness, "spo2", v -> scale == 2 ? spo2Scale2(v, oxygen) : band(v, new int[] {91, 93, 95}, new int[] {3, 2, 1, 0}),
                components, missing, evidence);
        score(latest, asOf, freshness, "systolic-bp", v -> band(v, new int[] {90, 100, 110, 219}, new int[] {3, 2, 1, 0, 3}),
                components, missing, evidence);
        score(latest, asOf, freshness, "heart-rate", v -> band(v, new int[] {40, 50, 90, 110, 130}, new int[] {3, 1, 0, 1, 2, 3}),
                components, missing, evidence);
        ObservationFact acvpu = fresh(latest.apply("acvpu"), asOf, freshness);
        if (acvpu == null) {
            missing.add("acvpu");
        } else {
            evidence.add(acvpu);
            components.add(new Component("acvpu", null, acvpu.valueCode(), null, "A".equals(acvpu.valueCode()) ? 0 : 3, acvpu.observationId()));
        }
        ObservationFact temp = fresh(latest.apply("temperature"), asOf, freshness);
        if (temp == null) {
            missing.add("temperature");
        } else {
            evidence.add(temp);
            components.add(new Component("temperature", temp.value(), null, temp.unit(), temperature(temp.value()), temp.observationId()));
        }
        int total = components.stream().mapToInt(Component::score).sum();
        boolean evaluable = missing.isEmpty();
        return new Result(evaluable, total, evaluable ? band(total, components) : null, scale, components, missing, evidence);
    }

    static String band(int total, List<Component> components) {
        if (total >= 7) {
            return "HIGH";
        }
        if (total >= 5) {
            return "MEDIUM";
        }
        if (components.stream().anyMatch(c -> c.score() == 3)) {
            return "LOW_MEDIUM";
        }
        return total == 0 ? "ZERO" : "LOW";
    }

    private static void score(Function<String, ObservationFact> latest, Instant asOf, Duration freshness, String parameter,
                              Function<BigDecimal, Integer> scoring, List<Component> components, List<String> missing,
                              List<ObservationFact> evidence) {
        ObservationFact fact = fresh(latest.apply(parameter), asOf, freshness);
        if (fact == null) {
            missing.add(parameter);
            return;
        }
        evidence.add(fact);
        components.add(new Component(parameter, fact.value(), null, fact.unit(), scoring.apply(fact.value()), fact.observationId()));
    }

    /** Score of the first band whose upper bound (inclusive) the value does not exceed; the last score above all. */
    private static int band(BigDecimal value, int[] upperBounds, int[] scores) {
        for (int i = 0; i < upperBounds.length; i++) {
            if (value.compareTo(BigDecimal.valueOf(upperBounds[i])) <= 0) {
                return scores[i];
            }
        }
        return scores[scores.length - 1];
    }

    private static int spo2Scale2(BigDecimal value, Boolean onOxygen) {
        if (value.compareTo(BigDecimal.valueOf(92)) <= 0) {
            return band(value, new int[] {83, 85, 87}, new int[] {3, 2, 1, 0});
        }
        if (onOxygen == null || !onOxygen) {
            return 0;
        }
        return band(value, new int[] {94, 96}, new int[] {1, 2, 3});
    }

    private static int temperature(BigDecimal celsius) {
        BigDecimal[] upper = {new BigDecimal("35.0"), new BigDecimal("36.0"), new BigDecimal("38.0"), new BigDecimal("39.0")};
        int[] scores = {3, 1, 0, 1, 2};
        for (int i = 0; i < upper.length; i++) {
            if (celsius.compareTo(upper[i]) <= 0) {
                return scores[i];
            }
        }
        return scores[4];
    }

    static ObservationFact fresh(ObservationFact fact, Instant asOf, Duration freshness) {
        if (fact == null || freshness == null) {
            return fact;
        }
        return fact.effectiveTime().isBefore(asOf.minus(freshness)) ? null : fact;
    }
}
