package org.hdil2.deploy.helm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import com.fasterxml.jackson.databind.JsonNode;
import com.marcnuri.helm.Helm;
import com.marcnuri.helm.LintResult;

/** Lint, then render with the default values and every example, and check each manifest. */
class RenderedManifestsTest {

    private static final Map<String, List<JsonNode>> RENDERED = new ConcurrentHashMap<>();

    static List<String> valueSets() {
        return Chart.valueSets();
    }

    private static List<JsonNode> rendered(String valueSet) {
        return RENDERED.computeIfAbsent(valueSet, Chart::render);
    }

    /**
     * helm-java's lint takes no values file, so each example is linted on a copy of the chart whose values.yaml is
     * the defaults with the example laid over them (maps merged, lists replaced, as Helm coalesces values).
     */
    @ParameterizedTest
    @MethodSource("valueSets")
    void lintsWithoutWarnings(String valueSet) throws Exception {
        Path chart = Chart.DIR;
        if (!"default".equals(valueSet)) {
            chart = Files.createTempDirectory("hdil2-lint-").resolve("hdil2");
            copy(Chart.DIR, chart);
            JsonNode defaults = Chart.YAML.readTree(Chart.DIR.resolve("values.yaml").toFile());
            JsonNode merged = Chart.YAML.readerForUpdating(defaults).readValue(Chart.EXAMPLES.resolve(valueSet).toFile());
            Chart.YAML.writeValue(chart.resolve("values.yaml").toFile(), merged);
        }
        LintResult lint = new Helm(chart).lint().strict().call();
        assertFalse(lint.isFailed(), () -> valueSet + ": " + String.join("\n", lint.getMessages()));
        assertTrue(lint.getMessages().stream().noneMatch(m -> m.contains("[ERROR]") || m.contains("[WARNING]")),
                () -> valueSet + ": " + String.join("\n", lint.getMessages()));
    }

    private static void copy(Path from, Path to) throws IOException {
        try (Stream<Path> files = Files.walk(from)) {
            for (Path source : files.toList()) {
                Path target = to.resolve(from.relativize(source).toString());
                if (Files.isDirectory(source)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(source, target);
                }
            }
        }
    }

    @Test
    void theFourExamplesExist() {
        assertEquals(List.of("default", "external-kafka.yaml", "minimal.yaml", "production.yaml", "strimzi.yaml"), valueSets());
    }

    @ParameterizedTest
    @MethodSource("valueSets")
    void everyManifestIsValidAgainstItsSchema(String valueSet) {
        List<String> problems = new ArrayList<>();
        for (JsonNode doc : rendered(valueSet)) {
            if (KubernetesSchema.knows(doc)) {
                problems.addAll(KubernetesSchema.check(doc));
            } else if (StrimziSchema.knows(doc)) {
                problems.addAll(StrimziSchema.check(doc));
            } else if ("monitoring.coreos.com/v1/ServiceMonitor".equals(KubernetesSchema.gvk(doc))) {
                problems.addAll(serviceMonitor(doc));
            } else if ("monitoring.coreos.com/v1/PrometheusRule".equals(KubernetesSchema.gvk(doc))) {
                problems.addAll(prometheusRule(doc));
            } else {
                problems.add("unexpected kind " + KubernetesSchema.gvk(doc));
            }
        }
        assertEquals(List.of(), problems);
    }

    @ParameterizedTest
    @MethodSource("valueSets")
    void noSecretValuesInTheChart(String valueSet) {
        List<JsonNode> docs = rendered(valueSet);
        assertEquals(List.of(), Chart.ofKind(docs, "Secret"));
        for (JsonNode cm : Chart.ofKind(docs, "ConfigMap")) {
            cm.path("data").fieldNames().forEachRemaining(k -> assertFalse(k.matches(".*(PASSWORD|JAAS|SECRET).*"), k));
        }
        for (JsonNode container : containers(docs)) {
            for (JsonNode env : container.path("env")) {
                assertTrue(env.at("/valueFrom/secretKeyRef/name").isTextual(), "env not from a Secret: " + env);
            }
        }
    }

