package org.hdil2.eligibility.persistence;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.hdil2.eligibility.api.ScreeningView;
import org.hdil2.eligibility.domain.CandidateFacts;
import org.hdil2.eligibility.domain.CriterionResult;
import org.hdil2.eligibility.domain.Outcome;
import org.hdil2.eligibility.domain.Protocol;
import org.hdil2.eligibility.domain.ScreeningRules;
import org.hdil2.kit.audit.AuditTrail;
import org.hdil2.kit.outbox.Outbox;

/** Decides, stores, audits and announces a screening in one transaction. */
@ApplicationScoped
public class ScreeningStore {

    static final String COMPLETED = "org.hdil2.eligibility.screening-completed.v1";

    @Inject
    ObjectMapper json;

    @Inject
    Outbox outbox;

    @Inject
    AuditTrail audit;

    @ConfigProperty(name = "hdil2.topics.screenings")
    String topic;

    @Transactional
    public ScreeningView screen(String patientId, Protocol protocol, CandidateFacts facts, String screenedBy) {
        List<CriterionResult> results = ScreeningRules.evaluate(protocol, facts);
        Outcome outcome = Outcome.of(results);
        ScreeningEntity e = new ScreeningEntity();
        e.id = UUID.randomUUID();
        e.patientId = patientId;
        e.protocolId = protocol.id();
        e.protocolVersion = protocol.version();
        e.outcome = outcome.name();
        e.screenedAt = Instant.now();
        e.screenedBy = screenedBy;
        e.facts = write(facts);
        e.criteria = write(results);
        e.persist();
        ScreeningView view = toView(e);
        audit.byCaller("screening.create", patientId, "Screening", e.id.toString(), Map.of("outcome", outcome.name(),
                "protocol", protocol.id() + "@" + protocol.version()));
        outbox.append(topic, patientId, COMPLETED, e.screenedAt, event(view));
        return view;
    }

    public Optional<ScreeningView> find(UUID id) {
        return ScreeningEntity.<ScreeningEntity>findByIdOptional(id).map(this::toView);
    }

    public List<ScreeningView> ofPatient(String patientId, int page, int size) {
        return ScreeningEntity.ofPatient(patientId, page, size).stream().map(this::toView).toList();
    }

    private Map<String, Object> event(ScreeningView view) {
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("screeningId", view.id().toString());
        data.put("patientId", view.patientId());
        data.put("protocol", Map.of("id", view.protocol().id(), "version", view.protocol().version()));
        data.put("outcome", view.outcome().name());
        data.put("screenedAt", view.screenedAt().toString());
        data.put("screenedBy", view.screenedBy());
        data.put("criteria", view.criteria().stream().map(c -> Map.of("ruleId", c.ruleId(), "ruleVersion", c.ruleVersion(),
                "result", c.status().name(), "explanation", c.explanation())).toList());
        return data;
    }

    private ScreeningView toView(ScreeningEntity e) {
        try {
            List<CriterionResult> criteria = json.readValue(e.criteria, new TypeReference<>() {
            });
            return new ScreeningView(e.id, e.patientId, new ScreeningView.ProtocolRef(e.protocolId, e.protocolVersion),
                    Outcome.valueOf(e.outcome), e.screenedAt, e.screenedBy, criteria);
        } catch (JsonProcessingException ex) {
            throw new IllegalStateException("stored screening " + e.id + " is unreadable", ex);
        }
    }

    private String write(Object value) {
        try {
            return json.writeValueAsString(value);
        } catch (JsonProcessingException ex) {
            throw new IllegalStateException(ex);
        }
    }
}
