package org.hdil2.deploy.helm;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Stream;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Wrong values stop helm template (and so install and upgrade) with a message naming the value. */
class ValuesSchemaTest {

    static Stream<Arguments> wrongValues() {
        return Stream.of(
                wrong("serviceDefaults.replicaCount=two", "/serviceDefaults/replicaCount", "serviceDefaults.replicaCount", "two"),
                wrong("a writable root file system", "/serviceDefaults/securityContext/readOnlyRootFilesystem",
                        "serviceDefaults.securityContext.readOnlyRootFilesystem", false),
                wrong("running as root", "/services/dosing-service/podSecurityContext/runAsNonRoot",
                        "services.dosing-service.podSecurityContext.runAsNonRoot", false),
                wrong("an unknown Kafka mode", "/kafka/mode", "kafka.mode", "kraft"),
                wrong("a database URL that is not JDBC PostgreSQL", "/services/dosing-service/database/url",
                        "services.dosing-service.database.url", "postgres://db/dosing"),
                wrong("no database secret", "/services/alert-service/database/existingSecret",
                        "services.alert-service.database.existingSecret", ""),
                wrong("a misspelt key", "'replicas' not allowed", "services.dosing-service.replicas", 3),
                wrong("an unknown service", "'billing-service' not allowed", "services.billing-service.enabled", true),
                wrong("a memory request that is not a quantity", "/serviceDefaults/resources/requests/memory",
                        "serviceDefaults.resources.requests.memory", "lots"),
                wrong("a JAAS line in plain values", "sasl.jaas.config", "kafka.clientProperties.sasl\\.jaas\\.config", "x"),
                wrong("bootstrap servers without a port", "/kafka/external/bootstrapServers",
                        "kafka.external.bootstrapServers", "kafka.example.org"),
                wrong("an unknown ACL-less Strimzi API", "/kafka/strimzi/apiVersion", "kafka.strimzi.apiVersion", "kafka.strimzi.io/v1alpha1"),
                wrong("SASL without a mechanism", "saslMechanism is required", "kafka.external.securityProtocol", "SASL_SSL"),
                wrong("no OIDC provider", "oidc.authServerUrl is required", "oidc.authServerUrl", ""),
                wrong("minReplicas above maxReplicas", "minReplicas (9) is greater than maxReplicas (6)",
                        "services.alert-service.autoscaling.enabled", true, "services.alert-service.autoscaling.minReplicas", 9),
                wrong("a PVC for the Streams state with two replicas", "needs replicaCount 1",
                        "services.monitoring-service.streams.stateVolume.type", "pvc"),
                wrong("an ingress without a host", "services.dosing-service.ingress.host is required",
                        "services.dosing-service.ingress.enabled", true),
                wrong("no service at all", "no service enabled", "services.eligibility-service.enabled", false,
                        "services.dosing-service.enabled", false, "services.monitoring-service.enabled", false,
                        "services.alert-service.enabled", false));
    }

    private static Arguments wrong(String what, String expectedInMessage, Object... keyValues) {
        Map<String, Object> set = new LinkedHashMap<>();
        for (int i = 0; i < keyValues.length; i += 2) {
            set.put((String) keyValues[i], keyValues[i + 1]);
        }
        return Arguments.of(what, set, expectedInMessage);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("wrongValues")
    void isRejectedWithAUsefulMessage(String what, Map<String, Object> set, String expectedInMessage) {
        Exception e = assertThrows(Exception.class, () -> Chart.renderText("default", set), what + " was accepted");
        assertTrue(e.getMessage().contains(expectedInMessage), () -> "message for " + what + " lacks '" + expectedInMessage + "': " + e.getMessage());
    }
}
