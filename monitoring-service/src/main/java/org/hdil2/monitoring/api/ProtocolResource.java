package org.hdil2.monitoring.api;

import java.util.List;

import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.hdil2.kit.problem.ProblemException;
import org.hdil2.monitoring.config.ProtocolCatalog;
import org.hdil2.monitoring.domain.Protocol;

@Path("/api/v1/protocols")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "Protocols", description = "Protocols as data: rules with ids, versions, sources and thresholds; which one is evaluated")
@RolesAllowed({ "nurse", "physician", "pharmacist", "analyst", "admin" })
public class ProtocolResource {

    /** A protocol and whether this service evaluates it. */
    public record ProtocolView(boolean active, Protocol protocol) {
    }

    @Inject
    Protocol active;

    @GET
    public List<ProtocolView> all() {
        List<ProtocolView> views = new java.util.ArrayList<>();
        views.add(new ProtocolView(true, active));
        ProtocolCatalog.SHIPPED.stream().filter(id -> !id.equals(active.id()))
                .forEach(id -> views.add(new ProtocolView(false, ProtocolCatalog.read(id))));
        return views;
    }

    @GET
    @Path("/{id}")
    public ProtocolView one(@PathParam("id") String id) {
        if (id.equals(active.id())) {
            return new ProtocolView(true, active);
        }
        if (!ProtocolCatalog.SHIPPED.contains(id)) {
            throw ProblemException.notFound("MON-0150", "protocol " + id);
        }
        return new ProtocolView(false, ProtocolCatalog.read(id));
    }
}
