package org.hdil2.local;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * Malformed requests for every operation a service's OpenAPI document lists: a plausible body built from the
 * operation's schema, then one hostile change at a time (a duplicate key, a NUL or another control character, an
 * unpaired surrogate, numbers no one means, years no one means, nesting and lengths past the limits, wrong types,
 * unknown fields, broken JSON), and hostile path and query parameters. Every one of them must be refused: none may
 * answer 5xx and none may write a row.
 */
final class HostileRequests {

    /** One request to send; {@code body} is sent as-is (null: none). */
    record Request(String method, String path, String contentType, String body, String what, Map<String, String> headers) {

        Request(String method, String path, String contentType, String body, String what) {
            this(method, path, contentType, body, what, Map.of());
        }
    }

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
    private static final List<String> HOSTILE_NUMBERS = List.of("1E-999999999", "1E-20000", "1e400", "-1e400",
            "123456789012345678901234567890123456789012345", "0.0000000000000000000000001", "99999999999999999999",
            // not JSON numbers at all
            "NaN", "Infinity", "-Infinity", "0x10", "+1", "01", "1.", ".5", "1e", "--1", "1_000");
    private static final List<String> HOSTILE_TIMES = List.of("\"+100000-01-01T00:00:00Z\"", "\"2999-01-01T00:00:00Z\"",
            "\"1800-01-01T00:00:00Z\"", "\"0000-01-01T00:00:00Z\"", "\"2026-13-45T25:61:00Z\"", "\"-290308-12-21T19:59:05Z\"",
            "\"2026-12-02T00:00:00+25:00\"", "\"2026-12-02T25:00:00Z\"", "\"12/02/2026\"", "\"2026-W49-3\"", "\"99999-01-01\"",
            "\"2026-12-02T08:00:00Z\u0000\"");
    private static final List<String> HOSTILE_TEXT = List.of("\"a\\u0000b\"", "\"\\u0001\"", "\"\\ud800\"", "\"\\udc00x\"", "\"x\\u007f\"",
            "\"x\\u0085\"", "\"\\u009b31m\"", "\"\\u001b[31m\"", "\"a\\u0008b\"", "\"\\udfff\\ud800\"", "\"\\x41\"", "\"\\u12\"",
            "\"unterminated");
    private static final List<String> HOSTILE_PARAMETERS = List.of("%00", "a%00b", "%01", "x".repeat(600), "%ED%A0%80", "2147483647",
            "-2147483649", "1E-999999999", "2999-13-45", "%27%20or%201%3D1--", "..%2F..%2Fetc%2Fpasswd", "%0D%0AX-Injected:%201",
            "%FF", "%C0%AF", "%E2%80%AE", "%252e%252e%252f", "9".repeat(30), "0x1F", "1e3", "null", "%20", "%7B%7D");
    /** What a header parameter (Idempotency-Key, Second-Signature, If-Match, Last-Event-ID) is sent instead. */
    private static final List<String> HOSTILE_HEADERS = List.of("x".repeat(600), "' or 1=1--", "-1", "99999999999999999999",
            "Bearer x.y.z", "Bearer " + "a".repeat(5000), "Basic Zm9vOmJhcg==", "%00", "short");

    private final JsonNode openApi;
    private final String marker;

    HostileRequests(JsonNode openApi, String marker) {
        this.openApi = openApi;
        this.marker = marker;
    }

    /** Every hostile request for every operation of the document. */
    List<Request> all() {
        List<Request> out = new ArrayList<>();
        for (Iterator<Map.Entry<String, JsonNode>> paths = openApi.path("paths").fields(); paths.hasNext(); ) {
            Map.Entry<String, JsonNode> p = paths.next();
            for (Iterator<Map.Entry<String, JsonNode>> ops = p.getValue().fields(); ops.hasNext(); ) {
                Map.Entry<String, JsonNode> op = ops.next();
                String method = op.getKey().toUpperCase();
                if (!List.of("GET", "POST", "PUT", "PATCH", "DELETE").contains(method) || p.getKey().endsWith("/stream")) {
                    continue;
                }
                out.addAll(forOperation(method, p.getKey(), op.getValue()));
            }
        }
        return out;
    }

