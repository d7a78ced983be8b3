package org.hdil2.monitoring.domain;

import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

import org.hdil2.monitoring.domain.Condition.MissingLimit;
import org.hdil2.monitoring.domain.Condition.Scale;
import org.hdil2.monitoring.domain.RuleDefinition.Derive;

/** Judges one rule for one patient at one moment. Plain functions of the patient's state and the time. */
public final class RuleEvaluator {

    /** A window counts as covered when its periods span at least this share of it (charting is rarely to the minute). */
    private static final BigDecimal COVERAGE = new BigDecimal("0.95");

    private final Protocol protocol;
    /** The NEWS2 rules' freshness (the first that names one), found once: the score is computed on most observations. */
    private final Duration news2Freshness;

    public RuleEvaluator(Protocol protocol) {
        this.protocol = protocol;
        this.news2Freshness = protocol.rules().stream().filter(r -> r.kind() == RuleDefinition.Kind.NEWS2 && r.freshness() != null)
                .map(RuleDefinition::freshness).findFirst().orElse(Duration.ofHours(4));
    }

    public RuleResult evaluate(RuleDefinition rule, PatientState state, Instant asOf) {
        return evaluate(rule, state, asOf, null);
    }

    /** As {@link #evaluate(RuleDefinition, PatientState, Instant)}, with the patient's NEWS2 already scored at {@code asOf}. */
    public RuleResult evaluate(RuleDefinition rule, PatientState state, Instant asOf, News2.Result news2) {
        try {
            return switch (rule.kind()) {
                case THRESHOLD -> threshold(rule, state, asOf);
                case SUSTAINED -> sustained(rule, state, asOf);
                case WINDOW_SUM -> windowSum(rule, state, asOf);
                case WINDOW_MAX -> windowMax(rule, state, asOf);
                case NEWS2 -> {
                    for (String parameter : News2.PARAMETERS) {
                        ObservationFact latest = state.latest(parameter);
                        if (latest != null && !latest.effectiveTime().isBefore(asOf.minus(news2Freshness))) {
                            refuseContradiction(state, parameter);
                        }
                    }
                    yield news2(rule, news2 == null ? news2(state, asOf) : news2);
                }
                case CTCAE_GRADE -> ctcae(rule, state, asOf);
            };
        } catch (MissingLimit | NotEvaluable e) {
            return RuleResult.notEvaluable(e.getMessage());
        }
    }

    public News2.Result news2(PatientState state, Instant asOf) {
        // a parameter whose latest observations disagree counts as missing: no total is published from either value
        return News2.score(p -> state.latestDisagrees(p) ? null : state.latest(p), asOf, news2Freshness,
                protocol.news2Scale());
    }

    private RuleResult threshold(RuleDefinition rule, PatientState state, Instant asOf) {
        ObservationFact latest = freshLatest(rule, state, asOf);
        BigDecimal value = derive(rule, latest, state);
        Scale scale = scale(rule);
        boolean met = rule.when().holds(value, latest.valueCode(), scale);
        Detail detail = rule.deriveOrValue() == Derive.VALUE ? null : Detail.of(derivedName(rule), value, derivedUnit(rule, latest));
        if (met) {
            return new RuleResult(RuleState.MET, rule.severity(), detail, latest, List.of(latest), latest.effectiveTime(), false,
                    describe(rule, latest, value));
        }
        return new RuleResult(RuleState.NOT_MET, null, detail, latest, List.of(latest), null, resumed(rule, latest, value, scale),
                describe(rule, latest, value));
    }

    private RuleResult sustained(RuleDefinition rule, PatientState state, Instant asOf) {
        ObservationFact latest = freshLatest(rule, state, asOf);
        Scale scale = scale(rule);
        BigDecimal value = derive(rule, latest, state);
        if (!rule.when().holds(value, latest.valueCode(), scale)) {
            return new RuleResult(RuleState.NOT_MET, null, null, latest, List.of(latest), null, resumed(rule, latest, value, scale),
                    describe(rule, latest, value));
        }
        List<ObservationFact> run = run(rule.when(), rule, state, scale);
        Instant runStart = run.get(0).start();
        Instant reached = runStart.plus(rule.duration());
        Detail detail = null; // an elapsed time would change every tick and make every tick a "change"
        if (!asOf.isBefore(reached)) {
            return new RuleResult(RuleState.MET, rule.severity(), detail, latest, run, reached, false,
                    rule.criterion() + ": since " + runStart);
        }
        return new RuleResult(RuleState.NOT_MET, null, detail, latest, run, null, false,
                rule.criterion() + ": met since " + runStart + ", not yet for " + rule.duration());
    }

