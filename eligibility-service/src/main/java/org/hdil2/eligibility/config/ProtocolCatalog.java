package org.hdil2.eligibility.config;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import com.fasterxml.jackson.databind.ObjectMapper;

import org.hdil2.eligibility.domain.Protocol;
import org.hdil2.eligibility.domain.ScreeningRules;

/**
 * The screening protocols this deployment knows: the shipped ones and the hospital's own files. Each is checked at
 * start (every rule evaluable), so a broken protocol stops the service instead of screening wrongly.
 */
@ApplicationScoped
public class ProtocolCatalog {

    private static final List<String> SHIPPED = List.of("protocols/label-2024.json", "protocols/consensus-2014.json");

    @Inject
    EligibilityConfig config;

    @Inject
    ObjectMapper json;

    private final Map<String, Protocol> protocols = new LinkedHashMap<>();

    @PostConstruct
    void load() {
        for (String resource : SHIPPED) {
            try (InputStream in = Thread.currentThread().getContextClassLoader().getResourceAsStream(resource)) {
                add(json.readValue(in, Protocol.class));
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read shipped protocol " + resource, e);
            }
        }
        config.protocolDir().filter(d -> !d.isBlank()).ifPresent(this::loadDirectory);
        if (!protocols.containsKey(config.protocol())) {
            throw new IllegalStateException("configured protocol " + config.protocol() + " is not among " + protocols.keySet());
        }
    }

    private void loadDirectory(String dir) {
        try (Stream<Path> files = Files.list(Path.of(dir))) {
            for (Path file : files.filter(f -> f.toString().endsWith(".json")).sorted().toList()) {
                add(json.readValue(file.toFile(), Protocol.class));
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read protocols in " + dir, e);
        }
    }

    private void add(Protocol protocol) {
        ScreeningRules.check(protocol);
        if (protocols.putIfAbsent(protocol.id(), protocol) != null) {
            throw new IllegalStateException("protocol " + protocol.id() + " is defined twice");
        }
    }

    public Optional<Protocol> find(String id) {
        return Optional.ofNullable(protocols.get(id));
    }

    public Protocol defaultProtocol() {
        return protocols.get(config.protocol());
    }

    public Collection<Protocol> all() {
        return new ArrayList<>(protocols.values());
    }
}
