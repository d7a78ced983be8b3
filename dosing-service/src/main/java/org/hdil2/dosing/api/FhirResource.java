package org.hdil2.dosing.api;

import java.util.List;
import java.util.UUID;

import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;

import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.hdil2.kit.audit.AccessLog;
import org.hdil2.kit.problem.ProblemException;
import org.hl7.fhir.instance.model.api.IBaseResource;

import ca.uhn.fhir.context.FhirContext;

@Path("/fhir")
@Produces("application/fhir+json")
@Tag(name = "FHIR R4 (read-only)", description = "The course as MedicationRequest, its ledger as MedicationAdministration")
@RolesAllowed({ "physician", "nurse", "pharmacist", "analyst" })
public class FhirResource {

    /** Building a FhirContext scans the model: once per application. */
    private static final FhirContext R4 = FhirContext.forR4();

    @Inject
    CourseViews courses;

    @Inject
    AccessLog access;

    @GET
    @Path("MedicationRequest/{id}")
    public String medicationRequest(@PathParam("id") UUID id) {
        CourseView course = course(id);
        access.read(course.patientId(), "MedicationRequest", id.toString());
        return json(FhirViews.request(course));
    }

    @GET
    @Path("MedicationAdministration")
    public String administrations(@QueryParam("request") UUID courseId) {
        if (courseId == null) {
            throw ProblemException.invalid("DOSE-0123", "request", "search by request=<course id> (MedicationRequest id)");
        }
        CourseView course = course(courseId);
        access.searched(List.of(course.patientId()), "MedicationAdministration");
        return json(FhirViews.administrations(course));
    }

    private CourseView course(UUID id) {
        return courses.find(id, java.time.ZoneOffset.UTC).orElseThrow(() -> ProblemException.notFound("DOSE-0104", "course " + id));
    }

    private static String json(IBaseResource resource) {
        return R4.newJsonParser().setPrettyPrint(false).encodeResourceToString(resource);
    }
}
