package org.hdil2.dosing.config;

import java.io.IOException;
import java.io.InputStream;
import java.time.Duration;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.hdil2.contract.ObservationParameters;
import org.hdil2.dosing.domain.DosingProtocol;
import org.hdil2.dosing.domain.EvaluationCurrency;

/** Reads the configured dosing protocol ({@code protocols/<id>.json}) once at start. */
@ApplicationScoped
public class DosingProtocols {

    public static DosingProtocol read(String id) {
        String resource = "protocols/" + id + ".json";
        try (InputStream in = DosingProtocols.class.getClassLoader().getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException("no dosing protocol " + resource);
            }
            DosingProtocol protocol = new ObjectMapper().registerModule(new JavaTimeModule())
                    .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
                    .readValue(in, DosingProtocol.class);
            // a parameter the shared catalog does not know would never be present: every decision ASSESS; fail at start
            protocol.preDose().requiredParameters().forEach(ObservationParameters::require);
            return protocol;
        } catch (IOException e) {
            throw new IllegalStateException("cannot read " + resource, e);
        }
    }

    /** The protocol with the deployment's currency rule: the grace and the checkpoint age are settings, not protocol content. */
    @Produces
    @Singleton
    DosingProtocol protocol(@ConfigProperty(name = "hdil2.dosing.protocol") String id,
                            @ConfigProperty(name = "hdil2.dosing.currency.max-checkpoint-age") Duration maxCheckpointAge,
                            @ConfigProperty(name = "hdil2.dosing.currency.pending-grace") Duration pendingGrace) {
        return read(id).withCurrency(new EvaluationCurrency.Rule(CURRENCY_RULE, "1", CURRENCY_SOURCE, maxCheckpointAge, pendingGrace));
    }

    static final String CURRENCY_RULE = "HDIL2-PREDOSE-CURRENCY";
    static final String CURRENCY_SOURCE = "HD IL-2 suite safety design: fail closed end to end (docs/architecture.md, "
            + "'The decision knows whether the evaluation is current'); no clinical source sets these times";
}