    /** The newest observations, oldest first, that all meet {@code test}, back to the first that does not. */
    private List<ObservationFact> run(Condition test, RuleDefinition rule, PatientState state, Scale scale) {
        List<ObservationFact> facts = state.historyOf(rule.parameter());
        List<ObservationFact> run = new ArrayList<>();
        for (int i = facts.size() - 1; i >= 0; i--) {
            ObservationFact fact = facts.get(i);
            if (!test.holds(derive(rule, fact, state), fact.valueCode(), scale)) {
                break;
            }
            run.add(0, fact);
        }
        return run;
    }

    private RuleResult windowSum(RuleDefinition rule, PatientState state, Instant asOf) {
        ObservationFact latest = freshLatest(rule, state, asOf);
        Instant end = latest.effectiveTime();
        List<ObservationFact> facts = state.historyOf(rule.parameter());
        Scale scale = scale(rule);
        List<BigDecimal> sums = new ArrayList<>();
        List<ObservationFact> evidence = new ArrayList<>();
        for (int i = 0; i < rule.consecutiveOrOne(); i++) {
            Instant windowEnd = end.minus(rule.window().multipliedBy(i));
            Instant windowStart = windowEnd.minus(rule.window());
            BigDecimal covered = BigDecimal.ZERO;
            BigDecimal sum = BigDecimal.ZERO;
            for (ObservationFact fact : facts) {
                if (!fact.hasMeasurablePeriod()) {
                    continue;
                }
                Instant from = max(fact.periodStart(), windowStart);
                Instant to = min(fact.effectiveTime(), windowEnd);
                if (!from.isBefore(to)) {
                    continue;
                }
                BigDecimal share = hours(Duration.between(from, to));
                covered = covered.add(share);
                sum = sum.add(fact.value().multiply(share).divide(fact.periodHours(), MathContext.DECIMAL64));
                if (!evidence.contains(fact)) {
                    evidence.add(fact);
                }
            }
            BigDecimal needed = hours(rule.window()).multiply(COVERAGE);
            if (covered.compareTo(needed) < 0) {
                throw new NotEvaluable(rule.parameter() + " is charted for " + covered.setScale(1, RoundingMode.HALF_UP)
                        + " h of the " + hours(rule.window()).stripTrailingZeros().toPlainString() + " h ending " + windowEnd
                        + "; the rule needs the whole window");
            }
            sums.add(sum.setScale(1, RoundingMode.HALF_UP));
        }
        boolean met = sums.stream().allMatch(sum -> rule.when().holds(sum, null, scale));
        BigDecimal newest = sums.get(0);
        Detail detail = Detail.of("sum-" + rule.window().toHours() + "h", newest, latest.unit());
        evidence.sort(PatientState.BY_TIME);
        if (met) {
            return new RuleResult(RuleState.MET, rule.severity(), detail, latest, evidence, end, false,
                    rule.criterion() + ": " + sums + " " + latest.unit());
        }
        return new RuleResult(RuleState.NOT_MET, null, detail, latest, evidence, null, resumed(rule, latest, newest, scale),
                rule.criterion() + ": " + sums + " " + latest.unit());
    }

    private RuleResult windowMax(RuleDefinition rule, PatientState state, Instant asOf) {
        ObservationFact latest = freshLatest(rule, state, asOf);
        Instant from = asOf.minus(rule.window());
        String since = "the last " + rule.window();
        if (rule.sinceLastDose() && state.therapy() != null && state.therapy().lastDoseAt() != null) {
            from = state.therapy().lastDoseAt();
            since = "the last dose at " + from;
        }
        Instant start = from;
        List<ObservationFact> inWindow = state.historyOf(rule.parameter()).stream()
                .filter(f -> !f.effectiveTime().isBefore(start)).toList();
        if (inWindow.isEmpty()) {
            inWindow = List.of(latest);
        }
        ObservationFact highest = inWindow.stream().max(Comparator.comparing(ObservationFact::value)).orElseThrow();
        Scale scale = scale(rule);
        Detail detail = Detail.of("maximum", highest.value(), highest.unit());
        String reason = rule.criterion() + ": maximum " + highest.value().toPlainString() + " " + highest.unit() + " since " + since;
        if (rule.when().holds(highest.value(), null, scale)) {
            return new RuleResult(RuleState.MET, rule.severity(), detail, highest, inWindow, highest.effectiveTime(), false, reason);
        }
        return new RuleResult(RuleState.NOT_MET, null, detail, latest, inWindow, null,
                resumed(rule, latest, highest.value(), scale), reason);
    }

