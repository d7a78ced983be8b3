package org.hdil2.monitoring.config;

import java.io.IOException;
import java.io.InputStream;
import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;

import org.hdil2.monitoring.domain.Evaluator;
import org.hdil2.monitoring.domain.ObservationCatalog;
import org.hdil2.monitoring.domain.ThresholdRule;

/** Reads the configured protocol's rules; a rule on a code the service does not accept stops the start. */
@ApplicationScoped
public class RuleCatalog {

    /** The protocol file as read: id, version, title and rules. */
    public record ProtocolRules(String id, String version, String title, List<ThresholdRule> rules) {
    }

    public static ProtocolRules read(String protocolId) {
        String resource = "protocols/" + protocolId + ".json";
        try (InputStream in = RuleCatalog.class.getClassLoader().getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException("no protocol file " + resource);
            }
            ObjectMapper json = new ObjectMapper().registerModule(new JavaTimeModule())
                    .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);
            ProtocolRules rules = json.readValue(in, ProtocolRules.class);
            for (ThresholdRule rule : rules.rules()) {
                ObservationCatalog.Entry entry = ObservationCatalog.find(rule.code()).orElseThrow(() ->
                        new IllegalStateException("rule " + rule.id() + " is on code " + rule.code() + ", which is not accepted"));
                if (!entry.unit().equals(rule.unit())) {
                    throw new IllegalStateException("rule " + rule.id() + " must use unit " + entry.unit());
                }
            }
            return rules;
        } catch (IOException e) {
            throw new IllegalStateException("cannot read " + resource, e);
        }
    }

    @Produces
    @Singleton
    ProtocolRules protocolRules(MonitoringConfig config) {
        return read(config.protocol());
    }

    @Produces
    @Singleton
    Evaluator evaluator(ProtocolRules rules) {
        return new Evaluator(rules.rules());
    }
}
