package org.hdil2.dosing.api;

import java.net.URI;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.hdil2.dosing.domain.Preparation;
import org.hdil2.dosing.app.CourseOrdering;
import org.hdil2.dosing.app.DecisionView;
import org.hdil2.dosing.app.DoseDecisions;
import org.hdil2.dosing.app.DoseLedger;
import org.hdil2.dosing.domain.Administration;
import org.hdil2.dosing.domain.CourseOrder;
import org.hdil2.kit.audit.AccessLog;
import org.hdil2.kit.problem.ProblemException;


@Path("/api/v1/courses")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
@Tag(name = "Courses", description = "Order and verify a course, read what to prepare, ask whether the next dose may be given, keep the dose ledger")
public class CourseResource {

    static final String IDEMPOTENCY_KEY = "Idempotency-Key";
    private static final String KEY_PATTERN = "[A-Za-z0-9._:-]{8,128}";

    @Inject
    CourseOrdering ordering;

    @Inject
    DoseLedger ledger;

    @Inject
    DoseDecisions decisions;

    @Inject
    CourseViews courses;

    @Inject
    Signatures signatures;

    @Inject
    AccessLog access;

    @POST
    @RolesAllowed("physician")
    @Operation(summary = "Order a course (refused unless the latest screening is ELIGIBLE and recent, the weight recent, and the retreatment interval kept)")
    public Response order(@NotNull @Valid CourseRequest request) {
        UUID id = ordering.order(new CourseOrder(request.patientId(), request.dosingWeightKg(), request.weightMeasuredAt(),
                request.weightSource(), request.firstDoseAt(), request.protocolId()), signatures.caller());
        CourseView course = courses.changed(id);
        return Response.created(URI.create("/api/v1/courses/" + course.id())).entity(course).build();
    }

    @POST
    @Path("{id}/verification")
    @Consumes(MediaType.WILDCARD)
    @RolesAllowed("pharmacist")
    @Operation(summary = "Verify a course (a pharmacist other than the prescriber); only a verified course can be given")
    public CourseView verify(@PathParam("id") UUID id) {
        ordering.verify(id, signatures.caller());
        return courses.changed(id);
    }

    @GET
    @Path("{id}/preparation")
    @RolesAllowed({ "pharmacist", "physician", "nurse" })
    @Operation(summary = "What to prepare for one dose: vials, reconstitution, volume to draw, D5W volume, final concentration, warnings")
    public Preparation preparation(@PathParam("id") UUID id) {
        org.hdil2.dosing.persistence.CourseEntity course = courses.course(id);
        access.read(course.patientId, "Preparation", id.toString());
        return ordering.preparation(course.state());
    }

    @POST
    @Path("{id}/completion")
    @RolesAllowed("physician")
    public CourseView complete(@PathParam("id") UUID id, @NotNull @Valid Requests.Ending ending) {
        ordering.end(id, true, ending.reason(), ending.dischargedAt(), user());
        return courses.changed(id);
    }

    @POST
    @Path("{id}/discontinuation")
    @RolesAllowed("physician")
    public CourseView discontinue(@PathParam("id") UUID id, @NotNull @Valid Requests.Ending ending) {
        ordering.end(id, false, ending.reason(), ending.dischargedAt(), user());
        return courses.changed(id);
    }

    @POST
    @Path("{id}/protocol-change")
    @RolesAllowed("physician")
    @Operation(summary = "Move an open course to another protocol of this deployment (audited; refused when dose or schedule would differ)")
    public CourseView changeProtocol(@PathParam("id") UUID id, @NotNull @Valid Requests.ProtocolChange change) {
        ordering.changeProtocol(id, change.protocolId(), change.reason(), user());
        return courses.changed(id);
    }

    @POST
    @Path("{id}/stop-review")
    @RolesAllowed("physician")
    @Operation(summary = "Answer a stop flag raised by a permanent-discontinuation criterion: confirm (discontinue) or reject")
    public CourseView reviewStop(@PathParam("id") UUID id, @NotNull @Valid Requests.StopReview review) {
        ordering.reviewStop(id, review.confirm(), review.reason(), review.dischargedAt(), user());
        return courses.changed(id);
    }

    @GET
    @Path("{id}")
    @RolesAllowed({ "physician", "nurse", "pharmacist", "analyst" })
    @Operation(summary = "The course and its ledger; zone (e.g. Europe/Amsterdam) adds each dose time in the ward's local time")
    public CourseView get(@PathParam("id") UUID id, @QueryParam("zone") String zone) {
        CourseView course = courses.find(id, zone(zone)).orElseThrow(() -> ProblemException.notFound("DOSE-0104", "course " + id));
        access.read(course.patientId(), "Course", id.toString());
        return course;
    }

