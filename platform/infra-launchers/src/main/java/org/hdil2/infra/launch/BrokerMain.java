package org.hdil2.infra.launch;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;

/**
 * A single-node KRaft Kafka broker (combined broker and controller) on 127.0.0.1, in this JVM.
 *
 * <p>Arguments: {@code --dir DIR --port N|0 [--controller-port N|0] [--fresh true|false] [--owner-pid PID]}.
 * When the broker answers {@code describeCluster}, {@code DIR/bootstrap} is written atomically with
 * {@code 127.0.0.1:PORT}. Not a production broker: one node, replication factor 1.
 */
public final class BrokerMain {

    private BrokerMain() {
    }

    public static void main(String[] args) throws Exception {
        Map<String, String> opts = LauncherSupport.parseArgs(args);
        Path dir = Path.of(opts.getOrDefault("dir", "target/kafka")).toAbsolutePath();
        boolean fresh = Boolean.parseBoolean(opts.getOrDefault("fresh", "true"));
        int port = freePortIfZero(Integer.parseInt(opts.getOrDefault("port", "0")));
        int controllerPort = freePortIfZero(Integer.parseInt(opts.getOrDefault("controller-port", "0")));
        LauncherSupport.exitWhenOwnerDies(opts.get("owner-pid"));

        Path readyFile = dir.resolve("bootstrap");
        Files.deleteIfExists(readyFile);
        Path data = dir.resolve("data");
        if (fresh) {
            deleteRecursively(data);
        }
        Files.createDirectories(data);

        Path config = dir.resolve("server.properties");
        Files.writeString(config, serverProperties(port, controllerPort, data), StandardCharsets.UTF_8);
        if (fresh || !Files.exists(data.resolve("meta.properties"))) {
            format(config);
        }

        String bootstrap = "127.0.0.1:" + port;
        Thread readiness = new Thread(() -> announceWhenReady(bootstrap, readyFile), "broker-readiness");
        readiness.setDaemon(true);
        readiness.start();
        kafka.Kafka.main(new String[] {config.toString()});
    }

    private static String serverProperties(int port, int controllerPort, Path data) {
        Properties p = new Properties();
        p.put("process.roles", "broker,controller");
        p.put("node.id", "1");
        p.put("controller.quorum.voters", "1@127.0.0.1:" + controllerPort);
        p.put("listeners", "PLAINTEXT://127.0.0.1:" + port + ",CONTROLLER://127.0.0.1:" + controllerPort);
        p.put("advertised.listeners", "PLAINTEXT://127.0.0.1:" + port);
        p.put("controller.listener.names", "CONTROLLER");
        p.put("inter.broker.listener.name", "PLAINTEXT");
        p.put("listener.security.protocol.map", "PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT");
        p.put("log.dirs", data.toString());
        p.put("num.partitions", "3");
        p.put("auto.create.topics.enable", "false");
        p.put("offsets.topic.replication.factor", "1");
        p.put("offsets.topic.num.partitions", "1");
        p.put("transaction.state.log.replication.factor", "1");
        p.put("transaction.state.log.min.isr", "1");
        p.put("transaction.state.log.num.partitions", "1");
        p.put("share.coordinator.state.topic.replication.factor", "1");
        p.put("share.coordinator.state.topic.min.isr", "1");
        p.put("group.initial.rebalance.delay.ms", "0");
        StringBuilder out = new StringBuilder();
        p.forEach((k, v) -> out.append(k).append('=').append(v).append('\n'));
        return out.toString();
    }

    /** Formats the KRaft storage with a new cluster id; kept data (--fresh false) is never formatted again. */
    private static void format(Path config) throws Exception {
        ByteArrayOutputStream buffer = new ByteArrayOutputStream();
        try (PrintStream out = new PrintStream(buffer, true, StandardCharsets.UTF_8)) {
            String clusterId = org.apache.kafka.common.Uuid.randomUuid().toString();
            // StorageTool.main would System.exit; execute returns
            kafka.tools.StorageTool.execute(new String[] {"format", "-t", clusterId, "-c", config.toString()}, out);
        }
    }

    private static void announceWhenReady(String bootstrap, Path readyFile) {
        Properties props = new Properties();
        props.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        props.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, "2000");
        props.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, "3000");
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
        try (Admin admin = Admin.create(props)) {
            while (System.nanoTime() < deadline) {
                try {
                    admin.describeCluster().nodes().get(3, TimeUnit.SECONDS);
                    LauncherSupport.writeAtomically(readyFile, bootstrap);
                    System.out.println("KAFKA_READY " + bootstrap);
                    return;
                } catch (Exception notYet) {
                    Thread.sleep(100);
                }
            }
        } catch (Exception e) {
            System.err.println("broker readiness check failed: " + e);
        }
        System.err.println("broker not ready in 120 s");
        System.exit(3);
    }

    static int freePortIfZero(int port) throws IOException {
        if (port != 0) {
            return port;
        }
        try (ServerSocket socket = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }

    static void deleteRecursively(Path path) throws IOException {
        if (!Files.exists(path)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(path)) {
            walk.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }
}
