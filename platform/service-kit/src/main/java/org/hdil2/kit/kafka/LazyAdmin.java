package org.hdil2.kit.kafka;

import java.time.Duration;
import java.util.Map;

import org.apache.kafka.clients.admin.Admin;

/** An admin client made on first use (a service starts even while the broker is away) and closed with its owner. */
public final class LazyAdmin {

    private final Map<String, Object> kafkaConfig;
    private final String clientId;
    private volatile Admin admin;

    public LazyAdmin(Map<String, Object> kafkaConfig, String clientId) {
        this.kafkaConfig = kafkaConfig;
        this.clientId = clientId;
    }

    public Admin get() {
        Admin current = admin;
        if (current == null) {
            synchronized (this) {
                current = admin;
                if (current == null) {
                    current = AdminClients.of(kafkaConfig, clientId);
                    admin = current;
                }
            }
        }
        return current;
    }

    public void close() {
        Admin a = admin;
        if (a != null) {
            a.close(Duration.ofSeconds(5));
        }
    }
}
