package org.hdil2.monitoring.persistence;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.hdil2.kit.audit.AuditTrail;
import org.hdil2.kit.outbox.Outbox;
import org.hdil2.monitoring.api.ObservationView;
import org.hdil2.monitoring.domain.ObservationCatalog;

/** Stores an accepted observation, audits it and hands it to the evaluation through the outbox, in one transaction. */
@ApplicationScoped
public class ObservationStore {

    static final String RECORDED = "org.hdil2.monitoring.observation-recorded.v1";

    @Inject
    Outbox outbox;

    @Inject
    AuditTrail audit;

    @ConfigProperty(name = "hdil2.topics.observations")
    String topic;

    /** A normalised observation, ready to store. */
    public record Accepted(String patientId, ObservationCatalog.Entry entry, BigDecimal value, BigDecimal originalValue,
                           String originalUnit, Instant effectiveTime, String recordedBy, String sourceKind) {
    }

    @Transactional
    public ObservationView record(Accepted a) {
        ObservationEntity e = new ObservationEntity();
        e.id = UUID.randomUUID();
        e.patientId = a.patientId();
        e.codeSystem = ObservationCatalog.LOINC;
        e.code = a.entry().code();
        e.value = a.value();
        e.unit = a.entry().unit();
        e.originalValue = a.originalValue();
        e.originalUnit = a.originalUnit();
        e.effectiveTime = a.effectiveTime();
        e.recordedAt = Instant.now();
        e.recordedBy = a.recordedBy();
        e.sourceKind = a.sourceKind();
        e.persist();
        audit.byCaller("observation.record", e.patientId, "Observation", e.id.toString(), Map.of("code", e.code));
        outbox.append(topic, e.patientId, RECORDED, e.recordedAt, event(e, a.entry()));
        return view(e);
    }

    public List<ObservationView> ofPatient(String patientId, int page, int size) {
        return ObservationEntity.ofPatient(patientId, page, size).stream().map(ObservationStore::view).toList();
    }

    private static Map<String, Object> event(ObservationEntity e, ObservationCatalog.Entry entry) {
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("observationId", e.id.toString());
        data.put("patientId", e.patientId);
        data.put("code", Map.of("system", e.codeSystem, "code", e.code, "display", entry.display()));
        data.put("value", e.value);
        data.put("unit", e.unit);
        data.put("effectiveTime", e.effectiveTime.toString());
        data.put("recordedAt", e.recordedAt.toString());
        data.put("source", Map.of("kind", e.sourceKind, "id", e.recordedBy));
        return data;
    }

    private static ObservationView view(ObservationEntity e) {
        return new ObservationView(e.id, e.patientId, e.codeSystem, e.code, e.value, e.unit, e.originalValue, e.originalUnit,
                e.effectiveTime, e.recordedAt, e.recordedBy, e.sourceKind);
    }
}
