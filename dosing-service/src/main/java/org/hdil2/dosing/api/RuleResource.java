package org.hdil2.dosing.api;

import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.hdil2.dosing.domain.DosingProtocol;

@Path("/api/v1/rules")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "Rules", description = "The dose, schedule and pre-dose rules in force, with ids, versions and sources")
@RolesAllowed({ "physician", "nurse", "pharmacist", "analyst", "admin" })
public class RuleResource {

    @Inject
    DosingProtocol protocol;

    @GET
    public DosingProtocol active() {
        return protocol;
    }
}
