package org.hdil2.faults;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.hdil2.contract.CloudEventHeaders;
import org.hdil2.contract.EventContract;
import org.hdil2.infra.DevKeys;
import org.hdil2.infra.InfraEndpoints;
import org.hdil2.infra.RunResources;
import org.hdil2.infra.TopicReader;
import org.hdil2.infra.TopicWriter;
import org.hdil2.local.Service;
import org.hdil2.local.ServiceProcess;
import org.hdil2.local.Stack;

/**
 * The fault campaign: its own broker and PostgreSQL, the four packaged services, a ward at work, and one scenario
 * of faults after another; after each, the invariants. Everything random comes from one seed, printed with every
 * result, so a failing run can be replayed ({@code -Dhdil2.faults.seed=N}).
 */
public final class Campaign implements AutoCloseable {

    static final Duration READY = Duration.ofSeconds(240);
    /** What the suite promises about escalation, made quick enough to happen during a scenario. */
    private static final Map<String, String> ALERT_SETTINGS = Map.of("HDIL2_ALERTS_ESCALATION_HIGH",
            "PRIMARY_NURSE,CHARGE_NURSE@PT5S,PHYSICIAN@PT12S", "HDIL2_ALERTS_ESCALATION_MEDIUM", "PRIMARY_NURSE,CHARGE_NURSE@PT8S");

    /** A scenario's outcome: the invariants it was checked against, what it measured, and the workload's size. */
    public record Result(String scenario, long seed, List<Invariants.Check> checks, List<String> notes, int patients, int observations,
                         int decisions, int doseCommands, int acknowledgements, long gaveUp) {
        public boolean holds() {
            return checks.stream().allMatch(Invariants.Check::holds);
        }
    }

    /** The faults of one scenario, injected while the ward works; returns what it measured. */
    public interface Faults {
        List<String> inject(Campaign campaign, Random random) throws Exception;
    }

    private final long seed;
    private final Random random;
    private final OwnInfra infra;
    private final Stack stack;
    private final Clients clients;
    private final Invariants invariants;
    private int scenarios;

    private Campaign(long seed, OwnInfra infra, Stack stack) {
        this.seed = seed;
        this.random = new Random(seed);
        this.infra = infra;
        this.stack = stack;
        this.clients = new Clients(stack, seed);
        this.invariants = new Invariants(infra.endpoints());
    }

    public static Campaign start(Path root, Path runDir, long seed) throws Exception {
        Files.createDirectories(runDir);
        OwnInfra infra = OwnInfra.start(runDir.resolve("infra"));
        try {
            InfraEndpoints endpoints = infra.endpoints();
            Map<Service, Integer> ports = new EnumMap<>(Service.class);
            Map<Service, String> databases = new EnumMap<>(Service.class);
            for (Service s : Service.values()) {
                RunResources.createDatabase(endpoints, s.database());
                databases.put(s, s.database());
                ports.put(s, OwnInfra.freePort());
            }
            RunResources.createTopics(endpoints, EventContract.load().eventTypes().stream()
                    .map(t -> EventContract.load().topicOf(t).orElseThrow()).distinct().toList(), 3);
            Stack stack = Stack.start(new Stack.Config(root, runDir, endpoints, "", ports, databases, DevKeys.generate()),
                    Map.of(Service.ALERT, ALERT_SETTINGS), READY);
            return new Campaign(seed, infra, stack);
        } catch (Exception e) {
            infra.close();
            throw e;
        }
    }

    /** Runs one scenario: a ward of {@code patients} admitted, the faults injected while it works, then the invariants. */
    public Result run(String name, int patients, Faults faults) throws Exception {
        scenarios++;
        Observed observed = new Observed();
        List<String> notes = new ArrayList<>();
        long t0 = System.nanoTime();
        long admitted;
        long injected;
        try (Ward ward = new Ward(stack, clients, observed, infra.endpoints().kafkaBootstrap(), "f" + (seed % 10_000 + 10_000) + "s" + scenarios,
                patients, random.nextLong())) {
            ward.start();
            admitted = System.nanoTime();
            notes.addAll(faults.inject(this, random));
            injected = System.nanoTime();
            ward.stop();
        }
        long stopped = System.nanoTime();
        invariants.settle(observed, Duration.ofSeconds(120));
        long settled = System.nanoTime();
        List<Invariants.Check> checks = invariants.check(observed);
        if (!checks.stream().allMatch(Invariants.Check::holds)) {
            // consumers may still be on their way (an alert for the last finding): look again once before calling it broken
            OwnInfra.pause(Duration.ofSeconds(10));
            checks = invariants.check(observed);
        }
        notes.add(String.format("took %d s: admission %d, faults under load %d, last requests %d, settling %d, checks %d", seconds(t0),
                (admitted - t0) / 1_000_000_000, (injected - admitted) / 1_000_000_000, (stopped - injected) / 1_000_000_000,
                (settled - stopped) / 1_000_000_000, seconds(settled)));
        return new Result(name, seed, checks, notes, patients, observed.accepted.size(), observed.decisions.size(),
                observed.doseCommands.size(), observed.acknowledged.size(), observed.gaveUp.get());
    }

