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
import java.util.TreeMap;
import java.util.UUID;
import java.util.regex.Pattern;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;

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
import org.hdil2.monitoring.config.MonitoringConfig;
import org.hdil2.monitoring.domain.ActiveFinding;
import org.hdil2.monitoring.domain.EvaluationFailure;
import org.hdil2.monitoring.domain.EvaluationOutcome;
import org.hdil2.monitoring.domain.Evaluator;
import org.hdil2.monitoring.domain.Evaluators;
import org.hdil2.monitoring.domain.ObservationCatalog;
import org.hdil2.monitoring.domain.ObservationFact;
import org.hdil2.monitoring.domain.PatientState;
import org.hdil2.monitoring.domain.TherapyContext;
import org.jboss.logging.Logger;

/**
 * Evaluates one patient per record, and every patient of this task on each wall-clock punctuation. The evaluation
 * time is the wall clock (the processor context's, so tests drive it); observations are judged by their effective
 * times against it.
 *
 * <p>No record stops it: whatever fails while evaluating one record sends that record to the dead-letter topic with
 * the reason, records the failure in the patient's state (so consumers know the evaluation missed an accepted
 * observation) and goes on. Every {@code checkpointInterval} it writes an evaluation checkpoint to its partition of
 * the findings topic: consumers that stop seeing them know the evaluation is not current; the checkpoint also says
 * which patients' evaluations include newer accepted observations than their last evaluation-updated, and which
 * patients have failures.
 */
final class EvaluateProcessor implements Processor<String, String, String, String> {

