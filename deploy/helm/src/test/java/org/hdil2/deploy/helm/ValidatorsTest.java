package org.hdil2.deploy.helm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.function.Consumer;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/** The manifest validators catch what they claim to catch: each broken copy of a rendered manifest is reported. */
class ValidatorsTest {

    private static final List<JsonNode> STRIMZI = Chart.render("strimzi.yaml");

    @Test
    void renderedManifestsPass() {
        JsonNode deployment = Chart.named(STRIMZI, "Deployment", Chart.fullname("dosing-service"));
        assertEquals(List.of(), KubernetesSchema.check(deployment));
        assertEquals(List.of(), StrimziSchema.check(Chart.named(STRIMZI, "KafkaUser", Chart.fullname("dosing-service"))));
    }

    @Test
    void kubernetesSchemaRejectsUnknownFieldsAtAnyDepth() {
        assertKubernetesRejects("Deployment", d -> ((ObjectNode) d.at("/spec/template/spec/containers/0/livenessProbe/httpGet")).put("paht", "/x"), "paht");
        assertKubernetesRejects("Deployment", d -> ((ObjectNode) d.at("/spec")).put("replica", 2), "replica");
        assertKubernetesRejects("NetworkPolicy", d -> ((ObjectNode) d.at("/spec")).putArray("egres"), "egres");
    }

    @Test
    void kubernetesSchemaRejectsMissingRequiredFieldsAndWrongTypes() {
        assertKubernetesRejects("Deployment", d -> ((ObjectNode) d.at("/spec/template/spec/containers/0")).remove("name"), "name");
        assertKubernetesRejects("Deployment", d -> ((ObjectNode) d.at("/spec")).remove("selector"), "selector");
        assertKubernetesRejects("Deployment", d -> ((ObjectNode) d.at("/spec")).put("replicas", "two"), "two");
        assertKubernetesRejects("Service", d -> ((ObjectNode) d.at("/spec/ports/0")).putObject("port"), "port");
        assertKubernetesRejects("Service", d -> ((ObjectNode) d.path("metadata")).put("name", "Not_A_DNS_Label"), "metadata.name");
        assertKubernetesRejects("ConfigMap", d -> ((ObjectNode) d.path("metadata")).putObject("labels").put("a", "x".repeat(64)), "label");
    }

    @Test
    void strimziSchemaRejectsUnknownFieldsEnumsAndTypes() {
        assertStrimziRejects("KafkaUser", u -> ((ObjectNode) u.at("/spec")).put("quota", 1), "quota");
        assertStrimziRejects("KafkaUser", u -> ((ArrayNode) u.at("/spec/authorization/acls/0/operations")).add("Writ"), "Writ");
        assertStrimziRejects("KafkaUser", u -> ((ObjectNode) u.at("/spec/authentication")).put("type", "scram-sha-1024"), "scram-sha-1024");
        assertStrimziRejects("KafkaTopic", t -> ((ObjectNode) t.at("/spec")).put("partitions", "six"), "six");
        assertStrimziRejects("Kafka", k -> ((ObjectNode) k.at("/spec/kafka/listeners/0")).put("tsl", true), "tsl");
        assertStrimziRejects("KafkaNodePool", p -> ((ObjectNode) p.at("/spec/storage/volumes/0")).put("type", "ephemeral-claim"), "ephemeral-claim");
    }

    private static void assertKubernetesRejects(String kind, Consumer<JsonNode> breakIt, String expected) {
        JsonNode doc = Chart.ofKind(STRIMZI, kind).get(0).deepCopy();
        breakIt.accept(doc);
        List<String> problems = KubernetesSchema.check(doc);
        assertTrue(problems.stream().anyMatch(p -> p.contains(expected)), kind + " broken at '" + expected + "' passed: " + problems);
    }

    private static void assertStrimziRejects(String kind, Consumer<JsonNode> breakIt, String expected) {
        JsonNode doc = Chart.ofKind(STRIMZI, kind).get(0).deepCopy();
        breakIt.accept(doc);
        List<String> problems = StrimziSchema.check(doc);
        assertTrue(problems.stream().anyMatch(p -> p.contains(expected)), kind + " broken at '" + expected + "' passed: " + problems);
    }
}
