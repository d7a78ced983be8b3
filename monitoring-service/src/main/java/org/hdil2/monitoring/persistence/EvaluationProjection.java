package org.hdil2.monitoring.persistence;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;

import org.hdil2.kit.audit.AuditTrail;

import io.agroal.api.AgroalDataSource;

/**
 * The newest evaluation per patient, kept as published: an {@code evaluation-updated} replaces the stored one only
 * when it is newer by (state epoch, sequence), so a redelivered or older evaluation never overwrites a newer one, and
 * a patient whose evaluation state was rebuilt (a new epoch, sequence from 1) is followed again.
 */
@ApplicationScoped
public class EvaluationProjection {

    public static final String CONSUMER = "monitoring.projection";

    @Inject
    AgroalDataSource dataSource;

    @Inject
    AuditTrail audit;

    /**
     * Keeps {@code evaluation} if it is newer by (state epoch, sequence) than what is stored; {@code intakeSequence}: the
     * accepted observations it includes. Runs inside the inbox transaction.
     */
    @Transactional(Transactional.TxType.MANDATORY)
    public boolean accept(String patientId, Instant stateEpoch, long sequence, Instant evaluatedAt, long intakeSequence,
                          String evaluationJson, String eventId) {
        int changed;
        try (Connection c = dataSource.getConnection();
             PreparedStatement st = c.prepareStatement("insert into patient_evaluation (patient_id, state_epoch, sequence, evaluated_at, "
                     + "evaluation, event_id, received_at, evaluated_through) values (?, ?, ?, ?, ?::jsonb, ?, ?, ?) on conflict (patient_id) do update set "
                     + "state_epoch = excluded.state_epoch, sequence = excluded.sequence, evaluated_at = excluded.evaluated_at, "
                     + "evaluation = excluded.evaluation, event_id = excluded.event_id, received_at = excluded.received_at, "
                     + "evaluated_through = greatest(excluded.evaluated_through, case when patient_evaluation.state_epoch "
                     + "is not distinct from excluded.state_epoch then patient_evaluation.evaluated_through else 0 end) "
                     + "where (coalesce(patient_evaluation.state_epoch, '-infinity'), patient_evaluation.sequence) "
                     + "< (coalesce(excluded.state_epoch, '-infinity'), excluded.sequence)")) {
            st.setString(1, patientId);
            st.setTimestamp(2, stateEpoch == null ? null : Timestamp.from(stateEpoch));
            st.setLong(3, sequence);
            st.setTimestamp(4, Timestamp.from(evaluatedAt));
            st.setString(5, evaluationJson);
            st.setString(6, eventId);
            st.setTimestamp(7, Timestamp.from(Instant.now()));
            st.setLong(8, intakeSequence);
            changed = st.executeUpdate();
        } catch (SQLException e) {
            throw new IllegalStateException("cannot store the evaluation", e);
        }
        if (changed == 1) {
            audit.byEvent(CONSUMER, eventId, "evaluation.project", patientId, "PatientEvaluation", Long.toString(sequence),
                    Map.of("sequence", sequence));
        }
        return changed == 1;
    }

    /** One patient of a checkpoint: its evaluation ({@code stateEpoch}, {@code sequence}) now includes up to {@code intakeSequence}. */
    public record Advance(String patientId, Instant stateEpoch, long sequence, long intakeSequence) {
    }

    /** An observation the evaluation could not evaluate, as a checkpoint reports it. */
    public record Failure(String observationId, String patientId, String reason, Instant since) {
    }

