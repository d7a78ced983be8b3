package org.hdil2.monitoring.messaging;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.hdil2.contract.CloudEventHeaders;
import org.hdil2.kit.inbox.PoisonEventException;
import org.hdil2.kit.inbox.TransientErrors;
import org.hdil2.kit.problem.Problem;
import org.hdil2.kit.problem.ProblemException;
import org.hdil2.monitoring.app.ObservationIntake;
import org.hdil2.monitoring.app.ObservationRecording;
import org.hdil2.monitoring.app.ObservationRequest;
import org.hdil2.monitoring.fhir.FhirObservations;
import org.hl7.fhir.instance.model.api.IBaseResource;
import org.hl7.fhir.r4.model.Observation;

import io.smallrye.reactive.messaging.annotations.Blocking;

/**
 * Device gateways' observations from {@code hdil2.monitoring.observations.inbound.v1}: canonical JSON
 * (observation-submitted) or a FHIR R4 Observation (content-type application/fhir+json, or a JSON with
 * {@code "resourceType":"Observation"}). The key must be the patient id. A valid record takes the same intake, store,
 * audit and outbox path as REST (source kind DEVICE unless the record says otherwise), with the same de-duplication
 * by observation id; an invalid one is dead-lettered to {@code <topic>.dlq} with the reason (code and field, never a
 * value). A database outage is retried in place, so a valid record is never dead-lettered for it.
 */
@ApplicationScoped
public class InboundObservationConsumer {

    public static final String CONSUMER = "monitoring.ingest";
    private static final ObservationIntake.Submitter GATEWAY = new ObservationIntake.Submitter(ObservationIntake.SOURCE_KINDS,
            "DEVICE", null);
    private static final ObjectMapper JSON = new ObjectMapper().findAndRegisterModules()
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES).enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS);

    @Inject
    ObservationRecording store;

    @Incoming("observations-inbound")
    @Blocking
    public void consume(ConsumerRecord<String, String> record) {
        List<ObservationIntake.Normalized> observations;
        try {
            observations = parse(record, Instant.now());
        } catch (ProblemException e) {
            throw new PoisonEventException(reason(e));
        }
        String eventId = header(record, CloudEventHeaders.ID);
        if (eventId == null || eventId.isBlank()) {
            eventId = record.topic() + "/" + record.partition() + "/" + record.offset();
        }
        String id = eventId;
        TransientErrors.Retrying.untilDone(CONSUMER, id, "MON-0500: the observation could not be stored", () -> {
            try {
                store.recordByEvent(observations, CONSUMER, id);
                return null;
            } catch (ProblemException e) {
                throw new PoisonEventException(reason(e));
            }
        });
    }

    /** The event types this consumer reads (a record without ce_type is read too: gateways need not send CloudEvents headers). */
    public static boolean reads(String eventType) {
        return MonitoringEvents.OBSERVATION_SUBMITTED.equals(eventType);
    }

    /** The record's observations, validated and normalised; a {@link ProblemException} says why not. */
    static List<ObservationIntake.Normalized> parse(ConsumerRecord<String, String> record, Instant now) {
        if (record.key() == null || record.key().isBlank()) {
            throw ProblemException.invalid("MON-0002", "key", "the record key must be the patient id");
        }
        if (record.value() == null || record.value().isBlank()) {
            throw ProblemException.invalid("MON-0001", "value", "the record has no value");
        }
        String type = header(record, CloudEventHeaders.TYPE);
        if (type != null && !type.equals(MonitoringEvents.OBSERVATION_SUBMITTED)) {
            throw ProblemException.invalid("MON-0003", "ce_type", "this topic carries " + MonitoringEvents.OBSERVATION_SUBMITTED + " (or FHIR Observations)");
        }
        String contentType = header(record, CloudEventHeaders.CONTENT_TYPE);
        List<ObservationIntake.Normalized> result;
        JsonNode tree;
        try {
            tree = JSON.readTree(record.value());
        } catch (JsonProcessingException e) {
            throw ProblemException.invalid("MON-0001", "value", "the value is not JSON (parse error at "
                    + (e.getLocation() == null ? "?" : "line " + e.getLocation().getLineNr() + ", column " + e.getLocation().getColumnNr()) + ")");
        }
        if (tree == null || !tree.isObject()) {
            throw ProblemException.invalid("MON-0001", "value", "the value must be a JSON object");
        }
        boolean fhir = (contentType != null && contentType.toLowerCase().startsWith(FhirObservations.MEDIA_TYPE)) || tree.has("resourceType");
        if (fhir) {
            IBaseResource resource = FhirObservations.parse(record.value());
            if (!(resource instanceof Observation o)) {
                throw ProblemException.invalid("MON-0112", "resourceType", "only FHIR Observation resources are accepted on this topic");
            }
            result = FhirObservations.normalise(o, null, GATEWAY, now, "Observation");
        } else {
            ObservationRequest request;
            try {
                request = JSON.treeToValue(tree, ObservationRequest.class);
            } catch (UnrecognizedPropertyException e) {
                throw ProblemException.invalid("MON-0004", e.getPropertyName(), "unknown field");
            } catch (MismatchedInputException e) {
                throw ProblemException.invalid("MON-0003", path(e), "wrong type or format");
            } catch (JsonProcessingException e) {
                throw ProblemException.invalid("MON-0003", path(e), "cannot read the field");
            }
            result = List.of(ObservationIntake.normalise(request, GATEWAY, now));
        }
        for (ObservationIntake.Normalized n : result) {
            if (!n.patientId().equals(record.key())) {
                throw ProblemException.invalid("MON-0002", "patientId", "the record key must equal the observation's patient id");
            }
        }
        return result;
    }

    /** Code, field and message: the intake's messages name codes, units and ranges, never the submitted value or patient. */
    static String reason(ProblemException e) {
        List<String> parts = new ArrayList<>();
        for (Problem.FieldError f : e.errors()) {
            parts.add(f.field() + ": " + f.message());
        }
        return e.code() + " " + (parts.isEmpty() ? e.getMessage() : String.join("; ", parts));
    }

    private static String path(JsonProcessingException e) {
        if (e instanceof com.fasterxml.jackson.databind.JsonMappingException m && !m.getPath().isEmpty()) {
            List<String> parts = new ArrayList<>();
            m.getPath().forEach(r -> parts.add(r.getFieldName() != null ? r.getFieldName() : "[" + r.getIndex() + "]"));
            return String.join(".", parts);
        }
        return "value";
    }

    private static String header(ConsumerRecord<String, String> record, String name) {
        return CloudEventHeaders.read(record.headers(), name);
    }
}
