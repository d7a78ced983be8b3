package org.hdil2.monitoring.messaging;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.Instant;
import java.util.ArrayList;
import java.nio.charset.StandardCharsets;
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
 * databind saved almost nothing. Here short strings that repeat (parameter ids, codes, units, rule ids) are written
 * once per block and then by index; numbers as their unscaled value and scale, times as seconds and nanoseconds, maps in
 * their iteration order, so a state reads back equal to the one written.
 *
 * <p>Most observations change only the scalars and one parameter's history: the rule statuses and findings change
 * when an evaluation is published (about one observation in eight in the side-by-side drain). So each parameter's
 * history and the evaluation (statuses and active findings) are blocks of their own (their length first, their own
 * table of names), and a writer given the {@link Blocks} of the patient's previous state copies the blocks that did not
 * change as bytes instead of encoding them again.
 *
 * <p>Format 2: the byte {@code 0x02}; patient, sequence, therapy, NEWS2 total, evaluation time, pending inputs, epoch,
 * intake sequence, failures; the history blocks; the evaluation block. Format 3: the same with the therapy's protocol id
 * after its last dose time, written only when the therapy names a protocol (so a state of a patient without one is read
 * by the builds before it). Format 1 (the fields in declaration order, one
 * table of names) is still read. A stored value that starts with {@code '{'} is the JSON of before and is read by the
 * caller's JSON mapper. Internal: only this topology reads it (its changelog is not a contract).
 */
final class PatientStateCodec {

    static final byte FORMAT = 2;
    /** Format 2 with the therapy's protocol id after its last dose: written only for a state whose therapy names one. */
    static final byte FORMAT_WITH_PROTOCOL = 3;
    /** Read, no longer written. */
    static final byte FORMAT_INLINE_HISTORY = 1;
    /** Strings up to this length (ids, codes, units) are written once per state, longer ones each time. */
    static final int SHARED_UP_TO = 48;

    private PatientStateCodec() {
    }

    static boolean isEncoded(byte[] stored) {
        return stored.length > 0 && (stored[0] == FORMAT || stored[0] == FORMAT_WITH_PROTOCOL || stored[0] == FORMAT_INLINE_HISTORY);
    }

    /**
     * Where the blocks of one patient's last written or read state lie in its bytes, and what each was encoded from,
     * for the next write to copy. A block is reused only for the very objects it was encoded from (a state's parts
     * are immutable, and a change of one replaces it), so a copy always stands for what it is copied for.
     */
    static final class Blocks {
        /** {@code bytes} is null while the state's bytes are being written. */
        private record Block(Object from, Object alsoFrom, byte[] bytes, int offset, int length) {

            boolean encodes(Object part, Object alsoPart) {
                return from == part && alsoFrom == alsoPart;
            }

            Block in(byte[] written) {
                return new Block(from, alsoFrom, written, offset, length);
            }
        }

        /** By parameter. */
        private final Map<String, Block> histories = new HashMap<>();
        private Block evaluation;
        private int lastLength = 1024;

        private void set(Map<String, Block> newHistories, Block newEvaluation, byte[] bytes) {
            histories.clear();
            newHistories.forEach((parameter, block) -> histories.put(parameter, block.in(bytes)));
            evaluation = newEvaluation.in(bytes);
            lastLength = bytes.length;
        }
    }

    static byte[] encode(PatientState s) {
        return encode(s, null);
    }

