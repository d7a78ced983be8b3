package org.hdil2.local;

import java.io.PrintStream;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * Seeds the demo ward through the public APIs, as a physician, a pharmacist and a nurse would: two patients on ward W1,
 * each screened eligible, with a course ordered and verified. demo-001's course is under the deployment's default
 * (label-2024): a hypotension episode (the next dose is held) and its recovery (the dose may be given). demo-002's
 * course is under consensus-2014, on the same ward at the same time: a heart rate of 115/min, which the label ignores
 * and the consensus holds for, then 92/min. Skipped when a patient already has a course, so a restarted stack keeps its data.
 */
public final class DemoPatient {

    public static final String PATIENT_ID = "demo-001";
    /** The second demo patient, whose course is under consensus-2014. */
    public static final String CONSENSUS_PATIENT_ID = "demo-002";
    private static final Duration WAIT = Duration.ofSeconds(60);

    private DemoPatient() {
    }

    public static void seed(Stack stack, PrintStream out) {
        seedLabelPatient(stack, out);
        seedConsensusPatient(stack, out);
    }

    private static void seedLabelPatient(Stack stack, PrintStream out) {
        String physician = stack.token("dr-demo", "physician", Duration.ofMinutes(10));
        String nurse = stack.token("nurse-demo", "nurse", Duration.ofMinutes(10));
        String dosing = stack.url(Service.DOSING);
        if (alreadyPresent(dosing, PATIENT_ID, physician, out)) {
            return;
        }
        Http.Response screening = Http.post(stack.url(Service.ELIGIBILITY) + "/api/v1/screenings", physician,
                screeningRequest(PATIENT_ID, "METASTATIC_RENAL_CELL_CARCINOMA", "3.1", "92"));
        require(screening, 201, "screening");
        out.println("screened " + PATIENT_ID + ": " + screening.body().path("outcome").asText());

        String order = """
                {"patientId":"%s","dosingWeightKg":70.0,"weightMeasuredAt":"%s","weightSource":"ward scale","firstDoseAt":"%s"}"""
                .formatted(PATIENT_ID, Instant.now().minus(2, ChronoUnit.HOURS).truncatedTo(ChronoUnit.MINUTES),
                        Instant.now().plus(5, ChronoUnit.MINUTES).truncatedTo(ChronoUnit.MINUTES));
        JsonNode course = Poll.until(WAIT, "dosing-service to learn of the screening", () -> {
            Http.Response r = Http.post(dosing + "/api/v1/courses", physician, order);
            return r.status() == 201 ? r.body() : null;
        });
        String courseId = course.path("id").asText();
        out.println("course ordered: " + courseId + ", " + course.path("doseIu").asText() + " IU per dose, "
                + course.path("doses").size() + " dose opportunities");
        String pharmacist = stack.token("pharm-demo", "pharmacist", Duration.ofMinutes(10));
        require(Http.post(dosing + "/api/v1/courses/" + courseId + "/verification", pharmacist, ""), 200, "verification");
        JsonNode prep = Http.get(dosing + "/api/v1/courses/" + courseId + "/preparation", pharmacist).body();
        out.println("verified by a pharmacist; prepare " + prep.path("vials").asText() + " vials, draw " + prep.path("drawMl").asText()
                + " mL into " + prep.path("d5wMl").asText() + " mL D5W (" + prep.path("finalMgPerMl").asText() + " mg/mL)");

        String assignments = stack.url(Service.ALERT) + "/api/v1/assignments";
        for (String assignment : List.of(
                "{\"ward\":\"W1\",\"bed\":\"1\",\"patientId\":\"" + PATIENT_ID + "\",\"user\":\"nurse-demo\",\"role\":\"PRIMARY_NURSE\"}",
                "{\"ward\":\"W1\",\"user\":\"charge-demo\",\"role\":\"CHARGE_NURSE\"}",
                "{\"ward\":\"W1\",\"user\":\"dr-demo\",\"role\":\"PHYSICIAN\"}")) {
            Http.Response r = Http.post(assignments, physician, assignment);
            if (r.status() / 100 != 2) {
                throw new IllegalStateException("assignment failed with " + r.status() + ": " + r.body());
            }
        }
        out.println("care team assigned on ward W1: primary nurse nurse-demo, charge nurse charge-demo, physician dr-demo");

        String decision = dosing + "/api/v1/courses/" + courseId + "/doses/next/decision";
        observe(stack, nurse, 84, Instant.now().minus(20, ChronoUnit.MINUTES));
        awaitDecision(decision, nurse, "HOLD");
        out.println("hypotension (SBP 84 mm[Hg]): next dose HOLD");
        observe(stack, nurse, 104, Instant.now().minus(5, ChronoUnit.MINUTES));
        awaitDecision(decision, nurse, "GIVE");
        out.println("recovered (SBP 104 mm[Hg]): next dose GIVE; the HIGH hypotension alert stays LATCHED until acknowledged and"
                + " escalates to the charge nurse after 2 min and the physician after 5 min. Watch and acknowledge it:");
        out.println("  curl -N -H \"Authorization: Bearer $TOKEN_NURSE\" \"" + stack.url(Service.ALERT)
                + "/api/v1/alerts/stream?patientId=" + PATIENT_ID + "\"");
        out.println("  curl -X POST -H \"Authorization: Bearer $TOKEN_NURSE\" -H 'Content-Type: application/json' -d '{}' "
                + stack.url(Service.ALERT) + "/api/v1/alerts/<alert id>/acknowledge");
    }

