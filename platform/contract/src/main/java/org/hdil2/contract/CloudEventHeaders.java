package org.hdil2.contract;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.format.DateTimeFormatter;

import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;

/**
 * CloudEvents 1.0 in Kafka binary mode as the suite uses it: the header names, and the one codec that writes a
 * structured event's attributes onto a record's headers and reads a header back.
 */
public final class CloudEventHeaders {

    public static final String SPEC_VERSION = "ce_specversion";
    public static final String ID = "ce_id";
    public static final String SOURCE = "ce_source";
    public static final String TYPE = "ce_type";
    public static final String SUBJECT = "ce_subject";
    public static final String TIME = "ce_time";
    public static final String CONTENT_TYPE = "content-type";
    public static final String SPEC_VERSION_VALUE = "1.0";
    public static final String JSON = "application/json";
    /** Set on records in a {@code .dlq} topic: why the record could not be processed. */
    public static final String DEAD_LETTER_REASON = "dead-letter-reason";

    private CloudEventHeaders() {
    }

    /**
     * Writes the attributes of one event ({@code subject}: the patient id, also the record key; JSON data) onto
     * {@code headers}.
     */
    public static Headers write(Headers headers, String id, String source, String type, String subject, Instant time) {
        add(headers, SPEC_VERSION, SPEC_VERSION_VALUE);
        add(headers, ID, id);
        add(headers, SOURCE, source);
        add(headers, TYPE, type);
        add(headers, SUBJECT, subject);
        add(headers, TIME, DateTimeFormatter.ISO_INSTANT.format(time));
        add(headers, CONTENT_TYPE, JSON);
        return headers;
    }

    /** The last value of header {@code name} as text, or null when the record has none. */
    public static String read(Headers headers, String name) {
        Header h = headers.lastHeader(name);
        return h == null || h.value() == null ? null : new String(h.value(), StandardCharsets.UTF_8);
    }

    private static void add(Headers headers, String name, String value) {
        headers.add(name, value.getBytes(StandardCharsets.UTF_8));
    }
}
