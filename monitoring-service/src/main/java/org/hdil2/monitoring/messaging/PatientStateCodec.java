package org.hdil2.monitoring.messaging;

import java.io.ByteArrayInputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.hdil2.monitoring.domain.ActiveFinding;
import org.hdil2.monitoring.domain.Detail;
import org.hdil2.monitoring.domain.EvaluationFailure;
import org.hdil2.monitoring.domain.ObservationFact;
import org.hdil2.monitoring.domain.PatientState;
import org.hdil2.monitoring.domain.RuleState;
import org.hdil2.monitoring.domain.RuleStatus;
import org.hdil2.monitoring.domain.TherapyContext;

/**
 * The evaluation's state store format: a patient's {@link PatientState} as compact binary, written on every
 * observation. Written as JSON through Jackson's databind it was half the evaluation's CPU (bench/side-by-side.sh with
 * JFR: reflection, serializer lookups and text for up to 128 observations per parameter); CBOR through the same
 * databind saved almost nothing. Here every field is written in declaration order; short strings that repeat
 * (parameter ids, codes, units, rule ids) are written once per state and then by index; numbers as their unscaled value and scale,
 * times as seconds and nanoseconds, maps in their iteration order, so a state reads back equal to the one written.
 *
 * <p>Format 1: the byte {@code 0x01}, then the state. A stored value that starts with {@code '{'} is the JSON of
 * before and is read by the caller's JSON mapper. Internal: only this topology reads it (its changelog is not a
 * contract).
 */
final class PatientStateCodec {

    static final byte FORMAT = 1;
    /** Strings up to this length (ids, codes, units) are written once per state, longer ones each time. */
    static final int SHARED_UP_TO = 48;

    private PatientStateCodec() {
    }

    static boolean isEncoded(byte[] stored) {
        return stored.length > 0 && stored[0] == FORMAT;
    }

    static byte[] encode(PatientState s) {
        Writer w = new Writer();
        w.out.writeByte(FORMAT);
        w.string(s.patientId());
        w.out.writeLong(s.sequence());
        TherapyContext t = s.therapy();
        w.out.writeBoolean(t != null);
        if (t != null) {
            w.string(t.courseId());
            w.out.writeBoolean(t.onTherapy());
            w.decimal(t.baselineWeightKg());
            w.instant(t.lastDoseAt());
        }
        w.out.writeInt(s.history().size());
        for (Map.Entry<String, List<ObservationFact>> e : s.history().entrySet()) {
            w.string(e.getKey());
            w.out.writeInt(e.getValue().size());
            for (ObservationFact f : e.getValue()) {
                w.fact(f);
            }
        }
        w.out.writeInt(s.statuses().size());
        for (Map.Entry<String, RuleStatus> e : s.statuses().entrySet()) {
            w.string(e.getKey());
            RuleStatus r = e.getValue();
            w.string(r.ruleId());
            w.string(r.state() == null ? null : r.state().name());
            w.text(r.findingId());
            w.detail(r.detail());
            w.text(r.reason());
            w.texts(r.observationIds());
        }
        w.out.writeInt(s.active().size());
        for (Map.Entry<String, ActiveFinding> e : s.active().entrySet()) {
            w.string(e.getKey());
            ActiveFinding a = e.getValue();
            w.text(a.findingId());
            w.string(a.ruleId());
            w.string(a.ruleVersion());
            w.string(a.severity());
            w.detail(a.detail());
            w.out.writeBoolean(a.deciding() != null);
            if (a.deciding() != null) {
                w.fact(a.deciding());
            }
            w.out.writeInt(a.evidence() == null ? -1 : a.evidence().size());
            if (a.evidence() != null) {
                for (ObservationFact f : a.evidence()) {
                    w.fact(f);
                }
            }
            w.instant(a.raisedAt());
        }
        w.integer(s.news2Total());
        w.instant(s.evaluatedAt());
        w.out.writeBoolean(s.inputsPending());
        w.instant(s.stateEpoch());
        w.out.writeLong(s.intakeSequence());
        w.out.writeInt(s.failures().size());
        for (EvaluationFailure f : s.failures()) {
            w.string(f.kind() == null ? null : f.kind().name());
            w.text(f.observationId());
            w.string(f.parameter());
            w.instant(f.effectiveTime());
            w.out.writeLong(f.intakeSequence());
            w.instant(f.since());
            w.text(f.reason());
        }
        return w.out.toByteArray();
    }

