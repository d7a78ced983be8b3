package org.hdil2.monitoring.messaging;

import static org.hdil2.monitoring.messaging.EvaluationTopologyTest.observation;
import static org.hdil2.monitoring.messaging.EvaluationTopologyTest.record;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;

import org.apache.kafka.streams.state.KeyValueStore;
import org.hdil2.contract.EventContract;
import org.hdil2.monitoring.config.MonitoringConfig;
import org.hdil2.monitoring.domain.ObservationFact;
import org.hdil2.monitoring.domain.PatientState;
import org.junit.jupiter.api.Test;

/** The evaluation's state store format: what is written reads back equal, and the JSON of before is still read. */
class PatientStateCodecTest {

    private static final Instant NOW = Instant.parse("2026-11-29T10:00:00Z");
    private static final ObjectMapper JSON_OF_BEFORE = new ObjectMapper().registerModule(new JavaTimeModule())
            .enable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS).setSerializationInclusion(JsonInclude.Include.NON_NULL);

    /** A state with every part filled: history of several parameters, a period, a coded value, therapy, findings, a failure. */
    private static byte[] richStoredState() {
        return richStoredState(MonitoringConfig.StateFormat.BINARY);
    }

    private static byte[] richStoredState(MonitoringConfig.StateFormat format) {
        try (TopologyFixture f = new TopologyFixture(NOW, 1, format)) {
            String p = "p-codec";
            ObjectNode therapy = (ObjectNode) EventContract.load().examples(MonitoringEvents.THERAPY_UPDATED).get(0).deepCopy();
            therapy.put("patientId", p);
            f.observations.pipeInput(record(p, MonitoringEvents.THERAPY_UPDATED, therapy.toString()));
            for (int i = 0; i < 12; i++) {
                f.observations.pipeInput(observation(p, "systolic-bp", "8480-6", i % 2 == 0 ? "84" : "104.5", "mm[Hg]", NOW.plusSeconds(i)));
            }
            f.observations.pipeInput(observation(p, "heart-rate", "8867-4", "128", "/min", NOW.plusSeconds(20)));
            f.observations.pipeInput(observation(p, "acvpu", "acvpu", "2", "{score}", NOW.plusSeconds(21), "V"));
            f.observations.pipeInput(observation(p, "systolic-bp", "8480-6", "1E-999999999", "mm[Hg]", NOW.plusSeconds(22)));
            KeyValueStore<String, byte[]> store = f.driver.getKeyValueStore(EvaluationTopology.STORE);
            return store.get(p);
        }
    }

    @Test
    void whatIsWrittenReadsBackEqualAndWritesTheSameBytesAgain() {
        byte[] stored = richStoredState();
        assertTrue(PatientStateCodec.isEncoded(stored));
        PatientState state = PatientStateCodec.decode(stored);
        assertFalse(state.failures().isEmpty(), "the not evaluable observation is recorded as a failure");
        assertEquals(3, state.history().size(), "systolic BP, heart rate, ACVPU");
        assertTrue(state.therapy() != null && !state.active().isEmpty());
        assertEquals(state, PatientStateCodec.decode(PatientStateCodec.encode(state)));
        assertArrayEquals(stored, PatientStateCodec.encode(state));
    }

    /** A course protocol makes format 3; a state without one stays format 2, which the builds before it read. */
    @Test
    void theCourseProtocolIsKeptAndOnlyAStateWithOneIsWrittenInFormat3() {
        PatientState state = PatientStateCodec.decode(richStoredState());
        assertEquals(PatientStateCodec.FORMAT, PatientStateCodec.encode(state)[0], "the contract's example names no protocol");
        org.hdil2.monitoring.domain.TherapyContext t = state.therapy();
        PatientState consensus = new PatientState(state.patientId(), state.sequence(),
                new org.hdil2.monitoring.domain.TherapyContext(t.courseId(), t.onTherapy(), t.baselineWeightKg(), t.lastDoseAt(), "consensus-2014"),
                state.history(), state.statuses(), state.active(), state.news2Total(), state.evaluatedAt(), state.inputsPending(),
                state.stateEpoch(), state.intakeSequence(), state.failures());
        byte[] stored = PatientStateCodec.encode(consensus);
        assertEquals(PatientStateCodec.FORMAT_WITH_PROTOCOL, stored[0]);
        assertTrue(PatientStateCodec.isEncoded(stored));
        PatientState read = PatientStateCodec.decode(stored);
        assertEquals("consensus-2014", read.therapy().protocolId());
        assertEquals(consensus, read);
        assertArrayEquals(stored, PatientStateCodec.encode(read));
    }

    @Test
    void aWriteThatCopiesTheUnchangedBlocksWritesWhatEncodingEverythingWrites() {
        PatientStateCodec.Blocks blocks = new PatientStateCodec.Blocks();
        PatientState state = PatientStateCodec.decode(richStoredState(), blocks);
        PatientState next = withOneMore(state, "heart-rate", "131");
        byte[] copied = PatientStateCodec.encode(next, blocks);
        assertArrayEquals(PatientStateCodec.encode(next), copied);
        assertEquals(next, PatientStateCodec.decode(copied));
        // and again from what that write left: now systolic BP changes, heart rate's new block is copied
        PatientState third = withOneMore(next, "systolic-bp", "99");
        assertArrayEquals(PatientStateCodec.encode(third), PatientStateCodec.encode(third, blocks));
        // parts replaced by equal ones of other instances are encoded, not copied from the old blocks
        PatientState sameParts = withHistory(third, "systolic-bp", new ArrayList<>(third.history().get("systolic-bp")));
        sameParts = new PatientState(sameParts.patientId(), sameParts.sequence(), sameParts.therapy(), sameParts.history(),
                new LinkedHashMap<>(sameParts.statuses()), new LinkedHashMap<>(sameParts.active()), sameParts.news2Total(),
                sameParts.evaluatedAt(), sameParts.inputsPending(), sameParts.stateEpoch(), sameParts.intakeSequence(), sameParts.failures());
        assertArrayEquals(PatientStateCodec.encode(third), PatientStateCodec.encode(sameParts, blocks));
        // a new evaluation (other statuses, no findings) is encoded in full and reads back as written
        PatientState evaluated = new PatientState(third.patientId(), third.sequence() + 1, third.therapy(), third.history(),
                Map.of(), Map.of(), 4, third.evaluatedAt().plusSeconds(60), false, third.stateEpoch(), third.intakeSequence() + 1, List.of());
        byte[] fresh = PatientStateCodec.encode(evaluated, blocks);
        assertArrayEquals(PatientStateCodec.encode(evaluated), fresh);
        assertEquals(evaluated, PatientStateCodec.decode(fresh));
    }

    private static PatientState withOneMore(PatientState s, String parameter, String value) {
        List<ObservationFact> facts = new ArrayList<>(s.history().get(parameter));
        ObservationFact last = facts.get(facts.size() - 1);
        facts.add(new ObservationFact(last.observationId() + "-next", parameter, last.code(), new java.math.BigDecimal(value), null,
                last.unit(), last.effectiveTime().plusSeconds(60), null, last.sourceKind()));
        return withHistory(s, parameter, List.copyOf(facts));
    }

    private static PatientState withHistory(PatientState s, String parameter, List<ObservationFact> facts) {
        Map<String, List<ObservationFact>> history = new LinkedHashMap<>(s.history());
        history.put(parameter, facts);
        return new PatientState(s.patientId(), s.sequence(), s.therapy(), history, s.statuses(), s.active(), s.news2Total(),
                s.evaluatedAt(), s.inputsPending(), s.stateEpoch(), s.intakeSequence(), s.failures());
    }

    /** Written by the format-1 codec (one table of names, history inline) from {@link #richStoredState()}. */
    @Test
    void aStateStoredInFormat1IsStillRead() throws Exception {
        byte[] format1;
        try (InputStream in = getClass().getResourceAsStream("/state-store/patient-state-format-1.b64")) {
            format1 = Base64.getMimeDecoder().decode(new String(in.readAllBytes(), StandardCharsets.US_ASCII));
        }
        assertEquals(PatientStateCodec.FORMAT_INLINE_HISTORY, format1[0]);
        PatientState old = EvaluateProcessor.read(format1);
        PatientState now = PatientStateCodec.decode(richStoredState());
        assertEquals(now.history().keySet(), old.history().keySet());
        now.history().forEach((parameter, facts) -> assertEquals(facts.size(), old.history().get(parameter).size(), parameter));
        assertEquals(now.statuses().keySet(), old.statuses().keySet());
        assertEquals(now.active().keySet(), old.active().keySet());
        assertEquals(now.failures().size(), old.failures().size());
        assertEquals(now.therapy(), old.therapy());
        assertEquals(old, PatientStateCodec.decode(PatientStateCodec.encode(old)));
    }

    @Test
    void aStateStoredAsJsonBeforeTheCodecIsStillRead() throws Exception {
        PatientState state = PatientStateCodec.decode(richStoredState());
        byte[] json = JSON_OF_BEFORE.writeValueAsBytes(state);
        assertEquals('{', json[0]);
        PatientState fromJson = EvaluateProcessor.read(json);
        assertEquals(state.sequence(), fromJson.sequence());
        assertEquals(state.history().keySet(), fromJson.history().keySet());
        assertEquals(state.history().get("systolic-bp").size(), fromJson.history().get("systolic-bp").size());
        assertEquals(state.active().keySet(), fromJson.active().keySet());
        assertEquals(state.failures().size(), fromJson.failures().size());
        assertEquals(state.evaluatedAt(), fromJson.evaluatedAt());
        // and written back in the codec's format, it reads the same again
        assertEquals(PatientStateCodec.decode(PatientStateCodec.encode(fromJson)), fromJson);
    }

    @Test
    void inTheJsonFormatTheStoreHoldsWhatEveryVersionReadsAndTheSameState() {
        byte[] json = richStoredState(MonitoringConfig.StateFormat.JSON);
        assertEquals('{', json[0]);
        PatientState fromJson = EvaluateProcessor.read(json);
        PatientState fromBinary = PatientStateCodec.decode(richStoredState(MonitoringConfig.StateFormat.BINARY));
        assertEquals(fromBinary.sequence(), fromJson.sequence());
        assertEquals(fromBinary.history().keySet(), fromJson.history().keySet());
        assertEquals(fromBinary.active().keySet(), fromJson.active().keySet());
        assertEquals(fromBinary.failures().size(), fromJson.failures().size());
    }

    @Test
    void aDamagedValueIsUnreadableNotAWrongState() {
        byte[] stored = richStoredState();
        assertThrows(IllegalStateException.class, () -> PatientStateCodec.decode(Arrays.copyOf(stored, stored.length / 2)));
        byte[] longer = Arrays.copyOf(stored, stored.length + 1);
        assertThrows(IllegalStateException.class, () -> PatientStateCodec.decode(longer));
        assertThrows(IllegalStateException.class, () -> EvaluateProcessor.read(new byte[] {7, 1, 2}));
    }
}
