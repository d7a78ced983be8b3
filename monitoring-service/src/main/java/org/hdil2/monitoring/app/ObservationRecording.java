package org.hdil2.monitoring.app;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.sql.Types;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;

import org.hdil2.kit.audit.AuditTrail;
import org.hdil2.kit.outbox.Outbox;
import org.hdil2.kit.problem.ProblemException;
import org.hdil2.monitoring.app.ObservationIntake.Normalized;
import org.hdil2.monitoring.config.Topics;
import org.hdil2.monitoring.domain.ObservationCatalog;
import org.hdil2.monitoring.messaging.MonitoringEvents;
import org.hdil2.monitoring.persistence.ObservationEntity;

import io.agroal.api.AgroalDataSource;

/**
 * Stores accepted observations, audits each and hands each to the evaluation through the outbox
 * ({@code observation-recorded} on the observations topic), all in one transaction: a batch is stored whole or not at
 * all. The same observation id twice is stored and published once: the repeat is reported as a duplicate with the
 * stored observation; the same id with different content is a conflict ({@code MON-0110}) and rolls the batch back.
 */
@ApplicationScoped
public class ObservationRecording {

    private static final String INSERT = "insert into observation (id, patient_id, parameter, code_system, code, value, value_code, "
            + "unit, original_value, original_unit, effective_time, effective_start, status, recorded_at, recorded_by, source_kind, "
            + "source_id, sender_id, intake_sequence) values (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?) on conflict (id) do nothing";
    /** Locks the patient's intake row until commit (so a patient's observations reach the topic in intake order) and reads it. */
    private static final String LOCK_INTAKE = "insert into patient_intake (patient_id, last_sequence, last_accepted_at) values (?, 0, ?) "
            + "on conflict (patient_id) do update set patient_id = excluded.patient_id returning last_sequence";
    private static final String ADVANCE_INTAKE = "update patient_intake set last_sequence = ?, last_accepted_at = ? "
            + "where patient_id = ? and last_sequence < ?";

    @Inject
    Topics topics;

    @Inject
    Outbox outbox;

    @Inject
    AuditTrail audit;

    @Inject
    AgroalDataSource dataSource;

    /** One stored observation and whether this call created it (false: it was there already). */
    public record Stored(ObservationEntity observation, boolean created) {
    }

    /** How the change is audited: by the HTTP caller, or by the consumer of an event. */
    public interface Audit {
        void record(AuditTrail trail, ObservationEntity stored);
    }

    /** Observations submitted over HTTP (REST or FHIR), audited as the caller's. */
    @Transactional
    public List<Stored> recordByCaller(List<Normalized> observations, String recordedBy) {
        return store(observations, recordedBy, (trail, e) -> trail.byCaller("observation.record", e.patientId, "Observation",
                e.id.toString(), Map.of("parameter", e.parameter, "sourceKind", e.sourceKind)));
    }

    /** Observations consumed from the inbound topic, audited with the record's id. */
    @Transactional
    public List<Stored> recordByEvent(List<Normalized> observations, String consumer, String eventId) {
        return store(observations, "system:" + consumer, (trail, e) -> trail.byEvent(consumer, eventId, "observation.record",
                e.patientId, "Observation", e.id.toString(), Map.of("parameter", e.parameter, "sourceKind", e.sourceKind)));
    }

