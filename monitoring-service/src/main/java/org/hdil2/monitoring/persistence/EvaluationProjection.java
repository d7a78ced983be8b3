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

    /** Keeps {@code evaluation} if it is newer by (state epoch, sequence) than what is stored; runs inside the inbox transaction. */
    @Transactional(Transactional.TxType.MANDATORY)
    public boolean accept(String patientId, Instant stateEpoch, long sequence, Instant evaluatedAt, String evaluationJson, String eventId) {
        int changed;
        try (Connection c = dataSource.getConnection();
             PreparedStatement st = c.prepareStatement("insert into patient_evaluation (patient_id, state_epoch, sequence, evaluated_at, "
                     + "evaluation, event_id, received_at) values (?, ?, ?, ?, ?::jsonb, ?, ?) on conflict (patient_id) do update set "
                     + "state_epoch = excluded.state_epoch, sequence = excluded.sequence, evaluated_at = excluded.evaluated_at, "
                     + "evaluation = excluded.evaluation, event_id = excluded.event_id, received_at = excluded.received_at "
                     + "where (coalesce(patient_evaluation.state_epoch, '-infinity'), patient_evaluation.sequence) "
                     + "< (coalesce(excluded.state_epoch, '-infinity'), excluded.sequence)")) {
            st.setString(1, patientId);
            st.setTimestamp(2, stateEpoch == null ? null : Timestamp.from(stateEpoch));
            st.setLong(3, sequence);
            st.setTimestamp(4, Timestamp.from(evaluatedAt));
            st.setString(5, evaluationJson);
            st.setString(6, eventId);
            st.setTimestamp(7, Timestamp.from(Instant.now()));
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
