package org.hdil2.deploy.helm;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;

/**
 * Generates the values table of the chart's README.md from values.yaml: every key preceded by a {@code # --} line
 * becomes a row with its dotted path, type, default and that description.
 * {@code main(chartDir)} rewrites the table in place; the chart tests fail when the README is out of date.
 */
public final class ValuesReadme {

    public static final String BEGIN = "<!-- values:begin (generated from values.yaml by ValuesReadme; do not edit) -->";
    public static final String END = "<!-- values:end -->";

    private static final Pattern KEY = Pattern.compile("^(\\s*)([A-Za-z0-9_.\\-]+):(?:\\s.*)?$");
    private static final Pattern DOC = Pattern.compile("^\\s*# -- (.+)$");
    private static final ObjectMapper JSON = new ObjectMapper();

    public record Row(String key, String type, String defaultValue, String description) {
    }

    private ValuesReadme() {
    }

    public static void main(String[] args) throws IOException {
        Path chart = Path.of(args.length > 0 ? args[0] : "hdil2");
        Path readme = chart.resolve("README.md");
        Files.writeString(readme, withTable(Files.readString(readme), table(chart.resolve("values.yaml"))),
                StandardCharsets.UTF_8);
    }

    /** The README text with the part between the markers replaced by the table. */
    public static String withTable(String readme, String table) {
        int begin = readme.indexOf(BEGIN);
        int end = readme.indexOf(END);
        if (begin < 0 || end < begin) {
            throw new IllegalArgumentException("README.md lacks the markers " + BEGIN + " and " + END);
        }
        return readme.substring(0, begin + BEGIN.length()) + "\n" + table + readme.substring(end);
    }

    public static String table(Path valuesYaml) {
        StringBuilder out = new StringBuilder("| Key | Type | Default | Description |\n|---|---|---|---|\n");
        for (Row row : rows(valuesYaml)) {
            out.append("| `").append(row.key()).append("` | ").append(row.type()).append(" | `")
                    .append(cell(row.defaultValue())).append("` | ").append(cell(row.description()).replace("<", "&lt;")).append(" |\n");
        }
        return out.toString();
    }

    public static List<Row> rows(Path valuesYaml) {
        try {
            List<String> lines = Files.readAllLines(valuesYaml, StandardCharsets.UTF_8);
            JsonNode values = new YAMLMapper().readTree(valuesYaml.toFile());
            List<Row> rows = new ArrayList<>();
            Deque<int[]> indents = new ArrayDeque<>();
            Deque<String> path = new ArrayDeque<>();
            String pendingDoc = null;
            int pendingLine = 0;
            for (int i = 0; i < lines.size(); i++) {
                String line = lines.get(i);
                Matcher doc = DOC.matcher(line);
                if (doc.matches()) {
                    pendingDoc = doc.group(1).trim();
                    pendingLine = i + 1;
                    continue;
                }
                Matcher key = KEY.matcher(line);
                if (!key.matches()) {
                    continue;
                }
                int indent = key.group(1).length();
                while (!indents.isEmpty() && indents.peekLast()[0] >= indent) {
                    indents.removeLast();
                    path.removeLast();
                }
                indents.addLast(new int[] {indent});
                path.addLast(key.group(2));
                if (pendingDoc != null) {
                    if (pendingLine != i) {
                        throw new IllegalStateException("values.yaml line " + pendingLine
                                + ": a '# --' description must sit right above its key");
                    }
                    JsonNode node = values;
                    for (String p : path) {
                        node = node.path(p);
                    }
                    rows.add(new Row(String.join(".", path), type(node), JSON.writeValueAsString(node), pendingDoc));
                    pendingDoc = null;
                }
            }
            if (pendingDoc != null) {
                throw new IllegalStateException("values.yaml line " + pendingLine + ": a '# --' description without a key");
            }
            return rows;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String type(JsonNode node) {
        if (node.isMissingNode()) {
            throw new IllegalStateException("documented key not found in values.yaml");
        }
        if (node.isObject()) {
            return "object";
        }
        if (node.isArray()) {
            return "list";
        }
        if (node.isBoolean()) {
            return "bool";
        }
        if (node.isIntegralNumber()) {
            return "int";
        }
        if (node.isNumber()) {
            return "number";
        }
        return node.isNull() ? "null" : "string";
    }

    private static String cell(String text) {
        return text.replace("|", "\\|").replace("\n", " ");
    }
}
