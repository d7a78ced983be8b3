package org.hdil2.monitoring.api;

import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.hdil2.monitoring.config.RuleCatalog.ProtocolRules;

@Path("/api/v1/rules")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "Rules", description = "The hold and stop rules evaluated now, each with id, version, source and threshold")
@RolesAllowed({ "nurse", "physician", "pharmacist", "analyst", "admin" })
public class RuleResource {

    @Inject
    ProtocolRules protocol;

    @GET
    public ProtocolRules active() {
        return protocol;
    }
}
