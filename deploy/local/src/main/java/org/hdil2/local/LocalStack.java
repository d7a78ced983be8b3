package org.hdil2.local;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.time.Duration;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;

import org.hdil2.contract.EventContract;
import org.hdil2.infra.DevKeys;
import org.hdil2.infra.InfraEndpoints;
import org.hdil2.infra.LauncherProcess;
import org.hdil2.infra.RunResources;

/**
 * The one-command local stack: a Kafka broker (127.0.0.1:19092), PostgreSQL (127.0.0.1:15432), the four services
 * (8081-8084) and the demo patient. Data lives in {@code .run/} and survives a restart; Ctrl-C stops everything.
 * Every process it starts exits with it, even when it is killed.
 */
public final class LocalStack {

    private static final List<String> ROLES = List.of("physician", "nurse", "pharmacist", "device", "analyst", "admin",
            "privacy-officer");

    private LocalStack() {
    }

    public static void main(String[] args) throws Exception {
        long started = System.nanoTime();
        PrintStream out = System.out;
        Path root = Path.of(System.getProperty("hdil2.root", ".")).toAbsolutePath().normalize();
        Path run = Files.createDirectories(root.resolve(".run"));
        String owner = Long.toString(ProcessHandle.current().pid());

        Path kafkaDir = run.resolve("kafka");
        Path pgDir = run.resolve("pg");
        Process kafka = LauncherProcess.start("BrokerMain", "384m", kafkaDir, kafkaDir.resolve("bootstrap"), List.of("--dir", kafkaDir.toString(),
                "--port", "19092", "--controller-port", "19093", "--fresh", "false", "--owner-pid", owner));
        Process pg = LauncherProcess.start("PgMain", "256m", pgDir, pgDir.resolve("ready"), List.of("--dir", pgDir.toString(), "--port", "15432",
                "--fresh", "false", "--databases", "eligibility,dosing,monitoring,alert", "--owner-pid", owner));
        Stack[] stack = new Stack[1];
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            out.println("\nstopping...");
            if (stack[0] != null) {
                stack[0].close();
            }
            LauncherProcess.stop(kafka, Duration.ofSeconds(20));
            LauncherProcess.stop(pg, Duration.ofSeconds(20));
            out.println("stopped");
            stopped.countDown();
        }, "local-stack-shutdown"));

        String bootstrap = LauncherProcess.awaitReady(kafka, kafkaDir.resolve("bootstrap"), Duration.ofSeconds(120), "Kafka broker");
        String pgPort = LauncherProcess.awaitReady(pg, pgDir.resolve("ready"), Duration.ofSeconds(180), "PostgreSQL");
        InfraEndpoints infra = new InfraEndpoints(bootstrap, "jdbc:postgresql://127.0.0.1:" + pgPort + "/postgres", "postgres", "");
        List<String> topics = EventContract.load().eventTypes().stream()
                .map(t -> EventContract.load().topicOf(t).orElseThrow()).distinct().toList();
        RunResources.createTopics(infra, topics, 3);
        out.printf("broker %s and PostgreSQL 127.0.0.1:%s ready after %.1f s%n", bootstrap, pgPort, seconds(started));

        Map<Service, Integer> ports = new EnumMap<>(Service.class);
        Map<Service, String> databases = new EnumMap<>(Service.class);
        for (Service s : Service.values()) {
            ports.put(s, s.localPort());
            databases.put(s, s.database());
        }
        KeyPair keys = DevKeys.loadOrCreate(run.resolve("keys"));
        stack[0] = Stack.start(new Stack.Config(root, run, infra, "", ports, databases, keys), Duration.ofSeconds(180));
        out.printf("all four services ready after %.1f s%n", seconds(started));

        DemoPatient.seed(stack[0], out);
        printGuide(stack[0], run, out);
        out.printf("suite up after %.1f s. Ctrl-C stops everything.%n", seconds(started));
        stopped.await();
    }

    private static void printGuide(Stack stack, Path run, PrintStream out) throws IOException {
        out.println();
        for (Service s : Service.values()) {
            out.printf("%-20s %s/q/swagger-ui   (logs: %s)%n", s.module(), stack.url(s), stack.process(s).log());
        }
        StringBuilder env = new StringBuilder();
        out.println("\nBearer tokens (12 h), also in " + run.resolve("tokens.env") + ":");
        for (String role : ROLES) {
            String token = stack.token(role + "-demo", role, Duration.ofHours(12));
            env.append("TOKEN_").append(role.toUpperCase().replace('-', '_')).append('=').append(token).append('\n');
            out.printf("  %-15s %s%n", role, token);
        }
        // a dose given (and a given dose voided) is signed by two nurses, each with her own token (Second-Signature header)
        String secondNurse = stack.token("nurse2-demo", "nurse", Duration.ofHours(12));
        env.append("TOKEN_NURSE2=").append(secondNurse).append('\n');
        out.printf("  %-10s %s%n", "nurse 2", secondNurse);
        Files.writeString(run.resolve("tokens.env"), env.toString(), StandardCharsets.UTF_8);
        out.println("\nTry:  source .run/tokens.env && curl -s -H \"Authorization: Bearer $TOKEN_NURSE\" "
                + stack.url(Service.ALERT) + "/api/v1/alerts?patientId=" + DemoPatient.PATIENT_ID);
    }

    private static double seconds(long since) {
        return (System.nanoTime() - since) / 1e9;
    }
}
