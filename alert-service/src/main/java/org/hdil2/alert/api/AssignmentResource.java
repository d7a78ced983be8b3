package org.hdil2.alert.api;

import java.time.Clock;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.hdil2.alert.domain.AssignmentRole;
import org.hdil2.alert.persistence.AssignmentEntity;
import org.hdil2.kit.audit.AuditTrail;
import org.hdil2.kit.audit.AccessLog;
import org.hdil2.kit.problem.ProblemException;

import io.quarkus.security.identity.SecurityIdentity;

/** Care-team assignments: who covers which patients (by patient, or by ward and bed), in which role, when. */
@Path("/api/v1/assignments")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "Assignments", description = "Who covers which patients; alerts and their escalation steps go to these people")
@RolesAllowed({ "nurse", "physician", "pharmacist", "analyst", "admin" })
public class AssignmentResource {

    private static final String ID = "^[A-Za-z0-9._-]+$";

    @Inject
    AuditTrail audit;

    @Inject
    AccessLog access;

    @Inject
    SecurityIdentity identity;

    @Inject
    Clock clock;

    public record AssignmentRequest(
            @NotBlank @Size(max = 64) @Pattern(regexp = ID) String ward,
            @Size(min = 1, max = 64) @Pattern(regexp = ID) String bed,
            @Size(min = 1, max = 64) @Pattern(regexp = ID) String patientId,
            @NotBlank @Size(max = 128) String user,
            @NotNull AssignmentRole role,
            Instant validFrom,
            Instant validTo) {
    }

    public record AssignmentView(UUID id, String ward, String bed, String patientId, String user, String role, Instant validFrom,
                                 Instant validTo, Instant createdAt, String createdBy, Instant updatedAt) {

        static AssignmentView of(AssignmentEntity a) {
            return new AssignmentView(a.id, a.ward, a.bed, a.patientId, a.userId, a.role, a.validFrom, a.validTo, a.createdAt,
                    a.createdBy, a.updatedAt);
        }
    }

    @GET
    @Operation(summary = "Assignments, filtered by ward, patient or user; at=<instant> or current=true for those in force")
    public List<AssignmentView> search(@QueryParam("ward") String ward, @QueryParam("patientId") String patientId,
                                       @QueryParam("user") String user, @QueryParam("at") String at,
                                       @QueryParam("current") boolean current) {
        Instant when = null;
        if (at != null && !at.isBlank()) {
            try {
                when = Instant.parse(at.trim());
            } catch (DateTimeParseException e) {
                throw ProblemException.invalid("ALRT-0111", "at", "at must be an RFC 3339 instant");
            }
        } else if (current) {
            when = clock.instant();
        }
        List<AssignmentView> found = AssignmentEntity.search(ward, patientId, user, when).stream().map(AssignmentView::of).toList();
        access.searched(patientId != null ? List.of(patientId)
                : found.stream().map(AssignmentView::patientId).filter(java.util.Objects::nonNull).toList(), "Assignment");
        return found;
    }

    @GET
    @Path("{id}")
    public AssignmentView get(@PathParam("id") UUID id) {
        AssignmentView assignment = AssignmentView.of(existing(id));
        if (assignment.patientId() != null) {
            access.read(assignment.patientId(), "Assignment", id.toString());
        }
        return assignment;
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @RolesAllowed({ "nurse", "physician", "admin" })
    @Transactional
    @Operation(summary = "Assign a user to a patient (with the patient's ward and bed) or to a ward or bed")
    public Response create(@Valid @NotNull AssignmentRequest body) {
        Instant now = clock.instant();
        AssignmentEntity a = new AssignmentEntity();
        a.id = UUID.randomUUID();
        a.createdAt = now;
        a.createdBy = identity.getPrincipal().getName();
        apply(a, body, now);
        a.persist();
        audit.byCaller("assignment.create", a.patientId, "Assignment", a.id.toString(), details(a));
        return Response.status(201).entity(AssignmentView.of(a)).build();
    }

    @PUT
    @Path("{id}")
    @Consumes(MediaType.APPLICATION_JSON)
    @RolesAllowed({ "nurse", "physician", "admin" })
    @Transactional
    @Operation(summary = "Replace an assignment (for example to end it: set validTo)")
    public AssignmentView update(@PathParam("id") UUID id, @Valid @NotNull AssignmentRequest body) {
        AssignmentEntity a = existing(id);
        apply(a, body, clock.instant());
        audit.byCaller("assignment.update", a.patientId, "Assignment", a.id.toString(), details(a));
        return AssignmentView.of(a);
    }

    @DELETE
    @Path("{id}")
    @RolesAllowed({ "nurse", "physician", "admin" })
    @Transactional
    @Operation(summary = "End an assignment now (it is kept, with validTo set, for the record)")
    public AssignmentView end(@PathParam("id") UUID id) {
        AssignmentEntity a = existing(id);
        Instant now = clock.instant();
        if (a.validTo == null || a.validTo.isAfter(now)) {
            a.validTo = now.isBefore(a.validFrom) ? a.validFrom : now;
            a.updatedAt = now;
        }
        audit.byCaller("assignment.end", a.patientId, "Assignment", a.id.toString(), details(a));
        return AssignmentView.of(a);
    }

    private void apply(AssignmentEntity a, AssignmentRequest body, Instant now) {
        Instant from = body.validFrom() == null ? now : body.validFrom();
        if (body.validTo() != null && !body.validTo().isAfter(from)) {
            throw ProblemException.invalid("ALRT-0110", "validTo", "validTo must be after validFrom");
        }
        a.ward = body.ward();
        a.bed = body.bed();
        a.patientId = body.patientId();
        a.userId = body.user().strip();
        a.role = body.role().name();
        a.validFrom = from;
        a.validTo = body.validTo();
        a.updatedAt = now;
    }

    private static AssignmentEntity existing(UUID id) {
        AssignmentEntity a = AssignmentEntity.findById(id);
        if (a == null) {
            throw ProblemException.notFound("ALRT-0106", "assignment " + id);
        }
        return a;
    }

    private static Map<String, Object> details(AssignmentEntity a) {
        Map<String, Object> d = new LinkedHashMap<>();
        d.put("ward", a.ward);
        d.put("bed", a.bed == null ? "" : a.bed);
        d.put("user", a.userId);
        d.put("role", a.role);
        d.put("validFrom", a.validFrom.toString());
        d.put("validTo", a.validTo == null ? "" : a.validTo.toString());
        return d;
    }
}
