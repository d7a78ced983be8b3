package org.hdil2.dosing.api;

import java.util.List;

import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.hdil2.dosing.config.DosingProtocols;
import org.hdil2.dosing.domain.DosingProtocol;
import org.hdil2.kit.problem.ProblemException;

@Path("/api/v1")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "Rules", description = "The dose, schedule and pre-dose rules of each protocol, with ids, versions and sources")
@RolesAllowed({ "physician", "nurse", "pharmacist", "analyst", "admin" })
public class RuleResource {

    /** One protocol a course may be ordered under. */
    public record ProtocolSummary(String id, String version, String title, boolean isDefault) {
    }

    @Inject
    DosingProtocols protocols;

    @GET
    @Path("rules")
    @Operation(summary = "The rules of one protocol (default: the deployment's)")
    public DosingProtocol rules(@QueryParam("protocol") String protocol) {
        return protocol == null || protocol.isBlank() ? protocols.defaultProtocol() : protocol(protocol);
    }

    @GET
    @Path("protocols")
    @Operation(summary = "The protocols courses may be ordered under")
    public List<ProtocolSummary> protocols() {
        String defaultId = protocols.defaultProtocol().id();
        return protocols.all().stream().map(p -> new ProtocolSummary(p.id(), p.version(), p.title(), p.id().equals(defaultId))).toList();
    }

    @GET
    @Path("protocols/{id}")
    @Operation(summary = "One protocol's rules")
    public DosingProtocol protocol(@PathParam("id") String id) {
        return protocols.find(id).orElseThrow(() -> ProblemException.notFound("DOSE-0132", "dosing protocol " + id));
    }
}
