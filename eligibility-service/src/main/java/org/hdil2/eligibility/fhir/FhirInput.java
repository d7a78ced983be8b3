package org.hdil2.eligibility.fhir;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.LocalDate;
import java.time.Period;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

import org.hdil2.contract.ObservationParameters;
import org.hdil2.eligibility.app.Findings;
import org.hdil2.eligibility.domain.FactCatalog;
import org.hdil2.eligibility.domain.Indication;
import org.hdil2.kit.problem.ProblemException;
import org.hl7.fhir.r4.model.AllergyIntolerance;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.Condition;
import org.hl7.fhir.r4.model.Enumerations;
import org.hl7.fhir.r4.model.Observation;
import org.hl7.fhir.r4.model.Patient;
import org.hl7.fhir.r4.model.Procedure;
import org.hl7.fhir.r4.model.Quantity;
import org.hl7.fhir.r4.model.Resource;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.parser.DataFormatException;

import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * Reads screening findings from FHIR R4 resources (Patient, Condition, Observation, AllergyIntolerance, Procedure).
 * Only the codes listed here are read (the canvas documents them); a fact the resources do not state stays absent and
 * its criterion NOT_EVALUABLE. Absence of a Condition never means "no": only a refuted Condition (or an explicit
 * finding Observation) states that something is absent. Two sources that disagree on the same date drop the fact.
 */
public final class FhirInput {

    /** Building a FhirContext scans the model: once per application. */
    public static final FhirContext R4 = FhirContext.forR4();

    /** This service's own code system for findings no standard code covers; the code is the finding's name. */
    public static final String FINDING_SYSTEM = "https://hdil2.org/fhir/CodeSystem/eligibility-finding";

    static final String LOINC = "http://loinc.org";
    static final String SNOMED = "http://snomed.info/sct";
    static final Set<String> ICD10 = Set.of("http://hl7.org/fhir/sid/icd-10", "http://hl7.org/fhir/sid/icd-10-cm");

    /** LOINC code to finding, accepted UCUM unit and the factor to the finding's unit. */
    record Lab(String fact, Map<String, BigDecimal> units) {
    }

    /**
     * The baseline labs monitoring also measures, by the suite's parameter ids: their codes, units and conversions
     * come from the shared catalog (platform/contract: observation-parameters.json), so both services read a lab the
     * same way. The finding's unit is the parameter's canonical unit.
     */
    static final Map<String, String> SHARED_LABS = Map.of("creatinine", "creatinineMgDl", "bilirubin", "bilirubinMgDl",
            "ast", "astUnitsPerLitre", "alt", "altUnitsPerLitre", "platelets", "plateletsPerNanolitre");

    /** The shared labs and the baseline-only ones (the catalog holds what monitoring evaluates, not these). */
    static final Map<String, Lab> LABS = labs(Map.of(
            "751-8", new Lab("neutrophilsPerNanolitre", Map.of("10*3/uL", BigDecimal.ONE, "10*9/L", BigDecimal.ONE)),
            "20150-9", new Lab("fev1Litres", Map.of("L", BigDecimal.ONE)),
            "10230-1", new Lab("ejectionFractionPercent", Map.of("%", BigDecimal.ONE)),
            "89247-1", new Lab("ecogPerformanceStatus", Map.of("{score}", BigDecimal.ONE, "", BigDecimal.ONE))));

    private static Map<String, Lab> labs(Map<String, Lab> baselineOnly) {
        Map<String, Lab> labs = new java.util.HashMap<>(baselineOnly);
        SHARED_LABS.forEach((parameter, fact) -> {
            for (ObservationParameters.Code code : ObservationParameters.require(parameter).codes()) {
                if (!LOINC.equals(code.system())) {
                    continue;
                }
                Map<String, BigDecimal> units = new java.util.LinkedHashMap<>();
                code.units().forEach((unit, conversion) -> {
                    if (conversion.offset().signum() != 0) {
                        throw new IllegalStateException(parameter + " " + unit + ": a lab conversion is a factor");
                    }
                    units.put(unit, conversion.factor());
                });
                labs.put(code.code(), new Lab(fact, Map.copyOf(units)));
            }
        });
        return Map.copyOf(labs);
    }

