package org.hdil2.eligibility.api;

import java.util.Collection;

import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.hdil2.eligibility.config.ProtocolCatalog;
import org.hdil2.eligibility.domain.Protocol;
import org.hdil2.kit.problem.ProblemException;

@Path("/api/v1/protocols")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "Protocols", description = "Every screening rule with its id, version, source and thresholds")
@RolesAllowed({ "physician", "nurse", "pharmacist", "analyst", "admin" })
public class ProtocolResource {

    @Inject
    ProtocolCatalog catalog;

    @GET
    public Collection<Protocol> all() {
        return catalog.all();
    }

    @GET
    @Path("{id}")
    public Protocol one(@PathParam("id") String id) {
        return catalog.find(id).orElseThrow(() -> ProblemException.notFound("ELIG-0103", "protocol " + id));
    }
}