    /** demo-002, bed 2 of the same ward, a course under consensus-2014: Dutcher 2014's relative tachycardia criterion holds. */
    private static void seedConsensusPatient(Stack stack, PrintStream out) {
        String physician = stack.token("dr-demo", "physician", Duration.ofMinutes(10));
        String nurse = stack.token("nurse-demo", "nurse", Duration.ofMinutes(10));
        String dosing = stack.url(Service.DOSING);
        String patient = CONSENSUS_PATIENT_ID;
        if (alreadyPresent(dosing, patient, physician, out)) {
            return;
        }
        require(Http.post(stack.url(Service.ELIGIBILITY) + "/api/v1/screenings", physician,
                screeningRequest(patient, "METASTATIC_MELANOMA", "3.4", "95")), 201, "screening");
        String order = """
                {"patientId":"%s","dosingWeightKg":64.0,"weightMeasuredAt":"%s","weightSource":"ward scale","firstDoseAt":"%s",
                 "protocolId":"consensus-2014"}"""
                .formatted(patient, Instant.now().minus(2, ChronoUnit.HOURS).truncatedTo(ChronoUnit.MINUTES),
                        Instant.now().plus(5, ChronoUnit.MINUTES).truncatedTo(ChronoUnit.MINUTES));
        JsonNode course = Poll.until(WAIT, "dosing-service to learn of the screening", () -> {
            Http.Response r = Http.post(dosing + "/api/v1/courses", physician, order);
            return r.status() == 201 ? r.body() : null;
        });
        String courseId = course.path("id").asText();
        String pharmacist = stack.token("pharm-demo", "pharmacist", Duration.ofMinutes(10));
        require(Http.post(dosing + "/api/v1/courses/" + courseId + "/verification", pharmacist, ""), 200, "verification");
        Http.Response assigned = Http.post(stack.url(Service.ALERT) + "/api/v1/assignments", physician,
                "{\"ward\":\"W1\",\"bed\":\"2\",\"patientId\":\"" + patient + "\",\"user\":\"nurse-demo\",\"role\":\"PRIMARY_NURSE\"}");
        if (assigned.status() / 100 != 2) {
            throw new IllegalStateException("assignment failed with " + assigned.status() + ": " + assigned.body());
        }
        out.println("course for " + patient + " (ward W1, bed 2) ordered under " + course.path("protocol").path("id").asText() + " (version "
                + course.path("protocol").path("version").asText() + ") and verified: " + courseId);
        String decision = dosing + "/api/v1/courses/" + courseId + "/doses/next/decision";
        observe(stack, nurse, patient, 118, 115, Instant.now().minus(20, ChronoUnit.MINUTES));
        JsonNode held = awaitDecision(decision, nurse, "HOLD");
        out.println("heart rate 115/min: next dose HOLD under " + held.path("protocol").path("id").asText() + " ("
                + held.path("findings").path(0).path("ruleId").asText() + "); under label-2024 it would not be held");
        observe(stack, nurse, patient, 118, 92, Instant.now().minus(5, ChronoUnit.MINUTES));
        awaitDecision(decision, nurse, "GIVE");
        out.println("heart rate 92/min: next dose GIVE. Ward W1 now has one course under each protocol.");
    }

    /** A patient who has a course already is left as is: a restarted stack keeps its data. */
    private static boolean alreadyPresent(String dosing, String patient, String physician, PrintStream out) {
        JsonNode existing = Http.get(dosing + "/api/v1/courses?patientId=" + patient, physician).body();
        if (existing.isArray() && !existing.isEmpty()) {
            out.println("demo patient " + patient + " already present: course " + existing.get(0).path("id").asText());
            return true;
        }
        return false;
    }