    @ParameterizedTest
    @MethodSource("valueSets")
    void everyServiceHasItsResourceSet(String valueSet) {
        List<JsonNode> docs = rendered(valueSet);
        for (String service : Chart.SERVICES) {
            String name = Chart.fullname(service);
            JsonNode deployment = Chart.named(docs, "Deployment", name);
            JsonNode podLabels = deployment.at("/spec/template/metadata/labels");
            assertSelects(Chart.named(docs, "Service", name).at("/spec/selector"), podLabels, "Service " + name);
            assertEquals(8080, Chart.named(docs, "Service", name).at("/spec/ports/0/port").asInt());
            assertSelects(Chart.named(docs, "NetworkPolicy", name).at("/spec/podSelector/matchLabels"), podLabels, "NetworkPolicy " + name);
            Chart.named(docs, "ServiceAccount", name);
            assertEquals(name, deployment.at("/spec/template/spec/serviceAccountName").asText());
            assertEquals(name, deployment.at("/spec/template/spec/containers/0/envFrom/0/configMapRef/name").asText());
            JsonNode config = Chart.named(docs, "ConfigMap", name).path("data");
            assertEquals("0.0.0.0", config.path("HTTP_HOST").asText());
            assertEquals("8080", config.path("HTTP_PORT").asText());
            assertTrue(config.path("DB_URL").asText().startsWith("jdbc:postgresql://"));
            assertTrue(config.path("KAFKA_BOOTSTRAP_SERVERS").asText().matches("[^,]+:\\d+(,[^,]+:\\d+)*"));
            assertTrue(config.path("JAVA_OPTS_APPEND").asText().contains("-XX:MaxRAMPercentage=60"));
            assertEquals("2", config.path("MALLOC_ARENA_MAX").asText());
            assertTrue(config.has("OIDC_AUTH_SERVER_URL") || config.has("OIDC_PUBLIC_KEY"));
            for (JsonNode pdb : Chart.ofKind(docs, "PodDisruptionBudget")) {
                if (pdb.at("/metadata/name").asText().equals(name)) {
                    assertSelects(pdb.at("/spec/selector/matchLabels"), podLabels, "PDB " + name);
                }
            }
            for (JsonNode hpa : Chart.ofKind(docs, "HorizontalPodAutoscaler")) {
                if (hpa.at("/metadata/name").asText().equals(name)) {
                    assertEquals(name, hpa.at("/spec/scaleTargetRef/name").asText());
                    assertTrue(deployment.at("/spec/replicas").isMissingNode(), "replicas is set while an HPA scales " + name);
                }
            }
            for (JsonNode ingress : Chart.ofKind(docs, "Ingress")) {
                for (JsonNode path : ingress.at("/spec/rules/0/http/paths")) {
                    Chart.named(docs, "Service", path.at("/backend/service/name").asText());
                    assertFalse(path.path("path").asText().startsWith("/q"), "health and metrics must stay internal");
                }
            }
        }
        assertEquals(Chart.SERVICES.size(), Chart.ofKind(docs, "Deployment").size());
    }

    @ParameterizedTest
    @MethodSource("valueSets")
    void everyContainerIsHardened(String valueSet) {
        List<JsonNode> docs = rendered(valueSet);
        List<String> problems = new ArrayList<>();
        for (JsonNode deployment : Chart.ofKind(docs, "Deployment")) {
            JsonNode pod = deployment.at("/spec/template/spec");
            String where = deployment.at("/metadata/name").asText();
            hardenedPod(pod, where, problems);
            if (pod.path("automountServiceAccountToken").asBoolean(true)) {
                problems.add(where + ": service account token mounted");
            }
            for (JsonNode c : pod.path("containers")) {
                probe(c, "startupProbe", "/q/health/started", where, problems);
                probe(c, "livenessProbe", "/q/health/live", where, problems);
                probe(c, "readinessProbe", "/q/health/ready", where, problems);
                if (!mounted(pod, c, "/tmp").at("/emptyDir").isObject()) {
                    problems.add(where + ": no emptyDir at /tmp");
                }
            }
        }
        // the helm test pod runs to completion: no probes, but the same security and resources
        for (JsonNode pod : Chart.ofKind(docs, "Pod")) {
            assertEquals("test", pod.at("/metadata/annotations/helm.sh~1hook").asText());
            hardenedPod(pod.path("spec"), pod.at("/metadata/name").asText(), problems);
        }
        assertEquals(List.of(), problems);
    }

