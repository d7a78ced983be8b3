package org.hdil2.local;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.hdil2.infra.LauncherProcess;

/** One packaged service ({@code target/quarkus-app/quarkus-run.jar}) running as its own JVM on 127.0.0.1. */
public final class ServiceProcess {

    static final String JVM_OPTIONS_ENV = "HDIL2_SERVICE_JAVA_OPTS";
    private static final String CLASS_ARCHIVE = "app-cds.jsa";
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    /** Every service started from this JVM: should it end without stopping them (a test killed), they go with it. */
    private static final java.util.Set<Process> RUNNING = java.util.concurrent.ConcurrentHashMap.newKeySet();

    static {
        Runtime.getRuntime().addShutdownHook(new Thread(() -> RUNNING.parallelStream().forEach(p ->
                LauncherProcess.stop(p, Duration.ofSeconds(20))), "service-processes-cleanup"));
    }

    private final Service service;
    private final String instance;
    private final int port;
    private final Process process;
    private final Path log;

    private ServiceProcess(Service service, String instance, int port, Process process, Path log) {
        this.service = service;
        this.instance = instance;
        this.port = port;
        this.process = process;
        this.log = log;
    }

    public static ServiceProcess start(Path root, Service service, int port, Map<String, String> env, Path runDir) {
        return start(root, service, "", port, env, runDir);
    }

    /** {@code instance}: "" for the first replica, e.g. "-2" for another (its own log and temporary directory). */
    public static ServiceProcess start(Path root, Service service, String instance, int port, Map<String, String> env, Path runDir) {
        Path jar = root.resolve(service.module()).resolve("target/quarkus-app/quarkus-run.jar");
        if (!Files.exists(jar)) {
            throw new IllegalStateException(jar + " is missing: build the services first (./mvnw package -DskipTests)");
        }
        try {
            Path tmp = Files.createDirectories(runDir.resolve("tmp").resolve(service.module() + instance)).toAbsolutePath();
            Path log = runDir.resolve(service.module() + instance + ".log");
            List<String> command = new ArrayList<>(List.of(LauncherProcess.javaBinary(), "-Xms64m", "-Xmx256m",
                    "-XX:+UseSerialGC", "-Djava.io.tmpdir=" + tmp));
            if (Files.exists(jar.resolveSibling(CLASS_ARCHIVE))) {
                // written by the build with this JDK (quarkus.package.jar.appcds.enabled), for the classpath as the
                // build ran it: quarkus-run.jar in its own directory; another JVM ignores it with a warning
                command.add("-XX:SharedArchiveFile=" + CLASS_ARCHIVE);
            }
            command.addAll(extraJvmOptions());
            command.addAll(List.of("-jar", jar.getFileName().toString()));
            ProcessBuilder pb = new ProcessBuilder(command).directory(jar.getParent().toFile()).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
                    .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
            // as the chart sets it: two glibc arenas, not eight per core (20-35 MB less native memory after load)
            pb.environment().putIfAbsent("MALLOC_ARENA_MAX", "2");
            pb.environment().putAll(env);
            pb.environment().put("HTTP_PORT", Integer.toString(port));
            Process process = pb.start();
            RUNNING.add(process);
            return new ServiceProcess(service, instance, port, process, log);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start " + service.module(), e);
        }
    }

    /** {@value #JVM_OPTIONS_ENV}: JVM options added after the defaults (a later -Xmx wins), e.g. to measure a setting. */
    static List<String> extraJvmOptions() {
        String extra = System.getenv(JVM_OPTIONS_ENV);
        return extra == null || extra.isBlank() ? List.of() : List.of(extra.trim().split("\\s+"));
    }

    /** Waits until {@code /q/health/ready} answers 200: database, Kafka (and for monitoring the topology) are up. */
    public void awaitReady(Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        HttpRequest ready = HttpRequest.newBuilder(URI.create(baseUrl() + "/q/health/ready")).timeout(Duration.ofSeconds(3)).build();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException(service.module() + " exited with " + process.exitValue() + "; log: " + log
                        + "\n" + tail());
            }
            try {
                if (HTTP.send(ready, HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
                    return;
                }
            } catch (IOException notYet) {
                // not listening yet
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted", e);
            }
            pause(250);
        }
        throw new IllegalStateException(service.module() + " not ready in " + timeout.toSeconds() + " s; log: " + log + "\n" + tail());
    }

    public String baseUrl() {
        return "http://127.0.0.1:" + port;
    }

    public Service service() {
        return service;
    }

    /** "" for a service's first replica, "-2", "-3" ... for others. */
    public String instance() {
        return instance;
    }

    public boolean alive() {
        return process.isAlive();
    }

    public int port() {
        return port;
    }

    public long pid() {
        return process.pid();
    }

    public Path log() {
        return log;
    }

    /** SIGTERM, then SIGKILL after 20 s. */
    public void stop() {
        LauncherProcess.stop(process, Duration.ofSeconds(20));
    }

    /** SIGSTOP: the process is frozen (a stalled JVM: connections are accepted by the kernel, nothing answers). */
    public void pause() {
        signal("STOP");
    }

    /** SIGCONT: a frozen process goes on where it stopped. */
    public void resume() {
        signal("CONT");
    }

    private void signal(String name) {
        try {
            Process kill = new ProcessBuilder("kill", "-" + name, Long.toString(process.pid())).redirectErrorStream(true).start();
            if (kill.waitFor() != 0) {
                throw new IllegalStateException("kill -" + name + " " + process.pid() + " failed");
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    /** SIGKILL now: the process gets no chance to finish anything (crash tests). */
    public void kill() {
        process.destroyForcibly();
        try {
            process.waitFor();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    public String tail() {
        try {
            List<String> lines = Files.readAllLines(log);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 30), lines.size()));
        } catch (IOException e) {
            return "(no log)";
        }
    }

    private static void pause(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }
}
