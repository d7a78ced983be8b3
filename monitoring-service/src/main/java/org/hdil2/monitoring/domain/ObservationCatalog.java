package org.hdil2.monitoring.domain;

import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.hdil2.contract.ObservationParameters;

/**
 * What the service accepts: one canonical <em>parameter</em> per quantity (systolic-bp, creatinine, acvpu, ...), the
 * codes that map to it (LOINC where the reference names a LOINC, else this suite's local code system), per code the
 * accepted units and how each converts to the parameter's canonical UCUM unit, the plausible range that catches typing
 * and device errors (a value outside is rejected, never evaluated), the coded answers with their ordinals, and whether
 * the observation must cover a period (urine output, diarrhoea volume). Plain data: the rules refer to parameter ids,
 * so a LOINC and its SI twin (creatinine 2160-0 mg/dL and 14682-9 umol/L) are evaluated as one quantity. The table
 * itself is the suite's shared data ({@code platform/contract}: observation-parameters.json); this class is monitoring's
 * model of it.
 */
public final class ObservationCatalog {

    public static final String LOINC = "http://loinc.org";
    /** This suite's code system for observations the reference names no verified LOINC for. */
    public static final String LOCAL = "https://hdil2.org/fhir/CodeSystem/observation";
    public static final String UCUM = "http://unitsofmeasure.org";

    /** Longest period a period observation (urine output, diarrhoea volume) may cover. */
    public static final java.time.Duration MAX_PERIOD = java.time.Duration.ofHours(24);

    /** What {@link #toCanonical} and the rule engine need of a parameter; kept for callers written against one code. */
    public interface Entry {
        /** The parameter's primary code (its first code). */
        String code();

        String display();

        /** The canonical UCUM unit. */
        String unit();
    }

    /** {@code canonical = (value + offset) x factor}: a factor for most units, an offset too for degrees Fahrenheit. */
    public record Conversion(BigDecimal factor, BigDecimal offset) {

        static final Conversion IDENTITY = new Conversion(BigDecimal.ONE, BigDecimal.ZERO);

        public boolean identity() {
            return factor.compareTo(BigDecimal.ONE) == 0 && offset.signum() == 0;
        }

        public BigDecimal apply(BigDecimal value) {
            return value.add(offset).multiply(factor, MathContext.DECIMAL64);
        }
    }

    /** One code of a parameter, with the units accepted under it (unit as sent, to its conversion). */
    public record Code(String system, String code, String display, Map<String, Conversion> units, String note) {
    }

    /**
     * One canonical quantity. {@code scale}: decimal places kept after a conversion. {@code codedValues}: for coded
     * parameters the answer codes with their ordinals (the ordinal is the observation's value). {@code integer}: the
     * value must be a whole number (a grade, a beat count). {@code periodRequired}: the observation must carry an
     * effectivePeriod (start before end, at most {@link #MAX_PERIOD}).
     */
    public record Parameter(String id, String display, String unit, List<Code> codes, BigDecimal min, BigDecimal max,
                            int scale, Map<String, Integer> codedValues, boolean integer, boolean periodRequired,
                            String note) implements Entry {

        @Override
        public String code() {
            return codes.get(0).code();
        }

        public boolean coded() {
            return !codedValues.isEmpty();
        }

        /** The code object for {@code system|code}, when it belongs to this parameter. */
        public Optional<Code> codeOf(String system, String code) {
            return codes.stream().filter(c -> c.system().equals(system) && c.code().equals(code)).findFirst();
        }
    }

    private static final Map<String, Parameter> BY_ID = new LinkedHashMap<>();
    private static final Map<String, Parameter> BY_SYSTEM_CODE = new LinkedHashMap<>();
    private static final java.util.Set<String> NUMERIC_CODED = new java.util.HashSet<>();

    static {
        for (ObservationParameters.Parameter p : ObservationParameters.all()) {
            add(p);
        }
    }

    private ObservationCatalog() {
    }

    /** Every parameter, in catalog order. */
    /** Clock skew tolerated between a submitting device and the suite: an effective time further ahead is refused. */
    public static final java.time.Duration FUTURE_TOLERANCE = java.time.Duration.ofMinutes(5);
    /**
     * How old an effective time may be. No rule looks back further than three days (intubation > 72 h), and a patient
     * without observations for {@code Evaluator.DORMANT_AFTER} (7 days) is forgotten; an older time is a clock or
     * entry error, not a late result.
     */
    public static final java.time.Duration PAST_LIMIT = java.time.Duration.ofDays(7);
    /**
     * The shortest period a volume may be charted over: a rate from a shorter one means nothing clinically (and a
     * sub-second one divided the evaluation by zero; a bogus huge rate could also seem to lift an oliguria hold).
     */
    public static final java.time.Duration MIN_PERIOD = java.time.Duration.ofMinutes(1);

    /**
     * Why an observation cannot be evaluated as of {@code now} (its value, period or time), or null when it can: what
     * intake refuses with a 400, and what the evaluation dead-letters should it reach the topic anyway.
     */
    public static String notEvaluable(BigDecimal value, java.time.Instant periodStart, java.time.Instant effectiveTime,
                                      java.time.Instant now) {
        if (value != null && !representable(value)) {
            return "value cannot be represented (too many digits or too large an exponent)";
        }
        if (periodStart != null && java.time.Duration.between(periodStart, effectiveTime).compareTo(MIN_PERIOD) < 0) {
            return "effectivePeriod is shorter than " + MIN_PERIOD.toMinutes() + " minute (or ends before it starts)";
        }
        if (effectiveTime.isAfter(now.plus(FUTURE_TOLERANCE))) {
            return "effective time more than " + FUTURE_TOLERANCE.toMinutes() + " minutes in the future";
        }
        if ((periodStart != null ? periodStart : effectiveTime).isBefore(now.minus(PAST_LIMIT))) {
            return "effective time more than " + PAST_LIMIT.toDays() + " days ago";
        }
        return null;
    }