    @ParameterizedTest
    @MethodSource("valueSets")
    void monitoringKeepsItsStreamsStateOnAWritableVolume(String valueSet) {
        List<JsonNode> docs = rendered(valueSet);
        String name = Chart.fullname("monitoring-service");
        JsonNode pod = Chart.named(docs, "Deployment", name).at("/spec/template/spec");
        String stateDir = Chart.named(docs, "ConfigMap", name).at("/data/KAFKA_STREAMS_STATE_DIR").asText();
        JsonNode volume = mounted(pod, pod.at("/containers/0"), stateDir);
        assertTrue(volume.has("emptyDir") || volume.has("persistentVolumeClaim"), "no writable volume at " + stateDir);
        if (volume.has("persistentVolumeClaim")) {
            Chart.named(docs, "PersistentVolumeClaim", volume.at("/persistentVolumeClaim/claimName").asText());
            assertEquals(1, Chart.named(docs, "Deployment", name).at("/spec/replicas").asInt());
        }
    }

    @ParameterizedTest
    @MethodSource("valueSets")
    void networkPoliciesAdmitOnlyTheHttpPortAndTheNeededEgress(String valueSet) {
        List<JsonNode> docs = rendered(valueSet);
        for (JsonNode np : Chart.ofKind(docs, "NetworkPolicy")) {
            String where = np.at("/metadata/name").asText();
            assertEquals("[\"Ingress\",\"Egress\"]", np.at("/spec/policyTypes").toString());
            for (JsonNode rule : np.at("/spec/ingress")) {
                assertTrue(rule.path("from").size() > 0, where + ": ingress from anywhere");
                assertEquals("[{\"port\":8080,\"protocol\":\"TCP\"}]", rule.path("ports").toString(), where);
            }
            Set<Integer> egressPorts = new HashSet<>();
            for (JsonNode rule : np.at("/spec/egress")) {
                assertTrue(rule.path("ports").size() > 0, where + ": egress to every port");
                rule.path("ports").forEach(p -> egressPorts.add(p.path("port").asInt()));
            }
            assertTrue(egressPorts.containsAll(Set.of(53, 5432)), where + " egress " + egressPorts);
            assertTrue(egressPorts.contains(9092) || egressPorts.contains(9093), where + ": no Kafka egress " + egressPorts);
            assertTrue(egressPorts.contains(443), where + ": no OIDC egress " + egressPorts);
        }
    }

