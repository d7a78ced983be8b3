package org.hdil2.monitoring.domain;

import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * One evaluator per protocol of the deployment. A patient is evaluated under the protocol of their open course, and
 * a patient without one (no course, a course ended, or a course naming no protocol) under the deployment's default.
 * A course naming a protocol this deployment does not load is evaluated under the default too: dosing compares the
 * evaluation's protocol with the course's and answers ASSESS while they differ, so no dose follows the wrong rules.
 */
public final class Evaluators {

    private final Map<String, Evaluator> byProtocol = new LinkedHashMap<>();
    private final Evaluator defaults;

    public Evaluators(List<Evaluator> evaluators, String defaultProtocolId) {
        for (Evaluator e : evaluators) {
            if (byProtocol.putIfAbsent(e.protocol().id(), e) != null) {
                throw new IllegalStateException("protocol " + e.protocol().id() + " is defined twice");
            }
        }
        defaults = byProtocol.get(defaultProtocolId);
        if (defaults == null) {
            throw new IllegalStateException("configured protocol " + defaultProtocolId + " is not among " + byProtocol.keySet());
        }
    }

    /** A deployment of one protocol (tests, tools). */
    public static Evaluators of(Evaluator only) {
        return new Evaluators(List.of(only), only.protocol().id());
    }

    public Evaluator defaults() {
        return defaults;
    }

    /** The evaluator of the patient's open course's protocol, else the default. */
    public Evaluator of(TherapyContext therapy) {
        return therapy == null || !therapy.onTherapy() ? defaults : ofProtocol(therapy.protocolId());
    }

    /** The evaluator of a protocol id, else (null, or not loaded) the default. */
    public Evaluator ofProtocol(String protocolId) {
        return protocolId == null ? defaults : byProtocol.getOrDefault(protocolId, defaults);
    }

    public Evaluator of(PatientState state) {
        return of(state.therapy());
    }

    /** Whether the course's protocol is one this deployment evaluates. */
    public boolean knows(String protocolId) {
        return byProtocol.containsKey(protocolId);
    }

    public Optional<Protocol> protocol(String id) {
        return Optional.ofNullable(byProtocol.get(id)).map(Evaluator::protocol);
    }

    public Collection<Evaluator> all() {
        return List.copyOf(byProtocol.values());
    }

    /** The parameters a dose needs under any of the protocols: the intake's fail-closed view, which cannot know the course. */
    public Set<String> preDoseParameters() {
        Set<String> all = new TreeSet<>();
        byProtocol.values().forEach(e -> all.addAll(e.protocol().preDoseParameters()));
        return all;
    }
}
