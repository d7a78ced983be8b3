package org.hdil2.dosing.persistence;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import org.hdil2.contract.ObservationParameters;
import org.hdil2.dosing.domain.PatientState;

/** Reads the stored evaluation of a patient into the domain's {@link PatientState}. */
@ApplicationScoped
public class PatientStates {

    @Inject
    ObjectMapper json;

    public Optional<PatientState> of(String patientId) {
        return PatientEvaluationEntity.<PatientEvaluationEntity>findByIdOptional(patientId).map(this::toState);
    }

    private PatientState toState(PatientEvaluationEntity e) {
        try {
            return toState(e.sequence, e.evaluatedAt, json.readTree(e.latestInputs), json.readTree(e.activeFindings),
                    json.readTree(e.preDoseGaps), e.intakeSequence, e.protocolId);
        } catch (JsonProcessingException ex) {
            throw new IllegalStateException("stored evaluation is unreadable", ex);
        }
    }

    /** The input's parameter id; an evaluation stored before monitoring named it is read by its LOINC code. */
    private static String parameterOf(JsonNode input) {
        if (input.hasNonNull("parameter")) {
            return input.path("parameter").asText();
        }
        return ObservationParameters.byCode(LOINC, input.path("code").asText()).map(ObservationParameters.Parameter::id).orElse(null);
    }

    private static final String LOINC = "http://loinc.org";

    /**
     * An evaluation as the domain reads it, from monitoring's JSON of its latest inputs and active findings and dosing's
     * list of pre-dose gaps: the stored one for every decision, a new one in the evaluation consumer, the same way.
     */
    public static PatientState toState(long sequence, Instant evaluatedAt, JsonNode latestInputs, JsonNode activeFindings,
                                       JsonNode preDoseGaps, long intakeSequence, String protocolId) {
        List<PatientState.Input> inputs = new ArrayList<>();
        for (JsonNode o : latestInputs) {
            inputs.add(new PatientState.Input(parameterOf(o), o.path("code").asText(), new BigDecimal(o.path("value").asText()),
                    o.path("unit").asText(), Instant.parse(o.path("effectiveTime").asText()), o.path("observationId").asText()));
        }
        List<PatientState.Finding> findings = new ArrayList<>();
        for (JsonNode f : activeFindings) {
            JsonNode rule = f.path("rule");
            JsonNode o = f.path("observation");
            findings.add(new PatientState.Finding(f.path("findingId").asText(), rule.path("id").asText(),
                    rule.path("version").asText(), rule.path("action").asText(), rule.path("criterion").asText(),
                    rule.path("source").asText(), new BigDecimal(o.path("value").asText()), o.path("unit").asText(),
                    Instant.parse(o.path("effectiveTime").asText()), o.path("observationId").asText()));
        }
        List<PatientState.Gap> gaps = new ArrayList<>();
        for (JsonNode g : preDoseGaps) {
            gaps.add(new PatientState.Gap(g.path("rule").asText(), g.path("reason").asText()));
        }
        return new PatientState(sequence, evaluatedAt, inputs, findings, gaps, intakeSequence, protocolId);
    }
}