    /**
     * What a checkpoint says between two evaluations: the current one of each patient includes more accepted
     * observations, and which it failed on. Only the very evaluation the checkpoint names is advanced (an older
     * checkpoint never moves a newer evaluation's receipt). Bookkeeping of a read model: the checkpoint event is in the
     * inbox, the evaluations it advances are audited when they are projected.
     */
    @Transactional(Transactional.TxType.MANDATORY)
    public void advance(java.util.List<Advance> advances, java.util.List<Failure> failures) {
        try (Connection c = dataSource.getConnection()) {
            if (!advances.isEmpty()) {
                try (PreparedStatement st = c.prepareStatement("update patient_evaluation set evaluated_through = ? where patient_id = ? "
                        + "and state_epoch is not distinct from ? and sequence = ? and evaluated_through < ?")) {
                    for (Advance a : advances) {
                        st.setLong(1, a.intakeSequence());
                        st.setString(2, a.patientId());
                        st.setTimestamp(3, a.stateEpoch() == null ? null : Timestamp.from(a.stateEpoch()));
                        st.setLong(4, a.sequence());
                        st.setLong(5, a.intakeSequence());
                        st.addBatch();
                    }
                    st.executeBatch();
                }
            }
            if (!failures.isEmpty()) {
                try (PreparedStatement st = c.prepareStatement("insert into observation_evaluation_failure (observation_id, patient_id, "
                        + "reason, since) values (?, ?, ?, ?) on conflict (observation_id) do nothing")) {
                    for (Failure f : failures) {
                        st.setString(1, f.observationId());
                        st.setString(2, f.patientId());
                        st.setString(3, f.reason());
                        st.setTimestamp(4, Timestamp.from(f.since()));
                        st.addBatch();
                    }
                    st.executeBatch();
                }
            }
        } catch (SQLException e) {
            throw new IllegalStateException("cannot record the checkpoint's receipts", e);
        }
    }

    /** Whether the patient's current evaluation includes an accepted observation, and which evaluation that is. */
    public record Receipt(String status, Instant stateEpoch, Long sequence, Instant evaluatedAt, long evaluatedThrough,
                          String failure) {
        public static final String EVALUATED = "EVALUATED";
        public static final String PENDING = "PENDING";
        public static final String FAILED = "FAILED";
    }

    /** The receipt of the observation {@code observationId} of {@code patientId}, accepted at {@code intakeSequence}. */
    public Receipt receipt(String observationId, String patientId, long intakeSequence) {
        try (Connection c = dataSource.getConnection()) {
            String failure = null;
            try (PreparedStatement st = c.prepareStatement("select reason from observation_evaluation_failure where observation_id = ?")) {
                st.setString(1, observationId);
                try (ResultSet rs = st.executeQuery()) {
                    if (rs.next()) {
                        failure = rs.getString(1);
                    }
                }
            }
            try (PreparedStatement st = c.prepareStatement("select state_epoch, sequence, evaluated_at, evaluated_through "
                    + "from patient_evaluation where patient_id = ?")) {
                st.setString(1, patientId);
                try (ResultSet rs = st.executeQuery()) {
                    if (!rs.next()) {
                        return new Receipt(failure != null ? Receipt.FAILED : Receipt.PENDING, null, null, null, 0, failure);
                    }
                    Timestamp epoch = rs.getTimestamp(1);
                    long through = rs.getLong(4);
                    String status = failure != null ? Receipt.FAILED : through >= intakeSequence ? Receipt.EVALUATED : Receipt.PENDING;
                    return new Receipt(status, epoch == null ? null : epoch.toInstant(), rs.getLong(2), rs.getTimestamp(3).toInstant(),
                            through, failure);
                }
            }
        } catch (SQLException e) {
            throw new IllegalStateException("cannot read the receipt", e);
        }
    }

    /**
     * The newest accepted observation the patient's current evaluation includes: its id and intake sequence, or empty
     * when it includes none (or only observations stored before intake sequences).
     */
    public Optional<Map<String, Object>> newestIncluded(String patientId) {
        try (Connection c = dataSource.getConnection();
             PreparedStatement st = c.prepareStatement("select o.id, o.intake_sequence from patient_evaluation e join observation o "
                     + "on o.patient_id = e.patient_id and o.intake_sequence <= e.evaluated_through where e.patient_id = ? "
                     + "order by o.intake_sequence desc limit 1")) {
            st.setString(1, patientId);
            try (ResultSet rs = st.executeQuery()) {
                return rs.next() ? Optional.of(Map.of("observationId", rs.getString(1), "intakeSequence", rs.getLong(2))) : Optional.empty();
            }
        } catch (SQLException e) {
            throw new IllegalStateException("cannot read the newest evaluated observation", e);
        }
    }

    public Optional<String> current(String patientId) {
        try (Connection c = dataSource.getConnection();
             PreparedStatement st = c.prepareStatement("select evaluation::text from patient_evaluation where patient_id = ?")) {
            st.setString(1, patientId);
            try (ResultSet rs = st.executeQuery()) {
                return rs.next() ? Optional.of(rs.getString(1)) : Optional.empty();
            }
        } catch (SQLException e) {
            throw new IllegalStateException("cannot read the evaluation", e);
        }
    }
}