    @ParameterizedTest
    @MethodSource("valueSets")
    void dosingMayAskMonitoringWhatItAcceptedAndNothingElseMay(String valueSet) {
        List<JsonNode> docs = rendered(valueSet);
        String monitoring = Chart.fullname("monitoring-service");
        JsonNode dosingConfig = Chart.named(docs, "ConfigMap", Chart.fullname("dosing-service")).path("data");
        assertEquals("http://" + monitoring + ":8080", dosingConfig.path("MONITORING_URL").asText());
        assertEquals("PT15S", dosingConfig.path("DOSING_CHECKPOINT_MAX_AGE").asText());
        assertEquals("PT2S", Chart.named(docs, "ConfigMap", monitoring).at("/data/MONITORING_CHECKPOINT_INTERVAL").asText());
        // what the fault campaign proved: consumers give a dead or frozen pod's partitions up in 15 s, Streams keeps a standby
        assertEquals("1", Chart.named(docs, "ConfigMap", monitoring).at("/data/KAFKA_STREAMS_STANDBY_REPLICAS").asText());
        for (String service : Chart.SERVICES) {
            assertEquals("15000", Chart.named(docs, "ConfigMap", Chart.fullname(service)).at("/data/KAFKA_SESSION_TIMEOUT_MS").asText());
        }
        if (Chart.ofKind(docs, "NetworkPolicy").isEmpty()) {
            return;
        }
        JsonNode in = Chart.named(docs, "NetworkPolicy", monitoring).at("/spec/ingress");
        boolean fromDosing = false;
        for (JsonNode rule : in) {
            for (JsonNode peer : rule.path("from")) {
                fromDosing |= "dosing-service".equals(peer.at("/podSelector/matchLabels/app.kubernetes.io~1name").asText());
            }
        }
        assertTrue(fromDosing, "monitoring admits dosing: " + in);
        boolean toMonitoring = false;
        for (JsonNode rule : Chart.named(docs, "NetworkPolicy", Chart.fullname("dosing-service")).at("/spec/egress")) {
            for (JsonNode peer : rule.path("to")) {
                toMonitoring |= "monitoring-service".equals(peer.at("/podSelector/matchLabels/app.kubernetes.io~1name").asText());
            }
        }
        assertTrue(toMonitoring, "dosing may reach monitoring");
        JsonNode alertIn = Chart.named(docs, "NetworkPolicy", Chart.fullname("alert-service")).at("/spec/ingress");
        assertFalse(alertIn.toString().contains("dosing-service"), "only monitoring admits dosing");
    }

    @Test
    void productionAlertsWhenTheEvaluationIsNotCurrent() {
        List<JsonNode> rules = Chart.ofKind(rendered("production.yaml"), "PrometheusRule");
        assertEquals(1, rules.size());
        Set<String> alerts = new HashSet<>();
        rules.get(0).at("/spec/groups/0/rules").forEach(r -> alerts.add(r.path("alert").asText()));
        assertEquals(Set.of("HdIl2EvaluationNotCurrent", "HdIl2CoursesEvaluationLapsed", "HdIl2EvaluationStreamsNotRunning",
                "HdIl2EvaluationFailingPatients", "HdIl2DeadLettersGrowing"), alerts);
        assertEquals(List.of(), Chart.ofKind(rendered("default"), "PrometheusRule"), "off unless asked for");
    }

    @Test
    void eligibilityTrustsTheEhrsCdsClientAndMayFetchItsKeySetOnly() {
        List<JsonNode> docs = rendered("production.yaml");
        String eligibility = Chart.fullname("eligibility-service");
        JsonNode config = Chart.named(docs, "ConfigMap", eligibility).path("data");
        assertEquals("https://hdil2.hospital.example/eligibility", config.path("CDS_HOOKS_BASE_URL").asText());
        assertTrue(config.path("CDS_HOOKS_TRUSTED_ISSUERS").asText().contains("\"jku\""));
        String jkuRule = null;
        for (JsonNode rule : Chart.named(docs, "NetworkPolicy", eligibility).at("/spec/egress")) {
            if (rule.toString().contains("10.20.0.40/32")) {
                jkuRule = rule.toString();
            }
        }
        assertEquals("{\"ports\":[{\"port\":443,\"protocol\":\"TCP\"}],\"to\":[{\"ipBlock\":{\"cidr\":\"10.20.0.40/32\"}}]}", jkuRule);
        for (String other : List.of("dosing-service", "monitoring-service", "alert-service")) {
            assertFalse(Chart.named(docs, "NetworkPolicy", Chart.fullname(other)).toString().contains("10.20.0.40"), other);
        }
        assertEquals("", Chart.named(rendered("default"), "ConfigMap", eligibility).at("/data/CDS_HOOKS_TRUSTED_ISSUERS").asText(),
                "no CDS Client is trusted unless configured");
    }

