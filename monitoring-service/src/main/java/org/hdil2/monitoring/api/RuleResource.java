package org.hdil2.monitoring.api;

import java.util.List;

import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;

import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.hdil2.kit.problem.ProblemException;
import org.hdil2.monitoring.domain.Evaluators;
import org.hdil2.monitoring.domain.Protocol;
import org.hdil2.monitoring.domain.RuleDefinition;

@Path("/api/v1/rules")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "Protocols", description = "The rules evaluated now, each with id, version, source, thresholds, freshness and resume condition")
@RolesAllowed({ "nurse", "physician", "pharmacist", "analyst", "admin" })
public class RuleResource {

    @Inject
    Evaluators evaluators;

    /** The rules of one protocol (default: the deployment's, for patients without a course protocol). */
    @GET
    public List<RuleDefinition> active(@QueryParam("protocol") String protocol) {
        if (protocol == null || protocol.isBlank()) {
            return evaluators.defaults().protocol().rules();
        }
        return evaluators.protocol(protocol).map(Protocol::rules)
                .orElseThrow(() -> ProblemException.notFound("MON-0150", "protocol " + protocol));
    }
}
