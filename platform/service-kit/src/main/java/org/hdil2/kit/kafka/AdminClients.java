package org.hdil2.kit.kafka;

import java.util.HashMap;
import java.util.Map;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;

/** An admin client from the service's Kafka configuration (the {@code default-kafka-broker} map), keeping only what an admin client knows. */
public final class AdminClients {

    private AdminClients() {
    }

    public static Admin of(Map<String, Object> kafkaConfig, String clientId) {
        Map<String, Object> props = new HashMap<>();
        kafkaConfig.forEach((k, v) -> {
            if (AdminClientConfig.configNames().contains(k)) {
                props.put(k, v);
            }
        });
        props.put(AdminClientConfig.CLIENT_ID_CONFIG, clientId);
        return Admin.create(props);
    }
}