    @Test
    void productionAutoscalesAllButEligibility() {
        List<JsonNode> docs = rendered("production.yaml");
        Set<String> scaled = new HashSet<>();
        Chart.ofKind(docs, "HorizontalPodAutoscaler").forEach(h -> scaled.add(h.at("/metadata/name").asText()));
        assertEquals(Set.of(Chart.fullname("dosing-service"), Chart.fullname("monitoring-service"), Chart.fullname("alert-service")), scaled);
        assertEquals(2, Chart.named(docs, "Deployment", Chart.fullname("eligibility-service")).at("/spec/replicas").asInt());
        assertEquals("3", Chart.named(docs, "ConfigMap", Chart.fullname("monitoring-service")).at("/data/KAFKA_STREAMS_REPLICATION_FACTOR").asText());
        assertEquals(4, Chart.ofKind(docs, "ServiceMonitor").size());
    }

    /** The institution's protocols reach every service that evaluates protocols: screening, dosing and monitoring alike. */
    @Test
    void theHospitalsProtocolsAreMountedWhereTheyAreRead() {
        List<JsonNode> docs = Chart.render("default", Map.of("services.eligibility-service.protocolConfigMap", "hospital-eligibility",
                "services.dosing-service.protocolConfigMap", "hospital-dosing", "services.monitoring-service.protocolConfigMap", "hospital-monitoring"));
        for (String[] s : new String[][] { { "eligibility-service", "ELIGIBILITY", "hospital-eligibility" },
                { "dosing-service", "DOSING", "hospital-dosing" }, { "monitoring-service", "MONITORING", "hospital-monitoring" } }) {
            String name = Chart.fullname(s[0]);
            assertEquals("/etc/hdil2/protocols", Chart.named(docs, "ConfigMap", name).path("data").path(s[1] + "_PROTOCOL_DIR").asText(), s[0]);
            JsonNode pod = Chart.named(docs, "Deployment", name).at("/spec/template/spec");
            assertEquals(s[2], mounted(pod, pod.at("/containers/0"), "/etc/hdil2/protocols").at("/configMap/name").asText(), s[0]);
        }
        JsonNode plain = Chart.named(rendered("default"), "ConfigMap", Chart.fullname("dosing-service")).path("data");
        assertTrue(plain.path("DOSING_PROTOCOL_DIR").isMissingNode(), "no directory without a ConfigMap");
    }

    @Test
    void externalKafkaGetsItsTlsAndSaslSettingsFromValuesAndSecrets() {
        List<JsonNode> docs = rendered("external-kafka.yaml");
        for (String service : Chart.SERVICES) {
            String name = Chart.fullname(service);
            JsonNode config = Chart.named(docs, "ConfigMap", name).path("data");
            assertEquals("SASL_SSL", config.path("KAFKA_SECURITY_PROTOCOL").asText());
            assertEquals("SCRAM-SHA-512", config.path("KAFKA_SASL_MECHANISM").asText());
            assertEquals("/etc/hdil2/kafka-truststore/ca.crt", config.path("KAFKA_SSL_TRUSTSTORE_LOCATION").asText());
            JsonNode pod = Chart.named(docs, "Deployment", name).at("/spec/template/spec");
            assertEquals("hospital-kafka-ca", mounted(pod, pod.at("/containers/0"), "/etc/hdil2/kafka-truststore").at("/secret/secretName").asText());
            assertEquals("hdil2-" + service.replace("-service", "") + "-kafka", env(pod, "KAFKA_SASL_JAAS_CONFIG").at("/valueFrom/secretKeyRef/name").asText());
        }
    }

    private static void hardenedPod(JsonNode pod, String where, List<String> problems) {
        JsonNode podSc = pod.path("securityContext");
        for (JsonNode c : pod.path("containers")) {
            JsonNode sc = c.path("securityContext");
            String at = where + "/" + c.path("name").asText();
            if (!sc.path("runAsNonRoot").asBoolean(false) && !podSc.path("runAsNonRoot").asBoolean(false)) {
                problems.add(at + ": runAsNonRoot not set");
            }
            if (!sc.path("readOnlyRootFilesystem").asBoolean(false)) {
                problems.add(at + ": root file system writable");
            }
            if (sc.path("allowPrivilegeEscalation").asBoolean(true)) {
                problems.add(at + ": privilege escalation allowed");
            }
            if (!sc.at("/capabilities/drop").toString().contains("\"ALL\"")) {
                problems.add(at + ": capabilities not dropped");
            }
            String seccomp = sc.at("/seccompProfile/type").asText(podSc.at("/seccompProfile/type").asText());
            if (!"RuntimeDefault".equals(seccomp)) {
                problems.add(at + ": seccomp profile " + seccomp);
            }
            for (String r : List.of("/resources/requests/cpu", "/resources/requests/memory", "/resources/limits/cpu", "/resources/limits/memory")) {
                if (c.at(r).isMissingNode()) {
                    problems.add(at + ": no " + r);
                }
            }
        }
    }

