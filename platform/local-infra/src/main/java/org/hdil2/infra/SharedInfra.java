package org.hdil2.infra;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;

/**
 * Finds the broker and database a test run should use, starting them only when needed.
 *
 * <ol>
 *   <li>{@code KAFKA_BOOTSTRAP_SERVERS} and {@code PG_ADMIN_JDBC_URL} set: use those external servers.</li>
 *   <li>Otherwise a registry in {@code hdil2.shared-infra.dir} names a broker and a database started earlier by
 *       the same owner (the Maven build): every module of one build shares them.</li>
 *   <li>Otherwise start both (in parallel) as child JVMs that exit by themselves when the owner exits.</li>
 * </ol>
 * Isolation between runs comes from per-run databases and topics, not from separate servers.
 */
public final class SharedInfra {

    public static final String DIR_PROPERTY = "hdil2.shared-infra.dir";
    private static final Duration STARTUP_TIMEOUT = Duration.ofSeconds(180);

    private SharedInfra() {
    }

    public static synchronized InfraEndpoints obtain(long ownerPid) {
        Optional<InfraEndpoints> external = fromEnvironment(System.getenv());
        if (external.isPresent()) {
            return external.get();
        }
        Path dir = Path.of(System.getProperty(DIR_PROPERTY, "target/shared-infra")).toAbsolutePath();
        try {
            Files.createDirectories(dir);
            try (FileChannel lockChannel = FileChannel.open(dir.resolve("infra.lock"),
                    StandardOpenOption.CREATE, StandardOpenOption.WRITE);
                 FileLock ignored = lockChannel.lock()) {
                Path registry = dir.resolve("infra.properties");
                Optional<InfraEndpoints> shared = fromRegistry(registry, ownerPid);
                if (shared.isPresent()) {
                    return shared.get();
                }
                return start(dir, registry, ownerPid);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot prepare shared infrastructure in " + dir, e);
        }
    }

    static Optional<InfraEndpoints> fromEnvironment(Map<String, String> env) {
        String bootstrap = env.get("KAFKA_BOOTSTRAP_SERVERS");
        String pgUrl = env.get("PG_ADMIN_JDBC_URL");
        if (bootstrap == null || bootstrap.isBlank() || pgUrl == null || pgUrl.isBlank()) {
            return Optional.empty();
        }
        return Optional.of(new InfraEndpoints(bootstrap, pgUrl,
                env.getOrDefault("PG_ADMIN_USER", "postgres"), env.getOrDefault("PG_ADMIN_PASSWORD", "")));
    }

    private static Optional<InfraEndpoints> fromRegistry(Path registry, long ownerPid) throws IOException {
        if (!Files.exists(registry)) {
            return Optional.empty();
        }
        Properties p = new Properties();
        try (InputStream in = Files.newInputStream(registry)) {
            p.load(in);
        }
        boolean sameOwner = Long.toString(ownerPid).equals(p.getProperty("owner"));
        if (!sameOwner || !alive(p.getProperty("kafka.pid")) || !alive(p.getProperty("pg.pid"))) {
            return Optional.empty();
        }
        return Optional.of(endpoints(p.getProperty("kafka.bootstrap"), p.getProperty("pg.port")));
    }

    private static InfraEndpoints start(Path dir, Path registry, long ownerPid) throws IOException {
        Files.deleteIfExists(registry);
        String owner = Long.toString(ownerPid);
        Path kafkaDir = dir.resolve("kafka");
        Path pgDir = dir.resolve("pg");
        Process kafka = LauncherProcess.start("BrokerMain", "384m", kafkaDir, kafkaDir.resolve("bootstrap"),
                List.of("--dir", kafkaDir.toString(), "--port", "0", "--fresh", "true", "--owner-pid", owner));
        Process pg = LauncherProcess.start("PgMain", "256m", pgDir, pgDir.resolve("ready"),
                List.of("--dir", pgDir.toString(), "--port", "0", "--fresh", "true", "--owner-pid", owner));
        String bootstrap;
        String pgPort;
        try {
            bootstrap = LauncherProcess.awaitReady(kafka, kafkaDir.resolve("bootstrap"), STARTUP_TIMEOUT, "Kafka broker");
            pgPort = LauncherProcess.awaitReady(pg, pgDir.resolve("ready"), STARTUP_TIMEOUT, "PostgreSQL");
        } catch (RuntimeException e) {
            LauncherProcess.stop(kafka, Duration.ofSeconds(5));
            LauncherProcess.stop(pg, Duration.ofSeconds(5));
            throw e;
        }
        Properties p = new Properties();
        p.setProperty("owner", owner);
        p.setProperty("kafka.pid", Long.toString(kafka.pid()));
        p.setProperty("pg.pid", Long.toString(pg.pid()));
        p.setProperty("kafka.bootstrap", bootstrap);
        p.setProperty("pg.port", pgPort);
        Path tmp = dir.resolve("infra.properties.tmp");
        try (OutputStream out = Files.newOutputStream(tmp)) {
            p.store(out, "shared test infrastructure of build process " + owner);
        }
        Files.move(tmp, registry, java.nio.file.StandardCopyOption.ATOMIC_MOVE,
                java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        return endpoints(bootstrap, pgPort);
    }

    private static InfraEndpoints endpoints(String bootstrap, String pgPort) {
        return new InfraEndpoints(bootstrap, "jdbc:postgresql://127.0.0.1:" + pgPort + "/postgres", "postgres", "");
    }

    private static boolean alive(String pid) {
        if (pid == null) {
            return false;
        }
        return ProcessHandle.of(Long.parseLong(pid)).map(ProcessHandle::isAlive).orElse(false);
    }

    /** The process that owns test infrastructure: the build JVM that forked this test JVM. */
    public static long buildOwnerPid() {
        return ProcessHandle.current().parent().map(ProcessHandle::pid).orElse(ProcessHandle.current().pid());
    }
}