    static final String PREGNANCY_STATUS = "82810-3";
    static final String PREGNANT = "77386006";
    static final String NOT_PREGNANT = "60001007";
    static final String NO_KNOWN_ALLERGY = "716186003";

    /** ICD-10 code prefixes to the yes/no finding an unrefuted Condition states. */
    static final Map<String, String> CONDITIONS = Map.ofEntries(
            Map.entry("Z94", "organAllograft"),
            Map.entry("I25", "significantCoronaryArteryDisease"),
            Map.entry("N18.4", "significantRenalImpairment"), Map.entry("N18.5", "significantRenalImpairment"),
            Map.entry("N18.6", "significantRenalImpairment"),
            Map.entry("K72", "significantHepaticImpairment"), Map.entry("K74.6", "significantHepaticImpairment"),
            Map.entry("G93.4", "significantCnsImpairment"),
            Map.entry("A40", "untreatedActiveBacterialInfection"), Map.entry("A41", "untreatedActiveBacterialInfection"),
            Map.entry("J15", "untreatedActiveBacterialInfection"), Map.entry("L03", "untreatedActiveBacterialInfection"),
            Map.entry("N39.0", "untreatedActiveBacterialInfection"),
            Map.entry("C79.31", "untreatedBrainMetastases"),
            Map.entry("M05", "autoimmuneDisease"), Map.entry("M06", "autoimmuneDisease"), Map.entry("K50", "autoimmuneDisease"),
            Map.entry("K51", "autoimmuneDisease"), Map.entry("M32", "autoimmuneDisease"), Map.entry("M34", "autoimmuneDisease"),
            Map.entry("G70.0", "autoimmuneDisease"), Map.entry("L40", "autoimmuneDisease"), Map.entry("E05.0", "autoimmuneDisease"));

    /** Findings that describe a current state: a Condition no longer active states them absent. */
    static final Set<String> CURRENT = Set.of("untreatedActiveBacterialInfection", "untreatedBrainMetastases");

    /** SNOMED CT organ transplant procedures (kidney, liver, heart, lung). */
    static final Set<String> TRANSPLANTS = Set.of("70536003", "18027006", "32413006", "88039007");

    static final List<String> ALDESLEUKIN_WORDS = List.of("aldesleukin", "proleukin", "interleukin-2", "interleukin 2");

    /** What the resources say: the patient, the indication, the findings, and notes on what was set aside. */
    public record Mapped(String patientId, Indication indication, Findings findings, List<String> notes) {
    }

    private record Stated(Object value, LocalDate date, String source) {
    }

    private final ZoneId zone;
    private final LocalDate asOf;
    private final Map<String, Stated> facts = new LinkedHashMap<>();
    private final Set<String> conflicting = new java.util.HashSet<>();
    private final List<String> notes = new ArrayList<>();
    private String patientId;
    private boolean primaryRcc;
    private boolean primaryMelanoma;
    private boolean secondary;

    private FhirInput(ZoneId zone, LocalDate asOf) {
        this.zone = zone;
        this.asOf = asOf;
    }

    /** Parses a FHIR R4 JSON Bundle; malformed FHIR is a coded problem. */
    public static Bundle parseBundle(String json) {
        try {
            return R4.newJsonParser().parseResource(Bundle.class, json);
        } catch (DataFormatException | ClassCastException e) {
            throw new ProblemException(400, "ELIG-0106", "Invalid FHIR", "the body is not a FHIR R4 Bundle in JSON: "
                    + firstLine(e.getMessage()));
        }
    }

    private static String firstLine(String s) {
        return s == null ? "" : s.lines().findFirst().orElse("");
    }

    public static Mapped map(List<? extends Resource> resources, ZoneId zone, LocalDate asOf, ObjectMapper json) {
        return map(resources, zone, asOf, json, null);
    }

    /** {@code patientId}: the patient the resources must be about (CDS Hooks context), or null to take the Patient's id. */
    public static Mapped map(List<? extends Resource> resources, ZoneId zone, LocalDate asOf, ObjectMapper json, String patientId) {
        FhirInput in = new FhirInput(zone, asOf);
        in.patientId = patientId;
        for (Resource r : resources) {
            if (r instanceof Patient p) {
                in.patient(p);
            } else if (r instanceof Condition c) {
                in.condition(c);
            } else if (r instanceof Observation o) {
                in.observation(o);
            } else if (r instanceof AllergyIntolerance a) {
                in.allergy(a);
            } else if (r instanceof Procedure p) {
                in.procedure(p);
            }
        }
        return in.result(json);
    }

