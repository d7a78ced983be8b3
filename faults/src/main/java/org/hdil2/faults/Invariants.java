package org.hdil2.faults;

import java.nio.charset.StandardCharsets;
import java.sql.Array;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;
import org.hdil2.contract.CloudEventHeaders;
import org.hdil2.infra.InfraEndpoints;
import org.hdil2.infra.TopicReader;
import org.hdil2.local.Service;

/**
 * The suite's promises, checked after a scenario from what the services stored and published, against what the
 * workload's clients were told. Each check counts what it looked at and lists what breaks it (the first few).
 */
final class Invariants {

    /** One promise: how many things were checked, and every one that breaks it. */
    record Check(String name, long checked, List<String> violations) {
        boolean holds() {
            return violations.isEmpty();
        }
    }

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int SHOWN = 5;
    private final InfraEndpoints infra;
    private final Map<String, List<ConsumerRecord<String, String>>> topics = new HashMap<>();

    Invariants(InfraEndpoints infra) {
        this.infra = infra;
    }

    /** Waits until what the workload left in flight has gone through (stored, published, evaluated, received). */
    void settle(Observed observed, Duration atMost) {
        long deadline = System.nanoTime() + atMost.toNanos();
        while (System.nanoTime() < deadline) {
            if (unpublishedOutboxRows() == 0 && unstored(observed).isEmpty() && unevaluated(observed.patientList()).isEmpty()) {
                return;
            }
            OwnInfra.pause(Duration.ofSeconds(1));
        }
    }

    List<Check> check(Observed observed) {
        topics.clear();
        List<String> patients = observed.patientList();
        List<Check> checks = new ArrayList<>();
        checks.add(observationsStoredOnce(observed));
        checks.add(observationsPublishedOnce(observed));
        checks.add(evaluatedOnceAndAll(patients));
        checks.add(everyFindingOneAlert(patients));
        checks.add(oneNotificationPerStep(patients));
        checks.add(escalationStepsOnce());
        checks.add(doseCommandsOnce(observed));
        checks.add(oneStandingEntryPerSlot(patients));
        checks.add(outboxEventsOnTheirTopics());
        checks.add(noEventAppliedTwice());
        checks.add(noGiveMissingAnAcceptedHypotension(observed));
        checks.add(everyChangeAudited(patients));
        return checks;
    }

    // ------------------------------------------------------------------------------------------------ observations

    private Check observationsStoredOnce(Observed observed) {
        List<UUID> missing = unstored(observed);
        return new Check("accepted observation stored once", observed.accepted.size(),
                missing.stream().limit(SHOWN).map(id -> "accepted, not stored: " + id).toList());
    }

    private List<UUID> unstored(Observed observed) {
        List<UUID> ids = observed.accepted.stream().map(Observed.Accepted::observationId).toList();
        Set<UUID> stored = new HashSet<>();
        query(Service.MONITORING, "select id from observation where id = any(?)", st -> st.setArray(1, uuids(st.getConnection(), ids)),
                rs -> stored.add(rs.getObject(1, UUID.class)));
        return ids.stream().filter(id -> !stored.contains(id)).toList();
    }

    /** Published at least once, and every copy with one event id (a relay's resend keeps the id: consumers drop it). */
    private Check observationsPublishedOnce(Observed observed) {
        Map<String, Set<String>> eventIds = new HashMap<>();
        for (ConsumerRecord<String, String> r : topic("hdil2.monitoring.observations.v1")) {
            if ("org.hdil2.monitoring.observation-recorded.v1".equals(header(r, CloudEventHeaders.TYPE))) {
                eventIds.computeIfAbsent(read(r.value()).path("observationId").asText(), k -> new HashSet<>()).add(header(r, CloudEventHeaders.ID));
            }
        }
        List<String> violations = new ArrayList<>();
        for (Observed.Accepted a : observed.accepted) {
            Set<String> ids = eventIds.getOrDefault(a.observationId().toString(), Set.of());
            if (ids.size() != 1) {
                violations.add(a.observationId() + " published under " + ids.size() + " event ids");
            }
        }
        return new Check("accepted observation published once", observed.accepted.size(), first(violations));
    }

