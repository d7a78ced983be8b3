package org.hdil2.monitoring.fhir;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.TimeZone;

import org.hdil2.kit.problem.Problem;
import org.hdil2.kit.problem.ProblemException;
import org.hdil2.monitoring.api.ObservationView;
import org.hdil2.monitoring.app.ObservationIntake;
import org.hdil2.monitoring.app.ObservationRequest;
import org.hdil2.monitoring.domain.ObservationCatalog;
import org.hl7.fhir.instance.model.api.IBaseResource;
import org.hl7.fhir.r4.model.BaseDateTimeType;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.DateTimeType;
import org.hl7.fhir.r4.model.IdType;
import org.hl7.fhir.r4.model.Observation;
import org.hl7.fhir.r4.model.OperationOutcome;
import org.hl7.fhir.r4.model.Period;
import org.hl7.fhir.r4.model.Quantity;
import org.hl7.fhir.r4.model.Reference;
import org.hl7.fhir.r4.model.Type;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.model.api.TemporalPrecisionEnum;
import ca.uhn.fhir.parser.DataFormatException;
import ca.uhn.fhir.parser.IParser;
import ca.uhn.fhir.parser.StrictErrorHandler;

/**
 * FHIR R4 Observations in and out. In: the vital-signs profile shapes (valueQuantity with a UCUM code,
 * effectiveDateTime or effectivePeriod, subject {@code Patient/<id>}, LOINC code.coding; the blood pressure panel
 * 85354-9 with its components, one canonical observation per component; valueCodeableConcept or valueInteger for coded
 * observations) become canonical {@link ObservationRequest}s, which then pass the same intake as REST. Out: a stored
 * observation as an Observation in its canonical UCUM unit.
 */
public final class FhirObservations {

    /** Building a FhirContext scans the model: once per application. */
    public static final FhirContext R4 = FhirContext.forR4();
    public static final String MEDIA_TYPE = "application/fhir+json";
    public static final String PROBLEM_SYSTEM = "https://hdil2.org/problems";

    private FhirObservations() {
    }

    /** Parses FHIR R4 JSON strictly; anything that is not valid FHIR is {@code MON-0112}. */
    public static IBaseResource parse(String json) {
        if (json == null || json.isBlank()) {
            throw invalid("(body)", "the body is empty; send a FHIR R4 resource in JSON");
        }
        rejectUnrepresentableNumbers(json);
        try {
            IParser parser = R4.newJsonParser().setParserErrorHandler(new StrictErrorHandler());
            return parser.parseResource(json);
        } catch (DataFormatException | ClassCastException | IllegalArgumentException e) {
            throw invalid("(body)", "the body is not a valid FHIR R4 resource in JSON: " + firstLine(e.getMessage()));
        }
    }

    private static final com.fasterxml.jackson.core.JsonFactory NUMBERS = new com.fasterxml.jackson.core.JsonFactory();

    /**
     * Reads every number of the body as text before HAPI parses it: a decimal such as 1E-999999999 passes HAPI's parser
     * into a BigDecimal whose text is a gigabyte (out of memory). Malformed JSON is left to HAPI to report.
     */
    static void rejectUnrepresentableNumbers(String json) {
        try (com.fasterxml.jackson.core.JsonParser p = NUMBERS.createParser(json)) {
            com.fasterxml.jackson.core.JsonToken t;
            while ((t = p.nextToken()) != null) {
                if (t == com.fasterxml.jackson.core.JsonToken.VALUE_NUMBER_FLOAT || t == com.fasterxml.jackson.core.JsonToken.VALUE_NUMBER_INT) {
                    String field = p.currentName();
                    if (!ObservationCatalog.representable(new java.math.BigDecimal(p.getText()))) {
                        throw ProblemException.invalid("MON-0115", "value".equals(field) ? "Observation.value[x]" : "(body)",
                                "a number cannot be represented: at most " + ObservationCatalog.MAX_PRECISION + " digits, "
                                        + ObservationCatalog.MAX_SCALE + " of them after the decimal point");
                    }
                }
            }
        } catch (java.io.IOException | NumberFormatException malformed) {
            // HAPI says what is wrong with it
        }
    }

    public static String encode(IBaseResource resource) {
        return R4.newJsonParser().encodeResourceToString(resource);
    }

    /**
     * The canonical observations one FHIR Observation holds: one, or one per component of a panel whose own code is
     * not in the catalog (the blood pressure panel 85354-9). {@code fallbackId}: the sender's id when the resource
     * has none (a Bundle entry's {@code urn:uuid:} fullUrl), or null. Field names of problems are FHIR paths.
     */
    public record Part(ObservationRequest request, String path) {
    }

