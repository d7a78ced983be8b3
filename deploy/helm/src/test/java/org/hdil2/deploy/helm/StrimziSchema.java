package org.hdil2.deploy.helm;

import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.introspect.Annotated;
import com.fasterxml.jackson.databind.introspect.JacksonAnnotationIntrospector;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.strimzi.api.kafka.model.kafka.Kafka;
import io.strimzi.api.kafka.model.nodepool.KafkaNodePool;
import io.strimzi.api.kafka.model.topic.KafkaTopic;
import io.strimzi.api.kafka.model.user.KafkaUser;

/**
 * Checks Strimzi custom resources against Strimzi's own Java model (io.strimzi:api, the source its CRDs are
 * generated from): Jackson rejects wrong types, unknown enum values (ACL operations, resource and listener
 * types) and unknown polymorphic "type"s; fields the model does not define land in additionalProperties, which must
 * stay empty at every depth, and every value must survive a read and write of the model. Required fields and numeric ranges of the CRD schemas are not checked.
 */
final class StrimziSchema {

    static final String API_VERSION = "kafka.strimzi.io/v1";
    private static final Map<String, Class<?>> MODELS = Map.of(
            "Kafka", Kafka.class, "KafkaNodePool", KafkaNodePool.class,
            "KafkaTopic", KafkaTopic.class, "KafkaUser", KafkaUser.class);
    private static final ObjectMapper MAPPER = new ObjectMapper()
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
            .enable(DeserializationFeature.FAIL_ON_NUMBERS_FOR_ENUMS);

    // writes every property, defaults included, so that only a value the model could not read goes missing
    private static final ObjectMapper WRITER = new ObjectMapper().setAnnotationIntrospector(new JacksonAnnotationIntrospector() {
        @Override
        public JsonInclude.Value findPropertyInclusion(Annotated a) {
            return JsonInclude.Value.construct(JsonInclude.Include.ALWAYS, JsonInclude.Include.ALWAYS);
        }
    });

    private StrimziSchema() {
    }

    static boolean knows(JsonNode doc) {
        return doc.path("apiVersion").asText().startsWith("kafka.strimzi.io/") && MODELS.containsKey(doc.path("kind").asText());
    }

    static List<String> check(JsonNode doc) {
        List<String> problems = new ArrayList<>();
        String what = doc.path("kind").asText() + " " + doc.at("/metadata/name").asText();
        if (!API_VERSION.equals(doc.path("apiVersion").asText())) {
            problems.add(what + ": apiVersion " + doc.path("apiVersion").asText() + ", the chart's default is " + API_VERSION);
        }
        try {
            Object model = MAPPER.treeToValue(doc, MODELS.get(doc.path("kind").asText()));
            unknownFields(model, what, problems);
            // Strimzi's enums read an unknown value as null: such a value is missing when the model is written back
            JsonNode written = WRITER.valueToTree(model);
            ((ObjectNode) written).set("apiVersion", doc.path("apiVersion"));
            lost(doc, written, what, problems);
        } catch (Exception e) {
            problems.add(what + ": " + e.getMessage());
        }
        return problems;
    }

    private static void lost(JsonNode in, JsonNode out, String path, List<String> problems) {
        if (in.isObject()) {
            in.fields().forEachRemaining(e -> lost(e.getValue(), out.path(e.getKey()), path + "." + e.getKey(), problems));
        } else if (in.isArray()) {
            for (int i = 0; i < in.size(); i++) {
                lost(in.get(i), out.path(i), path + "[" + i + "]", problems);
            }
        } else if (!in.isNull() && !in.asText().equals(out.asText())) {
            problems.add(path + ": value " + in + " not understood by the Strimzi model (read as " + out + ")");
        }
    }

    private static void unknownFields(Object o, String path, List<String> problems) throws ReflectiveOperationException {
        if (o == null) {
            return;
        }
        if (o instanceof Collection<?> c) {
            int i = 0;
            for (Object e : c) {
                unknownFields(e, path + "[" + i++ + "]", problems);
            }
            return;
        }
        if (o instanceof Map<?, ?> m) {
            for (Map.Entry<?, ?> e : m.entrySet()) {
                unknownFields(e.getValue(), path + "." + e.getKey(), problems);
            }
            return;
        }
        String pkg = o.getClass().getPackageName();
        if (!pkg.startsWith("io.strimzi.") && !pkg.startsWith("io.fabric8.")) {
            return;
        }
        for (Method m : o.getClass().getMethods()) {
            if (m.getParameterCount() != 0 || Modifier.isStatic(m.getModifiers()) || !m.getName().startsWith("get")
                    || m.getDeclaringClass() == Object.class) {
                continue;
            }
            Object value = m.invoke(o);
            if (m.getName().equals("getAdditionalProperties")) {
                if (value instanceof Map<?, ?> extra && !extra.isEmpty()) {
                    problems.add(path + ": fields not in the Strimzi schema: " + extra.keySet());
                }
            } else if (!m.getReturnType().isEnum()) {
                unknownFields(value, path + "." + m.getName().substring(3), problems);
            }
        }
    }
}
