package org.hdil2.contract;

import java.nio.charset.StandardCharsets;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;

/**
 * Test helper for producers: a record read back from Kafka conforms to the contract (CloudEvents binary-mode
 * headers, patient id as key and subject, the data valid against its type's schema, the right topic).
 */
public final class ContractAssertions {

    private static final ObjectMapper JSON = new ObjectMapper();

    private ContractAssertions() {
    }

    /** Throws an {@link AssertionError} listing every way {@code record} breaks the contract. */
    public static JsonNode assertConforms(ConsumerRecord<String, String> record) {
        List<String> problems = new ArrayList<>();
        EventContract contract = EventContract.load();
        String type = header(record, CloudEventHeaders.TYPE);
        require(problems, CloudEventHeaders.SPEC_VERSION_VALUE.equals(header(record, CloudEventHeaders.SPEC_VERSION)),
                "ce_specversion must be 1.0");
        require(problems, notBlank(header(record, CloudEventHeaders.ID)), "ce_id missing");
        require(problems, notBlank(header(record, CloudEventHeaders.SOURCE)), "ce_source missing");
        require(problems, CloudEventHeaders.JSON.equals(header(record, CloudEventHeaders.CONTENT_TYPE)),
                "content-type must be application/json");
        require(problems, record.key() != null && record.key().equals(header(record, CloudEventHeaders.SUBJECT)),
                "record key must equal ce_subject (the patient id)");
        String time = header(record, CloudEventHeaders.TIME);
        try {
            OffsetDateTime.parse(time == null ? "" : time);
        } catch (DateTimeParseException e) {
            problems.add("ce_time is not an RFC 3339 time: " + time);
        }
        JsonNode data = null;
        if (type == null || !contract.knows(type)) {
            problems.add("ce_type " + type + " is not in the contract");
        } else {
            String topic = contract.topicOf(type).orElseThrow();
            require(problems, record.topic().startsWith(topic), "type " + type + " belongs on " + topic + ", not " + record.topic());
            try {
                data = JSON.readTree(record.value());
                problems.addAll(contract.validate(type, data));
                JsonNode patient = data.path("patientId");
                require(problems, patient.isMissingNode() || patient.asText().equals(record.key()),
                        "data.patientId must equal the record key");
            } catch (Exception e) {
                problems.add("value is not JSON: " + e.getMessage());
            }
        }
        if (!problems.isEmpty()) {
            throw new AssertionError("record on " + record.topic() + " breaks the contract: " + problems);
        }
        return data;
    }

    /**
     * Throws an {@link AssertionError} unless {@code named} (a consumer's handled or ignored types) names every event
     * type the AsyncAPI document lists on {@code topic} for a receive operation of {@code service}: a valid event must
     * never be dead-lettered because a consumer forgot its type.
     */
    public static void assertNamesEveryType(String service, String topic, java.util.function.Predicate<String> named) {
        List<EventContract.Operation> receives = EventContract.load().operationsOf(service).stream()
                .filter(o -> o.action().equals("receive") && o.topic().equals(topic)).toList();
        if (receives.isEmpty()) {
            throw new AssertionError(service + " receives nothing from " + topic + " in the AsyncAPI document");
        }
        List<String> missing = receives.stream().flatMap(o -> o.eventTypes().stream()).distinct().filter(t -> !named.test(t)).toList();
        if (!missing.isEmpty()) {
            throw new AssertionError(service + " would dead-letter valid events of " + topic + ": " + missing);
        }
    }

    /**
     * Throws an {@link AssertionError} unless {@code published} (the event types {@code service}'s code says it
     * publishes) is exactly what the AsyncAPI document's send operations of {@code service} list: an event the
     * document does not describe, or a described one the code can no longer publish, is a broken contract.
     */
    public static void assertSendsExactly(String service, java.util.Set<String> published) {
        java.util.Set<String> documented = new java.util.TreeSet<>();
        EventContract.load().operationsOf(service).stream().filter(o -> o.action().equals("send"))
                .forEach(o -> documented.addAll(o.eventTypes()));
        java.util.Set<String> undocumented = new java.util.TreeSet<>(published);
        undocumented.removeAll(documented);
        java.util.Set<String> unpublished = new java.util.TreeSet<>(documented);
        unpublished.removeAll(published);
        if (!undocumented.isEmpty() || !unpublished.isEmpty()) {
            throw new AssertionError(service + " and the AsyncAPI document disagree: published but not documented " + undocumented
                    + "; documented but not published " + unpublished);
        }
    }

    public static String header(ConsumerRecord<?, ?> record, String name) {
        Header h = record.headers().lastHeader(name);
        return h == null || h.value() == null ? null : new String(h.value(), StandardCharsets.UTF_8);
    }

    private static boolean notBlank(String s) {
        return s != null && !s.isBlank();
    }

    private static void require(List<String> problems, boolean condition, String message) {
        if (!condition) {
            problems.add(message);
        }
    }
}