    private List<Request> forOperation(String method, String template, JsonNode op) {
        List<Request> out = new ArrayList<>();
        String path = fillPath(template, null);
        JsonNode body = op.path("requestBody").path("content");
        String contentType = body.has("application/json") ? "application/json"
                : body.fieldNames().hasNext() ? body.fieldNames().next() : null;
        if (contentType != null) {
            String base = contentType.contains("fhir") ? fhirBase(template) : baseBody(body.path(contentType).path("schema")).toString();
            for (String mutated : mutations(base)) {
                out.add(new Request(method, path, contentType, mutated, "body"));
            }
            // a body of another media type than the operation takes
            for (String other : List.of("text/plain", "application/xml", "application/x-www-form-urlencoded")) {
                out.add(new Request(method, path, other, base, "content type " + other));
            }
        }
        // parameters: each hostile value in each path and query parameter, with an empty body where one is expected
        String emptyBody = contentType == null ? null : "{}";
        for (JsonNode param : op.path("parameters")) {
            String in = param.path("in").asText();
            String name = param.path("name").asText();
            for (String value : HOSTILE_PARAMETERS) {
                if ("path".equals(in)) {
                    out.add(new Request(method, fillPath(template, Map.entry(name, value)), contentType, emptyBody, "path " + name));
                } else if ("query".equals(in)) {
                    String sep = path.contains("?") ? "&" : "?";
                    out.add(new Request(method, path + sep + name + "=" + value, contentType, emptyBody, "query " + name));
                }
            }
            if ("header".equals(in)) {
                for (String value : HOSTILE_HEADERS) {
                    out.add(new Request(method, path, contentType, contentType == null ? null : "{}", "header " + name,
                            Map.of(name, value)));
                }
            }
        }
        return out;
    }

    /** A path with every parameter filled with a plausible value, one of them possibly hostile. */
    private String fillPath(String template, Map.Entry<String, String> hostile) {
        String path = template;
        while (path.contains("{")) {
            int open = path.indexOf('{');
            int close = path.indexOf('}', open);
            String name = path.substring(open + 1, close);
            String value = hostile != null && hostile.getKey().equals(name) ? hostile.getValue()
                    : name.toLowerCase().contains("patient") ? marker + "-p1"
                    : name.toLowerCase().contains("number") ? "1" : UUID.randomUUID().toString();
            path = path.substring(0, open) + value + path.substring(close + 1);
        }
        return path;
    }

    /** The base body, then each hostile variant of it (text-level, so that what no parser would build can be sent). */
    List<String> mutations(String base) {
        List<String> out = new ArrayList<>();
        out.add("");
        out.add("{");
        out.add("null");
        out.add("[]");
        out.add("{\"a\":1}{");
        out.add("[".repeat(5_000) + "]".repeat(5_000));
        out.add("{\"x\":" + "{\"x\":".repeat(200) + "1" + "}".repeat(201));
        out.add(base.replaceFirst("\\{", "{\"" + marker + "-unknown\":1,"));
        // text that is not one JSON document: trailing content, two documents, comments, single quotes, a trailing comma
        out.add(base + "x");
        out.add(base + base);
        out.add(base.replaceFirst("\\{", "{/* c */"));
        out.add(base.replace('"', '\''));
        out.add(base.replaceFirst("}$", ",}"));
        out.add(base.substring(0, base.length() / 2));
        StringBuilder wide = new StringBuilder("{");
        for (int i = 0; i < 10_000; i++) {
            wide.append(i == 0 ? "" : ",").append("\"").append(marker).append("-f").append(i).append("\":").append(i);
        }
        out.add(wide.append('}').toString());
        JsonNode tree = parse(base);
        if (tree instanceof ObjectNode object) {
            // every top-level key twice
            object.fields().forEachRemaining(e -> out.add(base.replaceFirst("\\{", "{\"" + e.getKey() + "\":" + e.getValue() + ",")));
        }
        for (String field : scalarFields(tree, "")) {
            // each value hostile in its own type (a number where text is expected could be read as text)
            JsonNode value = tree.at(field);
            boolean time = value.isTextual() && value.asText().matches("\\d{4}-\\d{2}-\\d{2}.*");
            if (value.isTextual()) {
                for (String v : time ? HOSTILE_TIMES : HOSTILE_TEXT) {
                    out.add(replace(tree, field, v));
                }
                if (!time) {
                    out.add(replace(tree, field, "\"" + "y".repeat(1_100_000) + "\""));
                }
            }
            if (value.isNumber()) {
                for (String v : HOSTILE_NUMBERS) {
                    out.add(replace(tree, field, v));
                }
            }
            out.add(replace(tree, field, "{\"nested\":[1,2]}"));
            out.add(replace(tree, field, "[[[]]]"));
        }
        return out;
    }

    private static String replace(JsonNode tree, String pointer, String rawValue) {
        // a unique placeholder, then the raw JSON text in its place
        String placeholder = "\"__HOSTILE_" + UUID.randomUUID() + "\"";
        JsonNode copy = tree.deepCopy();
        set(copy, pointer, placeholder.substring(1, placeholder.length() - 1));
        return copy.toString().replace(placeholder, rawValue);
    }

