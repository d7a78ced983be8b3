package org.hdil2.dosing.messaging;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.hdil2.dosing.domain.EvaluationCurrency;
import org.jboss.logging.Logger;

import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.security.credential.TokenCredential;
import io.quarkus.security.identity.SecurityIdentity;

/**
 * Asks monitoring-service what it has accepted of a patient ({@code GET /api/v1/patients/{id}/intake?after=N}), with
 * the caller's own token, before a decision may be GIVE. Whatever goes wrong (no answer within the timeout, refused,
 * an error) is an answer too: monitoring could not confirm, so the decision is ASSESS. Nothing is retried: the nurse
 * asks again.
 */
@ApplicationScoped
public class MonitoringIntake {

    private static final Logger LOG = Logger.getLogger(MonitoringIntake.class);

    @ConfigProperty(name = "hdil2.dosing.monitoring.url")
    String baseUrl;

    @ConfigProperty(name = "hdil2.dosing.monitoring.timeout")
    Duration timeout;

    @Inject
    SecurityIdentity identity;

    @Inject
    ObjectMapper json;

    @Inject
    MeterRegistry meters;

    private volatile HttpClient http;

    public EvaluationCurrency.Intake of(String patientId, long includedSequence) {
        TokenCredential token = identity.isAnonymous() ? null : identity.getCredential(TokenCredential.class);
        if (token == null) {
            return failed("no caller token to ask monitoring-service with");
        }
        HttpRequest request = HttpRequest.newBuilder(URI.create(baseUrl.replaceAll("/+$", "") + "/api/v1/patients/"
                        + URLEncoder.encode(patientId, StandardCharsets.UTF_8) + "/intake?after=" + includedSequence))
                .timeout(timeout).header("Authorization", "Bearer " + token.getToken()).header("Accept", "application/json").GET().build();
        try {
            HttpResponse<String> response = client().send(request, HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() != 200) {
                return failed("monitoring-service answered HTTP " + response.statusCode());
            }
            JsonNode d = json.readTree(response.body());
            JsonNode pending = d.path("pending");
            if (!pending.isObject()) {
                return new EvaluationCurrency.Intake(d.path("acceptedSequence").asLong(), null, null, 0, List.of(), null, null);
            }
            List<String> parameters = new ArrayList<>();
            pending.path("parameters").forEach(p -> parameters.add(p.asText()));
            return new EvaluationCurrency.Intake(d.path("acceptedSequence").asLong(), pending.path("firstSequence").asLong(),
                    Instant.parse(pending.path("firstAcceptedAt").asText()), pending.path("count").asLong(), parameters,
                    pending.hasNonNull("preDoseFirstAcceptedAt") ? Instant.parse(pending.path("preDoseFirstAcceptedAt").asText()) : null,
                    null);
        } catch (HttpTimeoutException e) {
            return failed("monitoring-service did not answer within " + timeout.toMillis() + " ms");
        } catch (IOException e) {
            return failed("monitoring-service could not be reached (" + e.getClass().getSimpleName() + ")");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return failed("interrupted while asking monitoring-service");
        } catch (RuntimeException e) {
            return failed("monitoring-service's answer could not be read (" + e.getClass().getSimpleName() + ")");
        }
    }

    private EvaluationCurrency.Intake failed(String why) {
        meters.counter("hdil2.dosing.monitoring.intake.failures").increment();
        LOG.debugf("monitoring intake not confirmed: %s", why);
        return EvaluationCurrency.Intake.unavailable(why);
    }

    private HttpClient client() {
        HttpClient c = http;
        if (c == null) {
            c = HttpClient.newBuilder().connectTimeout(timeout).version(HttpClient.Version.HTTP_1_1).build();
            http = c;
        }
        return c;
    }
}
