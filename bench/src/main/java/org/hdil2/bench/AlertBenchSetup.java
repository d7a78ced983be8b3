package org.hdil2.bench;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;

/**
 * Prepares a private alert-service instance for {@code alert-bench.sh}: its own database on the local stack's
 * PostgreSQL (needs the PostgreSQL JDBC driver on the class path) and its own findings / alert-events topics (3
 * partitions, like the local stack's), so the measurement neither disturbs nor is disturbed by the stack's services.
 * Usage: {@code AlertBenchSetup <jdbc admin URL> <user> <database> <bootstrap> <topic suffix>}.
 */
public final class AlertBenchSetup {

    private AlertBenchSetup() {
    }

    public static void main(String[] args) throws Exception {
        String adminUrl = args[0];
        String user = args[1];
        String database = args[2];
        String bootstrap = args[3];
        String suffix = args[4];
        if (!database.matches("[a-z0-9_]+")) {
            throw new IllegalArgumentException("database name must be [a-z0-9_]+");
        }
        try (Connection c = DriverManager.getConnection(adminUrl, user, "");
             Statement st = c.createStatement()) {
            try (ResultSet rs = st.executeQuery("select 1 from pg_database where datname = '" + database + "'")) {
                if (rs.next()) {
                    st.execute("drop database " + database + " with (force)");
                }
            }
            st.execute("create database " + database);
        }
        Properties props = new Properties();
        props.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        try (Admin admin = Admin.create(props)) {
            Set<String> existing = admin.listTopics().names().get(30, TimeUnit.SECONDS);
            List<NewTopic> wanted = new java.util.ArrayList<>();
            for (String base : List.of("hdil2.monitoring.findings.v1", "hdil2.alerts.events.v1")) {
                for (String name : List.of(base + suffix, base + suffix + ".dlq")) {
                    if (!existing.contains(name)) {
                        wanted.add(new NewTopic(name, 3, (short) 1).configs(Map.of()));
                    }
                }
            }
            if (!wanted.isEmpty()) {
                admin.createTopics(wanted).all().get(30, TimeUnit.SECONDS);
            }
        }
        System.out.println("database " + database + " and topics *" + suffix + " ready");
    }
}
