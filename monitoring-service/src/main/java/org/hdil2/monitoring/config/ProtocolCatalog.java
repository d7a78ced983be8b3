package org.hdil2.monitoring.config;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;

import org.hdil2.monitoring.domain.Evaluator;
import org.hdil2.monitoring.domain.Evaluators;
import org.hdil2.monitoring.domain.Limits;
import org.hdil2.monitoring.domain.Protocol;
import org.hdil2.monitoring.domain.RuleDefinition;

/**
 * Reads protocols: {@code protocols/<id>.json} on the class path (or an institution's file), each naming the rule sets
 * ({@code protocols/rulesets/<name>.json}) it includes. A rule that is incomplete for its kind stops the start: a
 * protocol that cannot be evaluated as written must not be evaluated partly.
 */
@ApplicationScoped
public class ProtocolCatalog {

    /** The protocols shipped with the service. */
    public static final List<String> SHIPPED = List.of("label-2024", "consensus-2014");

    private static final Set<String> ACTIONS = Set.of("WITHHOLD", "DISCONTINUE", "NOTIFY");
    private static final Set<String> SEVERITIES = Set.of("HIGH", "MEDIUM", "LOW");
    private static final ObjectMapper JSON = new ObjectMapper().registerModule(new JavaTimeModule())
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

    record ProtocolFile(String id, String version, String title, String description, Integer news2Scale,
                        Map<String, Limits> limits, List<String> include, List<RuleDefinition> rules,
                        List<Protocol.ManualCriterion> manualCriteria) {
    }

    record RuleSet(String id, String title, String source, String notes, List<RuleDefinition> rules) {
    }

    /** A shipped protocol. */
    public static Protocol read(String protocolId) {
        return read(protocolId, Optional.empty());
    }

    /** A protocol from the institution's directory if it has one of that id, else the shipped one. */
    public static Protocol read(String protocolId, Optional<Path> dir) {
        return build(parse(load(dir, protocolId + ".json"), ProtocolFile.class, protocolId), dir);
    }

    /**
     * A draft protocol from a request (the same shape as a protocol file; it may include the shipped rule sets and
     * those of the institution's directory), checked as a file is. Refused with the reason when it cannot be evaluated.
     */
    public static Protocol draft(byte[] json, Optional<Path> dir) {
        return build(parse(json, ProtocolFile.class, "draft"), dir);
    }

    private static Protocol build(ProtocolFile file, Optional<Path> dir) {
        List<RuleDefinition> rules = new ArrayList<>();
        for (String name : Optional.ofNullable(file.include()).orElse(List.of())) {
            rules.addAll(parse(load(dir, "rulesets/" + name + ".json"), RuleSet.class, name).rules());
        }
        rules.addAll(Optional.ofNullable(file.rules()).orElse(List.of()));
        Protocol protocol = new Protocol(file.id(), file.version(), file.title(), file.description(),
                file.news2Scale() == null ? 1 : file.news2Scale(), Optional.ofNullable(file.limits()).orElse(Map.of()),
                List.copyOf(rules), Optional.ofNullable(file.manualCriteria()).orElse(List.of()));
        validate(protocol);
        return protocol;
    }

