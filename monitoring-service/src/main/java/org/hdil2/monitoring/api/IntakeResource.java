package org.hdil2.monitoring.api;

import java.util.regex.Pattern;

import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.hdil2.kit.audit.AccessLog;
import org.hdil2.kit.problem.ProblemException;
import org.hdil2.monitoring.persistence.PatientIntake;

@Path("/api/v1/patients/{patientId}/intake")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "Evaluation", description = "The patient's current evaluation: every rule's state, NEWS2, active findings")
public class IntakeResource {

    private static final Pattern PATIENT_ID = Pattern.compile("[A-Za-z0-9._-]{1,64}");

    @Inject
    PatientIntake intake;

    @Inject
    AccessLog access;

    @GET
    @RolesAllowed({ "nurse", "physician", "pharmacist", "analyst" })
    @Operation(summary = "What monitoring has accepted of the patient: the last intake sequence, and the accepted observations after `after`",
            description = "An evaluation whose intakeSequence is `after` has not taken `pending` into account yet; "
                    + "`pending.preDoseFirstAcceptedAt` is set when a pending observation is of a parameter a rule required before a "
                    + "dose reads. dosing-service asks this before it answers GIVE. A patient of whom nothing was accepted has "
                    + "acceptedSequence 0.")
    public PatientIntake.Status status(@PathParam("patientId") String patientId, @QueryParam("after") @DefaultValue("0") long after) {
        if (!PATIENT_ID.matcher(patientId).matches()) {
            throw ProblemException.invalid("MON-0002", "patientId", "patientId is 1-64 letters, digits, '.', '_' or '-'");
        }
        if (after < 0) {
            throw ProblemException.invalid("MON-0002", "after", "after is an intake sequence, 0 or more");
        }
        PatientIntake.Status status = intake.of(patientId, after);
        access.read(patientId, "Intake", null);
        return status;
    }
}
