package org.hdil2.monitoring.api;

import java.net.URI;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.hdil2.kit.audit.AccessLog;
import org.hdil2.kit.problem.Problem;
import org.hdil2.kit.problem.ProblemException;
import org.hdil2.monitoring.app.ObservationIntake;
import org.hdil2.monitoring.app.ObservationRecording;
import org.hdil2.monitoring.app.ObservationRequest;
import org.hdil2.monitoring.domain.ObservationCatalog;
import org.hdil2.monitoring.persistence.EvaluationProjection;
import org.hdil2.monitoring.persistence.ObservationEntity;

import io.quarkus.security.identity.SecurityIdentity;

@Path("/api/v1/observations")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
@Tag(name = "Observations", description = "Submit vitals, fluid balance, neuro checks, rhythm events and labs (LOINC or local codes, "
        + "UCUM units); they are normalised and evaluated against the protocol's rules")
public class ObservationResource {

    @Inject
    ObservationRecording store;

    @Inject
    AccessLog access;

    @Inject
    SecurityIdentity identity;

    /** The outcome of one item of a batch. */
    public record BatchItem(int index, String outcome, ObservationView observation) {
    }

    public record BatchResult(int received, int created, int duplicates, List<BatchItem> items) {
    }

    /**
     * Whether the patient's evaluation includes the observation: EVALUATED (under the evaluation {@code stateEpoch} /
     * {@code evaluationSequence}, which includes the patient's accepted observations up to
     * {@code evaluationIncludesThrough}), PENDING (accepted, not yet included), FAILED (the evaluation could not
     * evaluate it: {@code failure} says why, and dosing answers ASSESS while it stands).
     */
    public record EvaluationReceipt(UUID observationId, String patientId, Long intakeSequence, String status,
                                    Instant stateEpoch, Long evaluationSequence, Instant evaluatedAt,
                                    long evaluationIncludesThrough, String failure) {
    }

    @Inject
    EvaluationProjection projection;

    @POST
    @RolesAllowed({ "nurse", "physician", "device" })
    @Operation(summary = "Record one observation", description = "201 with the stored observation; 200 with the stored "
            + "observation when the same observationId was recorded before (stored and evaluated once)")
    public Response record(ObservationRequest request) {
        ObservationIntake.Normalized n = ObservationIntake.normalise(request, Submitters.of(identity), Instant.now());
        ObservationRecording.Stored stored = store.recordByCaller(List.of(n), identity.getPrincipal().getName()).get(0);
        ObservationView view = ObservationViews.of(stored.observation());
        if (!stored.created()) {
            return Response.ok(view).build();
        }
        return Response.created(URI.create("/api/v1/observations/" + view.id())).entity(view).build();
    }

    @POST
    @Path("batch")
    @RolesAllowed({ "nurse", "physician", "device" })
    @Operation(summary = "Record up to 1,000 observations, all or none", description = "Every item is validated first; if any "
            + "is invalid nothing is stored and the MON-0111 problem lists each invalid item as observations[index].field. "
            + "Otherwise all are stored in one transaction; items whose observationId was recorded before are DUPLICATE.")
    public Response batch(BatchRequest request) {
        if (request == null || request.observations() == null || request.observations().isEmpty()) {
            throw ProblemException.invalid("MON-0002", "observations", "observations must hold 1-" + ObservationIntake.MAX_BATCH + " items");
        }
        if (request.observations().size() > ObservationIntake.MAX_BATCH) {
            throw ProblemException.invalid("MON-0111", "observations", "a batch holds at most " + ObservationIntake.MAX_BATCH
                    + " observations; split it");
        }
        ObservationIntake.Submitter submitter = Submitters.of(identity);
        Instant now = Instant.now();
        List<ObservationIntake.Normalized> accepted = new ArrayList<>();
        List<Problem.FieldError> errors = new ArrayList<>();
        int invalid = 0;
        for (int i = 0; i < request.observations().size(); i++) {
            try {
                accepted.add(ObservationIntake.normalise(request.observations().get(i), submitter, now));
            } catch (ProblemException e) {
                invalid++;
                errors.addAll(ObservationIntake.itemErrors("observations[" + i + "]", e));
            }
        }
        if (!errors.isEmpty()) {
            throw new ProblemException(400, "MON-0111", "Batch rejected", invalid + " of " + request.observations().size()
                    + " observations are invalid; nothing was stored", errors);
        }
        List<ObservationRecording.Stored> stored = store.recordByCaller(accepted, identity.getPrincipal().getName());
        List<BatchItem> items = new ArrayList<>();
        int created = 0;
        for (int i = 0; i < stored.size(); i++) {
            ObservationRecording.Stored s = stored.get(i);
            created += s.created() ? 1 : 0;
            items.add(new BatchItem(i, s.created() ? "CREATED" : "DUPLICATE", ObservationViews.of(s.observation())));
        }
        BatchResult result = new BatchResult(stored.size(), created, stored.size() - created, items);
        return Response.status(created > 0 ? 201 : 200).entity(result).build();
    }