    // ------------------------------------------------------------------------------------------------ the scenarios

    /** kill -9 of each service in turn, at a random moment, then a restart. */
    public static final Faults KILL_EACH_SERVICE = (c, random) -> {
        List<String> notes = new ArrayList<>();
        List<Service> order = new ArrayList<>(List.of(Service.values()));
        java.util.Collections.shuffle(order, random);
        for (Service s : order) {
            OwnInfra.pause(Duration.ofMillis(3000 + random.nextInt(5000)));
            List<ServiceProcess> running = c.stack.instances(s);
            ServiceProcess victim = running.get(random.nextInt(running.size()));
            long killed = System.nanoTime();
            c.restart(victim, true);
            notes.add(s.module() + victim.instance() + " killed and back in " + (System.nanoTime() - killed) / 1_000_000 + " ms");
        }
        OwnInfra.pause(Duration.ofSeconds(8));
        return notes;
    };

    /**
     * A second replica of every service (the same database and consumer groups), then one replica of each killed while
     * it holds partitions and escalation claims, and brought back.
     */
    public static final Faults TWO_REPLICAS = (c, random) -> {
        List<String> notes = new ArrayList<>();
        c.ensureSecondReplicas(notes);
        OwnInfra.pause(Duration.ofSeconds(12));
        List<ServiceProcess> killed = new ArrayList<>();
        for (Service s : List.of(Service.MONITORING, Service.ALERT, Service.DOSING, Service.ELIGIBILITY)) {
            List<ServiceProcess> running = c.stack.instances(s);
            ServiceProcess victim = running.get(random.nextInt(running.size()));
            victim.kill();
            killed.add(victim);
            notes.add(s.module() + victim.instance() + " killed with a replica running");
            OwnInfra.pause(Duration.ofSeconds(6));
        }
        // the survivors carry the ward meanwhile; the killed replicas come back together
        long restarting = System.nanoTime();
        CompletableFuture.allOf(killed.stream().map(v -> CompletableFuture.runAsync(() -> c.restart(v, true)))
                .toArray(CompletableFuture[]::new)).join();
        notes.add("the killed replicas back in " + (System.nanoTime() - restarting) / 1_000_000 + " ms");
        OwnInfra.pause(Duration.ofSeconds(6));
        return notes;
    };

    /** SIGSTOP of a replica for longer than its session timeout, then SIGCONT: the zombie must not act on what it lost. */
    public static final Faults FROZEN_REPLICAS = (c, random) -> {
        List<String> notes = new ArrayList<>();
        c.ensureSecondReplicas(notes);
        OwnInfra.pause(Duration.ofSeconds(6));
        List<ServiceProcess> frozen = new ArrayList<>();
        for (Service s : List.of(Service.MONITORING, Service.ALERT, Service.DOSING)) {
            List<ServiceProcess> running = c.stack.instances(s);
            ServiceProcess victim = running.get(random.nextInt(running.size()));
            victim.pause();
            frozen.add(victim);
        }
        Duration frozenFor = Duration.ofSeconds(25);
        OwnInfra.pause(frozenFor);
        frozen.forEach(ServiceProcess::resume);
        frozen.forEach(p -> notes.add(p.service().module() + p.instance() + " frozen " + frozenFor.toSeconds() + " s (session timeout 15 s), then woken"));
        OwnInfra.pause(Duration.ofSeconds(15));
        return notes;
    };

    /** The broker stopped and started again on the same data, under load. */
    public static final Faults BROKER_RESTART = (c, random) -> {
        OwnInfra.pause(Duration.ofMillis(5000 + random.nextInt(4000)));
        Duration took = c.infra.restartBroker(Duration.ofSeconds(5));
        OwnInfra.pause(Duration.ofSeconds(20));
        return List.of("broker down and back in " + took.toMillis() + " ms");
    };

    /** PostgreSQL stopped and started again on the same data, under load. */
    public static final Faults POSTGRES_RESTART = (c, random) -> {
        OwnInfra.pause(Duration.ofMillis(5000 + random.nextInt(4000)));
        Duration took = c.infra.restartPostgres(Duration.ofSeconds(5));
        OwnInfra.pause(Duration.ofSeconds(20));
        return List.of("PostgreSQL down and back in " + took.toMillis() + " ms");
    };