    public static List<Part> toRequests(Observation o, String fallbackId) {
        String senderId = o.getIdElement().hasIdPart() ? o.getIdElement().getIdPart() : fallbackId;
        String patientId = patientOf(o);
        String status = o.hasStatus() ? o.getStatus().toCode() : null;
        if (status == null) {
            throw ProblemException.invalid("MON-0108", "Observation.status", "Observation.status is required");
        }
        ObservationRequest.Period period = null;
        java.time.Instant time = null;
        if (o.hasEffectiveDateTimeType()) {
            time = instant(o.getEffectiveDateTimeType(), "Observation.effectiveDateTime");
        } else if (o.hasEffectiveInstantType()) {
            time = o.getEffectiveInstantType().getValue().toInstant();
        } else if (o.hasEffectivePeriod()) {
            Period p = o.getEffectivePeriod();
            period = new ObservationRequest.Period(p.hasStart() ? instant(p.getStartElement(), "Observation.effectivePeriod.start") : null,
                    p.hasEnd() ? instant(p.getEndElement(), "Observation.effectivePeriod.end") : null);
        } else if (o.hasEffective()) {
            throw ProblemException.invalid("MON-0107", "Observation.effective[x]", "effective[x] must be effectiveDateTime, "
                    + "effectiveInstant or effectivePeriod");
        }
        ObservationRequest.Source source = null;
        if (o.hasDevice() && o.getDevice().hasReference()) {
            source = new ObservationRequest.Source(null, truncate(o.getDevice().getReference()));
        }
        Coding coding = catalogCoding(o.getCode());
        if (coding == null && o.hasComponent()) {
            List<Part> parts = new ArrayList<>();
            for (int i = 0; i < o.getComponent().size(); i++) {
                Observation.ObservationComponentComponent c = o.getComponent().get(i);
                String path = "Observation.component[" + i + "]";
                Coding cc = catalogCoding(c.getCode());
                if (cc == null) {
                    throw ProblemException.invalid("MON-0101", path + ".code", "component code is not in the catalog "
                            + "(GET /api/v1/catalog)" + codings(c.getCode()));
                }
                parts.add(new Part(request(senderId == null ? null : senderId + "#" + cc.getCode(), patientId, cc, c.getValue(),
                        time, period, status, source, path), path));
            }
            return parts;
        }
        if (coding == null) {
            if (o.getCode().getCoding().isEmpty()) {
                throw invalid("Observation.code", "Observation.code has no coding");
            }
            Coding first = o.getCode().getCodingFirstRep();
            if (!o.getCode().getCoding().stream().anyMatch(c -> ObservationCatalog.LOINC.equals(c.getSystem())
                    || ObservationCatalog.LOCAL.equals(c.getSystem()))) {
                throw ProblemException.invalid("MON-0101", "Observation.code.coding.system", "no coding of "
                        + ObservationCatalog.LOINC + " or " + ObservationCatalog.LOCAL + codings(o.getCode()));
            }
            throw ProblemException.invalid("MON-0101", "Observation.code", "code is not in the catalog (GET /api/v1/catalog)"
                    + (first.hasCode() ? codings(o.getCode()) : ""));
        }
        return List.of(new Part(request(senderId, patientId, coding, o.getValue(), time, period, status, source, "Observation"),
                "Observation"));
    }

    private static ObservationRequest request(String senderId, String patientId, Coding coding, Type value, java.time.Instant time,
                                              ObservationRequest.Period period, String status, ObservationRequest.Source source,
                                              String path) {
        BigDecimal number = null;
        String unit = null;
        String valueCode = null;
        if (value instanceof Quantity q) {
            if (q.hasSystem() && !ObservationCatalog.UCUM.equals(q.getSystem())) {
                throw ProblemException.invalid("MON-0102", path + ".valueQuantity.system", "valueQuantity.system must be "
                        + ObservationCatalog.UCUM);
            }
            if (!q.hasValue()) {
                throw ProblemException.invalid("MON-0105", path + ".valueQuantity.value", "valueQuantity has no value");
            }
            number = q.getValue();
            unit = q.hasCode() ? q.getCode() : q.hasUnit() ? q.getUnit() : null;
        } else if (value instanceof CodeableConcept cc) {
            valueCode = cc.getCoding().stream().filter(c -> ObservationCatalog.LOCAL.equals(c.getSystem()) && c.hasCode())
                    .map(Coding::getCode).findFirst()
                    .orElse(cc.getCoding().stream().filter(Coding::hasCode).map(Coding::getCode).findFirst().orElse(null));
            if (valueCode == null) {
                throw ProblemException.invalid("MON-0105", path + ".valueCodeableConcept", "valueCodeableConcept has no code");
            }
        } else if (value instanceof org.hl7.fhir.r4.model.IntegerType i) {
            if (!i.hasValue()) {
                throw ProblemException.invalid("MON-0105", path + ".valueInteger", "valueInteger has no value");
            }
            number = BigDecimal.valueOf(i.getValue());
        } else if (value != null) {
            throw ProblemException.invalid("MON-0105", path + ".value[x]", "value[x] must be valueQuantity, valueCodeableConcept "
                    + "or valueInteger");
        }
        String code = coding.getCode();
        return new ObservationRequest(senderId, patientId, coding.getSystem(), code, number, valueCode, unit,
                period == null ? time : null, period, status, source);
    }

