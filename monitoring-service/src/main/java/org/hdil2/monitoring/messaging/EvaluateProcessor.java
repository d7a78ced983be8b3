package org.hdil2.monitoring.messaging;

import java.io.IOException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;

import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.hdil2.contract.CloudEventHeaders;
import org.hdil2.contract.EventContract;
import org.hdil2.monitoring.domain.ActiveFinding;
import org.hdil2.monitoring.domain.EvaluationOutcome;
import org.hdil2.monitoring.domain.Evaluator;
import org.hdil2.monitoring.domain.ObservationFact;
import org.hdil2.monitoring.domain.PatientState;
import org.hdil2.monitoring.domain.TherapyContext;

/**
 * Evaluates one patient per record, and every patient of this task on each wall-clock punctuation. The evaluation
 * time is the wall clock (the processor context's, so tests drive it); observations are judged by their effective
 * times against it.
 */
final class EvaluateProcessor implements Processor<String, String, String, String> {

    static final String OBSERVATION_RECORDED = "org.hdil2.monitoring.observation-recorded.v1";
    static final String THERAPY_UPDATED = "org.hdil2.monitoring.therapy-updated.v1";
    private static final String SOURCE = "/hdil2/monitoring-service";
    private static final ObjectMapper JSON = new ObjectMapper().registerModule(new JavaTimeModule())
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS);
    /** The store's own format: internal, so compact (times as numbers, no nulls). */
    private static final ObjectMapper STORE_FORMAT = new ObjectMapper().registerModule(new JavaTimeModule())
            .enable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
            .setSerializationInclusion(JsonInclude.Include.NON_NULL)
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS);
    /** Patients whose state is kept deserialised between records; the store stays the truth. */
    private static final int CACHED_PATIENTS = 10_000;

    private final Evaluator evaluator;
    private final FindingEvents events;
    private final Duration punctuateInterval;
    private ProcessorContext<String, String> context;
    private KeyValueStore<String, byte[]> store;
    private Map<String, PatientState> cache;

    EvaluateProcessor(Evaluator evaluator, Duration punctuateInterval) {
        this.evaluator = evaluator;
        this.events = new FindingEvents(evaluator.protocol());
        this.punctuateInterval = punctuateInterval;
    }

    @Override
    public void init(ProcessorContext<String, String> context) {
        this.context = context;
        this.store = context.getStateStore(EvaluationTopology.STORE);
        // (re)initialised with the task, so after a rebalance or an aborted transaction the store is read afresh
        this.cache = new LinkedHashMap<>(256, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, PatientState> eldest) {
                return size() > CACHED_PATIENTS;
            }
        };
        context.schedule(punctuateInterval, PunctuationType.WALL_CLOCK_TIME, this::tickAll);
    }

    @Override
    public void process(Record<String, String> record) {
        String patientId = record.key();
        Instant now = Instant.ofEpochMilli(context.currentSystemTimeMs());
        EvaluationOutcome outcome;
        try {
            JsonNode data = validated(record);
            PatientState state = load(patientId);
            if (THERAPY_UPDATED.equals(header(record, CloudEventHeaders.TYPE))) {
                outcome = evaluator.applyTherapy(state, therapy(data), now);
            } else {
                outcome = evaluator.apply(state, fact(data), now);
            }
        } catch (IllegalArgumentException poison) {
            Headers headers = new RecordHeaders(record.headers().toArray());
            headers.add(CloudEventHeaders.DEAD_LETTER_REASON, poison.getMessage().getBytes(StandardCharsets.UTF_8));
            context.forward(record.withHeaders(headers), "dead-letters");
            return;
        }
        if (outcome.dirty()) {
            save(patientId, outcome.state());
        }
        if (outcome.changed()) {
            publish(patientId, outcome, record.timestamp());
        }
    }

    private void tickAll(long wallClockMs) {
        Instant now = Instant.ofEpochMilli(wallClockMs);
        List<KeyValue<String, EvaluationOutcome>> changed = new ArrayList<>();
        List<String> dormant = new ArrayList<>();
        try (KeyValueIterator<String, byte[]> all = store.all()) {
            while (all.hasNext()) {
                KeyValue<String, byte[]> entry = all.next();
                PatientState cached = cache.get(entry.key);
                PatientState state = cached != null ? cached : read(entry.value);
                if (evaluator.dormant(state, now)) {
                    dormant.add(entry.key);
                    continue;
                }
                EvaluationOutcome outcome = evaluator.tick(state, now);
                if (outcome.changed()) {
                    changed.add(KeyValue.pair(entry.key, outcome));
                }
            }
        }
        for (String patientId : dormant) {
            store.delete(patientId);
            cache.remove(patientId);
        }
        for (KeyValue<String, EvaluationOutcome> c : changed) {
            save(c.key, c.value.state());
            publish(c.key, c.value, wallClockMs);
        }
    }

    private void publish(String patientId, EvaluationOutcome outcome, long timestamp) {
        PatientState state = outcome.state();
        String at = state.evaluatedAt().toString();
        for (ActiveFinding raised : outcome.raised()) {
            emit(patientId, FindingEvents.RAISED, raised.findingId() + ":raised", events.raised(patientId, raised, outcome.report()), timestamp);
        }
        for (EvaluationOutcome.Updated updated : outcome.updated()) {
            emit(patientId, FindingEvents.UPDATED, updated.finding().findingId() + ":updated:" + state.sequence(),
                    events.updated(patientId, updated, at), timestamp);
        }
        for (EvaluationOutcome.Cleared cleared : outcome.cleared()) {
            emit(patientId, FindingEvents.CLEARED, cleared.finding().findingId() + ":cleared",
                    events.cleared(patientId, cleared, at), timestamp);
        }
        emit(patientId, FindingEvents.EVALUATED, patientId + ":evaluation:" + state.sequence(),
                events.evaluated(state, outcome.report(), outcome.news2()), timestamp);
    }

    private JsonNode validated(Record<String, String> record) {
        String type = header(record, CloudEventHeaders.TYPE);
        if (!OBSERVATION_RECORDED.equals(type) && !THERAPY_UPDATED.equals(type)) {
            throw new IllegalArgumentException("expected " + OBSERVATION_RECORDED + " or " + THERAPY_UPDATED + ", got " + type);
        }
        if (record.key() == null || !record.key().equals(header(record, CloudEventHeaders.SUBJECT))) {
            throw new IllegalArgumentException("record key must equal ce_subject (the patient id)");
        }
        JsonNode data;
        try {
            data = JSON.readTree(record.value() == null ? "" : record.value());
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("value is not JSON");
        }
        List<String> violations = data == null || data.isMissingNode() ? List.of("empty value")
                : EventContract.load().validateForReader(type, data);
        if (!violations.isEmpty()) {
            throw new IllegalArgumentException("data breaks the schema: " + violations);
        }
        return data;
    }

    private static ObservationFact fact(JsonNode d) {
        String parameter = d.path("parameter").asText(null);
        if (parameter == null) {
            throw new IllegalArgumentException("observation has no parameter (monitoring-service publishes one with every observation)");
        }
        JsonNode period = d.path("effectivePeriod");
        Instant periodStart = period.isMissingNode() ? null : Instant.parse(period.path("start").asText());
        return new ObservationFact(d.path("observationId").asText(), parameter, d.path("code").path("code").asText(),
                new BigDecimal(d.path("value").asText()), d.path("valueCode").asText(null), d.path("unit").asText(""),
                Instant.parse(d.path("effectiveTime").asText()), periodStart, d.path("source").path("kind").asText(null));
    }

    private static TherapyContext therapy(JsonNode d) {
        return new TherapyContext(d.path("courseId").asText(), d.path("onTherapy").asBoolean(),
                d.hasNonNull("baselineWeightKg") ? new BigDecimal(d.path("baselineWeightKg").asText()) : null,
                d.hasNonNull("lastDoseAt") ? Instant.parse(d.path("lastDoseAt").asText()) : null);
    }

    private void emit(String patientId, String type, String idSeed, Map<String, Object> data, long timestamp) {
        Headers headers = new RecordHeaders();
        add(headers, CloudEventHeaders.SPEC_VERSION, CloudEventHeaders.SPEC_VERSION_VALUE);
        // deterministic ids: a consumer recognises a repeat even outside exactly-once
        add(headers, CloudEventHeaders.ID, UUID.nameUUIDFromBytes(idSeed.getBytes(StandardCharsets.UTF_8)).toString());
        add(headers, CloudEventHeaders.SOURCE, SOURCE);
        add(headers, CloudEventHeaders.TYPE, type);
        add(headers, CloudEventHeaders.SUBJECT, patientId);
        add(headers, CloudEventHeaders.TIME, Instant.ofEpochMilli(context.currentSystemTimeMs()).toString());
        add(headers, CloudEventHeaders.CONTENT_TYPE, CloudEventHeaders.JSON);
        context.forward(new Record<>(patientId, new String(write(data), StandardCharsets.UTF_8), timestamp, headers), "findings");
    }

    private PatientState load(String patientId) {
        PatientState cached = cache.get(patientId);
        if (cached != null) {
            return cached;
        }
        byte[] stored = store.get(patientId);
        return stored == null ? PatientState.empty(patientId) : read(stored);
    }

    private void save(String patientId, PatientState state) {
        try {
            store.put(patientId, STORE_FORMAT.writeValueAsBytes(state));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
        cache.put(patientId, state);
    }

    @Override
    public void close() {
        cache.clear();
    }

    private static PatientState read(byte[] stored) {
        try {
            return STORE_FORMAT.readValue(stored, PatientState.class);
        } catch (IOException e) {
            throw new IllegalStateException("stored evaluation is unreadable", e);
        }
    }

    private static byte[] write(Object value) {
        try {
            return JSON.writeValueAsBytes(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String header(Record<String, String> record, String name) {
        Header h = record.headers().lastHeader(name);
        return h == null || h.value() == null ? null : new String(h.value(), StandardCharsets.UTF_8);
    }

    private static void add(Headers headers, String name, String value) {
        headers.add(name, value.getBytes(StandardCharsets.UTF_8));
    }
}
