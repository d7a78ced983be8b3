package org.hdil2.monitoring.api;

import java.math.BigDecimal;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

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
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.hdil2.kit.problem.ProblemException;
import org.hdil2.monitoring.domain.ObservationCatalog;
import org.hdil2.monitoring.persistence.ObservationStore;

import io.quarkus.security.identity.SecurityIdentity;

@Path("/api/v1/observations")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
@Tag(name = "Observations", description = "Submit vitals (LOINC, UCUM); they are evaluated against the protocol's hold rules")
public class ObservationResource {

    /** Clock skew tolerated between the submitting device and this service. */
    private static final Duration FUTURE_TOLERANCE = Duration.ofMinutes(5);

    @Inject
    ObservationStore store;

    @Inject
    SecurityIdentity identity;

    @POST
    @RolesAllowed({ "nurse", "physician", "device" })
    public Response record(@NotNull @Valid ObservationRequest request) {
        String system = request.system() == null ? ObservationCatalog.LOINC : request.system();
        if (!ObservationCatalog.LOINC.equals(system)) {
            throw ProblemException.invalid("MON-0101", "system", "only LOINC codes (" + ObservationCatalog.LOINC + ") are accepted");
        }
        ObservationCatalog.Entry entry = ObservationCatalog.find(request.code()).orElseThrow(() -> ProblemException.invalid(
                "MON-0101", "code", "code " + request.code() + " is not accepted; accepted: " + ObservationCatalog.all().keySet()));
        BigDecimal value = ObservationCatalog.toCanonical(entry, request.value(), request.unit()).orElseThrow(() ->
                ProblemException.invalid("MON-0102", "unit", "unit '" + request.unit() + "' is not accepted for " + entry.code()
                        + "; accepted: " + entry.factors().keySet()));
        if (value.compareTo(entry.min()) < 0 || value.compareTo(entry.max()) > 0) {
            throw ProblemException.invalid("MON-0103", "value", value.toPlainString() + " " + entry.unit()
                    + " is outside the plausible range " + entry.min() + "-" + entry.max() + " for " + entry.display());
        }
        if (request.effectiveTime().isAfter(Instant.now().plus(FUTURE_TOLERANCE))) {
            throw ProblemException.invalid("MON-0104", "effectiveTime", "effectiveTime is in the future");
        }
        ObservationView view = store.record(new ObservationStore.Accepted(request.patientId(), entry, value, request.value(),
                request.unit(), request.effectiveTime(), identity.getPrincipal().getName(), sourceKind()));
        return Response.created(URI.create("/api/v1/observations?patientId=" + view.patientId())).entity(view).build();
    }

    @GET
    @RolesAllowed({ "nurse", "physician", "pharmacist", "analyst" })
    public List<ObservationView> ofPatient(@QueryParam("patientId") @NotBlank String patientId,
                                           @QueryParam("page") @DefaultValue("0") @Min(0) int page,
                                           @QueryParam("size") @DefaultValue("50") @Min(1) @Max(500) int size) {
        return store.ofPatient(patientId, page, size);
    }

    private String sourceKind() {
        if (identity.hasRole("device")) {
            return "DEVICE";
        }
        return identity.hasRole("physician") ? "PHYSICIAN" : "NURSE";
    }
}