    /**
     * The canonical, validated observations of one FHIR Observation, through the same intake as REST. Problems name
     * FHIR paths below {@code base} ({@code Observation}, or {@code Bundle.entry[3].resource} for a Bundle entry).
     */
    public static List<ObservationIntake.Normalized> normalise(Observation o, String fallbackId, ObservationIntake.Submitter submitter,
                                                               java.time.Instant now, String base) {
        try {
            List<ObservationIntake.Normalized> result = new ArrayList<>();
            for (Part part : toRequests(o, fallbackId)) {
                try {
                    result.add(ObservationIntake.normalise(part.request(), submitter, now));
                } catch (ProblemException e) {
                    throw readdress(e, f -> fhirPath(part.path(), f));
                }
            }
            return result;
        } catch (ProblemException e) {
            throw readdress(e, f -> f == null || !f.startsWith("Observation") ? f : base + f.substring("Observation".length()));
        }
    }

    private static ProblemException readdress(ProblemException e, java.util.function.UnaryOperator<String> field) {
        List<Problem.FieldError> errors = e.errors().stream().map(f -> new Problem.FieldError(field.apply(f.field()), f.message())).toList();
        return new ProblemException(e.status(), e.code(), e.title(), e.getMessage(), errors);
    }

    /** The first coding of the concept that the catalog knows, or null. */
    static Coding catalogCoding(CodeableConcept concept) {
        for (Coding c : concept.getCoding()) {
            if (c.hasSystem() && c.hasCode() && ObservationCatalog.find(c.getSystem(), c.getCode()).isPresent()) {
                return c;
            }
        }
        return null;
    }

    private static String patientOf(Observation o) {
        if (!o.hasSubject() || !o.getSubject().hasReference()) {
            throw invalid("Observation.subject", "Observation.subject must reference the patient (Patient/<id>)");
        }
        IdType ref = new IdType(o.getSubject().getReference());
        if (!"Patient".equals(ref.getResourceType()) || !ref.hasIdPart()) {
            throw invalid("Observation.subject", "Observation.subject must reference a Patient (Patient/<id>)");
        }
        return ref.getIdPart();
    }

    private static java.time.Instant instant(BaseDateTimeType t, String path) {
        if (t.getValue() == null) {
            throw ProblemException.invalid("MON-0107", path, "no date-time");
        }
        if (t.getPrecision().ordinal() < TemporalPrecisionEnum.MINUTE.ordinal()) {
            throw ProblemException.invalid("MON-0107", path, "the time of day is required (a date alone is too coarse)");
        }
        // FHIR requires the zone once there is a time; HAPI would read a zone-less time in this JVM's zone, so a feed
        // sending ward time without its offset would be shifted by hours: refused, never guessed
        if (!ZONED.matcher(t.getValueAsString()).find()) {
            throw ProblemException.invalid("MON-0117", path, "a date-time with a time of day needs its zone: Z or +hh:mm / -hh:mm ("
                    + t.getValueAsString() + " has none)");
        }
        return t.getValue().toInstant();
    }

    /** The end of a FHIR dateTime or instant that has its zone. */
    private static final java.util.regex.Pattern ZONED = java.util.regex.Pattern.compile("(Z|[+-]\\d{2}:\\d{2})$");

