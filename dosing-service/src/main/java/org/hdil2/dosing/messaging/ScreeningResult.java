package org.hdil2.dosing.messaging;

import java.time.Instant;
import java.util.UUID;

import com.fasterxml.jackson.databind.JsonNode;

import org.hdil2.kit.inbox.InboundEvent;

/** eligibility's screening-completed event as dosing reads it, once, after the inbox's schema check. */
record ScreeningResult(String eventId, String patientId, UUID screeningId, String outcome, String protocolId, String protocolVersion,
                       Instant screenedAt) {

    static ScreeningResult read(InboundEvent event) {
        JsonNode d = event.data();
        return new ScreeningResult(event.id(), event.patientId(), UUID.fromString(d.path("screeningId").asText()), d.path("outcome").asText(),
                d.path("protocol").path("id").asText(), d.path("protocol").path("version").asText(),
                Instant.parse(d.path("screenedAt").asText()));
    }
}