    /** No evaluation twice (one event id per patient, epoch and sequence; no event twice), and every accepted observation included. */
    private Check evaluatedOnceAndAll(List<String> patients) {
        Map<String, Set<String>> idsByEvaluation = new HashMap<>();
        Map<String, Integer> copies = new HashMap<>();
        for (ConsumerRecord<String, String> r : topic("hdil2.monitoring.findings.v1")) {
            if ("org.hdil2.monitoring.evaluation-updated.v1".equals(header(r, CloudEventHeaders.TYPE)) && patients.contains(r.key())) {
                JsonNode d = read(r.value());
                idsByEvaluation.computeIfAbsent(r.key() + "/" + d.path("stateEpoch").asText("") + "/" + d.path("sequence").asLong(),
                        k -> new HashSet<>()).add(header(r, CloudEventHeaders.ID));
                copies.merge(header(r, CloudEventHeaders.ID), 1, Integer::sum);
            }
        }
        List<String> violations = new ArrayList<>();
        idsByEvaluation.forEach((k, ids) -> {
            if (ids.size() > 1) {
                violations.add("evaluation " + k + " published under " + ids.size() + " ids");
            }
        });
        copies.forEach((id, n) -> {
            if (n > 1) {
                violations.add("evaluation event " + id + " published " + n + " times");
            }
        });
        unevaluated(patients).forEach((p, gap) -> violations.add(p + ": " + gap));
        return new Check("evaluated once, and all", idsByEvaluation.size(), first(violations));
    }

    /** Patients whose accepted observations dosing's evaluation does not include, with the gap. */
    private Map<String, String> unevaluated(List<String> patients) {
        Map<String, Long> accepted = new HashMap<>();
        query(Service.MONITORING, "select patient_id, last_sequence from patient_intake where patient_id = any(?)",
                st -> st.setArray(1, st.getConnection().createArrayOf("text", patients.toArray())), rs -> accepted.put(rs.getString(1), rs.getLong(2)));
        Map<String, Long> included = new HashMap<>();
        query(Service.DOSING, "select patient_id, intake_sequence from patient_evaluation where patient_id = any(?)",
                st -> st.setArray(1, st.getConnection().createArrayOf("text", patients.toArray())), rs -> included.put(rs.getString(1), rs.getLong(2)));
        Map<String, String> gaps = new HashMap<>();
        accepted.forEach((p, last) -> {
            long has = included.getOrDefault(p, 0L);
            if (has < last) {
                gaps.put(p, "accepted up to intake #" + last + ", dosing's evaluation includes #" + has);
            }
        });
        return gaps;
    }

    // ------------------------------------------------------------------------------------------------ alerts

    private Check everyFindingOneAlert(List<String> patients) {
        Set<String> raised = new HashSet<>();
        for (ConsumerRecord<String, String> r : topic("hdil2.monitoring.findings.v1")) {
            if ("org.hdil2.monitoring.finding-raised.v1".equals(header(r, CloudEventHeaders.TYPE)) && patients.contains(r.key())) {
                raised.add(read(r.value()).path("findingId").asText());
            }
        }
        Set<String> attached = new HashSet<>();
        query(Service.ALERT, "select finding_id from alert_finding", st -> { }, rs -> attached.add(rs.getString(1)));
        List<String> violations = new ArrayList<>();
        raised.stream().filter(f -> !attached.contains(f)).forEach(f -> violations.add("finding " + f + " raised no alert"));
        query(Service.ALERT, "select patient_id, rule_id, count(*) from alert where ended_at is null group by patient_id, rule_id having count(*) > 1",
                st -> { }, rs -> violations.add(rs.getString(1) + "/" + rs.getString(2) + ": " + rs.getLong(3) + " open alerts"));
        return new Check("every finding one alert", raised.size(), first(violations));
    }