    private List<Stored> store(List<Normalized> observations, String recordedBy, Audit audited) {
        // microseconds: what PostgreSQL keeps, so the stored and the published time are the same
        Instant recordedAt = Instant.now().truncatedTo(ChronoUnit.MICROS);
        int[] inserted;
        try (Connection c = dataSource.getConnection(); PreparedStatement st = c.prepareStatement(INSERT)) {
            Map<String, Long> next = lockIntake(c, observations, recordedAt);
            java.util.Set<UUID> known = existing(c, observations);
            for (Normalized n : observations) {
                // a repeat takes no sequence, so the patient's intake sequences stay dense
                Long sequence = known.add(n.id()) ? next.merge(n.patientId(), 1L, Long::sum) : null;
                bind(st, n, recordedAt, recordedBy, sequence);
                st.addBatch();
            }
            inserted = st.executeBatch();
        } catch (SQLException e) {
            throw new IllegalStateException("cannot store observations", e);
        }
        Map<UUID, ObservationEntity> stored = new LinkedHashMap<>();
        List<UUID> ids = observations.stream().map(Normalized::id).distinct().toList();
        ObservationEntity.<ObservationEntity>list("id in ?1", ids).forEach(e -> stored.put(e.id, e));
        List<Stored> result = new ArrayList<>();
        java.util.Set<UUID> createdNow = new java.util.HashSet<>();
        for (int i = 0; i < observations.size(); i++) {
            Normalized n = observations.get(i);
            ObservationEntity e = stored.get(n.id());
            if (e == null) {
                throw new IllegalStateException("observation neither inserted nor found");
            }
            // SUCCESS_NO_INFO only if the driver rewrites batches: then the row is ours when it carries this call's stamp
            boolean created = (inserted[i] == 1 || (inserted[i] == java.sql.Statement.SUCCESS_NO_INFO
                    && recordedAt.equals(e.recordedAt) && recordedBy.equals(e.recordedBy))) && createdNow.add(e.id);
            if (created) {
                audited.record(audit, e);
                outbox.append(topics.observations(), e.patientId, MonitoringEvents.OBSERVATION_RECORDED, e.recordedAt, event(e));
            } else if (!sameObservation(e, n)) {
                throw ProblemException.conflict("MON-0110", "Observation id already used",
                        "observationId " + (n.senderId() == null ? n.id() : n.senderId())
                                + " was already recorded for a different observation; a correction needs its own observationId");
            }
            result.add(new Stored(e, created));
        }
        advanceIntake(result, recordedAt);
        return result;
    }

    /**
     * Locks each patient's intake row, in patient order (two batches never wait on each other in a circle), and
     * returns each patient's last intake sequence: the batch's new observations take the next ones.
     */
    private static Map<String, Long> lockIntake(Connection c, List<Normalized> observations, Instant now) throws SQLException {
        Map<String, Long> last = new java.util.TreeMap<>();
        observations.forEach(n -> last.put(n.patientId(), 0L));
        try (PreparedStatement st = c.prepareStatement(LOCK_INTAKE)) {
            for (String patientId : last.keySet()) {
                st.setString(1, patientId);
                st.setTimestamp(2, Timestamp.from(now));
                try (java.sql.ResultSet rs = st.executeQuery()) {
                    rs.next();
                    last.put(patientId, rs.getLong(1));
                }
            }
        }
        return last;
    }

    /** The ids of the batch already stored (read under the patients' intake locks, so no same-patient batch races it). */
    private static java.util.Set<UUID> existing(Connection c, List<Normalized> observations) throws SQLException {
        java.util.Set<UUID> known = new java.util.HashSet<>();
        try (PreparedStatement st = c.prepareStatement("select id from observation where id = any(?)")) {
            st.setArray(1, c.createArrayOf("uuid", observations.stream().map(Normalized::id).distinct().toArray()));
            try (java.sql.ResultSet rs = st.executeQuery()) {
                while (rs.next()) {
                    known.add(rs.getObject(1, UUID.class));
                }
            }
        }
        return known;
    }

    /** The patients' last intake sequence is that of their newest observation this call created. */
    private void advanceIntake(List<Stored> stored, Instant recordedAt) {
        Map<String, Long> newest = new java.util.TreeMap<>();
        for (Stored s : stored) {
            if (s.created() && s.observation().intakeSequence != null) {
                newest.merge(s.observation().patientId, s.observation().intakeSequence, Math::max);
            }
        }
        if (newest.isEmpty()) {
            return;
        }
        try (Connection c = dataSource.getConnection(); PreparedStatement st = c.prepareStatement(ADVANCE_INTAKE)) {
            for (Map.Entry<String, Long> e : newest.entrySet()) {
                st.setLong(1, e.getValue());
                st.setTimestamp(2, Timestamp.from(recordedAt));
                st.setString(3, e.getKey());
                st.setLong(4, e.getValue());
                st.addBatch();
            }
            st.executeBatch();
        } catch (SQLException e) {
            throw new IllegalStateException("cannot advance the intake sequence", e);
        }
    }