    public static List<Resource> entries(Bundle bundle) {
        return bundle.getEntry().stream().map(Bundle.BundleEntryComponent::getResource).filter(r -> r != null).toList();
    }

    private Mapped result(ObjectMapper json) {
        if (patientId == null) {
            throw ProblemException.invalid("ELIG-0106", "Patient", "the resources hold no Patient with an id");
        }
        Map<String, Object> findings = new LinkedHashMap<>();
        facts.forEach((name, s) -> {
            if (conflicting.contains(name)) {
                return;
            }
            Map<String, Object> f = new LinkedHashMap<>();
            f.put("value", s.value());
            if (!name.equals("lastCourseDischargeDate")) {
                f.put("date", s.date());
            }
            f.put("source", s.source());
            findings.put(name, f);
        });
        Indication indication = null;
        if (primaryRcc && primaryMelanoma) {
            notes.add("both renal cell carcinoma and melanoma are recorded: indication left to the physician");
        } else if ((primaryRcc || primaryMelanoma) && secondary) {
            indication = primaryRcc ? Indication.METASTATIC_RENAL_CELL_CARCINOMA : Indication.METASTATIC_MELANOMA;
        } else if (primaryRcc || primaryMelanoma) {
            notes.add("a primary tumour is recorded without a metastasis (ICD-10 C77-C79): indication not stated");
        }
        return new Mapped(patientId, indication, json.convertValue(findings, Findings.class), List.copyOf(notes));
    }

    private void state(String fact, Object value, LocalDate date, String source) {
        if (date == null) {
            notes.add(source + ": no date, not used");
            return;
        }
        if (date.isAfter(asOf)) {
            notes.add(source + ": dated after the screening, not used");
            return;
        }
        Stated before = facts.get(fact);
        if (before == null || date.isAfter(before.date())) {
            facts.put(fact, new Stated(value, date, source));
            conflicting.remove(fact);
        } else if (date.equals(before.date()) && !equal(value, before.value())) {
            conflicting.add(fact);
            notes.add(fact + ": " + before.source() + " and " + source + " disagree on the same date, not used");
        }
    }

    private static boolean equal(Object a, Object b) {
        if (a instanceof BigDecimal x && b instanceof BigDecimal y) {
            return x.compareTo(y) == 0;
        }
        return a.equals(b);
    }

    /**
     * The calendar date a FHIR date or dateTime states: a date as written; a date-time in the screening zone. A time of
     * day without its zone is refused: HAPI would read it in this JVM's zone, and the date could move by a day.
     */
    private LocalDate date(org.hl7.fhir.r4.model.BaseDateTimeType t, String path) {
        if (t == null || t.getValue() == null) {
            return null;
        }
        if (t.getPrecision().ordinal() <= ca.uhn.fhir.model.api.TemporalPrecisionEnum.DAY.ordinal()) {
            return LocalDate.of(t.getYear(), t.getPrecision() == ca.uhn.fhir.model.api.TemporalPrecisionEnum.YEAR ? 1 : t.getMonth() + 1,
                    t.getPrecision() == ca.uhn.fhir.model.api.TemporalPrecisionEnum.DAY ? t.getDay() : 1);
        }
        if (!ZONED.matcher(t.getValueAsString()).find()) {
            throw ProblemException.invalid("ELIG-0111", path, "a date-time with a time of day needs its zone: Z or +hh:mm / -hh:mm ("
                    + t.getValueAsString() + " has none)");
        }
        return LocalDate.ofInstant(t.getValue().toInstant(), zone);
    }

    private static final java.util.regex.Pattern ZONED = java.util.regex.Pattern.compile("(Z|[+-]\\d{2}:\\d{2})$");

    private static String ref(Resource r) {
        String id = r.getIdElement().getIdPart();
        return r.fhirType() + "/" + (id == null ? "(no id)" : id);
    }

