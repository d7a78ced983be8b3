package org.hdil2.eligibility.api;

import java.net.URI;
import java.util.List;
import java.util.UUID;

import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
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

import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.hdil2.eligibility.config.ProtocolCatalog;
import org.hdil2.eligibility.domain.Protocol;
import org.hdil2.eligibility.persistence.ScreeningStore;
import org.hdil2.kit.problem.ProblemException;

import io.quarkus.security.identity.SecurityIdentity;

@Path("/api/v1/screenings")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
@Tag(name = "Screenings", description = "Screen a candidate for high-dose aldesleukin; read past screenings")
public class ScreeningResource {

    @Inject
    ScreeningStore store;

    @Inject
    ProtocolCatalog protocols;

    @Inject
    SecurityIdentity identity;

    @POST
    @RolesAllowed("physician")
    public Response create(@NotNull @Valid ScreeningRequest request) {
        Protocol protocol = request.protocolId() == null ? protocols.defaultProtocol()
                : protocols.find(request.protocolId()).orElseThrow(() -> ProblemException.invalid("ELIG-0101", "protocolId",
                        "unknown protocol '" + request.protocolId() + "'; GET /api/v1/protocols lists them"));
        ScreeningView view = store.screen(request.patientId(), protocol, request.toFacts(), identity.getPrincipal().getName());
        return Response.created(URI.create("/api/v1/screenings/" + view.id())).entity(view).build();
    }

    @GET
    @Path("{id}")
    @RolesAllowed({ "physician", "nurse", "pharmacist", "analyst" })
    public ScreeningView get(@PathParam("id") UUID id) {
        return store.find(id).orElseThrow(() -> ProblemException.notFound("ELIG-0102", "screening " + id));
    }

    @GET
    @RolesAllowed({ "physician", "nurse", "pharmacist", "analyst" })
    public List<ScreeningView> ofPatient(@QueryParam("patientId") @NotBlank String patientId,
                                         @QueryParam("page") @DefaultValue("0") @Min(0) int page,
                                         @QueryParam("size") @DefaultValue("20") @Min(1) @Max(100) int size) {
        return store.ofPatient(patientId, page, size);
    }
}