    private Check oneNotificationPerStep(List<String> patients) {
        List<String> violations = new ArrayList<>();
        long[] alerts = new long[1];
        query(Service.ALERT, "select count(*) from alert where patient_id = any(?)",
                st -> st.setArray(1, st.getConnection().createArrayOf("text", patients.toArray())), rs -> alerts[0] = rs.getLong(1));
        query(Service.ALERT, "select alert_id, count(*) from alert_notification where phase = 'START' group by alert_id having count(*) <> 1",
                st -> { }, rs -> violations.add("alert " + rs.getString(1) + ": " + rs.getLong(2) + " start notifications"));
        query(Service.ALERT, "select a.id from alert a where not exists (select 1 from alert_notification n where n.alert_id = a.id "
                + "and n.phase = 'START')", st -> { }, rs -> violations.add("alert " + rs.getString(1) + " was never notified"));
        query(Service.ALERT, "select alert_id, (payload::jsonb)->>'escalationLevel', count(*) from alert_notification where phase = 'ESCALATE' "
                + "group by 1, 2 having count(*) > 1", st -> { },
                rs -> violations.add("alert " + rs.getString(1) + ": escalation level " + rs.getString(2) + " notified " + rs.getLong(3) + " times"));
        return new Check("one notification per step", alerts[0], first(violations));
    }

    private Check escalationStepsOnce() {
        List<String> violations = new ArrayList<>();
        long[] steps = new long[1];
        query(Service.ALERT, "select count(*) from audit_entry where action = 'alert.escalate'", st -> { }, rs -> steps[0] = rs.getLong(1));
        query(Service.ALERT, "select request_id, count(*) from audit_entry where action = 'alert.escalate' group by request_id having count(*) > 1",
                st -> { }, rs -> violations.add(rs.getString(1) + " taken " + rs.getLong(2) + " times"));
        query(Service.ALERT, "select alert_id, count(*), count(distinct detail) from alert_transition where action = 'ESCALATE' "
                + "group by alert_id having count(*) <> count(distinct detail)", st -> { },
                rs -> violations.add("alert " + rs.getString(1) + ": a step escalated twice"));
        return new Check("every escalation step once", steps[0], first(violations));
    }

    // ------------------------------------------------------------------------------------------------ doses

    private Check doseCommandsOnce(Observed observed) {
        Map<String, Long> byKey = new HashMap<>();
        List<String> keys = observed.doseCommands.stream().map(Observed.DoseCommand::key).toList();
        query(Service.DOSING, "select idempotency_key, count(*) from dose_record where idempotency_key = any(?) group by idempotency_key",
                st -> st.setArray(1, st.getConnection().createArrayOf("text", keys.toArray())), rs -> byKey.put(rs.getString(1), rs.getLong(2)));
        List<String> violations = new ArrayList<>();
        for (String key : keys) {
            long n = byKey.getOrDefault(key, 0L);
            if (n != 1) {
                violations.add("dose command " + key + " answered 200, in the ledger " + n + " times");
            }
        }
        return new Check("acknowledged dose command in the ledger once", keys.size(), first(violations));
    }

    private Check oneStandingEntryPerSlot(List<String> patients) {
        List<String> violations = new ArrayList<>();
        long[] slots = new long[1];
        String courses = "select id from course where patient_id = any(?)";
        query(Service.DOSING, "select count(*) from dose_opportunity where course_id in (" + courses + ")",
                st -> st.setArray(1, st.getConnection().createArrayOf("text", patients.toArray())), rs -> slots[0] = rs.getLong(1));
        query(Service.DOSING, "select r.course_id, r.dose_number, count(*) from dose_record r where r.kind <> 'ENTERED_IN_ERROR' "
                        + "and not exists (select 1 from dose_record c where c.corrects = r.id) and r.course_id in (" + courses + ") "
                        + "group by r.course_id, r.dose_number having count(*) > 1",
                st -> st.setArray(1, st.getConnection().createArrayOf("text", patients.toArray())),
                rs -> violations.add("course " + rs.getString(1) + " dose " + rs.getInt(2) + ": " + rs.getLong(3) + " standing entries"));
        return new Check("no slot with two standing entries", slots[0], first(violations));
    }

