package org.hdil2.faults;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

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
                Integer.toString(pgPort), "--fresh", Boolean.toString(fresh), "--commit-timestamps", "true", "--owner-pid", owner));
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

    private static final AtomicInteger NEXT_PORT = new AtomicInteger(
            20_000 + (int) (ProcessHandle.current().pid() % 5_000) * 2);

    /**
     * A free port below the kernel's ephemeral range (32768 and up): a process that is killed and restarted must find its
     * port again, and an ephemeral one may meanwhile be taken by some client connection's local end.
     */
    static int freePort() {
        for (int attempt = 0; attempt < 2_000; attempt++) {
            int port = NEXT_PORT.getAndIncrement();
            if (port >= 32_000) {
                NEXT_PORT.set(20_000);
                continue;
            }
            try (ServerSocket s = new ServerSocket(port, 1, InetAddress.getLoopbackAddress())) {
                return s.getLocalPort();
            } catch (IOException taken) {
                // next one
            }
        }
        throw new UncheckedIOException(new IOException("no free port between 20000 and 32000"));
    }
}