    private static java.time.ZoneId zone(String zone) {
        if (zone == null || zone.isBlank()) {
            return java.time.ZoneOffset.UTC;
        }
        try {
            return java.time.ZoneId.of(zone);
        } catch (java.time.DateTimeException e) {
            throw ProblemException.invalid("DOSE-0124", "zone", "'" + zone + "' is not a time zone id such as Europe/Amsterdam");
        }
    }

    @GET
    @RolesAllowed({ "physician", "nurse", "pharmacist", "analyst" })
    public List<CourseView> ofPatient(@QueryParam("patientId") @NotBlank String patientId) {
        access.searched(List.of(patientId), "Course");
        return courses.ofPatient(patientId);
    }

    @GET
    @Path("{id}/ledger")
    @RolesAllowed({ "physician", "nurse", "pharmacist", "analyst" })
    @Operation(summary = "Every ledger entry in recording order, entries entered in error included")
    public List<CourseView.RecordView> entries(@PathParam("id") UUID id) {
        access.read(courses.course(id).patientId, "Ledger", id.toString());
        return courses.ledger(id);
    }

    @GET
    @Path("{id}/doses/next/decision")
    @RolesAllowed({ "physician", "nurse", "pharmacist" })
    @Operation(summary = "May the next dose be given now? GIVE, HOLD, STOP or ASSESS, with the findings and reasons")
    public DecisionView nextDecision(@PathParam("id") UUID id) {
        DecisionView decision = decisions.next(id, Instant.now());
        access.read(decision.patientId(), "DoseDecision", id.toString());
        return decision;
    }

    @POST
    @Path("{id}/doses/{doseNumber}/administration")
    @RolesAllowed("nurse")
    @Operation(summary = "Record a dose given (only when the decision is GIVE), signed by two nurses: the caller, and a second "
            + "nurse with her own bearer token in the Second-Signature header; start within the dose's window and not in the "
            + "future; retries with the same Idempotency-Key record once")
    public CourseView given(@PathParam("id") UUID id, @PathParam("doseNumber") @Min(1) int doseNumber,
                            @HeaderParam(IDEMPOTENCY_KEY) @Pattern(regexp = KEY_PATTERN) String key,
                            @NotNull @Valid Requests.Administration request) {
        ledger.give(id, doseNumber, new Administration(request.startedAt(), request.endedAt(), request.iuGiven()),
                request.verifiedBy() != null, signatures.caller(), signatures.second(), key);
        return courses.changed(id);
    }

    @POST
    @Path("{id}/doses/{doseNumber}/hold")
    @RolesAllowed({ "nurse", "physician" })
    public CourseView hold(@PathParam("id") UUID id, @PathParam("doseNumber") @Min(1) int doseNumber,
                           @HeaderParam(IDEMPOTENCY_KEY) @Pattern(regexp = KEY_PATTERN) String key,
                           @NotNull @Valid Requests.Reason request) {
        ledger.hold(id, doseNumber, request.reason(), signatures.caller(), key);
        return courses.changed(id);
    }

    @POST
    @Path("{id}/doses/{doseNumber}/corrections")
    @RolesAllowed({ "nurse", "physician" })
    @Operation(summary = "Mark the dose's standing entry entered in error (a new entry; nothing is edited); a GIVEN entry is "
            + "voided by a physician, or by a nurse with a second person's bearer token in the Second-Signature header")
    public CourseView correct(@PathParam("id") UUID id, @PathParam("doseNumber") @Min(1) int doseNumber,
                              @HeaderParam(IDEMPOTENCY_KEY) @Pattern(regexp = KEY_PATTERN) String key,
                              @NotNull @Valid Requests.Reason request) {
        ledger.correct(id, doseNumber, request.reason(), signatures.caller(), signatures.second(), key);
        return courses.changed(id);
    }

    @POST
    @Path("{id}/doses/{doseNumber}/override")
    @RolesAllowed("physician")
    @Operation(summary = "Override a HOLD for this one dose, for the findings active now; audited and shown on the ledger")
    public DecisionView override(@PathParam("id") UUID id, @PathParam("doseNumber") @Min(1) int doseNumber,
                                 @NotNull @Valid Requests.Reason request) {
        return ledger.override(id, doseNumber, request.reason(), user());
    }

    private String user() {
        return signatures.caller().name();
    }
}
