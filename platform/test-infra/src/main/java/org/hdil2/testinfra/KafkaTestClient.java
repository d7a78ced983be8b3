package org.hdil2.testinfra;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Predicate;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.eclipse.microprofile.config.ConfigProvider;
import org.hdil2.contract.CloudEventHeaders;
import org.hdil2.infra.TopicReader;
import org.hdil2.infra.TopicWriter;

/** Reads and writes the test run's topics on the real broker. */
public final class KafkaTestClient {

    private KafkaTestClient() {
    }

    /** The run's name of a base topic, e.g. {@code hdil2.dosing.events.v1-3f9a...}. */
    public static String topic(String base) {
        return base + ConfigProvider.getConfig().getOptionalValue("hdil2.topic-suffix", String.class).orElse("");
    }

    public static String bootstrap() {
        return ConfigProvider.getConfig().getValue("kafka.bootstrap.servers", String.class);
    }

    /** Reads the topic from the beginning (committed records only) until {@code wanted} matches or time runs out. */
    public static List<ConsumerRecord<String, String>> awaitRecords(String topic, Predicate<List<ConsumerRecord<String, String>>> wanted,
                                                                    Duration timeout) {
        List<ConsumerRecord<String, String>> seen = TopicReader.read(bootstrap(), topic, wanted, timeout);
        if (!wanted.test(seen)) {
            throw new AssertionError("records wanted on " + topic + " did not arrive in " + timeout.toSeconds() + " s; saw "
                    + seen.size() + " records");
        }
        return seen;
    }

    /** The first record for which {@code match} holds. */
    public static ConsumerRecord<String, String> awaitRecord(String topic, Predicate<ConsumerRecord<String, String>> match,
                                                             Duration timeout) {
        return awaitRecords(topic, rs -> rs.stream().anyMatch(match), timeout).stream().filter(match).findFirst().orElseThrow();
    }

    /** Publishes a CloudEvent in binary mode, as another service would. */
    public static String publishEvent(String topic, String patientId, String type, String json) {
        return publishEvent(topic, patientId, type, json, UUID.randomUUID().toString());
    }

    /** Publishes a CloudEvent with a given id: the same id twice is a redelivery. */
    public static String publishEvent(String topic, String patientId, String type, String json, String id) {
        publish(topic, patientId, Map.of(
                CloudEventHeaders.SPEC_VERSION, CloudEventHeaders.SPEC_VERSION_VALUE,
                CloudEventHeaders.ID, id,
                CloudEventHeaders.SOURCE, "/hdil2/test",
                CloudEventHeaders.TYPE, type,
                CloudEventHeaders.SUBJECT, patientId,
                CloudEventHeaders.TIME, Instant.now().toString(),
                CloudEventHeaders.CONTENT_TYPE, CloudEventHeaders.JSON), json);
        return id;
    }

    public static void publish(String topic, String key, Map<String, String> headers, String value) {
        TopicWriter.publish(bootstrap(), topic, key, headers, value);
    }
}
