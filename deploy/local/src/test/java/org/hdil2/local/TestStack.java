package org.hdil2.local;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.EnumMap;
import java.util.Map;
import java.util.UUID;

import org.hdil2.contract.EventContract;
import org.hdil2.infra.DevKeys;
import org.hdil2.infra.InfraEndpoints;
import org.hdil2.infra.RunResources;
import org.hdil2.infra.SharedInfra;

/**
 * The four packaged services for one end-to-end test class: on the build's broker and database, with databases and
 * topics of their own (3 partitions each), free ports, and a key of their own. Closing stops the services and drops
 * the databases.
 */
final class TestStack implements AutoCloseable {

    static final Duration READY = Duration.ofSeconds(180);

    final InfraEndpoints infra;
    final Stack stack;
    final String suffix;
    private final Map<Service, String> databases;

    private TestStack(InfraEndpoints infra, Stack stack, String suffix, Map<Service, String> databases) {
        this.infra = infra;
        this.stack = stack;
        this.suffix = suffix;
        this.databases = databases;
    }

    static TestStack start(String name) throws IOException {
        InfraEndpoints infra = SharedInfra.obtain(SharedInfra.buildOwnerPid());
        String runId = UUID.randomUUID().toString().replace("-", "").substring(0, 10);
        String suffix = "-" + runId;
        Map<Service, String> databases = new EnumMap<>(Service.class);
        Map<Service, Integer> ports = new EnumMap<>(Service.class);
        for (Service s : Service.values()) {
            databases.put(s, name + "_" + s.database() + "_" + runId);
            RunResources.createDatabase(infra, databases.get(s));
            ports.put(s, freePort());
        }
        RunResources.createTopics(infra, EventContract.load().eventTypes().stream()
                .map(t -> EventContract.load().topicOf(t).orElseThrow() + suffix).distinct().toList(), 3);
        Path root = Path.of(System.getProperty("hdil2.root", "../..")).toAbsolutePath().normalize();
        Path runDir = Files.createDirectories(root.resolve("deploy/local/target/" + name + "-" + runId));
        try {
            Stack stack = Stack.start(new Stack.Config(root, runDir, infra, suffix, ports, databases, DevKeys.generate()), READY);
            return new TestStack(infra, stack, suffix, databases);
        } catch (RuntimeException e) {
            databases.values().forEach(db -> RunResources.dropDatabase(infra, db));
            throw e;
        }
    }

    String jdbcUrl(Service s) {
        return infra.jdbcUrlFor(databases.get(s));
    }

    String topic(String base) {
        return base + suffix;
    }

    @Override
    public void close() {
        stack.close();
        databases.values().forEach(db -> RunResources.dropDatabase(infra, db));
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }
}