    /** A poison record on every consumed topic: each consumer dead-letters it and goes on. */
    public static final Faults POISON = (c, random) -> {
        OwnInfra.pause(Duration.ofSeconds(5));
        String marker = "poison-" + UUID.randomUUID();
        Map<String, Integer> expected = new LinkedHashMap<>();
        // topic -> how many consumer groups read it (each dead-letters its own copy)
        expected.put("hdil2.eligibility.screenings.v1", 1);
        expected.put("hdil2.dosing.events.v1", 1);
        expected.put("hdil2.monitoring.observations.v1", 1);
        expected.put("hdil2.monitoring.observations.inbound.v1", 1);
        expected.put("hdil2.monitoring.findings.v1", 3);
        for (String topic : expected.keySet()) {
            TopicWriter.publish(c.infra.endpoints().kafkaBootstrap(), topic, marker, Map.of(CloudEventHeaders.SPEC_VERSION, "1.0",
                    CloudEventHeaders.ID, UUID.randomUUID().toString(), CloudEventHeaders.TYPE, "org.hdil2.unknown.v1",
                    CloudEventHeaders.SUBJECT, marker, CloudEventHeaders.SOURCE, "/faults", CloudEventHeaders.TIME, Instant.now().toString()),
                    "{\"" + marker + "\": not json");
        }
        OwnInfra.pause(Duration.ofSeconds(20));
        List<String> notes = new ArrayList<>();
        for (Map.Entry<String, Integer> e : expected.entrySet()) {
            List<ConsumerRecord<String, String>> dead = TopicReader.read(c.infra.endpoints().kafkaBootstrap(), e.getKey() + ".dlq",
                    rs -> rs.stream().filter(r -> marker.equals(r.key())).count() >= e.getValue(), Duration.ofSeconds(30));
            long n = dead.stream().filter(r -> marker.equals(r.key())).count();
            String line = e.getKey() + ": " + n + " of " + e.getValue() + " consumer(s) dead-lettered the poison";
            if (n != e.getValue()) {
                throw new IllegalStateException(line);
            }
            notes.add(line);
        }
        return notes;
    };

    // ------------------------------------------------------------------------------------------------ helpers

    private static long seconds(long since) {
        return (System.nanoTime() - since) / 1_000_000_000;
    }

    /** Restarts a replica on its port; a start that fails (its port briefly taken) is tried again, as Kubernetes would. */
    private void restart(ServiceProcess victim, boolean crash) {
        ServiceProcess current = victim;
        for (int attempt = 1; ; attempt++) {
            try {
                if (current.instance().isEmpty()) {
                    stack.restart(current.service(), crash, Map.of(), READY);
                } else {
                    stack.restartReplica(current, crash, READY);
                }
                return;
            } catch (IllegalStateException failedToStart) {
                if (attempt == 3) {
                    throw failedToStart;
                }
                OwnInfra.pause(Duration.ofSeconds(3));
                current = current.instance().isEmpty() ? stack.process(current.service()) : replicaLike(current);
            }
        }
    }

    private ServiceProcess replicaLike(ServiceProcess victim) {
        return stack.instances(victim.service()).stream().filter(p -> p.instance().equals(victim.instance())).findFirst().orElseThrow();
    }

    /** Starts the second replica of every service that has only one (in parallel: starting JVMs is the slow part). */
    private void ensureSecondReplicas(List<String> notes) {
        List<CompletableFuture<Void>> starting = new ArrayList<>();
        long started = System.nanoTime();
        for (Service s : Service.values()) {
            if (stack.instances(s).size() < 2) {
                starting.add(CompletableFuture.runAsync(() -> stack.startReplica(s, OwnInfra.freePort(), READY)));
            }
        }
        if (!starting.isEmpty()) {
            CompletableFuture.allOf(starting.toArray(CompletableFuture[]::new)).join();
            notes.add("second replicas of " + starting.size() + " services ready in " + (System.nanoTime() - started) / 1_000_000 + " ms");
        }
    }

    /** The results as a table: scenario × invariant, each cell the count checked and whether it held. */
    public static String table(List<Result> results) {
        StringBuilder out = new StringBuilder();
        List<String> names = results.isEmpty() ? List.of() : results.get(0).checks().stream().map(Invariants.Check::name).toList();
        out.append("| scenario | patients | obs | decisions | dose cmds | acks |");
        names.forEach(n -> out.append(' ').append(n).append(" |"));
        out.append("\n|---|---|---|---|---|---|");
        names.forEach(n -> out.append("---|"));
        out.append('\n');
        for (Result r : results) {
            out.append("| ").append(r.scenario()).append(" | ").append(r.patients()).append(" | ").append(r.observations()).append(" | ")
                    .append(r.decisions()).append(" | ").append(r.doseCommands()).append(" | ").append(r.acknowledgements()).append(" |");
            r.checks().forEach(c -> out.append(' ').append(c.holds() ? "ok " : "FAILED ").append(c.checked()).append(" |"));
            out.append('\n');
        }
        for (Result r : results) {
            r.notes().forEach(n -> out.append("* ").append(r.scenario()).append(": ").append(n).append('\n'));
            r.checks().stream().filter(c -> !c.holds()).forEach(c -> out.append("* ").append(r.scenario()).append(" BROKE '").append(c.name())
                    .append("' (seed ").append(r.seed()).append("): ").append(String.join("; ", c.violations())).append('\n'));
            if (r.gaveUp() > 0) {
                out.append("* ").append(r.scenario()).append(": ").append(r.gaveUp()).append(" requests got no answer within two minutes\n");
            }
        }
        return out.toString();
    }

    public static void write(Path file, String text) throws java.io.IOException {
        Files.writeString(file, text, StandardCharsets.UTF_8);
    }

    public long seed() {
        return seed;
    }

    @Override
    public void close() {
        stack.close();
        infra.close();
    }
}
