package org.hdil2.monitoring.fhir;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Set;

import org.hdil2.kit.problem.ProblemException;
import org.hdil2.monitoring.api.ObservationView;
import org.hdil2.monitoring.app.ObservationIntake.Normalized;
import org.hdil2.monitoring.app.ObservationIntake;
import org.hdil2.monitoring.domain.ObservationCatalog;
import org.hl7.fhir.r4.model.Observation;
import org.hl7.fhir.r4.model.Quantity;
import org.junit.jupiter.api.Test;

/** FHIR R4 Observation to canonical observations and back, without the service. */
class FhirObservationsTest {

    static final Instant NOW = Instant.now().truncatedTo(ChronoUnit.SECONDS);
    static final Instant T = NOW.minus(1, ChronoUnit.HOURS);
    static final ObservationIntake.Submitter DEVICE = new ObservationIntake.Submitter(Set.of("DEVICE", "LAB"), "DEVICE", "gw-1");

    static List<Normalized> normalise(String json) {
        return FhirObservations.normalise((Observation) FhirObservations.parse(json), null, DEVICE, NOW, "Observation");
    }

    static String observation(String code, String value, String effective) {
        return """
                {"resourceType":"Observation","id":"o-1","status":"final","code":{"coding":[{"system":"%s","code":"%s"}]},
                 "subject":{"reference":"Patient/p-f"},%s,%s}""".formatted(code.contains("-") && Character.isDigit(code.charAt(0))
                ? ObservationCatalog.LOINC : ObservationCatalog.LOCAL, code, effective, value);
    }

    @Test
    void periodsCodedValuesAndIntegersMapToTheCanonicalInput() {
        String period = "\"effectivePeriod\":{\"start\":\"%s\",\"end\":\"%s\"}".formatted(T.minus(8, ChronoUnit.HOURS), T);
        Normalized urine = normalise(observation("9187-6",
                "\"valueQuantity\":{\"value\":0.35,\"unit\":\"L\",\"system\":\"http://unitsofmeasure.org\",\"code\":\"L\"}", period)).get(0);
        assertEquals(0, new BigDecimal("350").compareTo(urine.value()));
        assertEquals(T, urine.effectiveTime());
        assertEquals(T.minus(8, ChronoUnit.HOURS), urine.effectiveStart());
        String at = "\"effectiveDateTime\":\"" + T + "\"";
        Normalized acvpu = normalise(observation("acvpu", "\"valueCodeableConcept\":{\"coding\":[{\"system\":\""
                + ObservationCatalog.LOCAL + "\",\"code\":\"V\"}]}", at)).get(0);
        assertEquals("V", acvpu.valueCode());
        assertEquals(2, acvpu.value().intValue());
        Normalized vt = normalise(observation("vt-run", "\"valueInteger\":6", at)).get(0);
        assertEquals(6, vt.value().intValue());
        assertEquals("{beats}", vt.unit());
        Normalized grade = normalise(observation("confusion-grade", "\"valueInteger\":2", at)).get(0);
        assertEquals("MODERATE", grade.valueCode());
        assertEquals("DEVICE", vt.sourceKind());
    }

    @Test
    void problemsNameTheFhirElement() {
        String at = "\"effectiveDateTime\":\"" + T + "\"";
        ProblemException e = assertThrows(ProblemException.class, () -> normalise(observation("8867-4",
                "\"valueQuantity\":{\"value\":80,\"system\":\"http://snomed.info/sct\",\"code\":\"/min\"}", at)));
        assertEquals("MON-0102", e.code());
        assertEquals("Observation.valueQuantity.system", e.errors().get(0).field());
        e = assertThrows(ProblemException.class, () -> normalise(observation("8867-4", "\"valueString\":\"fast\"", at)));
        assertEquals("MON-0105", e.code());
        e = assertThrows(ProblemException.class, () -> normalise(observation("8867-4",
                "\"valueQuantity\":{\"value\":80,\"system\":\"http://unitsofmeasure.org\",\"code\":\"/min\"}",
                at).replace("Patient/p-f", "Group/ward-3")));
        assertEquals("MON-0112", e.code());
        assertEquals("Observation.subject", e.errors().get(0).field());
        e = assertThrows(ProblemException.class, () -> FhirObservations.normalise((Observation) FhirObservations.parse(
                observation("8867-4", "\"valueQuantity\":{\"value\":80,\"unit\":\"/min\"}", at)), null, DEVICE,
                NOW.minus(2, ChronoUnit.HOURS), "Bundle.entry[4].resource"));
        assertEquals("MON-0104", e.code());
        assertEquals("Bundle.entry[4].resource.effective[x]", e.errors().get(0).field());
        e = assertThrows(ProblemException.class, () -> FhirObservations.parse("{\"resourceType\":\"Observation\",\"colour\":\"red\"}"));
        assertEquals("MON-0112", e.code());
    }

    @Test
    void aStoredObservationRendersInItsCanonicalUnit() {
        ObservationView v = new ObservationView(java.util.UUID.randomUUID(), "s-1", "p-f", "temperature", ObservationCatalog.LOINC, "8310-5",
                "Body temperature", new BigDecimal("38.5"), null, "Cel", new BigDecimal("101.3"), "[degF]", T, null, "final", NOW, "u",
                "DEVICE", "gw-1", 7L);
        Observation o = FhirObservations.toFhir(v);
        Quantity q = o.getValueQuantity();
        assertEquals(0, new BigDecimal("38.5").compareTo(q.getValue()));
        assertEquals("Cel", q.getCode());
        assertEquals(ObservationCatalog.UCUM, q.getSystem());
        assertEquals(T, o.getEffectiveDateTimeType().getValue().toInstant());
        assertEquals("Patient/p-f", o.getSubject().getReference());
        assertNull(o.getValueQuantity().getComparator());
        String json = FhirObservations.encode(o);
        assertEquals(v.id().toString(), ((Observation) FhirObservations.parse(json)).getIdElement().getIdPart());
    }
}
