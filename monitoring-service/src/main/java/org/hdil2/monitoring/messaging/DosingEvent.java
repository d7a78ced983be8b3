package org.hdil2.monitoring.messaging;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.UUID;

import com.fasterxml.jackson.databind.JsonNode;

import org.hdil2.kit.inbox.InboundEvent;

/**
 * A dosing-service event as monitoring reads it for the therapy context, once, after the inbox's schema check: the
 * course it concerns and, per type, the order time and dosing weight (course-ordered), the dose record and its start
 * (dose-given) or the record it voids (dose-corrected), the course's protocol (course-ordered, course-protocol-changed).
 * A field the type does not carry is null.
 */
public record DosingEvent(String eventId, String type, String patientId, UUID courseId, Instant orderedAt, BigDecimal dosingWeightKg,
                          UUID recordId, Instant startedAt, UUID correctedRecordId, String protocolId, String protocolVersion) {

    public static DosingEvent read(InboundEvent event) {
        JsonNode d = event.data();
        JsonNode protocol = d.path("protocol");
        return new DosingEvent(event.id(), event.type(), event.patientId(), uuid(d, "courseId"), instant(d, "orderedAt"),
                d.hasNonNull("dosingWeightKg") ? d.path("dosingWeightKg").decimalValue() : null, uuid(d, "recordId"),
                instant(d, "startedAt"), uuid(d, "correctedRecordId"), protocol.path("id").asText(null),
                protocol.path("version").asText(null));
    }

    private static UUID uuid(JsonNode d, String field) {
        return d.hasNonNull(field) ? UUID.fromString(d.path(field).asText()) : null;
    }

    private static Instant instant(JsonNode d, String field) {
        return d.hasNonNull(field) ? Instant.parse(d.path(field).asText()) : null;
    }
}
