package org.hdil2.dosing.persistence;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.time.Instant;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import org.hdil2.dosing.domain.PatientState;
import org.junit.jupiter.api.Test;

/** How an evaluation's latest inputs are read: by the shared catalog's parameter ids, whatever code they were sent under. */
class PatientStatesTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    private static PatientState.Input onlyInput(String latestInputs) throws Exception {
        JsonNode empty = JSON.readTree("[]");
        return PatientStates.toState(1, Instant.parse("2026-12-03T08:00:00Z"), JSON.readTree(latestInputs), empty, empty, 1, "label-2024")
                .latestInputs().get(0);
    }

    @Test
    void anInputNamesItsParameterAsMonitoringSaysIt() throws Exception {
        PatientState.Input in = onlyInput("""
                [{"observationId":"o-1","parameter":"creatinine","code":"14682-9","value":1.5,"unit":"mg/dL",
                  "effectiveTime":"2026-12-03T07:00:00Z"}]""");
        assertEquals("creatinine", in.parameter());
        assertEquals("14682-9", in.code());
    }

    @Test
    void anEvaluationStoredBeforeInputsNamedTheirParameterIsReadByItsLoincCode() throws Exception {
        assertEquals("systolic-bp", onlyInput("""
                [{"observationId":"o-1","code":"8480-6","value":104,"unit":"mm[Hg]","effectiveTime":"2026-12-03T07:00:00Z"}]""")
                .parameter());
        assertNull(onlyInput("""
                [{"observationId":"o-1","code":"0000-0","value":1,"unit":"1","effectiveTime":"2026-12-03T07:00:00Z"}]""").parameter(),
                "an unknown code names no parameter, so it can satisfy no pre-dose requirement");
    }
}
