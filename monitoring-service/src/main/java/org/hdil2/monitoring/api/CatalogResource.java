package org.hdil2.monitoring.api;

import java.math.BigDecimal;
import java.util.List;
import java.util.Map;

import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.hdil2.monitoring.domain.ObservationCatalog;

@Path("/api/v1/catalog")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "Catalog", description = "What the service accepts: parameters, their codes, units, conversions and plausible ranges")
@RolesAllowed({ "nurse", "physician", "pharmacist", "analyst", "admin", "device" })
public class CatalogResource {

    /** canonical = (value + offset) x factor */
    public record UnitView(String unit, BigDecimal factor, BigDecimal offset) {
    }

    public record CodeView(String system, String code, String display, List<UnitView> units, String note) {
    }

    public record ParameterView(String id, String display, String unit, BigDecimal min, BigDecimal max, boolean integer,
                                boolean periodRequired, Map<String, Integer> codedValues, boolean ordinalAsValue,
                                List<CodeView> codes, String note) {
    }

    @GET
    public List<ParameterView> catalog() {
        return ObservationCatalog.parameters().stream().map(p -> new ParameterView(p.id(), p.display(), p.unit(), p.min(), p.max(),
                p.integer(), p.periodRequired(), p.codedValues(), p.coded() && ObservationCatalog.acceptsOrdinalValue(p),
                p.codes().stream().map(c -> new CodeView(c.system(), c.code(), c.display(),
                        c.units().entrySet().stream().map(u -> new UnitView(u.getKey(), u.getValue().factor(), u.getValue().offset()))
                                .toList(), c.note())).toList(), p.note())).toList();
    }
}
