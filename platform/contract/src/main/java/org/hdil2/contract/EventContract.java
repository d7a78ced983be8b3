package org.hdil2.contract;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SchemaValidatorsConfig;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;

/**
 * The suite's event contract, read from {@code contract/asyncapi.yaml} and the JSON Schemas beside it: which event
 * types exist, on which topic each travels, which service sends and receives each channel, and whether a payload
 * conforms. One instance is immutable and thread-safe.
 */
public final class EventContract {

    private static final String ROOT = "contract/";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static volatile EventContract instance;

    private final Map<String, JsonNode> schemaDocuments;
    private final Map<String, JsonSchema> schemas;
    private final Map<String, JsonSchema> readerSchemas;
    private final Map<String, String> topicByType;
    private final List<Operation> operations;

    /** One send or receive of a channel by a service, as the AsyncAPI document declares it. */
    public record Operation(String service, String action, String topic, List<String> eventTypes) {
    }

    private EventContract(Map<String, JsonNode> schemaDocuments, Map<String, String> topicByType, List<Operation> operations) {
        this.schemaDocuments = schemaDocuments;
        this.topicByType = topicByType;
        this.operations = operations;
        JsonSchemaFactory factory = JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012);
        SchemaValidatorsConfig config = SchemaValidatorsConfig.builder().formatAssertionsEnabled(true).build();
        Map<String, JsonSchema> compiled = new LinkedHashMap<>();
        Map<String, JsonSchema> tolerant = new LinkedHashMap<>();
        schemaDocuments.forEach((type, doc) -> {
            compiled.put(type, factory.getSchema(doc, config));
            tolerant.put(type, factory.getSchema(withoutClosedObjects(doc.deepCopy()), config));
        });
        this.schemas = compiled;
        this.readerSchemas = tolerant;
    }

    public static EventContract load() {
        EventContract loaded = instance;
        if (loaded == null) {
            synchronized (EventContract.class) {
                loaded = instance;
                if (loaded == null) {
                    loaded = read();
                    instance = loaded;
                }
            }
        }
        return loaded;
    }

    public Set<String> eventTypes() {
        return Collections.unmodifiableSet(schemas.keySet());
    }

    public boolean knows(String eventType) {
        return schemas.containsKey(eventType);
    }

    /** The base topic name (without any per-run suffix) an event type travels on. */
    public Optional<String> topicOf(String eventType) {
        return Optional.ofNullable(topicByType.get(eventType));
    }

    public List<Operation> operations() {
        return operations;
    }

    public List<Operation> operationsOf(String service) {
        return operations.stream().filter(o -> o.service().equals(service)).toList();
    }

    /** Validation messages for {@code data} against the schema of {@code eventType}; empty when it conforms. */
    public List<String> validate(String eventType, JsonNode data) {
        JsonSchema schema = schemas.get(eventType);
        if (schema == null) {
            return List.of("unknown event type " + eventType);
        }
        Set<ValidationMessage> messages = schema.validate(data);
        return messages.stream().map(ValidationMessage::getMessage).sorted().toList();
    }

    /**
     * Validation for consumers: like {@link #validate} but fields the schema does not name are allowed (tolerant
     * reader). A producer that adds an optional field then does not break a consumer deployed before it; producers
     * still validate strictly, so the schema stays the complete list of what is sent.
     */
    public List<String> validateForReader(String eventType, JsonNode data) {
        JsonSchema schema = readerSchemas.get(eventType);
        if (schema == null) {
            return List.of("unknown event type " + eventType);
        }
        return schema.validate(data).stream().map(ValidationMessage::getMessage).sorted().toList();
    }

    private static JsonNode withoutClosedObjects(JsonNode node) {
        if (node.isObject()) {
            com.fasterxml.jackson.databind.node.ObjectNode object = (com.fasterxml.jackson.databind.node.ObjectNode) node;
            if (object.path("additionalProperties").isBoolean()) {
                object.remove("additionalProperties");
            }
            object.elements().forEachRemaining(EventContract::withoutClosedObjects);
        } else if (node.isArray()) {
            node.elements().forEachRemaining(EventContract::withoutClosedObjects);
        }
        return node;
    }

    /** The examples the schema of {@code eventType} carries, for consumer tests. */
    public List<JsonNode> examples(String eventType) {
        JsonNode doc = schemaDocuments.get(eventType);
        if (doc == null) {
            throw new IllegalArgumentException("unknown event type " + eventType);
        }
        List<JsonNode> examples = new ArrayList<>();
        doc.path("examples").forEach(examples::add);
        return examples;
    }

    private static EventContract read() {
        try {
            ObjectMapper yaml = new ObjectMapper(new YAMLFactory());
            JsonNode asyncApi = yaml.readTree(resource(ROOT + "asyncapi.yaml"));
            JsonNode messages = asyncApi.path("components").path("messages");
            Map<String, JsonNode> schemaDocs = new LinkedHashMap<>();
            Map<String, String> messageTypeByKey = new LinkedHashMap<>();
            for (Iterator<Map.Entry<String, JsonNode>> it = messages.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> message = it.next();
                String type = message.getValue().path("name").asText();
                String ref = message.getValue().path("payload").path("$ref").asText();
                if (type.isEmpty() || !ref.startsWith("./")) {
                    throw new IllegalStateException("message " + message.getKey() + " needs a name and a payload $ref to a file");
                }
                try (InputStream in = resource(ROOT + ref.substring(2))) {
                    schemaDocs.put(type, JSON.readTree(in));
                }
                messageTypeByKey.put(message.getKey(), type);
            }
            Map<String, String> topicByType = new LinkedHashMap<>();
            Map<String, String> topicByChannel = new LinkedHashMap<>();
            Map<String, List<String>> typesByChannel = new LinkedHashMap<>();
            for (Iterator<Map.Entry<String, JsonNode>> it = asyncApi.path("channels").fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> channel = it.next();
                String topic = channel.getValue().path("address").asText();
                topicByChannel.put(channel.getKey(), topic);
                List<String> types = new ArrayList<>();
                channel.getValue().path("messages").forEach(m -> {
                    String key = lastSegment(m.path("$ref").asText());
                    String type = messageTypeByKey.get(key);
                    if (type == null) {
                        throw new IllegalStateException("channel " + channel.getKey() + " names unknown message " + key);
                    }
                    types.add(type);
                    topicByType.put(type, topic);
                });
                typesByChannel.put(channel.getKey(), List.copyOf(types));
            }
            List<Operation> operations = new ArrayList<>();
            asyncApi.path("operations").forEach(op -> {
                String channel = lastSegment(op.path("channel").path("$ref").asText());
                operations.add(new Operation(op.path("x-hdil2-service").asText(), op.path("action").asText(),
                        topicByChannel.get(channel), typesByChannel.getOrDefault(channel, List.of())));
            });
            return new EventContract(Collections.unmodifiableMap(schemaDocs), Collections.unmodifiableMap(topicByType),
                    List.copyOf(operations));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the event contract", e);
        }
    }

    private static String lastSegment(String ref) {
        return ref.substring(ref.lastIndexOf('/') + 1);
    }

    private static InputStream resource(String path) {
        InputStream in = EventContract.class.getClassLoader().getResourceAsStream(path);
        if (in == null) {
            throw new IllegalStateException("missing contract resource " + path);
        }
        return in;
    }
}