    /** Encodes {@code s}, copying the blocks of {@code previous} that did not change, and updates it to {@code s}. */
    static byte[] encode(PatientState s, Blocks previous) {
        Writer w = new Writer(new Buffer(previous == null ? 1024 : previous.lastLength + 256));
        TherapyContext t = s.therapy();
        // a state without a course protocol stays in format 2, which the builds before protocols per course read
        boolean withProtocol = t != null && t.protocolId() != null;
        w.out.writeByte(withProtocol ? FORMAT_WITH_PROTOCOL : FORMAT);
        w.string(s.patientId());
        w.out.writeLong(s.sequence());
        w.out.writeBoolean(t != null);
        if (t != null) {
            w.string(t.courseId());
            w.out.writeBoolean(t.onTherapy());
            w.decimal(t.baselineWeightKg());
            w.instant(t.lastDoseAt());
            if (withProtocol) {
                w.string(t.protocolId());
            }
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
        Map<String, Blocks.Block> histories = new HashMap<>();
        w.out.writeInt(s.history().size());
        for (Map.Entry<String, List<ObservationFact>> e : s.history().entrySet()) {
            w.string(e.getKey());
            histories.put(e.getKey(), w.block(previous == null ? null : previous.histories.get(e.getKey()), e.getValue(), null, block -> {
                block.out.writeInt(e.getValue().size());
                for (ObservationFact f : e.getValue()) {
                    block.fact(f);
                }
            }));
        }
        Blocks.Block evaluation = w.block(previous == null ? null : previous.evaluation, s.statuses(), s.active(),
                block -> block.evaluation(s));
        byte[] bytes = w.out.toByteArray();
        if (previous != null) {
            previous.set(histories, evaluation, bytes);
        }
        return bytes;
    }

    static PatientState decode(byte[] stored) {
        return decode(stored, null);
    }

    /** Decodes a stored state; {@code blocks}, if given, learns where its blocks lie (format 2). */
    static PatientState decode(byte[] stored, Blocks blocks) {
        try {
            Reader r = new Reader(stored, 0, stored.length);
            byte format = r.readByte();
            if (format == FORMAT_INLINE_HISTORY) {
                return decodeInlineHistory(r);
            }
            if (format != FORMAT && format != FORMAT_WITH_PROTOCOL) {
                throw new IllegalStateException("not a patient state in format " + FORMAT_WITH_PROTOCOL + ", " + FORMAT + " or "
                        + FORMAT_INLINE_HISTORY);
            }
            String patientId = r.string();
            long sequence = r.readLong();
            TherapyContext therapy = r.readBoolean() ? new TherapyContext(r.string(), r.readBoolean(), r.decimal(), r.instant(),
                    format == FORMAT_WITH_PROTOCOL ? r.string() : null) : null;
            Tail tail = r.tail();
            Map<String, Blocks.Block> histories = new HashMap<>();
            Map<String, List<ObservationFact>> history = new LinkedHashMap<>();
            for (int i = r.readInt(); i > 0; i--) {
                String parameter = r.string();
                Reader block = r.block();
                List<ObservationFact> facts = block.facts();
                block.end();
                history.put(parameter, facts);
                histories.put(parameter, new Blocks.Block(facts, null, null, block.from, block.to - block.from));
            }
            Reader block = r.block();
            Map<String, RuleStatus> statuses = block.statuses();
            Map<String, ActiveFinding> active = block.active();
            block.end();
            Blocks.Block evaluation = new Blocks.Block(statuses, active, null, block.from, block.to - block.from);
            r.end();
            if (blocks != null) {
                blocks.set(histories, evaluation, stored);
            }
            return tail.state(patientId, sequence, therapy, history, statuses, active);
        } catch (RuntimeException e) {
            throw new IllegalStateException("stored evaluation is unreadable", e);
        }
    }

    /** Format 1: the fields in declaration order, one table of names. */
    private static PatientState decodeInlineHistory(Reader r) {
        String patientId = r.string();
        long sequence = r.readLong();
        TherapyContext therapy = r.readBoolean() ? new TherapyContext(r.string(), r.readBoolean(), r.decimal(), r.instant()) : null;
        Map<String, List<ObservationFact>> history = new LinkedHashMap<>();
        for (int i = r.readInt(); i > 0; i--) {
            String parameter = r.string();
            history.put(parameter, r.facts());
        }
        Map<String, RuleStatus> statuses = r.statuses();
        Map<String, ActiveFinding> active = r.active();
        Tail tail = r.tail();
        r.end();
        return tail.state(patientId, sequence, therapy, history, statuses, active);
    }

    /** The scalars both formats write after the therapy context (format 1 after the evaluation, format 2 before the blocks). */
    private record Tail(Integer news2Total, Instant evaluatedAt, boolean inputsPending, Instant stateEpoch, long intakeSequence,
                        List<EvaluationFailure> failures) {

        PatientState state(String patientId, long sequence, TherapyContext therapy, Map<String, List<ObservationFact>> history,
                           Map<String, RuleStatus> statuses, Map<String, ActiveFinding> active) {
            return new PatientState(patientId, sequence, therapy, history, statuses, active, news2Total, evaluatedAt, inputsPending,
                    stateEpoch, intakeSequence, failures);
        }
    }

    /** Writes short names once per state (then by index), texts and ids as they are, numbers and times exactly. */
    private static final class Writer {
        final Buffer out;
        private final Map<String, Integer> seen = new HashMap<>(64);

        Writer(Buffer out) {
            this.out = out;
        }

        /**
         * A block: its length, then its content, encoded by {@code content} with a table of names of its own, or
         * copied from {@code previous} when that was encoded from the same objects.
         *
         * @return where it lies in what is being written
         */
        Blocks.Block block(Blocks.Block previous, Object from, Object alsoFrom, java.util.function.Consumer<Writer> content) {
            int lengthAt = out.size;
            out.writeInt(0);
            int start = out.size;
            if (previous != null && previous.encodes(from, alsoFrom)) {
                out.write(previous.bytes(), previous.offset(), previous.length());
            } else {
                content.accept(new Writer(out));
            }
            out.setInt(lengthAt, out.size - start);
            return new Blocks.Block(from, alsoFrom, null, start, out.size - start);
        }

        /** Every rule's last reported status and the active findings: what changes only when an evaluation is published. */
        void evaluation(PatientState s) {
            out.writeInt(s.statuses().size());
            for (Map.Entry<String, RuleStatus> e : s.statuses().entrySet()) {
                string(e.getKey());
                RuleStatus r = e.getValue();
                string(r.ruleId());
                string(r.state() == null ? null : r.state().name());
                text(r.findingId());
                detail(r.detail());
                text(r.reason());
                texts(r.observationIds());
            }
            out.writeInt(s.active().size());
            for (Map.Entry<String, ActiveFinding> e : s.active().entrySet()) {
                string(e.getKey());
                ActiveFinding a = e.getValue();
                text(a.findingId());
                string(a.ruleId());
                string(a.ruleVersion());
                string(a.severity());
                detail(a.detail());
                out.writeBoolean(a.deciding() != null);
                if (a.deciding() != null) {
                    fact(a.deciding());
                }
                out.writeInt(a.evidence() == null ? -1 : a.evidence().size());
                if (a.evidence() != null) {
                    for (ObservationFact f : a.evidence()) {
                        fact(f);
                    }
                }
                instant(a.raisedAt());
            }
        }

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
            byte[] utf8 = s.getBytes(StandardCharsets.UTF_8);
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
        private byte[] bytes;
        int size;

        Buffer(int capacity) {
            bytes = new byte[capacity];
        }

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
            write(b, 0, b.length);
        }

        void write(byte[] b, int offset, int length) {
            ensure(length);
            System.arraycopy(b, offset, bytes, size, length);
            size += length;
        }

        /** Overwrites four bytes written before (a block's length, once the block is written). */
        void setInt(int at, int v) {
            bytes[at] = (byte) (v >>> 24);
            bytes[at + 1] = (byte) (v >>> 16);
            bytes[at + 2] = (byte) (v >>> 8);
            bytes[at + 3] = (byte) v;
        }

        byte[] toByteArray() {
            return Arrays.copyOf(bytes, size);
        }
    }