    private void patient(Patient p) {
        String id = p.getIdElement().getIdPart();
        if (patientId != null && id != null && !patientId.equals(id)) {
            throw ProblemException.invalid("ELIG-0106", "Patient.id", "the Patient resource is not the patient in context");
        }
        if (patientId == null) {
            patientId = id;
        }
        if (p.hasBirthDate()) {
            LocalDate born = date(p.getBirthDateElement(), "Patient.birthDate");
            state("ageYears", BigDecimal.valueOf(Period.between(born, asOf).getYears()), asOf, ref(p) + " birthDate");
        }
        if (p.getGender() == Enumerations.AdministrativeGender.MALE) {
            state("femaleOfReproductivePotential", false, asOf, ref(p) + " gender");
        }
    }

    private void condition(Condition c) {
        String verification = code(c.getVerificationStatus());
        if ("entered-in-error".equals(verification)) {
            return;
        }
        boolean refuted = "refuted".equals(verification);
        String clinical = code(c.getClinicalStatus());
        boolean active = clinical == null || Set.of("active", "recurrence", "relapse").contains(clinical);
        LocalDate date = c.hasRecordedDate() ? date(c.getRecordedDateElement(), "Condition.recordedDate")
                : c.hasOnsetDateTimeType() ? date(c.getOnsetDateTimeType(), "Condition.onsetDateTime") : null;
        for (Coding coding : c.getCode().getCoding()) {
            if (!ICD10.contains(coding.getSystem()) || coding.getCode() == null) {
                continue;
            }
            String icd = coding.getCode().toUpperCase(Locale.ROOT);
            if (!refuted) {
                if (icd.startsWith("C64")) {
                    primaryRcc = true;
                } else if (icd.startsWith("C43")) {
                    primaryMelanoma = true;
                } else if (icd.startsWith("C77") || icd.startsWith("C78") || icd.startsWith("C79")) {
                    secondary = true;
                }
            }
            for (Map.Entry<String, String> e : CONDITIONS.entrySet()) {
                if (icd.startsWith(e.getKey())) {
                    boolean present = !refuted && (active || !CURRENT.contains(e.getValue()));
                    state(e.getValue(), present, date, ref(c) + " (ICD-10 " + coding.getCode() + ")");
                }
            }
        }
    }

    private void observation(Observation o) {
        if (!Set.of("final", "amended", "corrected").contains(o.getStatus() == null ? "" : o.getStatus().toCode())) {
            return;
        }
        LocalDate date = o.hasEffectiveDateTimeType() ? date(o.getEffectiveDateTimeType(), "Observation.effectiveDateTime")
                : o.hasEffectivePeriod() ? date(o.getEffectivePeriod().getStartElement(), "Observation.effectivePeriod.start")
                : o.hasIssued() ? date(o.getIssuedElement(), "Observation.issued") : null;
        for (Coding coding : o.getCode().getCoding()) {
            String source = ref(o) + " (" + (LOINC.equals(coding.getSystem()) ? "LOINC " : "") + coding.getCode() + ")";
            if (LOINC.equals(coding.getSystem()) && LABS.containsKey(coding.getCode())) {
                Lab lab = LABS.get(coding.getCode());
                BigDecimal value = number(o);
                if (value == null) {
                    notes.add(source + ": no numeric value, not used");
                    continue;
                }
                String unit = o.hasValueQuantity() ? unit(o.getValueQuantity()) : "";
                BigDecimal factor = lab.units().get(unit);
                if (factor == null) {
                    notes.add(source + ": unit '" + unit + "' not accepted, not used");
                    continue;
                }
                state(lab.fact(), value.multiply(factor).setScale(Math.max(2, value.scale()), RoundingMode.HALF_UP).stripTrailingZeros(), date, source);
            } else if (LOINC.equals(coding.getSystem()) && PREGNANCY_STATUS.equals(coding.getCode()) && o.hasValueCodeableConcept()) {
                for (Coding answer : o.getValueCodeableConcept().getCoding()) {
                    if (SNOMED.equals(answer.getSystem()) && (PREGNANT.equals(answer.getCode()) || NOT_PREGNANT.equals(answer.getCode()))) {
                        // a pregnancy status recorded for the patient means it applies to her
                        state("femaleOfReproductivePotential", true, date, source);
                        state("pregnant", PREGNANT.equals(answer.getCode()), date, source);
                    }
                }
            } else if (FINDING_SYSTEM.equals(coding.getSystem())) {
                finding(o, coding.getCode(), date, source);
            }
        }
    }

