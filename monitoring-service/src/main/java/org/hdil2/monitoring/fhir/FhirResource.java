package org.hdil2.monitoring.fhir;

import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;

import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Response;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.hdil2.kit.audit.AccessLog;
import org.hdil2.kit.problem.Problem;
import org.hdil2.kit.problem.ProblemException;
import org.hdil2.monitoring.api.ObservationView;
import org.hdil2.monitoring.api.ObservationViews;
import org.hdil2.monitoring.api.Submitters;
import org.hdil2.monitoring.app.ObservationIntake;
import org.hdil2.monitoring.app.ObservationRecording;
import org.hdil2.monitoring.persistence.ObservationEntity;
import org.hl7.fhir.instance.model.api.IBaseResource;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.Observation;
import org.hl7.fhir.r4.model.OperationOutcome;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

import io.quarkus.security.identity.SecurityIdentity;

/**
 * FHIR R4 ingestion and search of Observations ({@code application/fhir+json}). Errors are OperationOutcomes with
 * the same stable codes as the REST API. A {@code transaction} or {@code collection} Bundle is stored whole or not at
 * all; a {@code batch} Bundle stores its valid entries and answers each invalid one with its own OperationOutcome.
 */
@Path("/fhir")
@Produces({ FhirObservations.MEDIA_TYPE, "application/json" })
@Consumes({ FhirObservations.MEDIA_TYPE, "application/json" })
@Tag(name = "FHIR", description = "FHIR R4 Observation ingestion (single, Bundle) and search")
public class FhirResource {

    private static final int MAX_COUNT = 500;

    @Inject
    ObservationRecording store;

    @Inject
    AccessLog access;

    @Inject
    SecurityIdentity identity;

    @POST
    @Path("Observation")
    @RolesAllowed({ "nurse", "physician", "device" })
    @Operation(summary = "Record one FHIR Observation (a blood pressure panel becomes one observation per component)")
    public Response create(String body) {
        Observation o = observation(FhirObservations.parse(body), "Observation");
        List<ObservationIntake.Normalized> normalized = FhirObservations.normalise(o, null, Submitters.of(identity), Instant.now(),
                "Observation");
        List<ObservationRecording.Stored> stored = store.recordByCaller(normalized, identity.getPrincipal().getName());
        boolean created = stored.stream().anyMatch(ObservationRecording.Stored::created);
        ObservationView first = ObservationViews.of(stored.get(0).observation());
        Response.ResponseBuilder response = Response.status(created ? 201 : 200).type(FhirObservations.MEDIA_TYPE)
                .header("Location", "Observation/" + first.id());
        if (stored.size() == 1) {
            return response.entity(FhirObservations.encode(FhirObservations.toFhir(first))).build();
        }
        OperationOutcome outcome = new OperationOutcome();
        for (ObservationRecording.Stored s : stored) {
            outcome.addIssue().setSeverity(OperationOutcome.IssueSeverity.INFORMATION).setCode(OperationOutcome.IssueType.INFORMATIONAL)
                    .setDiagnostics((s.created() ? "stored as " : "already stored as ") + "Observation/" + s.observation().id
                            + " (" + s.observation().code + ")");
        }
        return response.entity(FhirObservations.encode(outcome)).build();
    }

