package org.hdil2.alert.support;

import java.time.Instant;
import java.util.UUID;

import com.fasterxml.jackson.databind.node.ObjectNode;

import org.hdil2.contract.EventContract;
import org.hdil2.testinfra.KafkaTestClient;

/** Findings as monitoring-service publishes them: the contract's examples, re-addressed. */
public final class Findings {

    public static final String RAISED = "org.hdil2.monitoring.finding-raised.v1";
    public static final String UPDATED = "org.hdil2.monitoring.finding-updated.v1";
    public static final String CLEARED = "org.hdil2.monitoring.finding-cleared.v1";

    private Findings() {
    }

    public static String topic() {
        return KafkaTestClient.topic("hdil2.monitoring.findings.v1");
    }

    /** A rule as monitoring emits it: id, action, severity. */
    public record Rule(String id, String action, String severity, String criterion) {
        public static final Rule SBP = new Rule("LABEL-2024-CV-SBP", "WITHHOLD", "HIGH", "systolic BP < 90 mm[Hg]");
        public static final Rule NEWS2_URGENT = new Rule("NEWS2-URGENT", "NOTIFY", "MEDIUM", "NEWS2 aggregate 5-6");
        public static final Rule NEWS2_SINGLE = new Rule("NEWS2-SINGLE-3", "NOTIFY", "LOW", "a single NEWS2 parameter scoring 3");
    }

    public static ObjectNode raisedBody(String patient, String findingId, Rule rule) {
        return withRule((ObjectNode) EventContract.load().examples(RAISED).get(0).deepCopy(), patient, findingId, rule)
                .put("severity", rule.severity()).put("raisedAt", Instant.now().toString());
    }

    public static String raise(String patient, String findingId, Rule rule) {
        return KafkaTestClient.publishEvent(topic(), patient, RAISED, raisedBody(patient, findingId, rule).toString());
    }

    public static String update(String patient, String findingId, Rule rule, String severity, String previousSeverity) {
        ObjectNode body = raisedBody(patient, findingId, rule).put("severity", severity).put("previousSeverity", previousSeverity)
                .put("updatedAt", Instant.now().toString());
        return KafkaTestClient.publishEvent(topic(), patient, UPDATED, body.toString());
    }

    public static String clear(String patient, String findingId, Rule rule) {
        ObjectNode body = withRule((ObjectNode) EventContract.load().examples(CLEARED).get(0).deepCopy(), patient, findingId, rule)
                .put("clearedAt", Instant.now().toString());
        return KafkaTestClient.publishEvent(topic(), patient, CLEARED, body.toString());
    }

    public static String newId() {
        return UUID.randomUUID().toString();
    }

    private static ObjectNode withRule(ObjectNode body, String patient, String findingId, Rule rule) {
        body.put("patientId", patient).put("findingId", findingId);
        ((ObjectNode) body.path("rule")).put("id", rule.id()).put("action", rule.action()).put("criterion", rule.criterion());
        return body;
    }
}