    static PatientState decode(byte[] stored) {
        try (Reader r = new Reader(new DataInputStream(new ByteArrayInputStream(stored)))) {
            if (r.in.readByte() != FORMAT) {
                throw new IllegalStateException("not a format-" + FORMAT + " patient state");
            }
            String patientId = r.string();
            long sequence = r.in.readLong();
            TherapyContext therapy = r.in.readBoolean() ? new TherapyContext(r.string(), r.in.readBoolean(), r.decimal(), r.instant()) : null;
            Map<String, List<ObservationFact>> history = new LinkedHashMap<>();
            for (int i = r.in.readInt(); i > 0; i--) {
                String parameter = r.string();
                int n = r.in.readInt();
                List<ObservationFact> facts = new ArrayList<>(n);
                for (int j = 0; j < n; j++) {
                    facts.add(r.fact());
                }
                history.put(parameter, List.copyOf(facts));
            }
            Map<String, RuleStatus> statuses = new LinkedHashMap<>();
            for (int i = r.in.readInt(); i > 0; i--) {
                String key = r.string();
                String ruleId = r.string();
                String state = r.string();
                statuses.put(key, new RuleStatus(ruleId, state == null ? null : RuleState.valueOf(state), r.string(), r.detail(), r.string(),
                        r.strings()));
            }
            Map<String, ActiveFinding> active = new LinkedHashMap<>();
            for (int i = r.in.readInt(); i > 0; i--) {
                String key = r.string();
                String findingId = r.string();
                String ruleId = r.string();
                String ruleVersion = r.string();
                String severity = r.string();
                Detail detail = r.detail();
                ObservationFact deciding = r.in.readBoolean() ? r.fact() : null;
                int n = r.in.readInt();
                List<ObservationFact> evidence = null;
                if (n >= 0) {
                    evidence = new ArrayList<>(n);
                    for (int j = 0; j < n; j++) {
                        evidence.add(r.fact());
                    }
                    evidence = List.copyOf(evidence);
                }
                active.put(key, new ActiveFinding(findingId, ruleId, ruleVersion, severity, detail, deciding, evidence, r.instant()));
            }
            Integer news2Total = r.integer();
            Instant evaluatedAt = r.instant();
            boolean inputsPending = r.in.readBoolean();
            Instant stateEpoch = r.instant();
            long intakeSequence = r.in.readLong();
            List<EvaluationFailure> failures = new ArrayList<>();
            for (int i = r.in.readInt(); i > 0; i--) {
                String kind = r.string();
                failures.add(new EvaluationFailure(kind == null ? null : EvaluationFailure.Kind.valueOf(kind), r.string(), r.string(),
                        r.instant(), r.in.readLong(), r.instant(), r.string()));
            }
            if (r.in.available() != 0) {
                throw new IllegalStateException("trailing bytes after the patient state");
            }
            return new PatientState(patientId, sequence, therapy, history, statuses, active, news2Total, evaluatedAt, inputsPending,
                    stateEpoch, intakeSequence, failures);
        } catch (IOException | RuntimeException e) {
            throw new IllegalStateException("stored evaluation is unreadable", e);
        }
    }

    /** Writes short names once per state (then by index), texts and ids as they are, numbers and times exactly. */
    private static final class Writer {
        final Buffer out = new Buffer();
        private final Map<String, Integer> seen = new HashMap<>(64);

        /** A name that repeats within a state (a parameter, code, unit, rule id, state). */
        void string(String s) {
            if (s == null) {
                out.writeInt(-1);
                return;
            }
            if (s.length() > SHARED_UP_TO) {
                text(s);
                return;
            }
            Integer index = seen.get(s);
            if (index != null) {
                out.writeInt(index);
                return;
            }
            seen.put(s, seen.size());
            bytes(-2, s);
        }

        /** A string that does not repeat (an id, a reason): written as it is, without the cost of looking it up. */
        void text(String s) {
            if (s == null) {
                out.writeInt(-1);
            } else {
                bytes(-3, s);
            }
        }

        private void bytes(int marker, String s) {
            byte[] utf8 = s.getBytes(java.nio.charset.StandardCharsets.UTF_8);
            out.writeInt(marker);
            out.writeInt(utf8.length);
            out.write(utf8);
        }

