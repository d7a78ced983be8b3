package org.hdil2.deploy.helm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;

/**
 * The chart README's values table is generated from values.yaml. Run with -Dhdil2.readme.update=true to rewrite it.
 */
class ChartReadmeTest {

    @Test
    void valuesTableIsUpToDate() throws IOException {
        Path readme = Chart.DIR.resolve("README.md");
        String current = Files.readString(readme);
        String generated = ValuesReadme.withTable(current, ValuesReadme.table(Chart.DIR.resolve("values.yaml")));
        if (Boolean.getBoolean("hdil2.readme.update")) {
            Files.writeString(readme, generated);
            return;
        }
        assertEquals(generated, current, "hdil2/README.md is out of date: run "
                + "flock /tmp/mvn.lock ./mvnw -B -pl deploy/helm verify -Dhdil2.readme.update=true");
    }

    @Test
    void everyServiceSettingAndTopLevelSectionIsDocumented() {
        List<String> keys = ValuesReadme.rows(Chart.DIR.resolve("values.yaml")).stream().map(ValuesReadme.Row::key).toList();
        for (String key : List.of("image.registry", "oidc.authServerUrl", "kafka.mode", "kafka.external.bootstrapServers",
                "kafka.strimzi.nodePools", "serviceDefaults.resources", "serviceDefaults.autoscaling.enabled",
                "services.monitoring-service.streams.stateVolume.type", "networkPolicy.ingressFrom", "serviceMonitor.enabled")) {
            assertTrue(keys.contains(key), key + " has no '# --' description in values.yaml");
        }
        for (String service : Chart.SERVICES) {
            assertTrue(keys.contains("services." + service + ".database.existingSecret"), service);
            assertTrue(keys.contains("services." + service + ".database.url"), service);
        }
    }
}
