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
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.hdil2.dosing.persistence.CourseStore;
import org.hdil2.kit.problem.ProblemException;

import io.quarkus.security.identity.SecurityIdentity;

@Path("/api/v1/courses")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
@Tag(name = "Courses", description = "Order a course, read its dose ledger, ask whether the next dose may be given, record a dose")
public class CourseResource {

    @Inject
    CourseStore store;

    @Inject
    SecurityIdentity identity;

    @POST
    @RolesAllowed("physician")
    public Response order(@NotNull @Valid CourseRequest request) {
        CourseView course = store.order(request, identity.getPrincipal().getName());
        return Response.created(URI.create("/api/v1/courses/" + course.id())).entity(course).build();
    }

    @GET
    @Path("{id}")
    @RolesAllowed({ "physician", "nurse", "pharmacist", "analyst" })
    public CourseView get(@PathParam("id") UUID id) {
        return store.find(id).orElseThrow(() -> ProblemException.notFound("DOSE-0104", "course " + id));
    }

    @GET
    @RolesAllowed({ "physician", "nurse", "pharmacist", "analyst" })
    public List<CourseView> ofPatient(@QueryParam("patientId") @NotBlank String patientId) {
        return store.ofPatient(patientId);
    }

    @GET
    @Path("{id}/doses/next/decision")
    @RolesAllowed({ "physician", "nurse", "pharmacist" })
    public DecisionView nextDecision(@PathParam("id") UUID id) {
        return store.nextDecision(id, Instant.now());
    }

    @POST
    @Path("{id}/doses/{doseNumber}/administration")
    @RolesAllowed("nurse")
    public CourseView given(@PathParam("id") UUID id, @PathParam("doseNumber") @Min(1) int doseNumber,
                            @Valid AdministrationRequest request) {
        return store.recordGiven(id, doseNumber, request, identity.getPrincipal().getName());
    }
}
