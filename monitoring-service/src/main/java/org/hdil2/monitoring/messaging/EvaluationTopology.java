package org.hdil2.monitoring.messaging;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Inject;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;

import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.Stores;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.hdil2.contract.CloudEventHeaders;
import org.hdil2.contract.EventContract;
import org.hdil2.monitoring.config.RuleCatalog.ProtocolRules;
import org.hdil2.monitoring.domain.ActiveFinding;
import org.hdil2.monitoring.domain.EvaluationOutcome;
import org.hdil2.monitoring.domain.Evaluator;
import org.hdil2.monitoring.domain.ObservationFact;
import org.hdil2.monitoring.domain.PatientEvaluation;

/**
 * The continuous evaluation: observations in, keyed by patient; one state per patient in a fault-tolerant store;
 * findings and evaluations out, as CloudEvents. Run with exactly_once_v2, so a restart neither loses nor repeats an
 * output. Records that break the contract go to the observations topic's {@code .dlq} with the reason.
 */
@ApplicationScoped
public class EvaluationTopology {

    public static final String STORE = "patient-evaluation";
    static final String OBSERVATION_RECORDED = "org.hdil2.monitoring.observation-recorded.v1";
    private static final String SOURCE = "/hdil2/monitoring-service";

    @ConfigProperty(name = "hdil2.topics.observations")
    String observationsTopic;

    @ConfigProperty(name = "hdil2.topics.findings")
    String findingsTopic;

    @Inject
    Evaluator evaluator;

    @Inject
    ProtocolRules protocol;

    @Produces
    public Topology topology() {
        return build(observationsTopic, findingsTopic, evaluator, protocol.id(), protocol.version());
    }

    public static Topology build(String observations, String findings, Evaluator evaluator, String protocolId, String protocolVersion) {
        Topology topology = new Topology();
        topology.addSource("observations", Serdes.String().deserializer(), Serdes.String().deserializer(), observations);
        topology.addProcessor("evaluate", () -> new EvaluateProcessor(evaluator, protocolId, protocolVersion), "observations");
        topology.addStateStore(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(STORE), Serdes.String(), Serdes.String()),
                "evaluate");
        topology.addSink("findings", findings, Serdes.String().serializer(), Serdes.String().serializer(), "evaluate");
        topology.addSink("dead-letters", observations + ".dlq", Serdes.String().serializer(), Serdes.String().serializer(), "evaluate");
        return topology;
    }

    static final class EvaluateProcessor implements Processor<String, String, String, String> {

        private static final ObjectMapper JSON = new ObjectMapper().registerModule(new JavaTimeModule())
                .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
                .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
                .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS);

        private final Evaluator evaluator;
        private final String protocolId;
        private final String protocolVersion;
        private ProcessorContext<String, String> context;
        private KeyValueStore<String, String> store;

        EvaluateProcessor(Evaluator evaluator, String protocolId, String protocolVersion) {
            this.evaluator = evaluator;
            this.protocolId = protocolId;
            this.protocolVersion = protocolVersion;
        }

        @Override
        public void init(ProcessorContext<String, String> context) {
            this.context = context;
            this.store = context.getStateStore(STORE);
        }

        @Override
        public void process(Record<String, String> record) {
            ObservationFact fact;
            try {
                fact = parse(record);
            } catch (IllegalArgumentException poison) {
                Headers headers = new RecordHeaders(record.headers().toArray());
                headers.add(CloudEventHeaders.DEAD_LETTER_REASON, poison.getMessage().getBytes(StandardCharsets.UTF_8));
                context.forward(record.withHeaders(headers), "dead-letters");
                return;
            }
            String patientId = record.key();
            PatientEvaluation state = load(patientId);
            EvaluationOutcome outcome = evaluator.apply(state, fact);
            if (!outcome.changed()) {
                return;
            }
            store.put(patientId, write(outcome.state()));
            for (ActiveFinding raised : outcome.raised()) {
                emit(patientId, FindingEvents.RAISED, raised.findingId() + ":raised", FindingEvents.raised(patientId, raised), record);
            }
            for (EvaluationOutcome.Cleared cleared : outcome.cleared()) {
                emit(patientId, FindingEvents.CLEARED, cleared.finding().findingId() + ":cleared",
                        FindingEvents.cleared(patientId, cleared), record);
            }
            emit(patientId, FindingEvents.EVALUATED, patientId + ":evaluation:" + outcome.state().sequence(),
                    FindingEvents.evaluated(outcome.state(), protocolId, protocolVersion), record);
        }

        private ObservationFact parse(Record<String, String> record) {
            String type = header(record, CloudEventHeaders.TYPE);
            if (!OBSERVATION_RECORDED.equals(type)) {
                throw new IllegalArgumentException("expected " + OBSERVATION_RECORDED + ", got " + type);
            }
            if (record.key() == null || !record.key().equals(header(record, CloudEventHeaders.SUBJECT))) {
                throw new IllegalArgumentException("record key must equal ce_subject (the patient id)");
            }
            JsonNode data;
            try {
                data = JSON.readTree(record.value() == null ? "" : record.value());
            } catch (JsonProcessingException e) {
                throw new IllegalArgumentException("value is not JSON");
            }
            List<String> violations = data == null ? List.of("empty value") : EventContract.load().validateForReader(type, data);
            if (!violations.isEmpty()) {
                throw new IllegalArgumentException("data breaks the schema: " + violations);
            }
            return new ObservationFact(data.path("observationId").asText(), data.path("code").path("code").asText(),
                    new BigDecimal(data.path("value").asText()), data.path("unit").asText(),
                    Instant.parse(data.path("effectiveTime").asText()), data.path("source").path("kind").asText());
        }

        private void emit(String patientId, String type, String idSeed, Map<String, Object> data, Record<String, String> cause) {
            Headers headers = new RecordHeaders();
            add(headers, CloudEventHeaders.SPEC_VERSION, CloudEventHeaders.SPEC_VERSION_VALUE);
            // deterministic ids: a consumer recognises a repeat even outside exactly-once
            add(headers, CloudEventHeaders.ID, UUID.nameUUIDFromBytes(idSeed.getBytes(StandardCharsets.UTF_8)).toString());
            add(headers, CloudEventHeaders.SOURCE, SOURCE);
            add(headers, CloudEventHeaders.TYPE, type);
            add(headers, CloudEventHeaders.SUBJECT, patientId);
            add(headers, CloudEventHeaders.TIME, Instant.now().toString());
            add(headers, CloudEventHeaders.CONTENT_TYPE, CloudEventHeaders.JSON);
            context.forward(new Record<>(patientId, write(data), cause.timestamp(), headers), "findings");
        }

        private PatientEvaluation load(String patientId) {
            String stored = store.get(patientId);
            if (stored == null) {
                return PatientEvaluation.empty(patientId);
            }
            try {
                return JSON.readValue(stored, PatientEvaluation.class);
            } catch (JsonProcessingException e) {
                throw new IllegalStateException("stored evaluation is unreadable", e);
            }
        }

        private static String write(Object value) {
            try {
                return JSON.writeValueAsString(value);
            } catch (JsonProcessingException e) {
                throw new IllegalStateException(e);
            }
        }

        private static String header(Record<String, String> record, String name) {
            Header h = record.headers().lastHeader(name);
            return h == null || h.value() == null ? null : new String(h.value(), StandardCharsets.UTF_8);
        }

        private static void add(Headers headers, String name, String value) {
            headers.add(name, value.getBytes(StandardCharsets.UTF_8));
        }
    }
}