    private static void bind(PreparedStatement st, Normalized n, Instant recordedAt, String recordedBy, Long intakeSequence)
            throws SQLException {
        st.setObject(1, n.id());
        st.setString(2, n.patientId());
        st.setString(3, n.parameter().id());
        st.setString(4, n.code().system());
        st.setString(5, n.code().code());
        st.setBigDecimal(6, n.value());
        st.setString(7, n.valueCode());
        st.setString(8, n.unit());
        if (n.originalValue() == null) {
            st.setNull(9, Types.NUMERIC);
        } else {
            st.setBigDecimal(9, n.originalValue());
        }
        st.setString(10, n.originalUnit());
        st.setTimestamp(11, Timestamp.from(n.effectiveTime()));
        st.setTimestamp(12, n.effectiveStart() == null ? null : Timestamp.from(n.effectiveStart()));
        st.setString(13, n.status());
        st.setTimestamp(14, Timestamp.from(recordedAt));
        st.setString(15, recordedBy);
        st.setString(16, n.sourceKind());
        st.setString(17, n.sourceId());
        st.setString(18, n.senderId());
        if (intakeSequence == null) {
            st.setNull(19, Types.BIGINT);
        } else {
            st.setLong(19, intakeSequence);
        }
    }

    /** A repeat: the same patient, code, value and time (status, source and sender may differ on a resend). */
    /**
     * Whether a stored observation is the one submitted again. Times are compared as PostgreSQL stores them (to the
     * microsecond, rounded): a device that sends nanoseconds and redelivers a record is repeating itself, not contradicting itself.
     */
    static boolean sameObservation(ObservationEntity e, Normalized n) {
        return e.patientId.equals(n.patientId()) && e.codeSystem.equals(n.code().system()) && e.code.equals(n.code().code())
                && e.value.compareTo(n.value()) == 0 && Objects.equals(e.valueCode, n.valueCode())
                && sameMicros(e.effectiveTime, n.effectiveTime()) && sameMicros(e.effectiveStart, n.effectiveStart());
    }

    private static boolean sameMicros(java.time.Instant stored, java.time.Instant submitted) {
        if (stored == null || submitted == null) {
            return stored == submitted;
        }
        // PostgreSQL rounds to the nearest microsecond
        return Math.abs(java.time.Duration.between(stored, submitted).toNanos()) < 1_000;
    }

    static Map<String, Object> event(ObservationEntity e) {
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("observationId", e.id.toString());
        data.put("patientId", e.patientId);
        if (e.intakeSequence != null) {
            data.put("intakeSequence", e.intakeSequence);
        }
        data.put("parameter", e.parameter);
        data.put("code", Map.of("system", e.codeSystem, "code", e.code, "display", display(e)));
        data.put("value", plain(e.value));
        if (e.valueCode != null) {
            data.put("valueCode", e.valueCode);
        }
        data.put("unit", e.unit);
        data.put("effectiveTime", e.effectiveTime.toString());
        if (e.effectiveStart != null) {
            data.put("effectivePeriod", Map.of("start", e.effectiveStart.toString(), "end", e.effectiveTime.toString()));
        }
        data.put("recordedAt", e.recordedAt.toString());
        data.put("status", e.status);
        Map<String, Object> source = new LinkedHashMap<>();
        source.put("kind", e.sourceKind);
        if (e.sourceId != null) {
            source.put("id", e.sourceId);
        }
        data.put("source", source);
        return data;
    }

    /** Without the column's trailing zeros: 90.000 is 90, 72.570 is 72.57. */
    public static java.math.BigDecimal plain(java.math.BigDecimal v) {
        if (v == null) {
            return null;
        }
        java.math.BigDecimal s = v.stripTrailingZeros();
        return s.scale() < 0 ? s.setScale(0) : s;
    }

    public static String display(ObservationEntity e) {
        return ObservationCatalog.find(e.codeSystem, e.code).flatMap(p -> p.codeOf(e.codeSystem, e.code))
                .map(ObservationCatalog.Code::display).orElse(e.code);
    }
}