    /**
     * No GIVE a nurse saw, and none recorded, rested on an evaluation that missed a hypotensive SBP accepted (committed:
     * PostgreSQL's commit timestamp of the row; a transaction still open is not yet accepted) a second before.
     */
    private Check noGiveMissingAnAcceptedHypotension(Observed observed) {
        record Give(String patient, Instant at, long included) {
        }
        List<Give> gives = new ArrayList<>();
        observed.decisions.stream().filter(d -> "GIVE".equals(d.decision()))
                .forEach(d -> gives.add(new Give(d.patient(), d.at(), d.evaluationIntakeSequence() == null ? 0 : d.evaluationIntakeSequence())));
        query(Service.DOSING, "select c.patient_id, r.recorded_at, r.decision from dose_record r join course c on c.id = r.course_id "
                        + "where r.kind = 'GIVEN' and c.patient_id = any(?)",
                st -> st.setArray(1, st.getConnection().createArrayOf("text", observed.patientList().toArray())),
                rs -> {
                    JsonNode decision = read(rs.getString(3));
                    Instant decidedAt = decision.hasNonNull("decidedAt") ? Instant.parse(decision.path("decidedAt").asText())
                            : rs.getTimestamp(2).toInstant();
                    gives.add(new Give(rs.getString(1), decidedAt, decision.path("evaluationIntakeSequence").asLong(0)));
                });
        List<String> violations = new ArrayList<>();
        for (Give g : gives) {
            query(Service.MONITORING, "select id, intake_sequence, coalesce(pg_xact_commit_timestamp(xmin), recorded_at) from observation "
                            + "where patient_id = ? and parameter = 'systolic-bp' and value < 90 and intake_sequence > ? "
                            + "and coalesce(pg_xact_commit_timestamp(xmin), recorded_at) < ?",
                    st -> {
                        st.setString(1, g.patient());
                        st.setLong(2, g.included());
                        st.setTimestamp(3, Timestamp.from(g.at().minusSeconds(1)));
                    },
                    rs -> violations.add(g.patient() + " GIVE at " + g.at() + " on an evaluation up to intake #" + g.included()
                            + " missed SBP < 90 #" + rs.getLong(2) + " accepted " + rs.getTimestamp(3).toInstant()));
        }
        return new Check("no GIVE missing an accepted hypotension", gives.size(), first(violations));
    }

    // ------------------------------------------------------------------------------------------------ events, audit

    /** Every event the services committed to their outbox is on its topic (and nothing is left unpublished). */
    private Check outboxEventsOnTheirTopics() {
        List<String> violations = new ArrayList<>();
        long checked = 0;
        for (Service s : Service.values()) {
            Map<String, List<String>> byTopic = new HashMap<>();
            query(s, "select event_id, topic, published_at from outbox_event", st -> { }, rs -> {
                if (rs.getTimestamp(3) == null) {
                    violations.add(s.module() + " outbox event " + rs.getString(1) + " never published");
                }
                byTopic.computeIfAbsent(rs.getString(2), k -> new ArrayList<>()).add(rs.getString(1));
            });
            for (Map.Entry<String, List<String>> e : byTopic.entrySet()) {
                Set<String> onTopic = new HashSet<>();
                topic(e.getKey()).forEach(r -> onTopic.add(header(r, CloudEventHeaders.ID)));
                for (String id : e.getValue()) {
                    checked++;
                    if (!onTopic.contains(id)) {
                        violations.add(s.module() + " event " + id + " committed, not on " + e.getKey());
                    }
                }
            }
        }
        return new Check("committed event on its topic", checked, first(violations));
    }

    /** A consumer's effect happens once per event: one inbox row (the key says so) and one audit entry per event and action. */
    private Check noEventAppliedTwice() {
        List<String> violations = new ArrayList<>();
        long checked = 0;
        for (Service s : Service.values()) {
            long[] n = new long[1];
            query(s, "select count(*) from inbox_event", st -> { }, rs -> n[0] = rs.getLong(1));
            checked += n[0];
            query(s, "select actor, request_id, action, resource_id, count(*) from audit_entry where channel = 'kafka' "
                    + "group by actor, request_id, action, resource_id having count(*) > 1", st -> { },
                    rs -> violations.add(s.module() + ": " + rs.getString(1) + " applied " + rs.getString(2) + " (" + rs.getString(3) + ") "
                            + rs.getLong(5) + " times"));
        }
        return new Check("no event applied twice", checked, first(violations));
    }