    /** Reads {@code bytes} from {@code from} to {@code to}, big-endian; reading past {@code to} throws. */
    private static final class Reader {
        private final byte[] bytes;
        final int from;
        final int to;
        private int at;
        private final List<String> seen = new ArrayList<>();

        Reader(byte[] bytes, int from, int to) {
            if (from < 0 || to > bytes.length || from > to) {
                throw new IllegalStateException("a block outside the stored value");
            }
            this.bytes = bytes;
            this.from = from;
            this.to = to;
            this.at = from;
        }

        private int take(int n) {
            if (n < 0 || at + n > to) {
                throw new IllegalStateException("the stored value ends early");
            }
            int start = at;
            at += n;
            return start;
        }

        /** The next block (its length, then its content with a table of names of its own); this reader skips it. */
        Reader block() {
            int length = readInt();
            int start = take(length);
            return new Reader(bytes, start, start + length);
        }

        void end() {
            if (at != to) {
                throw new IllegalStateException("trailing bytes after the patient state");
            }
        }

        byte readByte() {
            return bytes[take(1)];
        }

        boolean readBoolean() {
            return readByte() != 0;
        }

        short readShort() {
            int i = take(2);
            return (short) (((bytes[i] & 0xff) << 8) | (bytes[i + 1] & 0xff));
        }

