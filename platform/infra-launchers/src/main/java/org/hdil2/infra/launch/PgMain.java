package org.hdil2.infra.launch;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.Map;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;

/**
 * A real PostgreSQL server (zonky's binaries from Maven Central) on 127.0.0.1, kept alive by this JVM.
 *
 * <p>Arguments: {@code --dir DIR --port N|0 [--fresh true|false] [--databases a,b,c] [--commit-timestamps true|false]
 * [--owner-pid PID]}.
 * When the server accepts connections {@code DIR/ready} is written atomically with the port number.
 * Durability settings are relaxed (fsync off): for tests and the local stack only.
 */
public final class PgMain {

    private PgMain() {
    }

    public static void main(String[] args) throws Exception {
        Map<String, String> opts = LauncherSupport.parseArgs(args);
        Path dir = Path.of(opts.getOrDefault("dir", "target/pg")).toAbsolutePath();
        boolean fresh = Boolean.parseBoolean(opts.getOrDefault("fresh", "true"));
        int port = BrokerMain.freePortIfZero(Integer.parseInt(opts.getOrDefault("port", "0")));
        LauncherSupport.exitWhenOwnerDies(opts.get("owner-pid"));

        Path readyFile = dir.resolve("ready");
        Files.deleteIfExists(readyFile);
        Path data = dir.resolve("data");
        if (fresh) {
            BrokerMain.deleteRecursively(data);
        }
        Files.createDirectories(dir.resolve("bin"));

        EmbeddedPostgres pg = EmbeddedPostgres.builder()
                .setPort(port)
                .setOverrideWorkingDirectory(dir.resolve("bin").toFile())
                .setDataDirectory(data.toFile())
                .setCleanDataDirectory(false)
                .setServerConfig("listen_addresses", "127.0.0.1")
                .setServerConfig("fsync", "off")
                .setServerConfig("synchronous_commit", "off")
                .setServerConfig("full_page_writes", "off")
                .setServerConfig("max_connections", "300")
                // when each transaction committed, for tests that judge what a reader could have seen (the fault campaign)
                .setServerConfig("track_commit_timestamp", Boolean.toString(Boolean.parseBoolean(opts.getOrDefault("commit-timestamps", "false"))))
                .start();
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            try {
                pg.close();
            } catch (Exception e) {
                System.err.println("postgres close failed: " + e);
            }
        }, "pg-shutdown"));

        String databases = opts.getOrDefault("databases", "");
        if (!databases.isBlank()) {
            createMissingDatabases(port, databases.split(","));
        }
        LauncherSupport.writeAtomically(readyFile, Integer.toString(port));
        System.out.println("POSTGRES_READY 127.0.0.1:" + port);
        Thread.currentThread().join();
    }

    private static void createMissingDatabases(int port, String[] names) throws Exception {
        try (Connection c = DriverManager.getConnection("jdbc:postgresql://127.0.0.1:" + port + "/postgres", "postgres", "");
             Statement st = c.createStatement()) {
            for (String raw : names) {
                String name = raw.trim();
                if (!name.matches("[a-z_][a-z0-9_]*")) {
                    throw new IllegalArgumentException("invalid database name " + name);
                }
                try (ResultSet rs = st.executeQuery("select 1 from pg_database where datname = '" + name + "'")) {
                    if (rs.next()) {
                        continue;
                    }
                }
                st.execute("create database " + name);
            }
        }
    }
}
