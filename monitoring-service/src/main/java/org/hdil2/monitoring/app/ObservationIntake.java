package org.hdil2.monitoring.app;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.UUID;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import org.hdil2.kit.problem.Problem;
import org.hdil2.kit.problem.ProblemException;
import org.hdil2.monitoring.domain.ObservationCatalog.Code;
import org.hdil2.monitoring.domain.ObservationCatalog.Parameter;
import org.hdil2.monitoring.domain.ObservationCatalog;

/**
 * Validates and normalises one submitted observation against the catalog, the same way for REST, FHIR and Kafka:
 * code, unit and conversion to the canonical UCUM unit, plausible range, value kind, time, status, source, and the
 * observation id. Rejections are {@link ProblemException}s with a stable code and the offending field; their messages
 * never quote a submitted value (they end up in dead-letter headers and may be logged).
 */
public final class ObservationIntake {

    /** Largest batch (REST batch, FHIR Bundle). */
    public static final int MAX_BATCH = 1000;
    /** Clock skew tolerated between the submitting device and this service. */
    public static final Duration FUTURE_TOLERANCE = ObservationCatalog.FUTURE_TOLERANCE;
    public static final Duration PAST_LIMIT = ObservationCatalog.PAST_LIMIT;
    public static final Duration MIN_PERIOD = ObservationCatalog.MIN_PERIOD;
    public static final Set<String> ACCEPTED_STATUSES = Set.of("final", "amended", "corrected", "preliminary");
    public static final Set<String> SOURCE_KINDS = Set.of("NURSE", "DEVICE", "LAB", "PHYSICIAN");

    private static final Pattern PATIENT_ID = Pattern.compile("[A-Za-z0-9._-]{1,64}");
    private static final Pattern UUID_TEXT = Pattern.compile("[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}");

    /** Who submits: the source kinds the caller may claim, the default kind and the default source id. */
    public record Submitter(Set<String> allowedKinds, String defaultKind, String defaultSourceId) {
    }

    /** An accepted observation in canonical form, ready to store. {@code effectiveStart} is set for period observations. */
    public record Normalized(UUID id, String senderId, String patientId, Parameter parameter, Code code, BigDecimal value,
                             String valueCode, String unit, BigDecimal originalValue, String originalUnit, Instant effectiveTime,
                             Instant effectiveStart, String status, String sourceKind, String sourceId) {
    }

    private ObservationIntake() {
    }

