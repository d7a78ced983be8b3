package org.hdil2.eligibility.api;

import java.net.URI;
import java.time.LocalDate;
import java.util.List;
import java.util.UUID;

import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;
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
import org.hdil2.eligibility.app.Screening;
import org.hdil2.eligibility.config.EligibilityConfig;
import org.hdil2.eligibility.config.ProtocolCatalog;
import org.hdil2.eligibility.domain.Protocol;
import org.hdil2.eligibility.fhir.FhirInput;
import org.hdil2.kit.audit.AccessLog;
import org.hdil2.kit.problem.ProblemException;

import com.fasterxml.jackson.databind.ObjectMapper;

import io.quarkus.security.identity.SecurityIdentity;

@Path("/api/v1/screenings")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
@Tag(name = "Screenings", description = "Screen a candidate for high-dose aldesleukin; read past screenings")
public class ScreeningResource {

    @Inject
    Screening store;

    @Inject
    ScreeningViews views;

    @Inject
    AccessLog access;

    @Inject
    ProtocolCatalog protocols;

    @Inject
    SecurityIdentity identity;

    @Inject
    EligibilityConfig config;

    @Inject
    ObjectMapper json;

    @POST
    @RolesAllowed("physician")
    public Response create(@NotNull @Valid ScreeningRequest request) {
        Protocol protocol = protocol(request.protocolId());
        ScreeningView view = views.of(store.screen(request.patientId(), protocol,
                new Screening.Input(request.indication(), request.findings()), identity.getPrincipal().getName(), null,
                "screening.create"));
        return Response.created(URI.create("/api/v1/screenings/" + view.id())).entity(view).build();
    }

    /**
     * A screening from FHIR R4 resources: a Bundle of Patient, Condition, Observation, AllergyIntolerance and
     * Procedure. What the bundle does not state is NOT_EVALUABLE; what was set aside is listed in {@code inputNotes}.
     */
    @POST
    @Consumes("application/fhir+json")
    @RolesAllowed("physician")
    public Response createFromFhir(@QueryParam("protocolId") @Size(max = 64) String protocolId, String bundle) {
        Protocol protocol = protocol(protocolId);
        FhirInput.Mapped mapped = FhirInput.map(FhirInput.entries(FhirInput.parseBundle(bundle)), config.zone(),
                LocalDate.now(config.zone()), json);
        if (!mapped.patientId().matches("[A-Za-z0-9._-]{1,64}")) {
            throw ProblemException.invalid("ELIG-0106", "Patient.id", "letters, digits, '.', '_' and '-' only, at most 64");
        }
        ScreeningView view = views.of(store.screen(mapped.patientId(), protocol,
                new Screening.Input(mapped.indication(), mapped.findings(), mapped.notes()),
                identity.getPrincipal().getName(), null, "screening.create"));
        return Response.created(URI.create("/api/v1/screenings/" + view.id())).entity(view).build();
    }

    private Protocol protocol(String protocolId) {
        return protocolId == null ? protocols.defaultProtocol()
                : protocols.find(protocolId).orElseThrow(() -> ProblemException.invalid("ELIG-0101", "protocolId",
                        "unknown protocol '" + protocolId + "'; GET /api/v1/protocols lists them"));
    }

    /** A new screening from a previous one with only the changed findings; it links to the previous one. */
    @POST
    @Path("{id}/rescreen")
    @RolesAllowed("physician")
    public Response rescreen(@PathParam("id") UUID id, @NotNull @Valid RescreenRequest request) {
        ScreeningView view = views.of(store.rescreen(id, request.protocolId(), request.indication(), request.findings(),
                identity.getPrincipal().getName()));
        return Response.created(URI.create("/api/v1/screenings/" + view.id())).entity(view).build();
    }

    @GET
    @Path("{id}")
    @RolesAllowed({ "physician", "nurse", "pharmacist", "analyst" })
    public ScreeningView get(@PathParam("id") UUID id) {
        ScreeningView view = views.find(id).orElseThrow(() -> ProblemException.notFound("ELIG-0102", "screening " + id));
        access.read(view.patientId(), "Screening", id.toString());
        return view;
    }

    @GET
    @RolesAllowed({ "physician", "nurse", "pharmacist", "analyst" })
    public List<ScreeningView> ofPatient(@QueryParam("patientId") @NotBlank String patientId,
                                         @QueryParam("page") @DefaultValue("0") @Min(0) @Max(10000) int page,
                                         @QueryParam("size") @DefaultValue("20") @Min(1) @Max(100) int size) {
        access.searched(List.of(patientId), "Screening");
        return views.ofPatient(patientId, page, size);
    }
}
