package org.hdil2.dosing.config;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.hdil2.contract.ObservationParameters;
import org.hdil2.dosing.domain.DosingProtocol;
import org.hdil2.dosing.domain.EvaluationCurrency;
import org.hdil2.kit.problem.ProblemException;

/**
 * The dosing protocols of this deployment: the shipped ones and the institution's files ({@code DOSING_PROTOCOL_DIR},
 * {@code <id>.json}, the same shape), each read and checked once at start, with the deployment's currency rule. A course
 * names its protocol; {@link #defaultProtocol()} is the one an order without a protocol gets.
 */
@ApplicationScoped
public class DosingProtocols {

    /** The protocols shipped with the service. */
    public static final List<String> SHIPPED = List.of("label-2024", "consensus-2014");

    private static final ObjectMapper JSON = new ObjectMapper().registerModule(new JavaTimeModule())
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

    @ConfigProperty(name = "hdil2.dosing.protocol")
    String defaultId;

    @ConfigProperty(name = "hdil2.dosing.protocol-dir")
    Optional<String> protocolDir;

    @ConfigProperty(name = "hdil2.dosing.currency.max-checkpoint-age")
    Duration maxCheckpointAge;

    @ConfigProperty(name = "hdil2.dosing.currency.pending-grace")
    Duration pendingGrace;

    private final Map<String, DosingProtocol> protocols = new LinkedHashMap<>();
    private EvaluationCurrency.Rule currency;

    /** A shipped protocol, without a currency rule (tests and tools). */
    public static DosingProtocol read(String id) {
        String resource = "protocols/" + id + ".json";
        try (InputStream in = DosingProtocols.class.getClassLoader().getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException("no dosing protocol " + resource);
            }
            return checked(JSON.readValue(in, DosingProtocol.class), resource);
        } catch (IOException e) {
            throw new IllegalStateException("cannot read " + resource, e);
        }
    }

    private static DosingProtocol checked(DosingProtocol protocol, String from) {
        if (protocol.id() == null || protocol.version() == null || protocol.dose() == null || protocol.schedule() == null
                || protocol.preDose() == null || protocol.preparation() == null || protocol.course() == null || protocol.stop() == null) {
            throw new IllegalStateException("dosing protocol " + from + " needs id, version, dose, schedule, preDose, preparation, course and stop");
        }
        // a parameter the shared catalog does not know would never be present: every decision ASSESS; fail at start
        protocol.preDose().requiredParameters().forEach(ObservationParameters::require);
        return protocol;
    }

    @PostConstruct
    void load() {
        currency = new EvaluationCurrency.Rule(CURRENCY_RULE, "1", CURRENCY_SOURCE, maxCheckpointAge, pendingGrace);
        for (String id : SHIPPED) {
            add(read(id));
        }
        protocolDir.filter(d -> !d.isBlank()).ifPresent(dir -> {
            try (Stream<Path> files = Files.list(Path.of(dir))) {
                for (Path file : files.filter(f -> f.toString().endsWith(".json")).sorted().toList()) {
                    add(checked(JSON.readValue(file.toFile(), DosingProtocol.class), file.toString()));
                }
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read dosing protocols in " + dir, e);
            }
        });
        if (!protocols.containsKey(defaultId)) {
            throw new IllegalStateException("configured dosing protocol " + defaultId + " is not among " + protocols.keySet());
        }
    }

    private void add(DosingProtocol protocol) {
        if (protocols.putIfAbsent(protocol.id(), protocol.withCurrency(currency)) != null) {
            throw new IllegalStateException("dosing protocol " + protocol.id() + " is defined twice");
        }
    }

    public DosingProtocol defaultProtocol() {
        return protocols.get(defaultId);
    }

    public Optional<DosingProtocol> find(String id) {
        return Optional.ofNullable(protocols.get(id));
    }

    /**
     * The protocol a course was ordered under. A course whose protocol this deployment no longer loads is refused
     * with a coded problem (never decided under another protocol's rules).
     */
    public DosingProtocol of(String protocolId) {
        return find(protocolId).orElseThrow(() -> ProblemException.conflict("DOSE-0131", "Protocol not loaded",
                "the course's protocol " + protocolId + " is not among this deployment's protocols " + protocols.keySet()
                        + ": assess manually and restore the protocol file"));
    }

    public Collection<DosingProtocol> all() {
        return List.copyOf(protocols.values());
    }

    /** How current monitoring's evaluation must be: a deployment setting, the same under every protocol. */
    public EvaluationCurrency.Rule currency() {
        return currency;
    }

    /** The shortest time after which any protocol's dose is missed: the sweep looks from there, each course applies its own. */
    public Duration shortestMissedAfter() {
        return protocols.values().stream().map(p -> p.course().missedAfter()).min(Duration::compareTo).orElseThrow();
    }

    static final String CURRENCY_RULE = "HDIL2-PREDOSE-CURRENCY";
    static final String CURRENCY_SOURCE = "HD IL-2 suite safety design: fail closed end to end (docs/architecture.md, "
            + "'The decision knows whether the evaluation is current'); no clinical source sets these times";
}