    @POST
    @RolesAllowed({ "nurse", "physician", "device" })
    @Operation(summary = "Record a Bundle (batch, transaction or collection) of up to 1,000 Observations",
            description = "transaction and collection: all or nothing (transaction-response); batch: every entry on its own "
                    + "(batch-response, each invalid entry with its OperationOutcome)")
    public Response bundle(String body) {
        IBaseResource parsed = FhirObservations.parse(body);
        if (!(parsed instanceof Bundle bundle)) {
            throw ProblemException.invalid("MON-0112", "resourceType", "POST /fhir takes a Bundle; POST /fhir/Observation takes one Observation");
        }
        Bundle.BundleType type = bundle.getType();
        if (type != Bundle.BundleType.BATCH && type != Bundle.BundleType.TRANSACTION && type != Bundle.BundleType.COLLECTION) {
            throw ProblemException.invalid("MON-0112", "Bundle.type", "Bundle.type must be batch, transaction or collection");
        }
        if (bundle.getEntry().isEmpty()) {
            throw ProblemException.invalid("MON-0112", "Bundle.entry", "the Bundle has no entries");
        }
        if (bundle.getEntry().size() > ObservationIntake.MAX_BATCH) {
            throw ProblemException.invalid("MON-0111", "Bundle.entry", "a Bundle holds at most " + ObservationIntake.MAX_BATCH
                    + " entries; split it");
        }
        ObservationIntake.Submitter submitter = Submitters.of(identity);
        Instant now = Instant.now();
        int n = bundle.getEntry().size();
        List<List<ObservationIntake.Normalized>> perEntry = new ArrayList<>();
        List<ProblemException> problems = new ArrayList<>();
        List<Problem.FieldError> errors = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            Bundle.BundleEntryComponent entry = bundle.getEntry().get(i);
            String base = "Bundle.entry[" + i + "].resource";
            try {
                if (entry.hasRequest() && entry.getRequest().getMethod() != Bundle.HTTPVerb.POST) {
                    throw ProblemException.invalid("MON-0112", "Bundle.entry[" + i + "].request.method", "only POST (create) is supported");
                }
                Observation o = observation(entry.getResource(), base);
                String fallbackId = entry.hasFullUrl() && entry.getFullUrl().startsWith("urn:uuid:")
                        ? entry.getFullUrl().substring("urn:uuid:".length()) : null;
                perEntry.add(FhirObservations.normalise(o, fallbackId, submitter, now, base));
                problems.add(null);
            } catch (ProblemException e) {
                perEntry.add(null);
                problems.add(e);
                errors.addAll(ObservationIntake.itemErrors("", e).stream()
                        .map(f -> new Problem.FieldError(f.field().startsWith(".") ? f.field().substring(1) : f.field(), f.message()))
                        .toList());
            }
        }
        boolean atomic = type != Bundle.BundleType.BATCH;
        if (atomic && !errors.isEmpty()) {
            long invalid = problems.stream().filter(p -> p != null).count();
            throw new ProblemException(400, "MON-0111", "Bundle rejected", invalid + " of " + n
                    + " entries are invalid; nothing was stored", errors);
        }
        Bundle response = new Bundle();
        response.setType(atomic ? Bundle.BundleType.TRANSACTIONRESPONSE : Bundle.BundleType.BATCHRESPONSE);
        List<ObservationIntake.Normalized> valid = perEntry.stream().filter(p -> p != null).flatMap(List::stream).toList();
        List<ObservationRecording.Stored> stored = new ArrayList<>();
        if (!valid.isEmpty()) {
            try {
                stored.addAll(store.recordByCaller(valid, identity.getPrincipal().getName()));
            } catch (ProblemException conflict) {
                if (atomic) {
                    throw conflict;
                }
                // batch: an id conflict fails only its own entry, so store entry by entry
                stored = null;
            }
        }
        int next = 0;
        for (int i = 0; i < n; i++) {
            Bundle.BundleEntryResponseComponent r = response.addEntry().getResponse();
            if (perEntry.get(i) == null) {
                r.setStatus(status(problems.get(i)));
                r.setOutcome(FhirObservations.outcome(problems.get(i)));
                continue;
            }
            List<ObservationRecording.Stored> mine;
            if (stored != null) {
                mine = stored.subList(next, next + perEntry.get(i).size());
                next += perEntry.get(i).size();
            } else {
                try {
                    mine = store.recordByCaller(perEntry.get(i), identity.getPrincipal().getName());
                } catch (ProblemException e) {
                    r.setStatus(status(e));
                    r.setOutcome(FhirObservations.outcome(e));
                    continue;
                }
            }
            boolean created = mine.stream().anyMatch(ObservationRecording.Stored::created);
            r.setStatus(created ? "201 Created" : "200 OK");
            r.setLocation("Observation/" + mine.get(0).observation().id);
        }
        return Response.ok(FhirObservations.encode(response), FhirObservations.MEDIA_TYPE).build();
    }

    @GET
    @Path("Observation")
    @RolesAllowed({ "nurse", "physician", "pharmacist", "analyst" })
    @Operation(summary = "Search a patient's Observations: patient (required), code ([system|]code), date (ge/gt/le/lt/eq prefixes, "
            + "repeatable), _count", description = "A searchset Bundle, newest effective time first, values in canonical UCUM units")
    public Response search(@QueryParam("patient") String patient, @QueryParam("code") String code,
                           @QueryParam("date") List<String> dates, @QueryParam("_count") String count) {
        if (patient == null || patient.isBlank()) {
            throw ProblemException.invalid("MON-0114", "patient", "the patient parameter is required (patient=<id> or Patient/<id>)");
        }
        String patientId = patient.startsWith("Patient/") ? patient.substring("Patient/".length()) : patient;
        String system = null;
        String bareCode = code;
        if (code != null && code.contains("|")) {
            system = code.substring(0, code.indexOf('|'));
            bareCode = code.substring(code.indexOf('|') + 1);
            system = system.isEmpty() ? null : system;
        }
        Instant from = null;
        Instant to = null;
        for (String date : dates == null ? List.<String>of() : dates) {
            Instant[] bounds = bounds(date);
            if (bounds[0] != null && (from == null || bounds[0].isAfter(from))) {
                from = bounds[0];
            }
            if (bounds[1] != null && (to == null || bounds[1].isBefore(to))) {
                to = bounds[1];
            }
        }
        int size = 50;
        if (count != null) {
            try {
                size = Integer.parseInt(count);
            } catch (NumberFormatException e) {
                size = -1;
            }
            if (size < 1 || size > MAX_COUNT) {
                throw ProblemException.invalid("MON-0114", "_count", "_count must be 1-" + MAX_COUNT);
            }
        }
        List<ObservationView> found = ObservationViews.search(new ObservationEntity.Query(patientId, null, system, bareCode, from, to), 0, size);
        access.searched(List.of(patientId), "Observation");
        Bundle bundle = new Bundle();
        bundle.setType(Bundle.BundleType.SEARCHSET);
        for (ObservationView v : found) {
            bundle.addEntry().setFullUrl("Observation/" + v.id()).setResource(FhirObservations.toFhir(v))
                    .getSearch().setMode(Bundle.SearchEntryMode.MATCH);
        }
        if (found.size() < size) {
            bundle.setTotal(found.size()); // otherwise there may be more: _count bounds the answer
        }
        return Response.ok(FhirObservations.encode(bundle), FhirObservations.MEDIA_TYPE).build();
    }

    /**
     * The effective-time range a {@code date} parameter allows: [from, to), either side open. A date alone covers its
     * UTC day; a date-time to the second covers that second. Prefixes ge, gt, le, lt, eq (default eq).
     */
    static Instant[] bounds(String param) {
        String prefix = "eq";
        String value = param;
        if (param != null && param.length() > 2 && Character.isLetter(param.charAt(0)) && Character.isLetter(param.charAt(1))) {
            prefix = param.substring(0, 2);
            value = param.substring(2);
        }
        Instant lower;
        Instant upper;
        try {
            if (value.length() == 10) {
                lower = LocalDate.parse(value).atStartOfDay(ZoneOffset.UTC).toInstant();
                upper = lower.plus(1, ChronoUnit.DAYS);
            } else {
                OffsetDateTime t = OffsetDateTime.parse(value);
                lower = t.toInstant();
                upper = t.getNano() == 0 ? lower.plusSeconds(1) : lower.plusNanos(1);
            }
        } catch (DateTimeParseException | NullPointerException e) {
            throw ProblemException.invalid("MON-0114", "date", "date must be [ge|gt|le|lt|eq]YYYY-MM-DD or an RFC 3339 date-time");
        }
        return switch (prefix) {
            case "eq" -> new Instant[] { lower, upper };
            case "ge" -> new Instant[] { lower, null };
            case "gt" -> new Instant[] { upper, null };
            case "le" -> new Instant[] { null, upper };
            case "lt" -> new Instant[] { null, lower };
            default -> throw ProblemException.invalid("MON-0114", "date", "date prefix must be eq, ge, gt, le or lt");
        };
    }

    private static Observation observation(Object resource, String path) {
        if (resource instanceof Observation o) {
            return o;
        }
        throw ProblemException.invalid("MON-0112", path, "expected an Observation resource");
    }

    private static String status(ProblemException e) {
        return switch (e.status()) {
            case 409 -> "409 Conflict";
            case 404 -> "404 Not Found";
            default -> "400 Bad Request";
        };
    }

    /** Errors of this resource are OperationOutcomes, not problem+json. */
    @ServerExceptionMapper
    public Response problem(ProblemException e) {
        return Response.status(e.status()).type(FhirObservations.MEDIA_TYPE).entity(FhirObservations.encode(FhirObservations.outcome(e)))
                .build();
    }
}