    /** Digits a number may have after the point, and in all: beyond them it is an encoding error, not a measurement. */
    public static final int MAX_SCALE = 20;
    public static final int MAX_PRECISION = 30;

    /**
     * A number the catalog's arithmetic, the rules' texts and the database can hold: 1E-999999999 passes a range check
     * and then fills the heap when it is written out.
     */
    public static boolean representable(BigDecimal v) {
        return v.scale() <= MAX_SCALE && v.scale() >= -MAX_SCALE && v.precision() <= MAX_PRECISION
                && v.precision() - v.scale() <= MAX_PRECISION;
    }

    public static List<Parameter> parameters() {
        return List.copyOf(BY_ID.values());
    }

    public static Optional<Parameter> parameter(String id) {
        return Optional.ofNullable(BY_ID.get(id));
    }

    /** The parameter {@code system|code} maps to. */
    public static Optional<Parameter> find(String system, String code) {
        return Optional.ofNullable(BY_SYSTEM_CODE.get(system + "|" + code));
    }

    /** The parameter a LOINC code maps to, or a parameter id (rules written against a code or a parameter). */
    public static Optional<Parameter> find(String codeOrParameter) {
        Parameter p = BY_SYSTEM_CODE.get(LOINC + "|" + codeOrParameter);
        return p != null ? Optional.of(p) : parameter(codeOrParameter);
    }

    /** Parameters by id (kept for callers that list what is accepted). */
    public static Map<String, Parameter> all() {
        return Collections.unmodifiableMap(BY_ID);
    }

    /**
     * The value in the parameter's canonical unit, or empty when {@code unit} is not accepted under any of its codes.
     * An identity conversion returns the value unchanged; any other is rounded to the parameter's scale.
     */
    public static Optional<BigDecimal> toCanonical(Entry entry, BigDecimal value, String unit) {
        Parameter p = (Parameter) entry;
        for (Code code : p.codes()) {
            Conversion c = code.units().get(unit);
            if (c != null) {
                return Optional.of(convert(p, c, value));
            }
        }
        return Optional.empty();
    }

    /** Converts {@code value} sent in {@code unit} under {@code code}; empty when that code does not accept the unit. */
    public static Optional<BigDecimal> toCanonical(Parameter p, Code code, BigDecimal value, String unit) {
        Conversion c = code.units().get(unit);
        return c == null ? Optional.empty() : Optional.of(convert(p, c, value));
    }

    private static BigDecimal convert(Parameter p, Conversion c, BigDecimal value) {
        if (c.identity()) {
            return value;
        }
        return c.apply(value).setScale(p.scale(), RoundingMode.HALF_UP);
    }

    // --- from the shared catalog (platform/contract: observation-parameters.json) ---------------------------

    private static void add(ObservationParameters.Parameter p) {
        Parameter parameter;
        if (p.coded()) {
            // a coded parameter's value is its answer's ordinal, sent with its unit or none
            Map<String, Conversion> units = units(p.unit(), "");
            Map<String, Integer> ordinals = new LinkedHashMap<>();
            p.answers().forEach(a -> ordinals.put(a, ordinals.size()));
            List<Code> codes = p.codes().stream().map(c -> new Code(c.system(), c.code(), c.display(), units, c.note())).toList();
            parameter = new Parameter(p.id(), p.display(), p.unit(), codes, BigDecimal.ZERO, BigDecimal.valueOf(ordinals.size() - 1L), 0,
                    Collections.unmodifiableMap(ordinals), true, p.periodRequired(), p.note());
            if (p.ordinalAsValue()) {
                NUMERIC_CODED.add(p.id());
            }
        } else {
            List<Code> codes = p.codes().stream().map(ObservationCatalog::code).toList();
            parameter = new Parameter(p.id(), p.display(), p.unit(), codes, p.min(), p.max(), p.scale(), Map.of(), p.integer(),
                    p.periodRequired(), p.note());
        }
        BY_ID.put(parameter.id(), parameter);
        for (Code c : parameter.codes()) {
            BY_SYSTEM_CODE.put(c.system() + "|" + c.code(), parameter);
        }
    }

    private static Code code(ObservationParameters.Code c) {
        Map<String, Conversion> units = new LinkedHashMap<>();
        String shared = null;
        for (Map.Entry<String, ObservationParameters.UnitConversion> u : c.units().entrySet()) {
            ObservationParameters.UnitConversion v = u.getValue();
            units.put(u.getKey(), v.identity() ? Conversion.IDENTITY : new Conversion(v.factor(), v.offset()));
            shared = v.source() != null ? v.source() : shared;
        }
        String note = shared == null ? c.note() : c.note() == null ? "SI: " + shared : "SI: " + shared + "; " + c.note();
        return new Code(c.system(), c.code(), c.display(), Collections.unmodifiableMap(units), note);
    }

    private static Map<String, Conversion> units(String... names) {
        Map<String, Conversion> m = new LinkedHashMap<>();
        for (String n : names) {
            m.put(n, Conversion.IDENTITY);
        }
        return Collections.unmodifiableMap(m);
    }

    /** Whether a coded parameter also takes its ordinal as a plain value (the CTCAE confusion grade). */
    public static boolean acceptsOrdinalValue(Parameter p) {
        return NUMERIC_CODED.contains(p.id());
    }

    /** The answer codes of a coded parameter, in ordinal order. */
    public static List<String> answers(Parameter p) {
        return new ArrayList<>(p.codedValues().keySet());
    }
}
