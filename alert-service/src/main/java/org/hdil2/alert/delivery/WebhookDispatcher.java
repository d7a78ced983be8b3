package org.hdil2.alert.delivery;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.ScheduledExecutorService;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import org.hdil2.alert.config.AlertConfig;
import org.hdil2.kit.poll.Poller;
import org.jboss.logging.Logger;

import io.agroal.api.AgroalDataSource;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.runtime.StartupEvent;

/**
 * Delivers notifications to the alarm middleware's webhook. Each delivery is a {@code webhook_delivery} row written
 * with the notification. A run claims due rows with {@code FOR UPDATE SKIP LOCKED}, counts the attempt and leases
 * the row (moves its next attempt past the send timeout) in one short transaction, sends outside it, then records
 * the outcome: delivered, or a retry after an exponential backoff, or FAILED after the last attempt. Two replicas
 * never send the same attempt; a crash mid-send retries after the lease (the receiver de-duplicates on
 * {@code X-HDIL2-Delivery}). A later notification of an alert waits while an earlier one is still pending, so the
 * middleware sees each alert's phases in order.
 */
@ApplicationScoped
public class WebhookDispatcher {

    private static final Logger LOG = Logger.getLogger(WebhookDispatcher.class);

    @Inject
    AlertConfig config;

    @Inject
    AgroalDataSource dataSource;

    @Inject
    ObjectMapper json;

    @Inject
    Clock clock;

    @Inject
    MeterRegistry meters;

    private volatile Poller poller;
    private HttpClient http;

    record Claim(long id, long notificationId, int attempts, String payload) {
    }

    void onStart(@Observes StartupEvent start) {
        if (config.webhook().url().isEmpty()) {
            return;
        }
        http = HttpClient.newBuilder().connectTimeout(config.webhook().timeout()).build();
        if (config.scheduler().enabled()) {
            start();
        }
    }

    public synchronized void start() {
        if (poller != null || config.webhook().url().isEmpty()) {
            return;
        }
        if (http == null) {
            http = HttpClient.newBuilder().connectTimeout(config.webhook().timeout()).build();
        }
        poller = Poller.start("alert-webhook", java.time.Duration.ZERO, config.scheduler().interval(), () -> Poller.drain(config.scheduler().batchSize(), this::runOnce));
    }

    public synchronized void stop() {
        Poller current = poller;
        poller = null;
        if (current != null) {
            current.stop(java.time.Duration.ofSeconds(30));
        }
    }

    /** Called after a commit that recorded deliveries. */
    public void wake() {
        Poller current = poller;
        if (current != null) {
            current.wake();
        }
    }

    /** One claim-send-record run; returns how many deliveries it attempted. */
    public int runOnce() {
        List<Claim> claims = QuarkusTransaction.requiringNew().call(() -> claim(clock.instant()));
        for (Claim c : claims) {
            Outcome outcome = send(c);
            QuarkusTransaction.requiringNew().run(() -> record(c, outcome, clock.instant()));
        }
        return claims.size();
    }

    private List<Claim> claim(Instant now) throws SQLException {
        Duration lease = config.webhook().timeout().multipliedBy(2).plusSeconds(10);
        List<Claim> claims = new ArrayList<>();
        try (Connection c = dataSource.getConnection();
             PreparedStatement st = c.prepareStatement("update webhook_delivery d set attempts = d.attempts + 1, next_attempt_at = ? "
                     + "from alert_notification n where n.id = d.notification_id and d.id in ("
                     + "select w.id from webhook_delivery w where w.status = 'PENDING' and w.next_attempt_at <= ? and not exists ("
                     + "select 1 from webhook_delivery e where e.alert_id = w.alert_id and e.status = 'PENDING' and e.id < w.id) "
                     + "order by w.id limit ? for update of w skip locked) "
                     + "returning d.id, d.notification_id, d.attempts, n.payload")) {
            st.setTimestamp(1, Timestamp.from(now.plus(lease)));
            st.setTimestamp(2, Timestamp.from(now));
            st.setInt(3, config.scheduler().batchSize());
            try (ResultSet rs = st.executeQuery()) {
                while (rs.next()) {
                    claims.add(new Claim(rs.getLong(1), rs.getLong(2), rs.getInt(3), rs.getString(4)));
                }
            }
        }
        claims.sort((a, b) -> Long.compare(a.id(), b.id()));
        return claims;
    }

