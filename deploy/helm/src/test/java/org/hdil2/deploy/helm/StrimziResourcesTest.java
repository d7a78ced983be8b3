package org.hdil2.deploy.helm;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;

/** Strimzi mode: topics and users follow the AsyncAPI document of platform/contract and the services' own config. */
class StrimziResourcesTest {

    @Test
    void theChartCarriesAnExactCopyOfTheContract() throws IOException {
        assertEquals(Files.readString(Chart.CONTRACT_ASYNCAPI), Files.readString(Chart.DIR.resolve("files/asyncapi.yaml")),
                "hdil2/files/asyncapi.yaml differs from platform/contract: copy it over");
    }

    @Test
    void everyAsyncApiTopicAndItsDeadLetterTwinIsAKafkaTopicWithTheDocumentsSettings() {
        List<JsonNode> docs = Chart.render("strimzi.yaml");
        Map<String, JsonNode> topics = new TreeMap<>();
        Chart.ofKind(docs, "KafkaTopic").forEach(t -> topics.put(t.at("/spec/topicName").asText(), t));
        Set<String> expected = new TreeSet<>();
        for (JsonNode channel : Chart.asyncApi().path("channels")) {
            JsonNode binding = channel.at("/bindings/kafka");
            for (String topic : List.of(binding.path("topic").asText(), binding.path("topic").asText() + ".dlq")) {
                expected.add(topic);
                JsonNode t = topics.get(topic);
                assertEquals(channel.path("address").asText(), binding.path("topic").asText());
                assertEquals(binding.path("partitions").asInt(), t.at("/spec/partitions").asInt(), topic);
                assertEquals(binding.path("replicas").asInt(), t.at("/spec/replicas").asInt(), topic);
                JsonNode cfg = binding.path("topicConfiguration");
                assertEquals(joined(cfg.path("cleanup.policy")), t.at("/spec/config/cleanup.policy").asText(), topic);
                assertEquals(cfg.path("retention.ms").asLong(), t.at("/spec/config/retention.ms").asLong(), topic);
                assertEquals(cfg.path("min.insync.replicas").asInt(), t.at("/spec/config/min.insync.replicas").asInt(), topic);
                assertEquals("hdil2-kafka", t.at("/metadata/labels/strimzi.io~1cluster").asText());
            }
        }
        assertEquals(expected, topics.keySet());
    }

    @Test
    void theMinimalExampleOverridesReplicationForASingleBroker() {
        List<JsonNode> docs = Chart.render("minimal.yaml");
        for (JsonNode t : Chart.ofKind(docs, "KafkaTopic")) {
            assertEquals(1, t.at("/spec/replicas").asInt());
            assertEquals(1, t.at("/spec/config/min.insync.replicas").asInt());
        }
        assertEquals(1, Chart.ofKind(docs, "KafkaNodePool").get(0).at("/spec/replicas").asInt());
    }

    @Test
    void eachServiceUserMayUseExactlyItsTopicsGroupsAndTransactions() throws IOException {
        List<JsonNode> docs = Chart.render("strimzi.yaml");
        JsonNode api = Chart.asyncApi();
        for (String service : Chart.SERVICES) {
            Map<String, Set<String>> expected = new TreeMap<>();
            for (JsonNode op : api.path("operations")) {
                if (!service.equals(op.path("x-hdil2-service").asText())) {
                    continue;
                }
                String channel = op.at("/channel/$ref").asText().substring("#/channels/".length());
                String topic = api.at("/channels/" + channel + "/bindings/kafka/topic").asText();
                if (op.path("action").asText().equals("send")) {
                    add(expected, "topic:literal:" + topic, "Write", "Describe");
                } else {
                    add(expected, "topic:literal:" + topic, "Read", "Describe");
                    add(expected, "topic:literal:" + topic + ".dlq", "Write", "Describe");
                }
            }
            Properties props = applicationProperties(service);
            props.stringPropertyNames().stream().filter(k -> k.endsWith(".group.id"))
                    .forEach(k -> add(expected, "group:literal:" + props.getProperty(k), "Read"));
            String appId = props.getProperty("quarkus.kafka-streams.application-id");
            if (appId != null) {
                String prefix = appId.replace("${hdil2.topic-suffix:}", "");
                add(expected, "topic:prefix:" + prefix, "Create", "Delete", "Describe", "DescribeConfigs", "Read", "Write");
                add(expected, "group:prefix:" + prefix, "Read");
                add(expected, "transactionalId:prefix:" + prefix, "Describe", "Write");
            }

            JsonNode user = Chart.named(docs, "KafkaUser", Chart.fullname(service));
            assertEquals("scram-sha-512", user.at("/spec/authentication/type").asText());
            Map<String, Set<String>> actual = new TreeMap<>();
            for (JsonNode acl : user.at("/spec/authorization/acls")) {
                JsonNode r = acl.path("resource");
                acl.path("operations").forEach(o -> add(actual,
                        r.path("type").asText() + ":" + r.path("patternType").asText() + ":" + r.path("name").asText(), o.asText()));
            }
            assertEquals(expected, actual, service);

            JsonNode pod = Chart.named(docs, "Deployment", Chart.fullname(service)).at("/spec/template/spec");
            JsonNode jaas = pod.at("/containers/0/env").findParents("name").stream()
                    .filter(e -> e.path("name").asText().equals("KAFKA_SASL_JAAS_CONFIG")).findFirst().orElseThrow();
            assertEquals(Chart.fullname(service), jaas.at("/valueFrom/secretKeyRef/name").asText(), "the KafkaUser's Secret");
            assertEquals("SASL_SSL", Chart.named(docs, "ConfigMap", Chart.fullname(service)).at("/data/KAFKA_SECURITY_PROTOCOL").asText());
        }
    }

    private static String joined(JsonNode list) {
        StringBuilder b = new StringBuilder();
        list.forEach(v -> b.append(b.length() == 0 ? "" : ",").append(v.asText()));
        return b.toString();
    }

    private static void add(Map<String, Set<String>> acl, String resource, String... operations) {
        acl.computeIfAbsent(resource, k -> new TreeSet<>()).addAll(List.of(operations));
    }

    private static Properties applicationProperties(String service) throws IOException {
        Properties p = new Properties();
        try (Reader r = Files.newBufferedReader(Chart.ROOT.resolve(service + "/src/main/resources/application.properties"))) {
            p.load(r);
        }
        return p;
    }
}