    @GET
    @RolesAllowed({ "nurse", "physician", "pharmacist", "analyst" })
    @Operation(summary = "A patient's observations, newest effective time first", description = "code: a code or system|code; "
            + "parameter: a catalog parameter id (not both); from (inclusive) and to (exclusive) bound the effective time")
    public List<ObservationView> search(@QueryParam("patientId") @NotBlank String patientId, @QueryParam("code") String code,
                                        @QueryParam("parameter") String parameter, @QueryParam("from") String from,
                                        @QueryParam("to") String to,
                                        @QueryParam("page") @DefaultValue("0") @Min(0) @Max(10000) int page,
                                        @QueryParam("size") @DefaultValue("50") @Min(1) @Max(500) int size) {
        if (code != null && parameter != null) {
            throw ProblemException.invalid("MON-0002", "code", "filter by code or by parameter, not both");
        }
        if (parameter != null && ObservationCatalog.parameter(parameter).isEmpty()) {
            throw ProblemException.invalid("MON-0101", "parameter", "unknown parameter; GET /api/v1/catalog lists them");
        }
        String system = null;
        String bareCode = code;
        if (code != null && code.contains("|")) {
            system = code.substring(0, code.indexOf('|'));
            bareCode = code.substring(code.indexOf('|') + 1);
            system = system.isEmpty() ? null : system;
        }
        Instant fromTime = instant("from", from);
        Instant toTime = instant("to", to);
        List<ObservationView> found = ObservationViews.search(new ObservationEntity.Query(patientId, parameter, system, bareCode, fromTime, toTime), page, size);
        access.searched(List.of(patientId), "Observation");
        return found;
    }

    @GET
    @Path("{id}")
    @RolesAllowed({ "nurse", "physician", "pharmacist", "analyst" })
    public ObservationView get(@PathParam("id") UUID id) {
        ObservationEntity e = ObservationEntity.findById(id);
        if (e == null) {
            throw ProblemException.notFound("MON-0005", "observation " + id);
        }
        access.read(e.patientId, "Observation", id.toString());
        return ObservationViews.of(e);
    }

    @GET
    @Path("{id}/evaluation")
    @RolesAllowed({ "nurse", "physician", "pharmacist", "analyst", "device" })
    @Operation(summary = "Whether the observation has been evaluated, and under which evaluation (its receipt)",
            description = "EVALUATED, PENDING or FAILED; includes the evaluation's state epoch and sequence. An evaluation "
                    + "that changed nothing is not republished, so the receipt follows the evaluation's checkpoints (2 s).")
    public EvaluationReceipt evaluation(@PathParam("id") UUID id) {
        ObservationEntity e = ObservationEntity.findById(id);
        if (e == null) {
            throw ProblemException.notFound("MON-0005", "observation " + id);
        }
        access.read(e.patientId, "ObservationEvaluation", id.toString());
        if (e.intakeSequence == null) {
            // stored before intake sequences: whether it is included cannot be told, so it is never reported evaluated
            return new EvaluationReceipt(id, e.patientId, null, EvaluationProjection.Receipt.PENDING, null, null, null, 0, null);
        }
        EvaluationProjection.Receipt r = projection.receipt(id.toString(), e.patientId, e.intakeSequence);
        return new EvaluationReceipt(id, e.patientId, e.intakeSequence, r.status(), r.stateEpoch(), r.sequence(), r.evaluatedAt(),
                r.evaluatedThrough(), r.failure());
    }

    static Instant instant(String field, String text) {
        if (text == null || text.isBlank()) {
            return null;
        }
        try {
            return java.time.OffsetDateTime.parse(text).toInstant();
        } catch (DateTimeParseException e) {
            throw ProblemException.invalid("MON-0003", field, field + " must be an RFC 3339 date-time, e.g. 2026-11-29T08:00:00Z");
        }
    }
}
