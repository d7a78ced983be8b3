package org.hdil2.monitoring.messaging;

import java.time.Duration;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Inject;

import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.state.Stores;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.hdil2.monitoring.config.MonitoringConfig;
import org.hdil2.monitoring.domain.Evaluator;

/**
 * The continuous evaluation: observations and therapy updates in, keyed by patient; one state per patient in a
 * fault-tolerant store; findings and evaluations out, as CloudEvents; every patient re-evaluated on wall-clock time
 * so duration rules fire and stale inputs show when the time comes. Run with exactly_once_v2, so a restart neither
 * loses nor repeats an output. Records that break the contract go to the observations topic's {@code .dlq}.
 */
@ApplicationScoped
public class EvaluationTopology {

    public static final String STORE = "patient-state";

    @ConfigProperty(name = "hdil2.topics.observations")
    String observationsTopic;

    @ConfigProperty(name = "hdil2.topics.findings")
    String findingsTopic;

    @Inject
    Evaluator evaluator;

    @Inject
    MonitoringConfig config;

    @Produces
    public Topology topology() {
        return build(observationsTopic, findingsTopic, evaluator, config.punctuateInterval());
    }

    public static Topology build(String observations, String findings, Evaluator evaluator, Duration punctuateInterval) {
        Topology topology = new Topology();
        topology.addSource("observations", Serdes.String().deserializer(), Serdes.String().deserializer(), observations);
        topology.addProcessor("evaluate", () -> new EvaluateProcessor(evaluator, punctuateInterval), "observations");
        topology.addStateStore(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(STORE), Serdes.String(), Serdes.ByteArray()),
                "evaluate");
        topology.addSink("findings", findings, Serdes.String().serializer(), Serdes.String().serializer(), "evaluate");
        topology.addSink("dead-letters", observations + ".dlq", Serdes.String().serializer(), Serdes.String().serializer(), "evaluate");
        return topology;
    }

}
