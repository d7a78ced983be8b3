package org.hdil2.local;

import java.nio.file.Path;
import java.security.KeyPair;
import java.time.Duration;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.hdil2.infra.DevKeys;
import org.hdil2.infra.DevTokens;
import org.hdil2.infra.InfraEndpoints;

/**
 * The four services on one broker and one database server: each with its own database, all with the same topic
 * suffix (empty for the local stack, per run for tests) and the same token-verification key.
 */
public final class Stack implements AutoCloseable {

    /** How to run the stack. {@code databases} names each service's database on the server. */
    public record Config(Path root, Path runDir, InfraEndpoints infra, String topicSuffix, Map<Service, Integer> ports,
                         Map<Service, String> databases, KeyPair keys) {
    }

    private final Config config;
    // read by client threads while a fault campaign restarts processes
    private final Map<Service, ServiceProcess> processes = new java.util.concurrent.ConcurrentHashMap<>();
    private final Map<Service, List<ServiceProcess>> replicas = new java.util.concurrent.ConcurrentHashMap<>();
    private final Map<Service, Map<String, String>> settings = new EnumMap<>(Service.class);

    private Stack(Config config) {
        this.config = config;
    }

    /** Starts every service at once and returns when all are ready. */
    public static Stack start(Config config, Duration timeout) {
        return start(config, Map.of(), timeout);
    }

    /** As {@link #start(Config, Duration)}, with settings of the stack's own for some services (every replica gets them). */
    public static Stack start(Config config, Map<Service, Map<String, String>> settings, Duration timeout) {
        Stack stack = new Stack(config);
        stack.settings.putAll(settings);
        try {
            for (Service s : Service.values()) {
                stack.processes.put(s, ServiceProcess.start(config.root(), s, config.ports().get(s), stack.env(s, Map.of()), config.runDir()));
            }
            for (ServiceProcess p : stack.processes.values()) {
                p.awaitReady(timeout);
            }
            return stack;
        } catch (RuntimeException e) {
            stack.close();
            throw e;
        }
    }

    /** The environment a service reads its configuration from (see each service's application.properties). */
    public Map<String, String> env(Service s, Map<String, String> extra) {
        Map<String, String> env = new HashMap<>();
        env.put("DB_URL", config.infra().jdbcUrlFor(config.databases().get(s)));
        env.put("DB_USER", config.infra().pgUser());
        env.put("DB_PASSWORD", config.infra().pgPassword());
        env.put("KAFKA_BOOTSTRAP_SERVERS", config.infra().kafkaBootstrap());
        env.put("OIDC_PUBLIC_KEY", DevKeys.publicKeyBase64(config.keys()));
        env.put("OIDC_TOKEN_ISSUER", DevTokens.ISSUER);
        env.put("HDIL2_TOPIC_SUFFIX", config.topicSuffix());
        env.put("KAFKA_STREAMS_STATE_DIR", config.runDir().resolve("streams").toAbsolutePath().toString());
        env.putAll(settings.getOrDefault(s, Map.of()));
        if (s == Service.DOSING) {
            // dosing asks monitoring what it has accepted before it answers GIVE
            env.put("MONITORING_URL", "http://127.0.0.1:" + config.ports().get(Service.MONITORING));
        }
        env.putAll(extra);
        return env;
    }

    /** Stops one service (gracefully, or with SIGKILL when {@code crash}) and starts it again with extra settings. */
    public ServiceProcess restart(Service s, boolean crash, Map<String, String> extraEnv, Duration timeout) {
        ServiceProcess old = processes.get(s);
        if (crash) {
            old.kill();
        } else {
            old.stop();
        }
        ServiceProcess fresh = ServiceProcess.start(config.root(), s, config.ports().get(s), env(s, extraEnv), config.runDir());
        processes.put(s, fresh);
        fresh.awaitReady(timeout);
        return fresh;
    }

    public String url(Service s) {
        return processes.get(s).baseUrl();
    }

    /**
     * Starts another replica of {@code s} on {@code port}: the same database, topics and consumer groups (it shares the
     * work with the others), its own log, temporary directory and Kafka Streams state.
     */
    public ServiceProcess startReplica(Service s, int port, Duration timeout) {
        List<ServiceProcess> others = replicas.computeIfAbsent(s, k -> new java.util.concurrent.CopyOnWriteArrayList<>());
        String instance = "-" + (others.size() + 2);
        ServiceProcess replica = ServiceProcess.start(config.root(), s, instance, port, replicaEnv(s, instance), config.runDir());
        others.add(replica);
        replica.awaitReady(timeout);
        return replica;
    }

    /** Stops a replica started with {@link #startReplica} (SIGKILL when {@code crash}) and starts it again on its port. */
    public ServiceProcess restartReplica(ServiceProcess replica, boolean crash, Duration timeout) {
        List<ServiceProcess> others = replicas.get(replica.service());
        int index = others.indexOf(replica);
        if (index < 0) {
            throw new IllegalArgumentException(replica.service() + replica.instance() + " is not a replica of this stack");
        }
        if (crash) {
            replica.kill();
        } else {
            replica.stop();
        }
        ServiceProcess fresh = ServiceProcess.start(config.root(), replica.service(), replica.instance(), replica.port(),
                replicaEnv(replica.service(), replica.instance()), config.runDir());
        others.set(index, fresh);
        fresh.awaitReady(timeout);
        return fresh;
    }

    /** Every running replica of {@code s}, the first one first. */
    public List<ServiceProcess> instances(Service s) {
        List<ServiceProcess> all = new java.util.ArrayList<>();
        all.add(processes.get(s));
        all.addAll(replicas.getOrDefault(s, List.of()));
        return all;
    }

    private Map<String, String> replicaEnv(Service s, String instance) {
        return env(s, Map.of("KAFKA_STREAMS_STATE_DIR", config.runDir().resolve("streams" + instance).toAbsolutePath().toString()));
    }

    public ServiceProcess process(Service s) {
        return processes.get(s);
    }

    /** A bearer token for a user holding {@code role}, valid for {@code lifetime}. */
    public String token(String user, String role, Duration lifetime) {
        return DevTokens.sign(config.keys(), user, List.of(role), lifetime);
    }

    /** A bearer token for a user holding every role in {@code roles}. */
    public String token(String user, List<String> roles, Duration lifetime) {
        return DevTokens.sign(config.keys(), user, roles, lifetime);
    }

    /** A token with exactly these claims, signed with the stack's key (tests of what the services refuse). */
    public String token(Map<String, Object> claims) {
        return DevTokens.sign(config.keys(), claims);
    }

    @Override
    public void close() {
        List<ServiceProcess> all = new java.util.ArrayList<>(processes.values());
        replicas.values().forEach(all::addAll);
        all.parallelStream().forEach(ServiceProcess::stop);
        processes.clear();
        replicas.clear();
    }
}
