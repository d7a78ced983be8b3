package org.hdil2.deploy.helm;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import com.marcnuri.helm.Helm;
import com.marcnuri.helm.TemplateCommand;

/** The chart under test, rendered in-process by helm-java (the Helm Go library, no binary on the PATH). */
final class Chart {

    static final Path MODULE = Path.of("").toAbsolutePath();
    static final Path DIR = MODULE.resolve("hdil2");
    static final Path EXAMPLES = MODULE.resolve("examples");
    static final Path ROOT = Path.of(System.getProperty("hdil2.root", MODULE.resolve("../..").toString())).normalize();
    static final Path CONTRACT_ASYNCAPI = ROOT.resolve("platform/contract/src/main/resources/contract/asyncapi.yaml");
    static final String RELEASE = "hdil2";
    static final String NAMESPACE = "clinical";
    static final String KUBE_VERSION = "1.35.0";
    static final List<String> SERVICES = List.of("eligibility-service", "dosing-service", "monitoring-service", "alert-service");
    static final YAMLMapper YAML = new YAMLMapper();

    private Chart() {
    }

    /** "default" or an example file name. */
    static List<String> valueSets() {
        List<String> sets = new ArrayList<>();
        sets.add("default");
        try (Stream<Path> files = Files.list(EXAMPLES)) {
            files.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".yaml")).sorted().forEach(sets::add);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return sets;
    }

    static List<JsonNode> render(String valueSet) {
        return render(valueSet, Map.of());
    }

    static List<JsonNode> render(String valueSet, Map<String, Object> set) {
        return parse(renderText(valueSet, set));
    }

    /** Helm's output; a failed render throws with Helm's error message. */
    static String renderText(String valueSet, Map<String, Object> set) {
        TemplateCommand template = new Helm(DIR).template().withName(RELEASE).withNamespace(NAMESPACE)
                .withKubeVersion(KUBE_VERSION);
        if (!"default".equals(valueSet)) {
            template = template.withValuesFile(EXAMPLES.resolve(valueSet));
        }
        for (Map.Entry<String, Object> e : set.entrySet()) {
            template = template.set(e.getKey(), e.getValue());
        }
        return template.call();
    }

    static List<JsonNode> parse(String manifests) {
        List<JsonNode> docs = new ArrayList<>();
        try (MappingIterator<JsonNode> it = YAML.readerFor(JsonNode.class).readValues(manifests)) {
            while (it.hasNext()) {
                JsonNode doc = it.next();
                if (doc != null && !doc.isNull() && !doc.isEmpty()) {
                    docs.add(doc);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return docs;
    }

    static List<JsonNode> ofKind(List<JsonNode> docs, String kind) {
        return docs.stream().filter(d -> kind.equals(d.path("kind").asText())).toList();
    }

    static JsonNode named(List<JsonNode> docs, String kind, String name) {
        return ofKind(docs, kind).stream().filter(d -> name.equals(d.at("/metadata/name").asText())).findFirst()
                .orElseThrow(() -> new AssertionError("no " + kind + " named " + name));
    }

    static String fullname(String service) {
        return RELEASE + "-" + service;
    }

    static JsonNode asyncApi() {
        try {
            return YAML.readTree(CONTRACT_ASYNCAPI.toFile());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