        int readInt() {
            int i = take(4);
            return ((bytes[i] & 0xff) << 24) | ((bytes[i + 1] & 0xff) << 16) | ((bytes[i + 2] & 0xff) << 8) | (bytes[i + 3] & 0xff);
        }

        long readLong() {
            return ((long) readInt() << 32) | (readInt() & 0xffffffffL);
        }

        String string() {
            int marker = readInt();
            if (marker == -1) {
                return null;
            }
            if (marker == -2 || marker == -3) {
                int length = readInt();
                String s = new String(bytes, take(length), length, StandardCharsets.UTF_8);
                if (marker == -2) {
                    seen.add(s);
                }
                return s;
            }
            return seen.get(marker);
        }

        List<String> strings() {
            int n = readInt();
            if (n < 0) {
                return null;
            }
            List<String> list = new ArrayList<>(Math.min(n, 1024));
            for (int i = 0; i < n; i++) {
                list.add(string());
            }
            return List.copyOf(list);
        }

        BigDecimal decimal() {
            if (!readBoolean()) {
                return null;
            }
            int scale = readInt();
            int length = readShort();
            return new BigDecimal(new BigInteger(bytes, take(length), length), scale);
        }

        Instant instant() {
            return readBoolean() ? Instant.ofEpochSecond(readLong(), readInt()) : null;
        }

        Integer integer() {
            return readBoolean() ? readInt() : null;
        }

        Detail detail() {
            return readBoolean() ? new Detail(string(), decimal(), string(), integer(), string()) : null;
        }

        ObservationFact fact() {
            return new ObservationFact(string(), string(), string(), decimal(), string(), string(), instant(), instant(), string());
        }

        Map<String, RuleStatus> statuses() {
            Map<String, RuleStatus> statuses = new LinkedHashMap<>();
            for (int i = readInt(); i > 0; i--) {
                String key = string();
                String ruleId = string();
                String state = string();
                statuses.put(key, new RuleStatus(ruleId, state == null ? null : RuleState.valueOf(state), string(), detail(), string(),
                        strings()));
            }
            return statuses;
        }

        Map<String, ActiveFinding> active() {
            Map<String, ActiveFinding> active = new LinkedHashMap<>();
            for (int i = readInt(); i > 0; i--) {
                String key = string();
                String findingId = string();
                String ruleId = string();
                String ruleVersion = string();
                String severity = string();
                Detail detail = detail();
                ObservationFact deciding = readBoolean() ? fact() : null;
                int n = readInt();
                List<ObservationFact> evidence = n < 0 ? null : facts(n);
                active.put(key, new ActiveFinding(findingId, ruleId, ruleVersion, severity, detail, deciding, evidence, instant()));
            }
            return active;
        }

        /** Read in order: the evaluation's scalars, then the failures (see {@link Tail}). */
        Tail tail() {
            return new Tail(integer(), instant(), readBoolean(), instant(), readLong(), failures());
        }

        List<EvaluationFailure> failures() {
            List<EvaluationFailure> failures = new ArrayList<>();
            for (int i = readInt(); i > 0; i--) {
                String kind = string();
                failures.add(new EvaluationFailure(kind == null ? null : EvaluationFailure.Kind.valueOf(kind), string(), string(),
                        instant(), readLong(), instant(), string()));
            }
            return failures;
        }

        List<ObservationFact> facts() {
            return facts(readInt());
        }

        List<ObservationFact> facts(int n) {
            List<ObservationFact> facts = new ArrayList<>(Math.min(Math.max(n, 0), 1024));
            for (int j = 0; j < n; j++) {
                facts.add(fact());
            }
            return List.copyOf(facts);
        }
    }
}
