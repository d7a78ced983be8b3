package org.hdil2.alert.api;

import java.util.List;
import java.util.Set;
import java.util.UUID;

import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;

import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.hdil2.alert.persistence.AlertStore;
import org.hdil2.kit.problem.ProblemException;

@Path("/api/v1/alerts")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "Alerts", description = "Alerts raised from monitoring findings, newest first")
@RolesAllowed({ "nurse", "physician", "pharmacist", "analyst", "admin" })
public class AlertResource {

    private static final Set<String> STATUSES = Set.of("ACTIVE", "RESOLVED");

    @Inject
    AlertStore store;

    @GET
    public List<AlertView> search(@QueryParam("patientId") String patientId, @QueryParam("status") String status,
                                  @QueryParam("page") @DefaultValue("0") @Min(0) int page,
                                  @QueryParam("size") @DefaultValue("50") @Min(1) @Max(500) int size) {
        if (status != null && !STATUSES.contains(status)) {
            throw ProblemException.invalid("ALRT-0101", "status", "status must be one of " + STATUSES);
        }
        return store.search(patientId, status, page, size);
    }

    @GET
    @Path("{id}")
    public AlertView get(@PathParam("id") UUID id) {
        return store.find(id).orElseThrow(() -> ProblemException.notFound("ALRT-0102", "alert " + id));
    }
}