    private Check everyChangeAudited(List<String> patients) {
        List<String> violations = new ArrayList<>();
        long checked = 0;
        checked += compare(violations, Service.MONITORING, "observations", "select count(*) from observation where patient_id = any(?)",
                "select count(*) from audit_entry where action = 'observation.record' and patient_id = any(?)", patients);
        checked += compare(violations, Service.DOSING, "dose entries", "select count(*) from dose_record r join course c on c.id = r.course_id "
                + "where c.patient_id = any(?)", "select count(*) from audit_entry where action in ('dose.given', 'dose.held', 'dose.corrected', "
                + "'dose.missed') and patient_id = any(?)", patients);
        checked += compare(violations, Service.DOSING, "course orders", "select count(*) from course where patient_id = any(?)",
                "select count(*) from audit_entry where action = 'course.order' and patient_id = any(?)", patients);
        checked += compare(violations, Service.DOSING, "verifications", "select count(*) from course where verified_at is not null and patient_id = any(?)",
                "select count(*) from audit_entry where action = 'course.verify' and patient_id = any(?)", patients);
        checked += compare(violations, Service.ELIGIBILITY, "screenings", "select count(*) from screening where patient_id = any(?)",
                "select count(*) from audit_entry where resource_type = 'Screening' and channel = 'http' and patient_id = any(?)", patients);
        checked += compare(violations, Service.ALERT, "alerts raised", "select count(*) from alert where patient_id = any(?)",
                "select count(*) from audit_entry where action = 'alert.raise' and patient_id = any(?)", patients);
        checked += compare(violations, Service.ALERT, "acknowledgements", "select count(*) from alert_transition t join alert a on a.id = t.alert_id "
                + "where t.actor like 'user:%' and (t.action = 'ACKNOWLEDGE' or (t.action = 'END' and t.detail like 'acknowledged%')) "
                + "and a.patient_id = any(?)",
                "select count(*) from audit_entry where action = 'alert.acknowledge' and patient_id = any(?)", patients);
        return new Check("every state change audited", checked, first(violations));
    }

    private long compare(List<String> violations, Service s, String what, String changes, String audits, List<String> patients) {
        long[] counts = new long[2];
        query(s, changes, st -> st.setArray(1, st.getConnection().createArrayOf("text", patients.toArray())), rs -> counts[0] = rs.getLong(1));
        query(s, audits, st -> st.setArray(1, st.getConnection().createArrayOf("text", patients.toArray())), rs -> counts[1] = rs.getLong(1));
        if (counts[0] != counts[1]) {
            violations.add(what + ": " + counts[0] + " changes, " + counts[1] + " audit entries");
        }
        return counts[0];
    }

    private long unpublishedOutboxRows() {
        long[] n = new long[1];
        for (Service s : Service.values()) {
            query(s, "select count(*) from outbox_event where published_at is null", st -> { }, rs -> n[0] += rs.getLong(1));
        }
        return n[0];
    }

    // ------------------------------------------------------------------------------------------------ plumbing

    private List<ConsumerRecord<String, String>> topic(String name) {
        return topics.computeIfAbsent(name, t -> TopicReader.readToEnd(infra.kafkaBootstrap(), t, Duration.ofSeconds(90)));
    }

    interface Binder {
        void bind(PreparedStatement st) throws SQLException;
    }

    interface Row {
        void accept(ResultSet rs) throws SQLException;
    }

    private void query(Service s, String sql, Binder binder, Row row) {
        try (Connection c = DriverManager.getConnection(infra.jdbcUrlFor(s.database()), infra.pgUser(), infra.pgPassword());
             PreparedStatement st = c.prepareStatement(sql)) {
            binder.bind(st);
            try (ResultSet rs = st.executeQuery()) {
                while (rs.next()) {
                    row.accept(rs);
                }
            }
        } catch (SQLException e) {
            throw new IllegalStateException(s.module() + ": " + sql + ": " + e.getMessage(), e);
        }
    }

    private static Array uuids(Connection c, List<UUID> ids) throws SQLException {
        return c.createArrayOf("uuid", ids.toArray());
    }

    private static List<String> first(List<String> violations) {
        if (violations.size() <= SHOWN) {
            return violations;
        }
        List<String> shown = new ArrayList<>(violations.subList(0, SHOWN));
        shown.add("... and " + (violations.size() - SHOWN) + " more");
        return shown;
    }

    private static String header(ConsumerRecord<String, String> r, String name) {
        Header h = r.headers().lastHeader(name);
        return h == null ? null : new String(h.value(), StandardCharsets.UTF_8);
    }

    private static JsonNode read(String json) {
        try {
            return JSON.readTree(json == null ? "{}" : json);
        } catch (Exception e) {
            return JSON.createObjectNode();
        }
    }
}
