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
import org.hdil2.monitoring.domain.Evaluators;
import org.hdil2.monitoring.domain.Protocol;

@Path("/api/v1/protocols")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "Protocols", description = "Protocols as data: rules with ids, versions, sources and thresholds; each patient is evaluated under their course's")
@RolesAllowed({ "nurse", "physician", "pharmacist", "analyst", "admin" })
public class ProtocolResource {

    /**
     * A protocol this service evaluates ({@code active}: every loaded one, a patient under the protocol of their open
     * course) and whether it is the default, for patients without one.
     */
    public record ProtocolView(boolean active, boolean isDefault, Protocol protocol) {
    }

    @Inject
    Evaluators evaluators;

    @GET
    public List<ProtocolView> all() {
        return evaluators.all().stream().map(e -> view(e.protocol())).toList();
    }

    @GET
    @Path("/{id}")
    public ProtocolView one(@PathParam("id") String id) {
        return evaluators.protocol(id).map(this::view).orElseThrow(() -> ProblemException.notFound("MON-0150", "protocol " + id));
    }

    private ProtocolView view(Protocol p) {
        return new ProtocolView(true, p.id().equals(evaluators.defaults().protocol().id()), p);
    }
}
