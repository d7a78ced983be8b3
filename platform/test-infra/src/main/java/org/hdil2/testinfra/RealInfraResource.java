package org.hdil2.testinfra;

import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.hdil2.infra.DevKeys;
import org.hdil2.infra.DevTokens;
import org.hdil2.infra.InfraEndpoints;
import org.hdil2.infra.RunResources;
import org.hdil2.infra.SharedInfra;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

/**
 * Gives a {@code @QuarkusTest} run a real Kafka broker and a real PostgreSQL ({@link SharedInfra}: external ones
 * named by environment variables, else one pair per build), its own database and its own topics, and the public
 * key of {@link TestTokens}. Init args: {@code service} (names the database) and {@code topics} (base topic names,
 * comma-separated; each is created with the run's suffix and a {@code .dlq} twin).
 */
public class RealInfraResource implements QuarkusTestResourceLifecycleManager {

    private InfraEndpoints infra;
    private String database;
    private String service = "svc";
    private List<String> topics = List.of();

    @Override
    public void init(Map<String, String> initArgs) {
        service = initArgs.getOrDefault("service", service).replaceAll("[^a-z0-9]", "");
        String list = initArgs.getOrDefault("topics", "");
        topics = list.isBlank() ? List.of() : Arrays.stream(list.split(",")).map(String::trim).toList();
    }

    @Override
    public Map<String, String> start() {
        infra = SharedInfra.obtain(SharedInfra.buildOwnerPid());
        String runId = UUID.randomUUID().toString().replace("-", "").substring(0, 10);
        String suffix = "-" + runId;
        database = "t_" + service + "_" + runId;
        RunResources.createDatabase(infra, database);
        RunResources.createTopics(infra, topics.stream().map(t -> t + suffix).toList(), 3);

        Map<String, String> config = new HashMap<>();
        config.put("quarkus.datasource.jdbc.url", infra.jdbcUrlFor(database));
        config.put("quarkus.datasource.username", infra.pgUser());
        config.put("quarkus.datasource.password", infra.pgPassword());
        config.put("kafka.bootstrap.servers", infra.kafkaBootstrap());
        config.put("hdil2.topic-suffix", suffix);
        config.put("quarkus.oidc.public-key", DevKeys.publicKeyBase64(TestTokens.keys()));
        config.put("quarkus.oidc.token.issuer", DevTokens.ISSUER);
        return config;
    }

    @Override
    public void stop() {
        if (infra != null && database != null) {
            RunResources.dropDatabase(infra, database);
        }
    }
}