    record Outcome(boolean delivered, Integer status, String error) {
    }

    private Outcome send(Claim claim) {
        try {
            ObjectNode body = (ObjectNode) json.readTree(claim.payload());
            body.put("notificationId", claim.notificationId());
            body.put("deliveryId", claim.id());
            byte[] bytes = json.writeValueAsBytes(body);
            HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(config.webhook().url().orElseThrow()))
                    .timeout(config.webhook().timeout())
                    .header("Content-Type", "application/json")
                    .header("X-HDIL2-Delivery", Long.toString(claim.id()))
                    .header("X-HDIL2-Attempt", Integer.toString(claim.attempts()))
                    .POST(HttpRequest.BodyPublishers.ofByteArray(bytes));
            config.webhook().secret().filter(s -> !s.isBlank()).ifPresent(secret ->
                    request.header("X-HDIL2-Signature", "sha256=" + hmac(secret, bytes)));
            HttpResponse<Void> response = http.send(request.build(), HttpResponse.BodyHandlers.discarding());
            boolean ok = response.statusCode() / 100 == 2;
            return new Outcome(ok, response.statusCode(), ok ? null : "HTTP " + response.statusCode());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Outcome(false, null, "interrupted");
        } catch (Exception e) {
            return new Outcome(false, null, e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage()));
        }
    }

    private void record(Claim claim, Outcome outcome, Instant now) {
        String status;
        Instant next = now;
        if (outcome.delivered()) {
            status = "DELIVERED";
        } else if (claim.attempts() >= config.webhook().maxAttempts()) {
            status = "FAILED";
            LOG.errorf("webhook delivery %d failed for good after %d attempts: %s", claim.id(), claim.attempts(), outcome.error());
        } else {
            status = "PENDING";
            next = now.plus(backoff(claim.attempts()));
        }
        Counter.builder("hdil2.alerts.webhook.attempts").tag("outcome", status).register(meters).increment();
        try (Connection c = dataSource.getConnection();
             PreparedStatement st = c.prepareStatement("update webhook_delivery set status = ?, next_attempt_at = ?, last_status = ?, "
                     + "last_error = coalesce(?, last_error), delivered_at = ? where id = ?")) {
            st.setString(1, status);
            st.setTimestamp(2, Timestamp.from(next));
            st.setObject(3, outcome.status());
            st.setString(4, outcome.error() == null ? null : outcome.error().substring(0, Math.min(500, outcome.error().length())));
            st.setTimestamp(5, outcome.delivered() ? Timestamp.from(now) : null);
            st.setLong(6, claim.id());
            st.executeUpdate();
        } catch (SQLException e) {
            throw new IllegalStateException("cannot record webhook delivery " + claim.id(), e);
        }
    }

    /** Exponential: initial, 2×, 4×, ... capped at the maximum. */
    Duration backoff(int attempts) {
        Duration d = config.webhook().initialBackoff();
        for (int i = 1; i < attempts && d.compareTo(config.webhook().maxBackoff()) < 0; i++) {
            d = d.multipliedBy(2);
        }
        return d.compareTo(config.webhook().maxBackoff()) > 0 ? config.webhook().maxBackoff() : d;
    }

    static String hmac(String secret, byte[] body) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            return HexFormat.of().formatHex(mac.doFinal(body));
        } catch (Exception e) {
            throw new IllegalStateException("HMAC-SHA256 unavailable", e);
        }
    }

    void onShutdown(@Observes io.quarkus.runtime.ShutdownEvent event) {
        stop();
    }

    @PreDestroy
    void destroy() {
        stop();
    }
}