    private static void probe(JsonNode container, String probe, String path, String where, List<String> problems) {
        JsonNode get = container.path(probe).path("httpGet");
        if (!path.equals(get.path("path").asText()) || !"http".equals(get.path("port").asText())) {
            problems.add(where + ": " + probe + " is not GET " + path + " on the http port: " + container.path(probe));
        }
    }

    private static JsonNode mounted(JsonNode pod, JsonNode container, String path) {
        for (JsonNode m : container.path("volumeMounts")) {
            if (path.equals(m.path("mountPath").asText())) {
                for (JsonNode v : pod.path("volumes")) {
                    if (v.path("name").equals(m.path("name"))) {
                        return v;
                    }
                }
            }
        }
        return com.fasterxml.jackson.databind.node.MissingNode.getInstance();
    }

    private static JsonNode env(JsonNode pod, String name) {
        for (JsonNode e : pod.at("/containers/0/env")) {
            if (name.equals(e.path("name").asText())) {
                return e;
            }
        }
        throw new AssertionError("no env " + name);
    }

    private static List<JsonNode> containers(List<JsonNode> docs) {
        List<JsonNode> all = new ArrayList<>();
        Chart.ofKind(docs, "Deployment").forEach(d -> d.at("/spec/template/spec/containers").forEach(all::add));
        Chart.ofKind(docs, "Pod").forEach(p -> p.at("/spec/containers").forEach(all::add));
        return all;
    }

    private static void assertSelects(JsonNode selector, JsonNode labels, String what) {
        assertTrue(selector.size() > 0, what + " selects everything");
        Map<String, String> missing = new HashMap<>();
        selector.fields().forEachRemaining(e -> {
            if (!e.getValue().equals(labels.path(e.getKey()))) {
                missing.put(e.getKey(), e.getValue().asText());
            }
        });
        assertEquals(Map.of(), missing, what + " does not select the pods");
    }

    /** Each rule alerts on a metric the services export, in the release's namespace. */
    private static List<String> prometheusRule(JsonNode doc) {
        List<String> problems = new ArrayList<>();
        for (JsonNode group : doc.at("/spec/groups")) {
            for (JsonNode rule : group.path("rules")) {
                String expr = rule.path("expr").asText();
                if (rule.path("alert").asText().isEmpty() || !expr.matches(".*\\bhdil2_[a-z_]+\\{namespace=\"[^\"]+\".*")) {
                    problems.add("PrometheusRule rule " + rule + " names no alert or no hdil2 metric of the namespace");
                }
                if (rule.at("/annotations/summary").asText().isEmpty()) {
                    problems.add("PrometheusRule rule " + rule.path("alert").asText() + " has no summary");
                }
            }
        }
        return problems;
    }

    private static List<String> serviceMonitor(JsonNode doc) {
        List<String> problems = new ArrayList<>();
        JsonNode endpoint = doc.at("/spec/endpoints/0");
        if (!"/q/metrics".equals(endpoint.path("path").asText()) || !"http".equals(endpoint.path("port").asText())) {
            problems.add("ServiceMonitor " + doc.at("/metadata/name").asText() + " does not scrape /q/metrics on port http");
        }
        if (doc.at("/spec/selector/matchLabels").isEmpty()) {
            problems.add("ServiceMonitor selects every Service");
        }
        return problems;
    }
}
