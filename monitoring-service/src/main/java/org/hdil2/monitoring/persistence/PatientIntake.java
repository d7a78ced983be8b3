package org.hdil2.monitoring.persistence;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.hdil2.monitoring.domain.Evaluators;

import io.agroal.api.AgroalDataSource;

/**
 * What monitoring has accepted of a patient, by intake sequence: the last one, and those after a given one (which an
 * evaluation that includes only up to it has not taken into account yet).
 */
@ApplicationScoped
public class PatientIntake {

    @Inject
    AgroalDataSource dataSource;

    @Inject
    Evaluators evaluators;

    /** The patient's intake: {@code acceptedSequence} 0 when nothing was accepted; {@code pending} null when nothing is after {@code after}. */
    public record Status(String patientId, long acceptedSequence, Instant lastAcceptedAt, long after, Pending pending) {
    }

    /**
     * Accepted observations after {@code after}: how many, the oldest (by intake), their parameters, and when the
     * oldest of those the protocol requires before a dose was accepted (null: none of them is such a parameter).
     */
    public record Pending(long count, long firstSequence, Instant firstAcceptedAt, List<String> parameters,
                          Instant preDoseFirstAcceptedAt) {
    }

    public Status of(String patientId, long after) {
        try (Connection c = dataSource.getConnection()) {
            long accepted = 0;
            Instant lastAt = null;
            try (PreparedStatement st = c.prepareStatement("select last_sequence, last_accepted_at from patient_intake where patient_id = ?")) {
                st.setString(1, patientId);
                try (ResultSet rs = st.executeQuery()) {
                    if (rs.next()) {
                        accepted = rs.getLong(1);
                        lastAt = rs.getTimestamp(2).toInstant();
                    }
                }
            }
            Pending pending = null;
            if (accepted > after) {
                java.util.Set<String> preDose = evaluators.preDoseParameters();
                try (PreparedStatement st = c.prepareStatement("select parameter, count(*), min(intake_sequence), min(recorded_at) "
                        + "from observation where patient_id = ? and intake_sequence > ? group by parameter order by parameter")) {
                    st.setString(1, patientId);
                    st.setLong(2, after);
                    long count = 0;
                    long first = Long.MAX_VALUE;
                    Instant firstAt = null;
                    Instant preDoseAt = null;
                    List<String> parameters = new ArrayList<>();
                    try (ResultSet rs = st.executeQuery()) {
                        while (rs.next()) {
                            Instant at = rs.getTimestamp(4).toInstant();
                            parameters.add(rs.getString(1));
                            count += rs.getLong(2);
                            first = Math.min(first, rs.getLong(3));
                            firstAt = firstAt == null || at.isBefore(firstAt) ? at : firstAt;
                            if (preDose.contains(rs.getString(1))) {
                                preDoseAt = preDoseAt == null || at.isBefore(preDoseAt) ? at : preDoseAt;
                            }
                        }
                    }
                    if (count > 0) {
                        pending = new Pending(count, first, firstAt, parameters, preDoseAt);
                    }
                }
            }
            return new Status(patientId, accepted, accepted == 0 ? null : lastAt, after, pending);
        } catch (SQLException e) {
            throw new IllegalStateException("cannot read the intake", e);
        }
    }
}
