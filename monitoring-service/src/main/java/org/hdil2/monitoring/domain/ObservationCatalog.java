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

/**
 * What the service accepts: one canonical <em>parameter</em> per quantity (systolic-bp, creatinine, acvpu, ...), the
 * codes that map to it (LOINC where the reference names a LOINC, else this suite's local code system), per code the
 * accepted units and how each converts to the parameter's canonical UCUM unit, the plausible range that catches typing
 * and device errors (a value outside is rejected, never evaluated), the coded answers with their ordinals, and whether
 * the observation must cover a period (urine output, diarrhoea volume). Plain data: the rules refer to parameter ids,
 * so a LOINC and its SI twin (creatinine 2160-0 mg/dL and 14682-9 umol/L) are evaluated as one quantity.
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

        static Conversion times(String factor) {
            return new Conversion(new BigDecimal(factor), BigDecimal.ZERO);
        }

        static Conversion dividedBy(String divisor) {
            return new Conversion(BigDecimal.ONE.divide(new BigDecimal(divisor), MathContext.DECIMAL64), BigDecimal.ZERO);
        }

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
        Map<String, Conversion> pressure = units("mm[Hg]", "1", "mmHg", "1", "mm Hg", "1", "kPa", "7.50062");
        quantity("systolic-bp", "Systolic blood pressure", "mm[Hg]", "20", "300", 1,
                loinc("8480-6", "Systolic blood pressure", pressure));
        quantity("diastolic-bp", "Diastolic blood pressure", "mm[Hg]", "10", "200", 1,
                loinc("8462-4", "Diastolic blood pressure", pressure));
        quantity("mean-bp", "Mean blood pressure", "mm[Hg]", "10", "250", 1,
                loinc("8478-0", "Mean blood pressure", pressure));
        quantity("heart-rate", "Heart rate", "/min", "0", "300", 0,
                loinc("8867-4", "Heart rate", units("/min", "1", "{beats}/min", "1", "bpm", "1", "1/min", "1")));
        quantity("respiratory-rate", "Respiratory rate", "/min", "0", "80", 0,
                loinc("9279-1", "Respiratory rate", units("/min", "1", "{breaths}/min", "1", "breaths/min", "1", "1/min", "1")));
        quantity("spo2", "Oxygen saturation", "%", "0", "100", 1,
                loinc("59408-5", "Oxygen saturation in Arterial blood by Pulse oximetry", units("%", "1")),
                loinc("2708-6", "Oxygen saturation in Arterial blood", units("%", "1")));
        quantity("oxygen-flow", "Inhaled oxygen flow rate", "L/min", "0", "60", 1,
                loinc("3151-8", "Inhaled oxygen flow rate", units("L/min", "1", "l/min", "1")));
        quantity("fio2", "Inhaled oxygen concentration", "%", "21", "100", 1,
                loinc("3150-0", "Inhaled oxygen concentration", units("%", "1", "1", "100")));
        Map<String, Conversion> temperature = new LinkedHashMap<>(units("Cel", "1", "degC", "1"));
        Conversion fahrenheit = new Conversion(new BigDecimal(5).divide(new BigDecimal(9), MathContext.DECIMAL64), new BigDecimal(-32));
        temperature.put("[degF]", fahrenheit);
        temperature.put("degF", fahrenheit);
        quantity("temperature", "Body temperature", "Cel", "25", "45", 1, loinc("8310-5", "Body temperature", temperature));
        quantity("weight", "Body weight", "kg", "20", "400", 2,
                loinc("29463-7", "Body weight", units("kg", "1", "g", "0.001", "[lb_av]", "0.45359237", "lb", "0.45359237")));
        Map<String, Conversion> volume = units("mL", "1", "ml", "1", "L", "1000");
        add(new Parameter("urine-output", "Urine output over a period", "mL",
                List.of(loinc("9187-6", "Urine output", volume)), BigDecimal.ZERO, new BigDecimal("5000"), 0, Map.of(), false, true,
                "9187-6 axes are UNVERIFIED (reference 9.2); the observation must carry effectivePeriod"));
        add(new Parameter("diarrhea-volume", "Diarrhoea volume over a period (shift)", "mL",
                List.of(local("diarrhea-volume", "Diarrhoea volume", volume)), BigDecimal.ZERO, new BigDecimal("10000"), 0, Map.of(),
                false, true, "local code: the reference names no LOINC"));
        coded("acvpu", "Level of consciousness (ACVPU)", "{score}", ordinals("A", "C", "V", "P", "U"), false,
                "local code: NEWS2 consciousness (reference 8.1); A=alert, C=new confusion, V=voice, P=pain, U=unresponsive");
        coded("confusion-grade", "Confusion (CTCAE v5.0 grade)", "{grade}",
                ordinals("NONE", "MILD", "MODERATE", "SEVERE", "LIFE_THREATENING"), true,
                "local code: CTCAE v5.0 confusion grade 0-4 as value, or as valueCode (reference 7)");
        coded("rhythm", "Cardiac rhythm event", "{ordinal}", ordinals("SINUS", "AF", "SVT", "BRADYCARDIA_TREATED", "OTHER"), false,
                "local code: rhythm events of LABEL-2024 Table 2 (reference 4.2)");
        add(new Parameter("vt-run", "Ventricular tachycardia run (beat count)", "{beats}",
                List.of(local("vt-run", "Ventricular tachycardia run", units("{beats}", "1"))), BigDecimal.ONE, new BigDecimal("10000"),
                0, Map.of(), true, false, "local code: a VT run with its beat count (LABEL-2024: sustained VT >= 5 beats)"));
        add(new Parameter("phenylephrine-rate", "Phenylephrine infusion rate", "ug/kg/min",
                List.of(local("phenylephrine-rate", "Phenylephrine infusion rate",
                        units("ug/kg/min", "1", "[ug]/kg/min", "1", "mcg/kg/min", "1"))),
                BigDecimal.ZERO, BigDecimal.TEN, 2, Map.of(), false, false, "local code: Dutcher 2014 phenylephrine criteria (reference 4.4)"));
        coded("airway", "Airway (intubation)", "{ordinal}", ordinals("EXTUBATED", "INTUBATED"), false,
                "local code: intubation start and end (LABEL-2024: intubation > 72 h)");
        coded("fit-fobt", "Faecal immunochemical / occult blood test", "{ordinal}", ordinals("NEGATIVE", "POSITIVE"), false,
                "local code: FIT/FOBT result (LABEL-2024 GI row)");
        quantity("creatinine", "Creatinine in serum or plasma", "mg/dL", "0.1", "30", 2,
                loinc("2160-0", "Creatinine [Mass/volume] in Serum or Plasma", units("mg/dL", "1")),
                new Code(LOINC, "14682-9", "Creatinine [Moles/volume] in Serum or Plasma",
                        si("creatinine"), "SI: divided by " + shared("creatinine").divideBy().toPlainString()
                        + " (" + shared("creatinine").source() + ")"));
        quantity("bilirubin", "Bilirubin total in serum or plasma", "mg/dL", "0", "50", 2,
                loinc("1975-2", "Bilirubin.total [Mass/volume] in Serum or Plasma", units("mg/dL", "1")),
                new Code(LOINC, "14631-6", "Bilirubin.total [Moles/volume] in Serum or Plasma",
                        si("bilirubin"), "SI: divided by " + shared("bilirubin").divideBy().toPlainString()
                        + "; code UNVERIFIED (reference 9.2)"));
        quantity("ast", "Aspartate aminotransferase", "U/L", "0", "20000", 0,
                loinc("1920-8", "Aspartate aminotransferase [Enzymatic activity/volume] in Serum or Plasma", units("U/L", "1")));
        quantity("alt", "Alanine aminotransferase", "U/L", "0", "20000", 0,
                loinc("1742-6", "Alanine aminotransferase [Enzymatic activity/volume] in Serum or Plasma", units("U/L", "1")));
        quantity("platelets", "Platelets", "10*3/uL", "0", "2000", 0,
                loinc("777-3", "Platelets [#/volume] in Blood by Automated count",
                        units("10*3/uL", "1", "10*9/L", "1", "10^9/L", "1", "10^3/uL", "1")));
        quantity("potassium", "Potassium in serum or plasma", "mmol/L", "1", "10", 1,
                loinc("2823-3", "Potassium [Moles/volume] in Serum or Plasma", units("mmol/L", "1", "mEq/L", "1")));
        Map<String, Conversion> bicarbonate = units("mmol/L", "1", "mEq/L", "1");
        add(new Parameter("bicarbonate", "Bicarbonate in serum or plasma", "mmol/L",
                List.of(loinc("1963-8", "Bicarbonate [Moles/volume] in Serum or Plasma", bicarbonate),
                        new Code(LOINC, "2028-9", "Carbon dioxide, total [Moles/volume] in Serum or Plasma", bicarbonate,
                                "total CO2 taken as bicarbonate: equivalence UNVERIFIED (reference 9.2)")),
                BigDecimal.ONE, new BigDecimal("60"), 0, Map.of(), false, false, null));
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

    // --- table builders --------------------------------------------------------------------------------------

    private static void quantity(String id, String display, String unit, String min, String max, int scale, Code... codes) {
        add(new Parameter(id, display, unit, List.of(codes), new BigDecimal(min), new BigDecimal(max), scale, Map.of(), false,
                false, null));
    }

    /** A coded parameter; its unit may also be omitted. {@code numericAllowed}: the ordinal may be sent as value. */
    private static void coded(String id, String display, String unit, Map<String, Integer> values, boolean numericAllowed,
                              String note) {
        Map<String, Conversion> u = units(unit, "1", "", "1");
        if (numericAllowed) {
            NUMERIC_CODED.add(id);
        }
        int max = values.values().stream().mapToInt(Integer::intValue).max().orElse(0);
        add(new Parameter(id, display, unit, List.of(local(id, display, u)), BigDecimal.ZERO, BigDecimal.valueOf(max), 0,
                values, true, false, note));
    }

    private static void add(Parameter p) {
        BY_ID.put(p.id(), p);
        for (Code c : p.codes()) {
            BY_SYSTEM_CODE.put(c.system() + "|" + c.code(), p);
        }
    }

    private static Code loinc(String code, String display, Map<String, Conversion> units) {
        return new Code(LOINC, code, display, units, null);
    }

    private static Code local(String code, String display, Map<String, Conversion> units) {
        return new Code(LOCAL, code, display, units, null);
    }

    /** Pairs of unit and factor; a factor written {@code /x} divides by x. */
    /** The SI conversion of a quantity from µmol/L every service shares (platform/contract: one fact in one place). */
    private static org.hdil2.contract.UnitConversions.Conversion shared(String quantity) {
        return org.hdil2.contract.UnitConversions.of(quantity, "umol/L");
    }

    /** µmol/L, in UCUM and with either micro sign senders use, divided by the shared factor. */
    private static Map<String, Conversion> si(String quantity) {
        String f = "/" + shared(quantity).divideBy().toPlainString();
        return units("umol/L", f, "µmol/L", f, "μmol/L", f);
    }

    private static Map<String, Conversion> units(String... pairs) {
        Map<String, Conversion> m = new LinkedHashMap<>();
        for (int i = 0; i < pairs.length; i += 2) {
            String f = pairs[i + 1];
            m.put(pairs[i], f.equals("1") ? Conversion.IDENTITY : f.startsWith("/") ? Conversion.dividedBy(f.substring(1))
                    : Conversion.times(f));
        }
        return Collections.unmodifiableMap(m);
    }

    private static Map<String, Integer> ordinals(String... codes) {
        Map<String, Integer> m = new LinkedHashMap<>();
        for (int i = 0; i < codes.length; i++) {
            m.put(codes[i], i);
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
