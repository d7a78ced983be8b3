package org.hdil2.monitoring.api;

import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.hdil2.kit.audit.AccessLog;
import org.hdil2.kit.problem.ProblemException;
import org.hdil2.monitoring.persistence.EvaluationProjection;

@Path("/api/v1/patients/{patientId}/evaluation")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "Evaluation", description = "The patient's current evaluation: every rule's state, NEWS2, active findings")
public class EvaluationResource {

    private static final com.fasterxml.jackson.databind.ObjectMapper JSON = new com.fasterxml.jackson.databind.ObjectMapper();

    @Inject
    EvaluationProjection projection;

    @Inject
    AccessLog access;

    @GET
    @RolesAllowed({ "nurse", "physician", "pharmacist", "analyst" })
    @Operation(summary = "The newest evaluation-updated event for the patient (highest sequence), as published, with "
            + "newestObservationIncluded (the newest accepted observation it includes: id and intake sequence)",
            description = "404 (MON-0113) when the evaluation has published nothing for the patient yet")
    public Response current(@PathParam("patientId") String patientId) {
        String evaluation = projection.current(patientId).orElseThrow(() -> new ProblemException(404, "MON-0113",
                "No evaluation", "no evaluation has been published for this patient yet"));
        access.read(patientId, "Evaluation", null);
        try {
            // as published, with the newest accepted observation it includes (checkpoints advance it between two publications)
            com.fasterxml.jackson.databind.node.ObjectNode view = (com.fasterxml.jackson.databind.node.ObjectNode) JSON.readTree(evaluation);
            projection.newestIncluded(patientId).ifPresent(newest -> view.set("newestObservationIncluded", JSON.valueToTree(newest)));
            return Response.ok(view.toString(), MediaType.APPLICATION_JSON).build();
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException("stored evaluation is unreadable", e);
        }
    }
}