    private RuleResult news2(RuleDefinition rule, News2.Result score) {
        boolean single = "SINGLE_PARAMETER".equals(rule.news2Mode());
        BigDecimal value = BigDecimal.valueOf(single ? score.highestSingleScore() : score.total());
        boolean met = rule.when().holds(value, null, Scale.plain("news2"));
        if (!score.evaluable() && !(single && met)) {
            return RuleResult.notEvaluable("NEWS2 needs fresh (" + news2Freshness + ") " + String.join(", ", score.missing()));
        }
        Detail detail = new Detail(single ? "news2-highest-parameter-score" : "news2", value, null, null, score.band());
        ObservationFact deciding = score.evidence().stream().max(Comparator.comparing(ObservationFact::effectiveTime)).orElse(null);
        String reason = "NEWS2 " + (score.evaluable() ? score.total() : "incomplete") + ", components " + score.components().stream()
                .map(c -> c.parameter() + "=" + c.score()).toList();
        if (met) {
            return new RuleResult(RuleState.MET, rule.severity(), detail, deciding, score.evidence(), deciding.effectiveTime(), false, reason);
        }
        boolean resumed = rule.resumeWhen() == null || rule.resumeWhen().holds(value, null, Scale.plain("news2"));
        return new RuleResult(RuleState.NOT_MET, null, detail, deciding, score.evidence(), null, resumed, reason);
    }

    private RuleResult ctcae(RuleDefinition rule, PatientState state, Instant asOf) {
        ObservationFact latest = freshLatest(rule, state, asOf);
        BigDecimal value = derive(rule, latest, state);
        Scale scale = scale(rule);
        int notifyFrom = rule.notifyFromGrade() == null ? 3 : rule.notifyFromGrade();
        Integer grade = null;
        List<ObservationFact> evidence = List.of(latest);
        List<Band> bands = new ArrayList<>(rule.bands());
        bands.sort(Comparator.comparingInt(Band::grade).reversed());
        for (Band band : bands) {
            boolean holds;
            try {
                holds = band.when().holds(value, latest.valueCode(), scale);
            } catch (MissingLimit missing) {
                if (band.grade() >= notifyFrom) {
                    throw missing;
                }
                break; // below the notify grade: the grade is "under notifyFrom", which is all the rule needs
            }
            if (holds && band.duration() != null) {
                List<ObservationFact> run = run(band.when(), rule, state, scale);
                holds = !asOf.isBefore(run.get(0).start().plus(band.duration()));
                if (holds) {
                    evidence = run;
                }
            }
            if (holds) {
                grade = band.grade();
                break;
            }
        }
        Detail detail = new Detail(rule.deriveOrValue() == Derive.VALUE ? "grade" : derivedName(rule), value,
                derivedUnit(rule, latest), grade == null ? 0 : grade, null);
        String reason = rule.criterion() + ": " + value.stripTrailingZeros().toPlainString() + " " + derivedUnit(rule, latest)
                + " -> grade " + (grade == null ? "below " + notifyFrom : grade);
        if (grade != null && grade >= notifyFrom) {
            return new RuleResult(RuleState.MET, rule.severityAt(grade), detail, latest, evidence, latest.effectiveTime(), false, reason);
        }
        return new RuleResult(RuleState.NOT_MET, null, detail, latest, evidence, null, true, reason);
    }

    private ObservationFact freshLatest(RuleDefinition rule, PatientState state, Instant asOf) {
        ObservationFact latest = state.latest(rule.parameter());
        if (latest == null) {
            throw new NotEvaluable("no " + rule.parameter() + " observation");
        }
        if (rule.freshness() != null && latest.effectiveTime().isBefore(asOf.minus(rule.freshness()))) {
            throw new NotEvaluable("the latest " + rule.parameter() + " is from " + latest.effectiveTime()
                    + ", older than " + rule.freshness());
        }
        refuseContradiction(state, rule.parameter());
        return latest;
    }