    public static Normalized normalise(ObservationRequest r, Submitter submitter, Instant now) {
        if (r == null) {
            throw invalid("MON-0002", "(body)", "an observation is required");
        }
        String patientId = r.patientId();
        if (patientId == null || !PATIENT_ID.matcher(patientId).matches()) {
            throw invalid("MON-0002", "patientId", "patientId is required: 1-64 letters, digits, '.', '_' or '-'");
        }
        if (r.observationId() != null && (r.observationId().isBlank() || r.observationId().length() > 64)) {
            throw invalid("MON-0002", "observationId", "observationId must be 1-64 characters");
        }
        String system = r.system() == null ? ObservationCatalog.LOINC : r.system();
        if (system.length() > 200) {
            throw invalid("MON-0002", "system", "system must be at most 200 characters");
        }
        if (r.code() == null || r.code().isBlank() || r.code().length() > 64) {
            throw invalid("MON-0002", "code", "code is required (at most 64 characters)");
        }
        Parameter parameter = ObservationCatalog.find(system, r.code()).orElseThrow(() -> unknownCode(system));
        Code code = parameter.codeOf(system, r.code()).orElseThrow();
        String status = status(r.status());

        if (r.value() != null && !ObservationCatalog.representable(r.value())) {
            throw invalid("MON-0115", "value", "value cannot be represented: at most " + ObservationCatalog.MAX_PRECISION
                    + " digits, " + ObservationCatalog.MAX_SCALE + " of them after the decimal point, and no exponent beyond that");
        }
        BigDecimal value;
        String valueCode = null;
        BigDecimal originalValue = r.value();
        String originalUnit = r.unit();
        if (parameter.coded()) {
            if (r.unit() != null && !r.unit().isEmpty() && !r.unit().equals(parameter.unit())) {
                throw invalid("MON-0102", "unit", "a " + parameter.id() + " observation has unit " + parameter.unit()
                        + " or none");
            }
            if (r.valueCode() != null) {
                valueCode = r.valueCode().trim().toUpperCase(Locale.ROOT);
                Integer ordinal = parameter.codedValues().get(valueCode);
                if (ordinal == null) {
                    throw invalid("MON-0106", "valueCode", "valueCode is not one of " + ObservationCatalog.answers(parameter)
                            + " for " + parameter.id());
                }
                if (r.value() != null && r.value().compareTo(BigDecimal.valueOf(ordinal)) != 0) {
                    throw invalid("MON-0105", "value", "value and valueCode disagree: " + valueCode + " is " + ordinal);
                }
                value = BigDecimal.valueOf(ordinal);
            } else if (r.value() != null && ObservationCatalog.acceptsOrdinalValue(parameter)) {
                if (!isInteger(r.value()) || r.value().signum() < 0
                        || r.value().compareTo(BigDecimal.valueOf(parameter.codedValues().size())) >= 0) {
                    throw invalid("MON-0103", "value", parameter.id() + " is a whole number from 0 to "
                            + (parameter.codedValues().size() - 1));
                }
                value = new BigDecimal(r.value().intValueExact());
                valueCode = ObservationCatalog.answers(parameter).get(value.intValue());
            } else {
                throw invalid("MON-0105", "valueCode", "valueCode is required for " + parameter.id() + ": one of "
                        + ObservationCatalog.answers(parameter)
                        + (ObservationCatalog.acceptsOrdinalValue(parameter) ? " (or the grade as value)" : ""));
            }
            originalUnit = r.unit() == null || r.unit().isEmpty() ? null : r.unit();
        } else {
            if (r.valueCode() != null) {
                throw invalid("MON-0105", "valueCode", parameter.id() + " is a quantity: send value and unit, not valueCode");
            }
            if (r.value() == null) {
                throw invalid("MON-0105", "value", "value is required for " + parameter.id());
            }
            String unit = r.unit();
            if (unit == null || unit.isEmpty()) {
                // a count ({beats}) is dimensionless in UCUM: without a unit it is the canonical one (FHIR valueInteger)
                if (!parameter.unit().startsWith("{")) {
                    throw invalid("MON-0102", "unit", "unit is required for " + parameter.id() + "; accepted: " + code.units().keySet());
                }
                unit = parameter.unit();
            }
            value = ObservationCatalog.toCanonical(parameter, code, r.value(), unit).orElseThrow(() -> unknownUnit(parameter, code));
            if (parameter.integer() && !isInteger(value)) {
                throw invalid("MON-0105", "value", parameter.id() + " is a whole number");
            }
            if (value.compareTo(parameter.min()) < 0 || value.compareTo(parameter.max()) > 0) {
                String why = value.signum() < 0 ? "must not be negative" : "is outside the plausible range";
                throw invalid("MON-0103", "value", parameter.display() + " " + why + " " + parameter.min().toPlainString() + "-"
                        + parameter.max().toPlainString() + " " + parameter.unit());
            }
        }

        Instant effectiveTime;
        Instant effectiveStart = null;
        if (r.effectivePeriod() != null) {
            ObservationRequest.Period p = r.effectivePeriod();
            if (p.start() == null || p.end() == null) {
                throw invalid("MON-0107", "effectivePeriod", "effectivePeriod needs start and end");
            }
            if (!p.start().isBefore(p.end())) {
                throw invalid("MON-0107", "effectivePeriod", "effectivePeriod.start must be before its end");
            }
            if (Duration.between(p.start(), p.end()).compareTo(ObservationCatalog.MAX_PERIOD) > 0) {
                throw invalid("MON-0107", "effectivePeriod", "effectivePeriod must not be longer than 24 hours");
            }
            if (Duration.between(p.start(), p.end()).compareTo(MIN_PERIOD) < 0) {
                throw invalid("MON-0107", "effectivePeriod", "effectivePeriod must be at least " + MIN_PERIOD.toMinutes()
                        + " minute long: a volume over a shorter period gives no meaningful rate");
            }
            if (r.effectiveTime() != null && !r.effectiveTime().equals(p.end())) {
                throw invalid("MON-0107", "effectiveTime", "effectiveTime, when sent with effectivePeriod, must be its end");
            }
            effectiveStart = p.start();
            effectiveTime = p.end();
        } else if (r.effectiveTime() != null) {
            effectiveTime = r.effectiveTime();
        } else {
            throw invalid("MON-0107", "effectiveTime", "effectiveTime or effectivePeriod is required");
        }
        if (parameter.periodRequired() && effectiveStart == null) {
            throw invalid("MON-0107", "effectivePeriod", parameter.id() + " is a volume over a period: effectivePeriod "
                    + "(start, end; at most 24 hours) is required");
        }
        if (effectiveTime.isAfter(now.plus(FUTURE_TOLERANCE))) {
            throw invalid("MON-0104", r.effectivePeriod() != null ? "effectivePeriod" : "effectiveTime",
                    "the effective time is in the future (more than " + FUTURE_TOLERANCE.toMinutes() + " minutes ahead)");
        }
        if ((effectiveStart != null ? effectiveStart : effectiveTime).isBefore(now.minus(PAST_LIMIT))) {
            throw invalid("MON-0116", r.effectivePeriod() != null ? "effectivePeriod" : "effectiveTime",
                    "the effective time is more than " + PAST_LIMIT.toDays() + " days ago: no rule looks back that far");
        }

        String kind = submitter.defaultKind();
        String sourceId = submitter.defaultSourceId();
        if (r.source() != null) {
            // without a kind (a FHIR device reference), the submitter's default kind
            if (r.source().kind() != null) {
                if (!SOURCE_KINDS.contains(r.source().kind())) {
                    throw invalid("MON-0003", "source.kind", "source.kind must be one of " + SOURCE_KINDS.stream().sorted().toList());
                }
                if (!submitter.allowedKinds().contains(r.source().kind())) {
                    throw invalid("MON-0109", "source.kind", "this caller may submit observations of source kind "
                            + submitter.allowedKinds().stream().sorted().toList() + " only");
                }
                kind = r.source().kind();
            }
            if (r.source().id() != null) {
                if (r.source().id().isBlank() || r.source().id().length() > 128) {
                    throw invalid("MON-0002", "source.id", "source.id must be 1-128 characters");
                }
                sourceId = r.source().id();
            }
        }
        UUID id = observationId(r, patientId, system);
        return new Normalized(id, r.observationId(), patientId, parameter, code, value, valueCode, parameter.unit(), originalValue,
                originalUnit, effectiveTime, effectiveStart, status, kind, sourceId);
    }