    static void validate(Protocol protocol) {
        require(notBlank(protocol.id()) && notBlank(protocol.version()), protocol.id(), "protocol needs id and version");
        require(protocol.news2Scale() == 1 || protocol.news2Scale() == 2, protocol.id(), "news2Scale must be 1 or 2");
        Set<String> ids = new HashSet<>();
        for (RuleDefinition r : protocol.rules()) {
            String id = r.id();
            require(notBlank(id) && ids.add(id), id, "rule ids must be present and unique");
            require(notBlank(r.version()) && notBlank(r.source()) && notBlank(r.criterion()), id, "needs version, source and criterion");
            require(r.kind() != null, id, "needs a kind");
            require(ACTIONS.contains(r.action()), id, "action must be one of " + ACTIONS);
            require(SEVERITIES.contains(r.severity()), id, "severity must be one of " + SEVERITIES);
            switch (r.kind()) {
                case THRESHOLD -> require(r.parameter() != null && r.when() != null, id, "THRESHOLD needs parameter and when");
                case SUSTAINED -> require(r.parameter() != null && r.when() != null && r.duration() != null, id,
                        "SUSTAINED needs parameter, when and duration");
                case WINDOW_SUM, WINDOW_MAX -> require(r.parameter() != null && r.when() != null && r.window() != null, id,
                        r.kind() + " needs parameter, when and window");
                case NEWS2 -> require(r.when() != null && ("AGGREGATE".equals(r.news2Mode()) || "SINGLE_PARAMETER".equals(r.news2Mode())),
                        id, "NEWS2 needs when and news2Mode AGGREGATE or SINGLE_PARAMETER");
                case CTCAE_GRADE -> require(r.parameter() != null && r.bands() != null && !r.bands().isEmpty(), id,
                        "CTCAE_GRADE needs parameter and bands");
            }
        }
    }

    private static void require(boolean ok, String where, String what) {
        if (!ok) {
            throw new IllegalStateException("protocol rule " + where + ": " + what);
        }
    }

    private static boolean notBlank(String s) {
        return s != null && !s.isBlank();
    }

    private static byte[] load(Optional<Path> dir, String name) {
        if (dir.isPresent() && Files.isRegularFile(dir.get().resolve(name))) {
            try {
                return Files.readAllBytes(dir.get().resolve(name));
            } catch (IOException e) {
                throw new IllegalStateException("cannot read " + dir.get().resolve(name), e);
            }
        }
        return resource("protocols/" + name);
    }

    private static byte[] resource(String name) {
        try (InputStream in = ProtocolCatalog.class.getClassLoader().getResourceAsStream(name)) {
            if (in == null) {
                throw new IllegalStateException("no protocol resource " + name);
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new IllegalStateException("cannot read " + name, e);
        }
    }

    private static <T> T parse(byte[] content, Class<T> type, String name) {
        try {
            return JSON.readValue(content, type);
        } catch (IOException e) {
            throw new IllegalStateException("protocol " + name + " is not valid: " + e.getMessage(), e);
        }
    }

    /**
     * The protocol ids of a deployment: the shipped ones, then each {@code <id>.json} in the institution's directory
     * (its {@code rulesets/} aside), sorted; a file of a shipped id replaces the shipped protocol.
     */
    public static List<String> ids(Optional<Path> dir) {
        List<String> ids = new ArrayList<>(SHIPPED);
        if (dir.isPresent()) {
            try (java.util.stream.Stream<Path> files = Files.list(dir.get())) {
                files.filter(f -> Files.isRegularFile(f) && f.getFileName().toString().endsWith(".json"))
                        .map(f -> f.getFileName().toString().replaceFirst("\\.json$", "")).sorted()
                        .filter(id -> !ids.contains(id)).forEach(ids::add);
            } catch (IOException e) {
                throw new IllegalStateException("cannot read protocols in " + dir.get(), e);
            }
        }
        return ids;
    }

    /** Every protocol of the deployment, each with its evaluator; the configured one is the default. */
    @Produces
    @Singleton
    Evaluators evaluators(MonitoringConfig config) {
        Optional<Path> dir = config.protocolDir().filter(d -> !d.isBlank()).map(Path::of);
        List<Evaluator> evaluators = new ArrayList<>();
        for (String id : ids(dir)) {
            Protocol protocol = read(id, dir);
            require(protocol.id().equals(id), id, "the file " + id + ".json holds protocol " + protocol.id());
            evaluators.add(new Evaluator(protocol, config.snapshotRefresh()));
        }
        return new Evaluators(evaluators, config.protocol());
    }

    /** The default protocol: what a patient without a course protocol is evaluated under. */
    @Produces
    @Singleton
    Protocol protocol(Evaluators evaluators) {
        return evaluators.defaults().protocol();
    }
}
