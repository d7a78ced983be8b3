package org.hdil2.alert.persistence;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import io.agroal.api.AgroalDataSource;

/**
 * The alarm-fatigue summary (NPSG.06.01.01 governance data) for alerts raised in a period: alerts per patient-day,
 * time to acknowledge, escalation depth, dismissals by reason, per rule. Patient-days are the distinct (patient, UTC
 * day) pairs in the period on which the patient had a care assignment in force or an alert raised.
 */
@ApplicationScoped
public class AlertStatistics {

    @Inject
    AgroalDataSource dataSource;

    public record RuleSummary(String ruleId, long alerts, long acknowledged, Double ackSecondsP50, Double ackSecondsP90,
                              long escalated, long dismissed, long reopened) {
    }

    public record Summary(Instant from, Instant to, String ward, long alerts, long patients, long patientDays,
                          Double alertsPerPatientDay, long acknowledged, Double ackSecondsP50, Double ackSecondsP90,
                          Map<String, Long> byPriority, Map<String, Long> escalationDepth, Map<String, Long> dismissalsByReason,
                          List<RuleSummary> perRule) {
    }

    private static final String IN_PERIOD = " from alert where raised_at >= ? and raised_at < ? and (?::text is null or ward = ?) ";

    public Summary summary(Instant from, Instant to, String ward) {
        try (Connection c = dataSource.getConnection()) {
            long alerts;
            long patients;
            long acknowledged;
            Double p50;
            Double p90;
            try (PreparedStatement st = period(c, "select count(*), count(distinct patient_id), count(acknowledged_at), "
                    + "percentile_cont(0.5) within group (order by extract(epoch from acknowledged_at - raised_at)), "
                    + "percentile_cont(0.9) within group (order by extract(epoch from acknowledged_at - raised_at))" + IN_PERIOD,
                    from, to, ward); ResultSet rs = st.executeQuery()) {
                rs.next();
                alerts = rs.getLong(1);
                patients = rs.getLong(2);
                acknowledged = rs.getLong(3);
                p50 = nullable(rs, 4);
                p90 = nullable(rs, 5);
            }
            long patientDays = patientDays(c, from, to, ward);
            Map<String, Long> byPriority = counts(c, "select priority, count(*)" + IN_PERIOD + "group by priority order by priority", from, to, ward);
            Map<String, Long> depth = counts(c, "select escalation_level::text, count(*)" + IN_PERIOD
                    + "group by escalation_level order by escalation_level", from, to, ward);
            Map<String, Long> dismissals = counts(c, "select dismiss_reason, count(*)" + IN_PERIOD
                    + "and dismiss_reason is not null group by dismiss_reason order by dismiss_reason", from, to, ward);
            List<RuleSummary> perRule = new ArrayList<>();
            try (PreparedStatement st = period(c, "select rule_id, count(*), count(acknowledged_at), "
                    + "percentile_cont(0.5) within group (order by extract(epoch from acknowledged_at - raised_at)), "
                    + "percentile_cont(0.9) within group (order by extract(epoch from acknowledged_at - raised_at)), "
                    + "count(*) filter (where escalation_level > 0), count(*) filter (where status = 'DISMISSED'), "
                    + "coalesce(sum(reopen_count), 0)" + IN_PERIOD + "group by rule_id order by rule_id", from, to, ward);
                 ResultSet rs = st.executeQuery()) {
                while (rs.next()) {
                    perRule.add(new RuleSummary(rs.getString(1), rs.getLong(2), rs.getLong(3), nullable(rs, 4), nullable(rs, 5),
                            rs.getLong(6), rs.getLong(7), rs.getLong(8)));
                }
            }
            Double perDay = patientDays == 0 ? null : Math.round(alerts * 1000.0 / patientDays) / 1000.0;
            return new Summary(from, to, ward, alerts, patients, patientDays, perDay, acknowledged, p50, p90, byPriority, depth,
                    dismissals, perRule);
        } catch (SQLException e) {
            throw new IllegalStateException("cannot compute alert statistics", e);
        }
    }

    private static long patientDays(Connection c, Instant from, Instant to, String ward) throws SQLException {
        String sql = "with days as (select generate_series(date_trunc('day', ?::timestamptz at time zone 'UTC'), "
                + "(?::timestamptz at time zone 'UTC') - interval '1 microsecond', interval '1 day') as d), "
                + "pd as (select a.patient_id, days.d from care_assignment a join days on "
                + "(a.valid_from at time zone 'UTC') < days.d + interval '1 day' "
                + "and (a.valid_to is null or (a.valid_to at time zone 'UTC') > days.d) "
                + "where a.patient_id is not null and (?::text is null or a.ward = ?) "
                + "union select patient_id, date_trunc('day', raised_at at time zone 'UTC')" + IN_PERIOD + ") "
                + "select count(*) from pd";
        try (PreparedStatement st = c.prepareStatement(sql)) {
            st.setTimestamp(1, Timestamp.from(from));
            st.setTimestamp(2, Timestamp.from(to));
            st.setString(3, ward);
            st.setString(4, ward);
            st.setTimestamp(5, Timestamp.from(from));
            st.setTimestamp(6, Timestamp.from(to));
            st.setString(7, ward);
            st.setString(8, ward);
            try (ResultSet rs = st.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }

    private static Map<String, Long> counts(Connection c, String sql, Instant from, Instant to, String ward) throws SQLException {
        Map<String, Long> out = new LinkedHashMap<>();
        try (PreparedStatement st = period(c, sql, from, to, ward); ResultSet rs = st.executeQuery()) {
            while (rs.next()) {
                out.put(rs.getString(1), rs.getLong(2));
            }
        }
        return out;
    }

    private static PreparedStatement period(Connection c, String sql, Instant from, Instant to, String ward) throws SQLException {
        PreparedStatement st = c.prepareStatement(sql);
        st.setTimestamp(1, Timestamp.from(from));
        st.setTimestamp(2, Timestamp.from(to));
        st.setString(3, ward);
        st.setString(4, ward);
        return st;
    }

    private static Double nullable(ResultSet rs, int column) throws SQLException {
        double v = rs.getDouble(column);
        return rs.wasNull() ? null : Math.round(v * 10.0) / 10.0;
    }
}