    static final String CHECKPOINT_KEY_PREFIX = "partition/";
    private static final Logger LOG = Logger.getLogger(EvaluateProcessor.class);
    private static final String SOURCE = "/hdil2/monitoring-service";
    private static final Pattern PATIENT_ID = Pattern.compile("[A-Za-z0-9._-]{1,64}");
    private static final ObjectMapper JSON = new ObjectMapper().registerModule(new JavaTimeModule())
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS);
    /**
     * The store's JSON format (JSON text, times as numbers, no nulls), which every version reads; the other is
     * {@link PatientStateCodec}'s binary one. A stored state is read in either (JSON starts with '{').
     */
    private static final ObjectMapper JSON_STORE_FORMAT = new ObjectMapper().registerModule(new JavaTimeModule())
            .enable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
            .setSerializationInclusion(JsonInclude.Include.NON_NULL)
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS);
    /** Patients whose state is kept deserialised between records; the store stays the truth. */
    private static final int CACHED_PATIENTS = 10_000;
    /** Patients per checkpoint record, so a checkpoint after a restart (every patient of the partition) stays small. */
    static final int CHECKPOINT_CHUNK = 500;

    /**
     * A patient's state as last written or read, and where its blocks lie in those bytes (binary format), so the next
     * write copies the parts that did not change.
     */
    private record Cached(PatientState state, PatientStateCodec.Blocks blocks) {
    }

    /** What a checkpoint says of one patient whose evaluation got ahead of its last evaluation-updated. */
    private record Progress(Instant stateEpoch, long sequence, long intakeSequence) {
    }

    private final Evaluators evaluators;
    /** The event shapes of each protocol, by protocol id. */
    private final Map<String, FindingEvents> events = new java.util.HashMap<>();
    private final Duration punctuateInterval;
    private final Duration checkpointInterval;
    private final EvaluationProgress progress;
    /** Write states with {@link PatientStateCodec} (read: both formats, always). */
    private final boolean binaryState;
    private ProcessorContext<String, String> context;
    private KeyValueStore<String, byte[]> store;
    private Map<String, Cached> cache;
    private int partition;
    /** Patients whose intake sequence advanced since their last evaluation-updated; after (re)start, every patient. */
    private final Map<String, Progress> unreported = new TreeMap<>();
    /** Patients with failures, and which. */
    private final Map<String, List<EvaluationFailure>> failing = new TreeMap<>();

    EvaluateProcessor(Evaluators evaluators, Duration punctuateInterval, Duration checkpointInterval, EvaluationProgress progress,
                      MonitoringConfig.StateFormat stateFormat) {
        this.binaryState = stateFormat == MonitoringConfig.StateFormat.BINARY;
        this.evaluators = evaluators;
        evaluators.all().forEach(e -> events.put(e.protocol().id(), new FindingEvents(e.protocol())));
        this.punctuateInterval = punctuateInterval;
        this.checkpointInterval = checkpointInterval;
        this.progress = progress;
    }

    @Override
    public void init(ProcessorContext<String, String> context) {
        this.context = context;
        this.store = context.getStateStore(EvaluationTopology.STORE);
        this.partition = context.taskId().partition();
        // (re)initialised with the task, so after a rebalance or an aborted transaction the store is read afresh
        this.cache = new LinkedHashMap<>(256, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, Cached> eldest) {
                return size() > CACHED_PATIENTS;
            }
        };
        unreported.clear();
        failing.clear();
        // the first checkpoint after a (re)start speaks for every patient: what was unreported before is not known
        try (KeyValueIterator<String, byte[]> all = store.all()) {
            while (all.hasNext()) {
                KeyValue<String, byte[]> entry = all.next();
                try {
                    PatientState state = read(entry.value);
                    unreported.put(entry.key, progressOf(state));
                    if (!state.failures().isEmpty()) {
                        failing.put(entry.key, state.failures());
                    }
                } catch (IllegalStateException unreadable) {
                    // rebuilt when the patient is next touched
                }
            }
        }
        progress.taskStarted(partition, context.currentSystemTimeMs());
        context.schedule(punctuateInterval, PunctuationType.WALL_CLOCK_TIME, this::tickAll);
        context.schedule(checkpointInterval, PunctuationType.WALL_CLOCK_TIME, this::checkpoint);
    }

    @Override
    public void process(Record<String, String> record) {
        Instant now = Instant.ofEpochMilli(context.currentSystemTimeMs());
        try {
            evaluate(record, now);
        } catch (RuntimeException e) {
            deadLetter(record, e);
            recordFailure(record, e, now);
        }
    }

    private void evaluate(Record<String, String> record, Instant now) {
        String patientId = record.key();
        JsonNode data = validated(record);
        PatientState state = load(patientId, now);
        long intakeSequence = data.path("intakeSequence").asLong(0);
        EvaluationOutcome outcome;
        ObservationFact fact = null;
        if (MonitoringEvents.THERAPY_UPDATED.equals(header(record, CloudEventHeaders.TYPE))) {
            TherapyContext therapy = therapy(data);
            if (therapy.onTherapy() && therapy.protocolId() != null && !evaluators.knows(therapy.protocolId())) {
                LOG.warnf("a course on partition %d names protocol %s, which this deployment does not load: evaluated under %s,"
                        + " and dosing answers ASSESS while the protocols differ", partition, therapy.protocolId(),
                        evaluators.defaults().protocol().id());
            }
            // the new context's protocol judges: a change of protocol re-evaluates under the new one, whose rules replace the old
            outcome = evaluators.of(therapy).applyTherapy(state, therapy, now);
        } else {
            fact = fact(data, now);
            outcome = evaluators.of(state).apply(state, fact, now);
        }
        PatientState next = outcome.state().includingIntake(intakeSequence).liftingFailures(fact, now);
        if (outcome.dirty() || next != outcome.state()) {
            save(patientId, next);
        }
        if (outcome.changed()) {
            publish(patientId, outcome, next, record.timestamp());
        } else if (next.intakeSequence() > state.intakeSequence()) {
            unreported.put(patientId, progressOf(next));
        }
    }

    private void tickAll(long wallClockMs) {
        Instant now = Instant.ofEpochMilli(wallClockMs);
        List<KeyValue<String, EvaluationOutcome>> changed = new ArrayList<>();
        List<KeyValue<String, PatientState>> updated = new ArrayList<>();
        List<String> dormant = new ArrayList<>();
        try (KeyValueIterator<String, byte[]> all = store.all()) {
            while (all.hasNext()) {
                KeyValue<String, byte[]> entry = all.next();
                PatientState state;
                try {
                    Cached cached = cache.get(entry.key);
                    state = cached != null ? cached.state() : read(entry.value);
                } catch (IllegalStateException unreadable) {
                    LOG.errorf("the stored evaluation of a patient of partition %d cannot be read; it starts afresh and is reported failing", partition);
                    updated.add(KeyValue.pair(entry.key, rebuilt(entry.key, now)));
                    continue;
                }
                try {
                    Evaluator evaluator = evaluators.of(state);
                    if (evaluator.dormant(state, now)) {
                        dormant.add(entry.key);
                        continue;
                    }
                    EvaluationOutcome outcome = evaluator.tick(state, now);
                    PatientState next = outcome.state().reevaluated(now);
                    if (outcome.changed()) {
                        changed.add(KeyValue.pair(entry.key, new EvaluationOutcome(next, true, true, outcome.raised(),
                                outcome.updated(), outcome.cleared(), outcome.report(), outcome.news2())));
                    } else if (next != state) {
                        updated.add(KeyValue.pair(entry.key, next));
                    }
                } catch (RuntimeException e) {
                    // one patient's evaluation failing must not stop the others'
                    LOG.errorf("re-evaluating a patient of partition %d failed (%s); the patient is reported failing until a re-evaluation succeeds",
                            partition, e.getClass().getSimpleName());
                    if (state.failures().stream().noneMatch(f -> f.kind() == EvaluationFailure.Kind.EVALUATION)) {
                        updated.add(KeyValue.pair(entry.key, state.withFailure(new EvaluationFailure(EvaluationFailure.Kind.EVALUATION,
                                null, null, null, state.intakeSequence(), now, "re-evaluating the patient as time passed failed ("
                                + e.getClass().getSimpleName() + ")"))));
                        progress.failuresRecorded.incrementAndGet();
                    }
                }
            }
        }
        for (String patientId : dormant) {
            store.delete(patientId);
            cache.remove(patientId);
            unreported.remove(patientId);
            failing.remove(patientId);
        }
        for (KeyValue<String, PatientState> u : updated) {
            save(u.key, u.value);
        }
        for (KeyValue<String, EvaluationOutcome> c : changed) {
            save(c.key, c.value.state());
            publish(c.key, c.value, c.value.state(), wallClockMs);
        }
    }

    private void checkpoint(long wallClockMs) {
        emitCheckpoint(Instant.ofEpochMilli(wallClockMs));
    }

    /**
     * Writes the checkpoint: on this task's partition of the findings topic, after everything this task published so
     * far. Without the findings topic's partition count (not known yet) no checkpoint is written: consumers then
     * treat the evaluation as not current, which is the safe side.
     */
    private void emitCheckpoint(Instant at) {
        int partitions = progress.findingsPartitions();
        if (partitions < 1) {
            progress.checkpointed(partition, at.toEpochMilli(), failing.size(), false); // alive, though it cannot say so to consumers
            return;
        }
        List<Map<String, Object>> failures = new ArrayList<>();
        failing.forEach((patientId, list) -> list.forEach(f -> failures.add(failureData(patientId, f))));
        boolean truncated = failures.size() > CHECKPOINT_CHUNK;
        List<Map<String, Object>> evaluations = new ArrayList<>();
        unreported.forEach((patientId, p) -> {
            Map<String, Object> e = new LinkedHashMap<>();
            e.put("patientId", patientId);
            if (p.stateEpoch() != null) {
                e.put("stateEpoch", p.stateEpoch().toString());
            }
            e.put("sequence", p.sequence());
            e.put("intakeSequence", p.intakeSequence());
            evaluations.add(e);
        });
        int chunks = Math.max(1, (evaluations.size() + CHECKPOINT_CHUNK - 1) / CHECKPOINT_CHUNK);
        for (int i = 0; i < chunks; i++) {
            Map<String, Object> data = new LinkedHashMap<>();
            data.put("partition", partition);
            data.put("partitions", partitions);
            data.put("at", at.toString());
            data.put("evaluations", evaluations.subList(i * CHECKPOINT_CHUNK, Math.min(evaluations.size(), (i + 1) * CHECKPOINT_CHUNK)));
            data.put("failures", truncated ? failures.subList(0, CHECKPOINT_CHUNK) : failures);
            if (truncated) {
                data.put("failuresTruncated", true);
            }
            String key = CHECKPOINT_KEY_PREFIX + partition;
            emit(key, MonitoringEvents.EVALUATION_CHECKPOINT, key + ":" + at.toEpochMilli() + ":" + i, data, at.toEpochMilli());
        }
        unreported.clear();
        progress.checkpointed(partition, at.toEpochMilli(), failing.size(), true);
    }

    private void publish(String patientId, EvaluationOutcome outcome, PatientState state, long timestamp) {
        String at = state.evaluatedAt().toString();
        String epoch = state.stateEpoch() == null ? "" : ":" + state.stateEpoch().toEpochMilli();
        FindingEvents shapes = events(state);
        for (ActiveFinding raised : outcome.raised()) {
            emit(patientId, MonitoringEvents.FINDING_RAISED, raised.findingId() + ":raised", shapes.raised(patientId, raised, outcome.report()), timestamp);
        }
        for (EvaluationOutcome.Updated updated : outcome.updated()) {
            emit(patientId, MonitoringEvents.FINDING_UPDATED, updated.finding().findingId() + ":updated" + epoch + ":" + state.sequence(),
                    shapes.updated(patientId, updated, at), timestamp);
        }
        for (EvaluationOutcome.Cleared cleared : outcome.cleared()) {
            emit(patientId, MonitoringEvents.FINDING_CLEARED, cleared.finding().findingId() + ":cleared",
                    shapes.cleared(patientId, cleared, at), timestamp);
        }
        // before epochs existed the id was patient:evaluation:sequence; with one it is unique across rebuilt states too
        emit(patientId, MonitoringEvents.EVALUATION_UPDATED, patientId + ":evaluation" + epoch + ":" + state.sequence(),
                shapes.evaluated(state, outcome.report(), outcome.news2()), timestamp);
        unreported.remove(patientId);
    }

    /** The event shapes of the protocol the patient is evaluated under. */
    private FindingEvents events(PatientState state) {
        return events.get(evaluators.of(state).protocol().id());
    }

    private void deadLetter(Record<String, String> record, RuntimeException e) {
        String reason = e instanceof IllegalArgumentException ? e.getMessage()
                : "the evaluation failed on this record (" + e.getClass().getSimpleName() + ")";
        if (!(e instanceof IllegalArgumentException)) {
            LOG.errorf(e, "evaluating a record of partition %d failed; dead-lettered", partition);
        }
        Headers headers = new RecordHeaders(record.headers().toArray());
        headers.add(CloudEventHeaders.DEAD_LETTER_REASON, String.valueOf(reason).getBytes(StandardCharsets.UTF_8));
        context.forward(record.withHeaders(headers), "dead-letters");
        progress.deadLetters.incrementAndGet();
    }

    /**
     * The patient of a record that could not be evaluated is reported failing, and a checkpoint goes out at once so
     * that consumers learn of it before any later evaluation of the patient. A record that names no patient, or
     * whose type is not one this topology evaluates, is only dead-lettered.
     */
    private void recordFailure(Record<String, String> record, RuntimeException cause, Instant now) {
        String patientId = record.key();
        String type = header(record, CloudEventHeaders.TYPE);
        if (patientId == null || !PATIENT_ID.matcher(patientId).matches()
                || (type != null && !MonitoringEvents.OBSERVATION_RECORDED.equals(type) && !MonitoringEvents.THERAPY_UPDATED.equals(type))) {
            return;
        }
        try {
            PatientState state = load(patientId, now);
            EvaluationFailure failure = failureOf(record, cause, now);
            save(patientId, state.withFailure(failure).includingIntake(failure.intakeSequence()));
            progress.failuresRecorded.incrementAndGet();
            emitCheckpoint(now);
        } catch (RuntimeException again) {
            // the record is dead-lettered and its intake sequence not included: consumers see it as not yet evaluated
            LOG.errorf("recording the evaluation failure of a patient of partition %d failed too (%s)", partition, again.getClass().getSimpleName());
        }
    }

    private static EvaluationFailure failureOf(Record<String, String> record, RuntimeException cause, Instant now) {
        JsonNode data;
        try {
            data = JSON.readTree(record.value() == null ? "" : record.value());
        } catch (JsonProcessingException | RuntimeException e) {
            data = null;
        }
        String type = header(record, CloudEventHeaders.TYPE);
        String why = cause instanceof IllegalArgumentException ? "the record breaks the contract"
                : "the evaluation failed on this record (" + cause.getClass().getSimpleName() + ")";
        String parameter = data == null ? null : text(data, "parameter");
        String observationId = data == null ? null : text(data, "observationId");
        Instant effective = data == null ? null : instant(data.path("effectiveTime").asText(null));
        long intake = data == null ? 0 : Math.max(0, data.path("intakeSequence").asLong(0));
        boolean observation = !MonitoringEvents.THERAPY_UPDATED.equals(type) && parameter != null;
        return new EvaluationFailure(observation ? EvaluationFailure.Kind.OBSERVATION : EvaluationFailure.Kind.RECORD,
                observationId, observation ? parameter : null, effective, intake, now,
                (MonitoringEvents.THERAPY_UPDATED.equals(type) ? "a therapy update: " : "") + why);
    }

    private static Map<String, Object> failureData(String patientId, EvaluationFailure f) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("patientId", patientId);
        m.put("since", f.since().toString());
        m.put("reason", f.reason());
        if (f.observationId() != null) {
            m.put("observationId", f.observationId());
        }
        if (f.parameter() != null) {
            m.put("parameter", f.parameter());
        }
        if (f.effectiveTime() != null) {
            m.put("effectiveTime", f.effectiveTime().toString());
        }
        if (f.intakeSequence() > 0) {
            m.put("intakeSequence", f.intakeSequence());
        }
        return m;
    }

    private JsonNode validated(Record<String, String> record) {
        String type = header(record, CloudEventHeaders.TYPE);
        if (!MonitoringEvents.OBSERVATION_RECORDED.equals(type) && !MonitoringEvents.THERAPY_UPDATED.equals(type)) {
            throw new IllegalArgumentException("expected " + MonitoringEvents.OBSERVATION_RECORDED + " or " + MonitoringEvents.THERAPY_UPDATED + ", got " + type);
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

    /** The observation as the evaluation sees it; one intake would have refused is not evaluated (it is dead-lettered). */
    private static ObservationFact fact(JsonNode d, Instant now) {
        String parameter = d.path("parameter").asText(null);
        if (parameter == null) {
            throw new IllegalArgumentException("observation has no parameter (monitoring-service publishes one with every observation)");
        }
        BigDecimal value = d.path("value").decimalValue();
        JsonNode period = d.path("effectivePeriod");
        Instant periodStart = period.isMissingNode() ? null : Instant.parse(period.path("start").asText());
        Instant effective = Instant.parse(d.path("effectiveTime").asText());
        String refused = ObservationCatalog.notEvaluable(value, periodStart, effective, now);
        if (refused != null) {
            throw new IllegalArgumentException("not evaluable: " + refused);
        }
        return new ObservationFact(d.path("observationId").asText(), parameter, d.path("code").path("code").asText(),
                value, d.path("valueCode").asText(null), d.path("unit").asText(""), effective, periodStart,
                d.path("source").path("kind").asText(null));
    }

    private static TherapyContext therapy(JsonNode d) {
        return new TherapyContext(d.path("courseId").asText(), d.path("onTherapy").asBoolean(),
                d.hasNonNull("baselineWeightKg") ? new BigDecimal(d.path("baselineWeightKg").asText()) : null,
                d.hasNonNull("lastDoseAt") ? Instant.parse(d.path("lastDoseAt").asText()) : null,
                d.path("protocol").hasNonNull("id") ? d.path("protocol").path("id").asText() : null);
    }

    private void emit(String key, String type, String idSeed, Map<String, Object> data, long timestamp) {
        // deterministic ids: a consumer recognises a repeat even outside exactly-once
        Headers headers = CloudEventHeaders.write(new RecordHeaders(), UUID.nameUUIDFromBytes(idSeed.getBytes(StandardCharsets.UTF_8))
                .toString(), SOURCE, type, key, Instant.ofEpochMilli(context.currentSystemTimeMs()));
        context.forward(new Record<>(key, new String(write(data), StandardCharsets.UTF_8), timestamp, headers), "findings");
    }

    /** The patient's state; a new one (a new epoch) for a patient not seen yet, or whose stored state cannot be read. */
    private PatientState load(String patientId, Instant now) {
        Cached cached = cache.get(patientId);
        if (cached != null) {
            return cached.state();
        }
        byte[] stored = store.get(patientId);
        if (stored == null) {
            return PatientState.empty(patientId, now);
        }
        try {
            PatientStateCodec.Blocks blocks = new PatientStateCodec.Blocks();
            PatientState state = read(stored, blocks);
            cache.put(patientId, new Cached(state, blocks));
            return state;
        } catch (IllegalStateException unreadable) {
            LOG.errorf("the stored evaluation of a patient of partition %d cannot be read; it starts afresh and is reported failing", partition);
            return rebuilt(patientId, now);
        }
    }

    /** A fresh state for a patient whose state was lost: what looks back (windows, durations) lacks history for a day. */
    private PatientState rebuilt(String patientId, Instant now) {
        progress.statesRebuilt.incrementAndGet();
        return PatientState.empty(patientId, now).withFailure(new EvaluationFailure(EvaluationFailure.Kind.RECORD, null, null, null,
                0, now, "the patient's evaluation state could not be read and was started afresh at " + now
                + "; rules that look back (windows, durations) lack the earlier history"));
    }

    private void save(String patientId, PatientState state) {
        Cached cached = cache.get(patientId);
        PatientStateCodec.Blocks blocks = cached == null ? new PatientStateCodec.Blocks() : cached.blocks();
        store.put(patientId, binaryState ? PatientStateCodec.encode(state, blocks) : writeJson(state));
        cache.put(patientId, new Cached(state, blocks));
        if (state.failures().isEmpty()) {
            failing.remove(patientId);
        } else {
            failing.put(patientId, state.failures());
        }
    }

    private static Progress progressOf(PatientState state) {
        return new Progress(state.stateEpoch(), state.sequence(), state.intakeSequence());
    }

    @Override
    public void close() {
        cache.clear();
        progress.taskClosed(partition);
    }

    private static byte[] writeJson(PatientState state) {
        try {
            return JSON_STORE_FORMAT.writeValueAsBytes(state);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    static PatientState read(byte[] stored) {
        return read(stored, null);
    }

    private static PatientState read(byte[] stored, PatientStateCodec.Blocks blocks) {
        if (PatientStateCodec.isEncoded(stored)) {
            return PatientStateCodec.decode(stored, blocks);
        }
        try {
            return JSON_STORE_FORMAT.readValue(stored, PatientState.class);
        } catch (IOException | RuntimeException e) {
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

    private static String text(JsonNode data, String field) {
        JsonNode n = data.path(field);
        return n.isTextual() && !n.asText().isBlank() ? n.asText() : null;
    }

    private static Instant instant(String text) {
        try {
            return text == null ? null : Instant.parse(text);
        } catch (RuntimeException e) {
            return null;
        }
    }

    private static String header(Record<String, String> record, String name) {
        return CloudEventHeaders.read(record.headers(), name);
    }
}