    /** Observations of one parameter at one time that disagree leave the rule not evaluable until a newer one settles it. */
    private static void refuseContradiction(PatientState state, String parameter) {
        if (!state.latestDisagrees(parameter)) {
            return;
        }
        List<ObservationFact> disagreeing = state.disagreeingWithLatest(parameter);
        ObservationFact latest = state.latest(parameter);
        List<String> values = new ArrayList<>();
        values.add(shown(latest) + " (" + latest.observationId() + ")");
        disagreeing.forEach(f -> values.add(shown(f) + " (" + f.observationId() + ")"));
        throw new NotEvaluable("contradictory data: " + parameter + " observations at " + latest.effectiveTime()
                + " disagree: " + String.join(", ", values) + "; a newer observation settles it");
    }

    private static String shown(ObservationFact f) {
        return f.valueCode() != null ? f.valueCode() : f.value().stripTrailingZeros().toPlainString() + (f.unit() == null ? "" : " " + f.unit());
    }

    private BigDecimal derive(RuleDefinition rule, ObservationFact fact, PatientState state) {
        return switch (rule.deriveOrValue()) {
            case VALUE -> fact.value();
            case RATE_PER_HOUR -> {
                if (!fact.hasMeasurablePeriod()) {
                    throw new NotEvaluable(rule.parameter() + " " + fact.observationId() + " has no measurable period, so no hourly rate");
                }
                yield fact.value().divide(fact.periodHours(), MathContext.DECIMAL64).setScale(1, RoundingMode.HALF_UP);
            }
            case PERCENT_CHANGE_FROM_BASELINE_WEIGHT -> {
                BigDecimal baseline = state.therapy() == null ? null : state.therapy().baselineWeightKg();
                if (baseline == null || baseline.signum() <= 0) {
                    throw new NotEvaluable("no baseline weight: no course with a dosing weight is known for the patient");
                }
                yield fact.value().subtract(baseline).multiply(BigDecimal.valueOf(100))
                        .divide(baseline, MathContext.DECIMAL64).setScale(1, RoundingMode.HALF_UP);
            }
        };
    }

    private boolean resumed(RuleDefinition rule, ObservationFact latest, BigDecimal value, Scale scale) {
        if (rule.resumeWhen() == null) {
            return !rule.when().holds(value, latest.valueCode(), scale);
        }
        return rule.resumeWhen().holds(value, latest.valueCode(), scale);
    }

    private Scale scale(RuleDefinition rule) {
        return new Scale(rule.parameter(), protocol.limitsOf(rule.parameter()), rule.multiplesOfUln());
    }

    private static String describe(RuleDefinition rule, ObservationFact latest, BigDecimal value) {
        String shown = latest.valueCode() != null ? latest.valueCode() : value.stripTrailingZeros().toPlainString();
        return rule.criterion() + ": " + shown + " at " + latest.effectiveTime();
    }

    private static String derivedName(RuleDefinition rule) {
        return switch (rule.deriveOrValue()) {
            case VALUE -> "value";
            case RATE_PER_HOUR -> "rate-per-hour";
            case PERCENT_CHANGE_FROM_BASELINE_WEIGHT -> "percent-change-from-baseline";
        };
    }

    private static String derivedUnit(RuleDefinition rule, ObservationFact fact) {
        return switch (rule.deriveOrValue()) {
            case VALUE -> fact.unit();
            case RATE_PER_HOUR -> fact.unit() + "/h";
            case PERCENT_CHANGE_FROM_BASELINE_WEIGHT -> "%";
        };
    }

    static BigDecimal hours(Duration duration) {
        return BigDecimal.valueOf(duration.toSeconds()).divide(BigDecimal.valueOf(3600), 4, RoundingMode.HALF_UP);
    }

    private static Instant max(Instant a, Instant b) {
        return a.isAfter(b) ? a : b;
    }

    private static Instant min(Instant a, Instant b) {
        return a.isBefore(b) ? a : b;
    }

    /** A required input is missing or too old; the message says which. */
    static final class NotEvaluable extends RuntimeException {
        NotEvaluable(String message) {
            super(message, null, false, false);
        }
    }
}
