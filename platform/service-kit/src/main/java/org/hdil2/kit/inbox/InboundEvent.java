package org.hdil2.kit.inbox;

import java.time.Instant;

import com.fasterxml.jackson.databind.JsonNode;

/** A CloudEvent read from Kafka whose envelope and data passed the contract. */
public record InboundEvent(String id, String type, String source, String patientId, Instant time, JsonNode data,
                           String topic, int partition, long offset) {
}