    private static void observe(Stack stack, String nurse, int sbp, Instant at) {
        observe(stack, nurse, PATIENT_ID, sbp, 88, at);
    }

    private static void observe(Stack stack, String nurse, String patient, int sbp, int heartRate, Instant at) {
        Http.Response r = Http.post(stack.url(Service.MONITORING) + "/api/v1/observations/batch", nurse, bedsideSet(patient, sbp, heartRate, at));
        if (r.status() / 100 != 2) {
            throw new IllegalStateException("observations failed with " + r.status() + ": " + r.body());
        }
    }

    /**
     * A nurse's bedside set at {@code at}: every NEWS2 parameter and every input the protocol needs before a dose
     * (SBP, SpO2, confusion grade), all normal except the systolic pressure given.
     */
    public static String bedsideSet(String patientId, int sbp, Instant at) {
        return bedsideSet(patientId, sbp, 88, at);
    }

    /** The same with the heart rate given. */
    public static String bedsideSet(String patientId, int sbp, int heartRate, Instant at) {
        String local = "https://hdil2.org/fhir/CodeSystem/observation";
        String item = """
                {"patientId":"%s","code":"%%s","value":%%s,"unit":"%%s","effectiveTime":"%s"}""".formatted(patientId, at);
        String coded = """
                {"patientId":"%s","system":"%s","code":"%%s","valueCode":"%%s","effectiveTime":"%s"}""".formatted(patientId, local, at);
        return "{\"observations\":[" + String.join(",",
                item.formatted("8480-6", sbp, "mm[Hg]"), item.formatted("8867-4", heartRate, "/min"), item.formatted("9279-1", 16, "/min"),
                item.formatted("59408-5", 97, "%"), item.formatted("8310-5", "37.2", "Cel"), item.formatted("3151-8", 0, "L/min"),
                coded.formatted("acvpu", "A"), coded.formatted("confusion-grade", "NONE")) + "]}";
    }

    private static JsonNode awaitDecision(String url, String nurse, String wanted) {
        return Poll.until(WAIT, "the pre-dose decision " + wanted, () -> {
            Http.Response r = Http.get(url, nurse);
            return r.status() == 200 && wanted.equals(r.body().path("decision").asText()) ? r.body() : null;
        });
    }

    private static void require(Http.Response r, int status, String what) {
        if (r.status() != status) {
            throw new IllegalStateException(what + " failed with " + r.status() + ": " + r.body());
        }
    }

    /**
     * A screening request for a candidate with every criterion assessed three days ago and nothing contraindicating:
     * ELIGIBLE under label-2024 unless the FEV1 values given exclude.
     */
    public static String screeningRequest(String patientId, String indication, String fev1Litres, String fev1Percent) {
        String date = LocalDate.now(ZoneOffset.UTC).minusDays(3).toString();
        return """
                {"patientId":"%s","indication":"%s","findings":{
                  "severeHypersensitivityHistory":{"value":false,"date":"%s"},"organAllograft":{"value":false,"date":"%<s"},
                  "abnormalEjectionFraction":{"value":false,"date":"%<s"},"impairedWallMotion":{"value":false,"date":"%<s"},
                  "significantCoronaryArteryDisease":{"value":false,"date":"%<s"},
                  "fev1Litres":{"value":%s,"date":"%s","source":"PFT lab"},"fev1PercentPredicted":{"value":%s,"date":"%s","source":"PFT lab"},
                  "significantRenalImpairment":{"value":false,"date":"%<s"},"significantHepaticImpairment":{"value":false,"date":"%<s"},
                  "significantCnsImpairment":{"value":false,"date":"%<s","source":"neurology"},
                  "untreatedActiveBacterialInfection":{"value":false,"date":"%<s"},"femaleOfReproductivePotential":{"value":false,"date":"%<s"},
                  "priorAldesleukinCourse":{"value":false,"date":"%<s"},"ejectionFractionPercent":{"value":60,"date":"%<s","source":"echo"},
                  "creatinineMgDl":{"value":0.9,"date":"%<s"},"bilirubinMgDl":{"value":0.6,"date":"%<s"},
                  "astUnitsPerLitre":{"value":22,"date":"%<s"},"altUnitsPerLitre":{"value":25,"date":"%<s"},
                  "plateletsPerNanolitre":{"value":250,"date":"%<s"},"neutrophilsPerNanolitre":{"value":4.1,"date":"%<s"}}}"""
                .formatted(patientId, indication, date, fev1Litres, date, fev1Percent, date);
    }
}