    /** A stored observation as a FHIR R4 Observation (canonical unit; id = the service's observation id). */
    public static Observation toFhir(ObservationView v) {
        Observation o = new Observation();
        o.setId(v.id().toString());
        o.setStatus(Observation.ObservationStatus.fromCode(v.status()));
        o.getCode().addCoding().setSystem(v.system()).setCode(v.code()).setDisplay(v.display());
        o.getCode().setText(v.parameter());
        o.setSubject(new Reference("Patient/" + v.patientId()));
        if (v.effectivePeriod() != null) {
            o.setEffective(new Period().setStartElement(dateTime(v.effectivePeriod().start()))
                    .setEndElement(dateTime(v.effectivePeriod().end())));
        } else {
            o.setEffective(dateTime(v.effectiveTime()));
        }
        if (v.valueCode() != null) {
            o.setValue(new CodeableConcept().addCoding(new Coding(ObservationCatalog.LOCAL, v.valueCode(), null)));
        } else {
            o.setValue(new Quantity().setValue(v.value()).setUnit(v.unit()).setSystem(ObservationCatalog.UCUM).setCode(v.unit()));
        }
        o.setIssued(Date.from(v.recordedAt()));
        if (v.senderId() != null) {
            o.addIdentifier().setSystem("urn:hdil2:sender-id").setValue(v.senderId());
        }
        return o;
    }

    private static DateTimeType dateTime(java.time.Instant t) {
        return new DateTimeType(Date.from(t), TemporalPrecisionEnum.MILLI, TimeZone.getTimeZone("UTC"));
    }

    /** An OperationOutcome for a problem: one issue per offending field, the stable code in details and diagnostics. */
    public static OperationOutcome outcome(ProblemException e) {
        OperationOutcome outcome = new OperationOutcome();
        OperationOutcome.IssueType type = switch (e.status()) {
            case 401 -> OperationOutcome.IssueType.LOGIN;
            case 403 -> OperationOutcome.IssueType.FORBIDDEN;
            case 404 -> OperationOutcome.IssueType.NOTFOUND;
            case 409 -> OperationOutcome.IssueType.CONFLICT;
            default -> OperationOutcome.IssueType.INVALID;
        };
        if (e.errors().isEmpty()) {
            issue(outcome, type, e.code(), e.getMessage(), null);
        }
        for (Problem.FieldError f : e.errors()) {
            // batch errors carry their own code in the message ("MON-0102: ...")
            String code = f.message() != null && f.message().matches("MON-\\d{4}: .*") ? f.message().substring(0, 8) : e.code();
            String message = f.message() != null && f.message().matches("MON-\\d{4}: .*") ? f.message().substring(10) : f.message();
            issue(outcome, type, code, message, f.field());
        }
        return outcome;
    }

    private static void issue(OperationOutcome outcome, OperationOutcome.IssueType type, String code, String message, String field) {
        OperationOutcome.OperationOutcomeIssueComponent issue = outcome.addIssue()
                .setSeverity(OperationOutcome.IssueSeverity.ERROR).setCode(type)
                .setDiagnostics(code + ": " + message);
        issue.getDetails().addCoding(new Coding(PROBLEM_SYSTEM, code, null)).setText(message);
        if (field != null && !field.equals("(body)")) {
            issue.addExpression(field);
        }
    }

    /**
     * Re-addresses the intake's canonical field names to the FHIR element they came from, below {@code path}
     * ({@code Observation}, {@code Observation.component[1]} or a Bundle entry's resource).
     */
    public static String fhirPath(String path, String canonicalField) {
        if (canonicalField == null) {
            return path;
        }
        if (canonicalField.equals("(body)")) {
            return path;
        }
        if (canonicalField.startsWith("Observation")) {
            return canonicalField;
        }
        String element = switch (canonicalField) {
            case "patientId" -> "subject";
            case "observationId" -> "id";
            case "system", "code" -> "code";
            case "value", "valueCode" -> "value[x]";
            case "unit" -> "valueQuantity.code";
            case "effectiveTime", "effectivePeriod" -> "effective[x]";
            case "status" -> "status";
            case "source.kind", "source.id" -> "device";
            default -> canonicalField;
        };
        return path + "." + element;
    }

    static ProblemException invalid(String field, String message) {
        return ProblemException.invalid("MON-0112", field, message);
    }

    private static String codings(CodeableConcept concept) {
        List<String> cs = concept.getCoding().stream().map(c -> c.getSystem() + "|" + c.getCode()).toList();
        return cs.isEmpty() ? "" : "; codings sent: " + cs;
    }

    private static String truncate(String s) {
        return s.length() > 128 ? s.substring(0, 128) : s;
    }

    /** The parser's first line with quoted content blanked: it may quote patient data. */
    private static String firstLine(String s) {
        String line = s == null ? "" : s.lines().findFirst().orElse("");
        return line.replaceAll("\"[^\"]*\"", "\"...\"").replaceAll("'[^']*'", "'...'");
    }
}