    /**
     * The sender's id when it is a UUID; a name-based UUID of patient and sender id otherwise; without a sender id, a
     * name-based UUID of what was observed (patient, code, value, unit, time), so a resent copy is recognised.
     */
    static UUID observationId(ObservationRequest r, String patientId, String system) {
        String sender = r.observationId();
        if (sender != null) {
            if (UUID_TEXT.matcher(sender).matches()) {
                return UUID.fromString(sender);
            }
            return nameUuid(patientId + "|" + sender);
        }
        String value = r.valueCode() != null ? r.valueCode().trim().toUpperCase(Locale.ROOT)
                : r.value() == null ? "" : r.value().stripTrailingZeros().toPlainString();
        String time = r.effectivePeriod() != null ? r.effectivePeriod().start() + "/" + r.effectivePeriod().end()
                : String.valueOf(r.effectiveTime());
        return nameUuid(patientId + "|" + system + "|" + r.code() + "|" + value + "|" + (r.unit() == null ? "" : r.unit()) + "|" + time);
    }

    static UUID nameUuid(String seed) {
        return UUID.nameUUIDFromBytes(seed.getBytes(StandardCharsets.UTF_8));
    }

    private static String status(String status) {
        if (status == null) {
            return "final";
        }
        if (ACCEPTED_STATUSES.contains(status)) {
            return status;
        }
        if (status.equals("entered-in-error") || status.equals("cancelled")) {
            throw invalid("MON-0108", "status", "an observation that is " + status + " is not recorded; to withdraw a value, "
                    + "submit a corrected observation");
        }
        throw invalid("MON-0108", "status", "status must be one of " + ACCEPTED_STATUSES.stream().sorted().toList());
    }

    private static ProblemException unknownCode(String system) {
        if (!system.equals(ObservationCatalog.LOINC) && !system.equals(ObservationCatalog.LOCAL)) {
            return invalid("MON-0101", "system", "code system is not accepted; use " + ObservationCatalog.LOINC + " or "
                    + ObservationCatalog.LOCAL + " (GET /api/v1/catalog)");
        }
        return invalid("MON-0101", "code", "code is not in the catalog of " + system + " (GET /api/v1/catalog lists the accepted codes)");
    }

    private static ProblemException unknownUnit(Parameter parameter, Code code) {
        List<String> elsewhere = new ArrayList<>();
        for (Code other : parameter.codes()) {
            if (other != code) {
                elsewhere.add(other.code() + " " + other.units().keySet());
            }
        }
        return invalid("MON-0102", "unit", "unit is not accepted for " + code.code() + "; accepted: " + code.units().keySet()
                + (elsewhere.isEmpty() ? "" : "; other codes of " + parameter.id() + ": "
                + elsewhere.stream().collect(Collectors.joining(", "))));
    }

    private static boolean isInteger(BigDecimal v) {
        return v.signum() == 0 || v.stripTrailingZeros().scale() <= 0;
    }

    public static ProblemException invalid(String code, String field, String message) {
        return ProblemException.invalid(code, field, message);
    }

    /** The problem's errors re-addressed to item {@code prefix} of a batch (e.g. {@code observations[3].unit}). */
    public static List<Problem.FieldError> itemErrors(String prefix, ProblemException e) {
        List<Problem.FieldError> errors = new ArrayList<>();
        if (e.errors().isEmpty()) {
            errors.add(new Problem.FieldError(prefix, e.code() + ": " + e.getMessage()));
        }
        for (Problem.FieldError f : e.errors()) {
            String field = f.field() == null || f.field().equals("(body)") ? prefix : prefix + "." + f.field();
            errors.add(new Problem.FieldError(field, e.code() + ": " + f.message()));
        }
        return errors;
    }
}
