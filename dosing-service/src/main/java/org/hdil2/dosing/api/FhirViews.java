package org.hdil2.dosing.api;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.Date;

import org.hl7.fhir.r4.model.Annotation;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.Dosage;
import org.hl7.fhir.r4.model.MedicationAdministration;
import org.hl7.fhir.r4.model.MedicationRequest;
import org.hl7.fhir.r4.model.Period;
import org.hl7.fhir.r4.model.Quantity;
import org.hl7.fhir.r4.model.Reference;
import org.hl7.fhir.r4.model.Timing;

/**
 * The read-only FHIR R4 view of a course: one MedicationRequest, and one MedicationAdministration per dose slot that
 * has a ledger entry (a held, missed or cancelled dose is {@code not-done} with the reason as status reason).
 * Scheduled slots have no administration yet and are not shown.
 */
final class FhirViews {

    static final String UCUM = "http://unitsofmeasure.org";
    private static final String PERFORM_FUNCTION = "http://terminology.hl7.org/CodeSystem/med-admin-perform-function";
    private static final String MEDICATION = "aldesleukin (Proleukin) 22 million IU per vial, IV infusion over 15 minutes";

    private FhirViews() {
    }

    static MedicationRequest request(CourseView c) {
        MedicationRequest r = new MedicationRequest();
        r.setId(c.id().toString());
        r.setStatus(switch (c.status()) {
            case "ORDERED" -> MedicationRequest.MedicationRequestStatus.DRAFT;
            case "ACTIVE" -> c.stopFlaggedAt() == null ? MedicationRequest.MedicationRequestStatus.ACTIVE
                    : MedicationRequest.MedicationRequestStatus.ONHOLD;
            case "COMPLETED" -> MedicationRequest.MedicationRequestStatus.COMPLETED;
            case "DISCONTINUED" -> MedicationRequest.MedicationRequestStatus.STOPPED;
            default -> MedicationRequest.MedicationRequestStatus.UNKNOWN;
        });
        r.setIntent(MedicationRequest.MedicationRequestIntent.ORDER);
        r.setMedication(new CodeableConcept().setText(MEDICATION));
        r.setSubject(new Reference("Patient/" + c.patientId()));
        r.setAuthoredOn(date(c.orderedAt()));
        r.setRequester(new Reference().setDisplay(c.orderedBy()));
        Dosage dosage = new Dosage();
        dosage.setText(c.doseBasis().calculation() + ", IV every 8 hours; protocol " + c.protocol().id() + " v" + c.protocol().version());
        dosage.setTiming(new Timing().setRepeat(new Timing.TimingRepeatComponent().setFrequency(1)
                .setPeriod(8).setPeriodUnit(Timing.UnitsOfTime.H).setCount(c.doses().size())
                .setBounds(new Period().setStart(date(c.firstDoseAt())))));
        dosage.setRoute(new CodeableConcept().setText("intravenous"));
        dosage.addDoseAndRate().setDose(iu(c.doseIu()));
        r.addDosageInstruction(dosage);
        if (c.verifiedBy() != null) {
            r.addNote(new Annotation().setText("verified by pharmacist " + c.verifiedBy() + " at " + c.verifiedAt()));
        }
        return r;
    }

    static Bundle administrations(CourseView c) {
        Bundle bundle = new Bundle().setType(Bundle.BundleType.SEARCHSET);
        for (CourseView.DoseView d : c.doses()) {
            if (d.record() != null) {
                bundle.addEntry().setResource(administration(c, d));
            }
        }
        bundle.setTotal(bundle.getEntry().size());
        return bundle;
    }

    private static MedicationAdministration administration(CourseView c, CourseView.DoseView d) {
        CourseView.RecordView rec = d.record();
        MedicationAdministration a = new MedicationAdministration();
        a.setId(c.id() + "-" + d.doseNumber());
        a.setMedication(new CodeableConcept().setText(MEDICATION));
        a.setSubject(new Reference("Patient/" + c.patientId()));
        a.setRequest(new Reference("MedicationRequest/" + c.id()));
        if ("GIVEN".equals(d.status())) {
            a.setStatus(MedicationAdministration.MedicationAdministrationStatus.COMPLETED);
            a.setEffective(new Period().setStart(date(rec.startedAt())).setEnd(rec.endedAt() == null ? null : date(rec.endedAt())));
            a.addPerformer().setActor(new Reference().setDisplay(rec.administeredBy()))
                    .setFunction(new CodeableConcept(new Coding(PERFORM_FUNCTION, "performer", "Performer")));
            a.addPerformer().setActor(new Reference().setDisplay(rec.verifiedBy()))
                    .setFunction(new CodeableConcept(new Coding(PERFORM_FUNCTION, "verifier", "Verifier")));
            a.setDosage(new MedicationAdministration.MedicationAdministrationDosageComponent().setDose(iu(rec.iuGiven()))
                    .setRoute(new CodeableConcept().setText("intravenous")));
        } else {
            a.setStatus(MedicationAdministration.MedicationAdministrationStatus.NOTDONE);
            a.addStatusReason(new CodeableConcept().setText(d.status().toLowerCase() + ": " + rec.reason()));
            a.setEffective(new org.hl7.fhir.r4.model.DateTimeType(date(d.scheduledAt())));
        }
        a.addNote(new Annotation().setText("dose " + d.doseNumber() + " of cycle " + d.cycle() + ", scheduled " + d.scheduledAt()
                + (d.override() != null ? "; HOLD overridden by " + d.override().physician() + ": " + d.override().reason() : "")));
        return a;
    }

    private static Quantity iu(long value) {
        return new Quantity().setValue(BigDecimal.valueOf(value)).setUnit("IU").setSystem(UCUM).setCode("[iU]");
    }

    private static Date date(Instant instant) {
        return instant == null ? null : Date.from(instant);
    }
}
