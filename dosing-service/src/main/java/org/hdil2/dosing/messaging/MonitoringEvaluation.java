package org.hdil2.dosing.messaging;

import java.time.Instant;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;

import org.hdil2.kit.inbox.InboundEvent;

/**
 * monitoring's evaluation-updated event as dosing reads it, once, after the inbox's schema check: dosing's own copy
 * of what it keeps. The inputs and findings stay monitoring's JSON (stored as it came); {@code PatientStates} reads
 * them into the domain's {@code PatientState}, for this event and for every decision alike.
 *
 * @param stateEpoch    when monitoring began the patient's evaluation state; null from before epochs existed
 * @param preDoseGaps   the rules monitoring marks as required before a dose that it reports NOT_EVALUABLE, with the
 *                      reason (JSON array of rule and reason)
 */
record MonitoringEvaluation(String eventId, String patientId, long sequence, Instant evaluatedAt, Instant stateEpoch,
                            long intakeSequence, String protocolId, JsonNode latestInputs, JsonNode activeFindings,
                            ArrayNode preDoseGaps) {

    static MonitoringEvaluation read(InboundEvent event) {
        JsonNode d = event.data();
        ArrayNode gaps = JsonNodeFactory.instance.arrayNode();
        for (JsonNode r : d.path("rules")) {
            if (r.path("preDose").asBoolean() && "NOT_EVALUABLE".equals(r.path("state").asText())) {
                gaps.addObject().put("rule", r.path("id").asText() + " v" + r.path("version").asText()).put("reason", r.path("reason").asText());
            }
        }
        return new MonitoringEvaluation(event.id(), event.patientId(), d.path("sequence").asLong(), Instant.parse(d.path("evaluatedAt").asText()),
                d.hasNonNull("stateEpoch") ? Instant.parse(d.path("stateEpoch").asText()) : null, d.path("intakeSequence").asLong(0),
                d.path("protocol").path("id").asText(), d.path("latestInputs"), d.path("activeFindings"), gaps);
    }
}