    private static void set(JsonNode root, String pointer, String text) {
        int slash = pointer.lastIndexOf('/');
        JsonNode parent = slash <= 0 ? root : root.at(pointer.substring(0, slash));
        String last = pointer.substring(slash + 1);
        if (parent instanceof ObjectNode o) {
            o.put(last, text);
        } else if (parent instanceof ArrayNode a) {
            a.set(Integer.parseInt(last), NODES.textNode(text));
        }
    }

    private static List<String> scalarFields(JsonNode node, String pointer) {
        List<String> out = new ArrayList<>();
        if (node instanceof ObjectNode o) {
            o.fields().forEachRemaining(e -> out.addAll(scalarFields(e.getValue(), pointer + "/" + e.getKey())));
        } else if (node instanceof ArrayNode a) {
            for (int i = 0; i < a.size(); i++) {
                out.addAll(scalarFields(a.get(i), pointer + "/" + i));
            }
        } else if (!pointer.isEmpty()) {
            out.add(pointer);
        }
        return out;
    }

    /** A plausible instance of {@code schema}: every property, each with a value of its type. */
    private JsonNode baseBody(JsonNode schema) {
        return instance(resolve(schema), "", 0);
    }

    private JsonNode instance(JsonNode schema, String name, int depth) {
        schema = resolve(schema);
        if (depth > 6) {
            return NODES.nullNode();
        }
        if (schema.has("enum")) {
            return schema.path("enum").get(0);
        }
        String type = schema.path("type").asText(schema.has("properties") ? "object" : "string");
        switch (type) {
            case "object": {
                ObjectNode o = NODES.objectNode();
                schema.path("properties").fields().forEachRemaining(e -> o.set(e.getKey(), instance(e.getValue(), e.getKey(), depth + 1)));
                return o;
            }
            case "array": {
                ArrayNode a = NODES.arrayNode();
                a.add(instance(schema.path("items"), name, depth + 1));
                return a;
            }
            case "integer":
                return NODES.numberNode(1);
            case "number":
                return NODES.numberNode(70.5);
            case "boolean":
                return NODES.booleanNode(true);
            default:
                String format = schema.path("format").asText("");
                if (format.equals("date-time")) {
                    return NODES.textNode(java.time.Instant.now().minusSeconds(60).toString());
                }
                if (format.equals("date")) {
                    return NODES.textNode("1960-05-01");
                }
                if (format.equals("uuid")) {
                    return NODES.textNode(UUID.randomUUID().toString());
                }
                return NODES.textNode(name.toLowerCase().contains("patient") ? marker + "-p1" : "text");
        }
    }

    private JsonNode resolve(JsonNode schema) {
        for (int i = 0; i < 10 && schema.has("$ref"); i++) {
            schema = openApi.at(schema.path("$ref").asText().substring(1));
        }
        if (schema.has("allOf") && schema.path("allOf").size() > 0) {
            return resolve(schema.path("allOf").get(0));
        }
        if (schema.has("oneOf") && schema.path("oneOf").size() > 0) {
            return resolve(schema.path("oneOf").get(0));
        }
        return schema;
    }

    /** A FHIR resource of the kind the path takes, naming the run's marker patient. */
    private String fhirBase(String template) {
        String patient = marker + "-p1";
        if (template.contains("Bundle") || template.contains("screenings")) {
            return """
                    {"resourceType":"Bundle","type":"collection","entry":[{"resource":{"resourceType":"Patient","id":"%s",\
                    "birthDate":"1960-05-01"}},{"resource":{"resourceType":"Observation","status":"final","code":{"coding":\
                    [{"system":"http://loinc.org","code":"2160-0"}]},"subject":{"reference":"Patient/%s"},"effectiveDateTime":\
                    "2026-11-30T08:00:00Z","valueQuantity":{"value":1.1,"unit":"mg/dL"}}}]}""".formatted(patient, patient);
        }
        return """
                {"resourceType":"Observation","status":"final","code":{"coding":[{"system":"http://loinc.org","code":"8480-6"}]},\
                "subject":{"reference":"Patient/%s"},"effectiveDateTime":"%s","valueQuantity":{"value":120,"unit":"mm[Hg]",\
                "system":"http://unitsofmeasure.org","code":"mm[Hg]"}}""".formatted(patient, java.time.Instant.now().minusSeconds(60));
    }

    private static JsonNode parse(String json) {
        try {
            return JSON.readTree(json);
        } catch (java.io.IOException e) {
            return NODES.objectNode();
        }
    }
}