        void texts(List<String> list) {
            out.writeInt(list == null ? -1 : list.size());
            if (list != null) {
                for (String s : list) {
                    text(s);
                }
            }
        }

        void decimal(BigDecimal d) {
            out.writeBoolean(d != null);
            if (d != null) {
                out.writeInt(d.scale());
                byte[] unscaled = d.unscaledValue().toByteArray();
                out.writeShort(unscaled.length);
                out.write(unscaled);
            }
        }

        void instant(Instant t) {
            out.writeBoolean(t != null);
            if (t != null) {
                out.writeLong(t.getEpochSecond());
                out.writeInt(t.getNano());
            }
        }

        void integer(Integer i) {
            out.writeBoolean(i != null);
            if (i != null) {
                out.writeInt(i);
            }
        }

        void detail(Detail d) {
            out.writeBoolean(d != null);
            if (d != null) {
                string(d.name());
                decimal(d.value());
                string(d.unit());
                integer(d.grade());
                string(d.band());
            }
        }

        void fact(ObservationFact f) {
            text(f.observationId());
            string(f.parameter());
            string(f.code());
            decimal(f.value());
            string(f.valueCode());
            string(f.unit());
            instant(f.effectiveTime());
            instant(f.periodStart());
            string(f.sourceKind());
        }

    }

    /** A growing byte array, big-endian like DataOutputStream, without its per-byte synchronised writes. */
    private static final class Buffer {
        private byte[] bytes = new byte[8192];
        private int size;

        private void ensure(int more) {
            if (size + more > bytes.length) {
                bytes = Arrays.copyOf(bytes, Math.max(bytes.length * 2, size + more));
            }
        }

        void writeByte(int b) {
            ensure(1);
            bytes[size++] = (byte) b;
        }

        void writeBoolean(boolean b) {
            writeByte(b ? 1 : 0);
        }

        void writeShort(int v) {
            ensure(2);
            bytes[size++] = (byte) (v >>> 8);
            bytes[size++] = (byte) v;
        }

        void writeInt(int v) {
            ensure(4);
            bytes[size++] = (byte) (v >>> 24);
            bytes[size++] = (byte) (v >>> 16);
            bytes[size++] = (byte) (v >>> 8);
            bytes[size++] = (byte) v;
        }

        void writeLong(long v) {
            writeInt((int) (v >>> 32));
            writeInt((int) v);
        }

        void write(byte[] b) {
            ensure(b.length);
            System.arraycopy(b, 0, bytes, size, b.length);
            size += b.length;
        }

        byte[] toByteArray() {
            return Arrays.copyOf(bytes, size);
        }
    }

    private static final class Reader implements AutoCloseable {
        final DataInputStream in;
        private final List<String> seen = new ArrayList<>();

        Reader(DataInputStream in) {
            this.in = in;
        }

        String string() throws IOException {
            int marker = in.readInt();
            if (marker == -1) {
                return null;
            }
            if (marker == -2 || marker == -3) {
                byte[] utf8 = new byte[in.readInt()];
                in.readFully(utf8);
                String s = new String(utf8, java.nio.charset.StandardCharsets.UTF_8);
                if (marker == -2) {
                    seen.add(s);
                }
                return s;
            }
            return seen.get(marker);
        }

        List<String> strings() throws IOException {
            int n = in.readInt();
            if (n < 0) {
                return null;
            }
            List<String> list = new ArrayList<>(n);
            for (int i = 0; i < n; i++) {
                list.add(string());
            }
            return List.copyOf(list);
        }

        BigDecimal decimal() throws IOException {
            if (!in.readBoolean()) {
                return null;
            }
            int scale = in.readInt();
            byte[] unscaled = new byte[in.readShort()];
            in.readFully(unscaled);
            return new BigDecimal(new BigInteger(unscaled), scale);
        }

        Instant instant() throws IOException {
            return in.readBoolean() ? Instant.ofEpochSecond(in.readLong(), in.readInt()) : null;
        }

        Integer integer() throws IOException {
            return in.readBoolean() ? in.readInt() : null;
        }

        Detail detail() throws IOException {
            return in.readBoolean() ? new Detail(string(), decimal(), string(), integer(), string()) : null;
        }

        ObservationFact fact() throws IOException {
            return new ObservationFact(string(), string(), string(), decimal(), string(), string(), instant(), instant(), string());
        }

        @Override
        public void close() throws IOException {
            in.close();
        }
    }
}
