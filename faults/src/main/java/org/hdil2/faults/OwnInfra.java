package org.hdil2.faults;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import org.hdil2.infra.InfraEndpoints;
import org.hdil2.infra.LauncherProcess;

/**
 * A broker and a PostgreSQL of the campaign's own (the build's shared ones must not be restarted under other
 * modules' tests), on fixed ports and data directories so that a restart comes back where it was: clients reconnect
 * to the same address and find their data.
 */
final class OwnInfra implements AutoCloseable {

    private static final Duration READY = Duration.ofSeconds(180);
    private final Path dir;
    private final int kafkaPort = freePort();
    private final int controllerPort = freePort();
    private final int pgPort = freePort();
    private final String owner = Long.toString(ProcessHandle.current().pid());
    private Process kafka;
    private Process pg;

    private OwnInfra(Path dir) {
        this.dir = dir;
    }

    static OwnInfra start(Path dir) {
        OwnInfra infra = new OwnInfra(dir);
        infra.kafka = infra.startKafka(true);
        infra.pg = infra.startPostgres(true);
        infra.awaitKafka();
        infra.awaitPostgres();
        return infra;
    }

    InfraEndpoints endpoints() {
        return new InfraEndpoints("127.0.0.1:" + kafkaPort, "jdbc:postgresql://127.0.0.1:" + pgPort + "/postgres", "postgres", "");
    }

    /** Stops the broker (controlled shutdown) and starts it again on the same data directory and ports. */
    Duration restartBroker(Duration down) {
        long started = System.nanoTime();
        LauncherProcess.stop(kafka, Duration.ofSeconds(30));
        pause(down);
        kafka = startKafka(false);
        awaitKafka();
        return Duration.ofNanos(System.nanoTime() - started);
    }

    /** Stops PostgreSQL (fast shutdown: open transactions roll back) and starts it again on the same data directory and port. */
    Duration restartPostgres(Duration down) {
        long started = System.nanoTime();
        LauncherProcess.stop(pg, Duration.ofSeconds(30));
        pause(down);
        pg = startPostgres(false);
        awaitPostgres();
        return Duration.ofNanos(System.nanoTime() - started);
    }

    private Process startKafka(boolean fresh) {
        Path kafkaDir = dir.resolve("kafka");
        return LauncherProcess.start("BrokerMain", "384m", kafkaDir, kafkaDir.resolve("bootstrap"), List.of("--dir", kafkaDir.toString(),
                "--port", Integer.toString(kafkaPort), "--controller-port", Integer.toString(controllerPort), "--fresh",
                Boolean.toString(fresh), "--owner-pid", owner));
    }

    private Process startPostgres(boolean fresh) {
        Path pgDir = dir.resolve("pg");
        return LauncherProcess.start("PgMain", "256m", pgDir, pgDir.resolve("ready"), List.of("--dir", pgDir.toString(), "--port",
                Integer.toString(pgPort), "--fresh", Boolean.toString(fresh), "--owner-pid", owner));
    }

    private void awaitKafka() {
        LauncherProcess.awaitReady(kafka, dir.resolve("kafka").resolve("bootstrap"), READY, "Kafka broker");
    }

    private void awaitPostgres() {
        LauncherProcess.awaitReady(pg, dir.resolve("pg").resolve("ready"), READY, "PostgreSQL");
    }

    @Override
    public void close() {
        LauncherProcess.stop(kafka, Duration.ofSeconds(20));
        LauncherProcess.stop(pg, Duration.ofSeconds(20));
    }

    static void pause(Duration d) {
        try {
            Thread.sleep(d.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    static int freePort() {
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
