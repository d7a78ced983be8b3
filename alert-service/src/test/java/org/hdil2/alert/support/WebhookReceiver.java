package org.hdil2.alert.support;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

/**
 * A stand-in for the hospital's alarm middleware: a real HTTP server on a free local port that records every webhook
 * call and answers 500 to the first N calls for a patient (or to all of them), and 204 otherwise.
 */
public class WebhookReceiver implements QuarkusTestResourceLifecycleManager {

    public static final String SECRET = "test-webhook-secret";

    /** One call as received. */
    public record Call(JsonNode body, Map<String, List<String>> headers, byte[] raw, int answeredWith) {

        public String header(String name) {
            return headers.entrySet().stream().filter(e -> e.getKey().equalsIgnoreCase(name)).findFirst()
                    .map(e -> e.getValue().get(0)).orElse(null);
        }
    }

    public static final List<Call> CALLS = new CopyOnWriteArrayList<>();
    private static final Map<String, AtomicInteger> FAILURES = new ConcurrentHashMap<>();
    private static final ObjectMapper JSON = new ObjectMapper();
    private HttpServer server;

    /** The next {@code times} calls about {@code patientId} are answered 500 (Integer.MAX_VALUE: always). */
    public static void failFirst(String patientId, int times) {
        FAILURES.put(patientId, new AtomicInteger(times));
    }

    public static List<Call> callsFor(String patientId) {
        return CALLS.stream().filter(c -> patientId.equals(c.body().path("patientId").asText())).toList();
    }

    @Override
    public Map<String, String> start() {
        try {
            server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        server.setExecutor(Executors.newFixedThreadPool(2));
        server.createContext("/hook", exchange -> {
            byte[] raw;
            try (InputStream in = exchange.getRequestBody()) {
                raw = in.readAllBytes();
            }
            JsonNode body = JSON.readTree(new String(raw, StandardCharsets.UTF_8));
            AtomicInteger failures = FAILURES.get(body.path("patientId").asText());
            int status = failures != null && failures.getAndUpdate(n -> n == Integer.MAX_VALUE ? n : Math.max(0, n - 1)) > 0 ? 500 : 204;
            CALLS.add(new Call(body, Map.copyOf(exchange.getRequestHeaders()), raw, status));
            exchange.sendResponseHeaders(status, -1);
            exchange.close();
        });
        server.start();
        return Map.of("hdil2.alerts.webhook.url", "http://127.0.0.1:" + server.getAddress().getPort() + "/hook",
                "hdil2.alerts.webhook.secret", SECRET);
    }

    @Override
    public void stop() {
        if (server != null) {
            server.stop(0);
        }
    }
}