    private void finding(Observation o, String name, LocalDate date, String source) {
        if (name == null || !FactCatalog.known(name) || name.equals("indication") || name.equals("priorCourseToxicities")) {
            notes.add(source + ": not a finding this service reads from FHIR");
            return;
        }
        if (name.equals("lastCourseDischargeDate")) {
            if (o.hasValueDateTimeType()) {
                LocalDate d = date(o.getValueDateTimeType(), "Observation.valueDateTime");
                state(name, d, d, source);
            }
            return;
        }
        if (o.hasValueBooleanType()) {
            state(name, o.getValueBooleanType().booleanValue(), date, source);
            return;
        }
        BigDecimal value = number(o);
        if (value == null) {
            notes.add(source + ": no value, not used");
            return;
        }
        state(name, value, date, source);
    }

    private static BigDecimal number(Observation o) {
        if (o.hasValueQuantity() && o.getValueQuantity().hasValue()) {
            return o.getValueQuantity().getValue();
        }
        if (o.hasValueIntegerType()) {
            return BigDecimal.valueOf(o.getValueIntegerType().getValue());
        }
        return null;
    }

    private static String unit(Quantity q) {
        return q.hasCode() ? q.getCode() : q.hasUnit() ? q.getUnit() : "";
    }

    private void allergy(AllergyIntolerance a) {
        String verification = code(a.getVerificationStatus());
        if ("entered-in-error".equals(verification)) {
            return;
        }
        LocalDate date = a.hasRecordedDate() ? date(a.getRecordedDateElement(), "AllergyIntolerance.recordedDate")
                : a.hasOnsetDateTimeType() ? date(a.getOnsetDateTimeType(), "AllergyIntolerance.onsetDateTime") : null;
        String source = ref(a);
        if (a.getCode().getCoding().stream().anyMatch(c -> SNOMED.equals(c.getSystem()) && NO_KNOWN_ALLERGY.equals(c.getCode()))) {
            state("severeHypersensitivityHistory", false, date, source + " (no known allergy)");
            return;
        }
        if (!isAldesleukin(a.getCode())) {
            return;
        }
        boolean severe = a.getCriticality() == AllergyIntolerance.AllergyIntoleranceCriticality.HIGH
                || a.getReaction().stream().anyMatch(r -> r.getSeverity() == AllergyIntolerance.AllergyIntoleranceSeverity.SEVERE);
        state("severeHypersensitivityHistory", !"refuted".equals(verification) && severe, date, source);
    }

    /** Whether a medication or substance is aldesleukin by its text or displays. */
    public static boolean isAldesleukin(CodeableConcept concept) {
        List<String> texts = new ArrayList<>();
        texts.add(concept.getText());
        concept.getCoding().forEach(c -> texts.add(c.getDisplay()));
        return texts.stream().filter(t -> t != null).map(t -> t.toLowerCase(Locale.ROOT))
                .anyMatch(t -> ALDESLEUKIN_WORDS.stream().anyMatch(t::contains));
    }

    private void procedure(Procedure p) {
        if (p.getStatus() != Procedure.ProcedureStatus.COMPLETED) {
            return;
        }
        LocalDate date = p.hasPerformedDateTimeType() ? date(p.getPerformedDateTimeType(), "Procedure.performedDateTime")
                : p.hasPerformedPeriod() ? date(p.getPerformedPeriod().getStartElement(), "Procedure.performedPeriod.start") : null;
        for (Coding c : p.getCode().getCoding()) {
            if (SNOMED.equals(c.getSystem()) && TRANSPLANTS.contains(c.getCode())) {
                state("organAllograft", true, date, ref(p) + " (SNOMED " + c.getCode() + ")");
            }
        }
    }

    private static String code(CodeableConcept concept) {
        return concept == null ? null : concept.getCoding().stream().map(Coding::getCode).filter(x -> x != null).findFirst().orElse(null);
    }
}
