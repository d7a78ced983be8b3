package org.hdil2.eligibility.app;

import java.time.Instant;
import java.time.LocalDate;
import java.util.Iterator;
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
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.hdil2.eligibility.api.FactMapper;
import org.hdil2.eligibility.api.Findings;
import org.hdil2.eligibility.api.ScreeningView;
import org.hdil2.eligibility.config.EligibilityConfig;
import org.hdil2.eligibility.config.ProtocolCatalog;
import org.hdil2.eligibility.domain.CandidateFacts;
import org.hdil2.eligibility.domain.CriterionResult;
import org.hdil2.eligibility.domain.Indication;
import org.hdil2.eligibility.domain.Outcome;
import org.hdil2.eligibility.domain.Protocol;
import org.hdil2.eligibility.persistence.ScreeningEntity;
import org.hdil2.eligibility.domain.ScreeningRules;
import org.hdil2.kit.audit.AuditTrail;
import org.hdil2.kit.outbox.Outbox;
import org.hdil2.kit.problem.ProblemException;

/** Decides, stores, audits and announces a screening in one transaction. */
@ApplicationScoped
public class Screening {

    static final String COMPLETED = "org.hdil2.eligibility.screening-completed.v1";
    /** How audit entries name a CDS Client verified by its CDS Hooks JWT, and the channel it calls through. */
    public static final String CDS_CLIENT_ROLE = "cds-client";
    public static final String CDS_CHANNEL = "cds-hooks";

    @Inject
    ObjectMapper json;

    @Inject
    Outbox outbox;

    @Inject
    AuditTrail audit;

    @Inject
    EligibilityConfig config;

    @Inject
    ProtocolCatalog protocols;

    @ConfigProperty(name = "hdil2.topics.screenings")
    String topic;

    /** The screening input as stored, so a re-screening can start from it. */
    public record Input(Indication indication, Findings findings, List<String> notes) {

        public Input(Indication indication, Findings findings) {
            this(indication, findings, List.of());
        }
    }

    @Transactional
    public ScreeningView screen(String patientId, Protocol protocol, Input input, String screenedBy, UUID previous, String action) {
        return screen(patientId, protocol, input, screenedBy, previous, action, false);
    }

    /** {@code viaCds}: the caller is a CDS Client verified by its JWT; {@code screenedBy} names it and the EHR user. */
    @Transactional
    public ScreeningView screen(String patientId, Protocol protocol, Input input, String screenedBy, UUID previous,
                                String action, boolean viaCds) {
        Instant now = Instant.now();
        LocalDate asOf = LocalDate.ofInstant(now, config.zone());
        CandidateFacts facts = FactMapper.toFacts(input.indication(), input.findings(), asOf);
        List<CriterionResult> results = ScreeningRules.evaluate(protocol, facts);
        Outcome outcome = Outcome.of(results);
        ScreeningEntity e = new ScreeningEntity();
        e.id = UUID.randomUUID();
        e.patientId = patientId;
        e.protocolId = protocol.id();
        e.protocolVersion = protocol.version();
        e.outcome = outcome.name();
        e.screenedAt = now;
        e.asOf = asOf;
        e.screenedBy = screenedBy;
        e.previousScreeningId = previous;
        e.facts = write(input);
        e.criteria = write(results);
        e.persist();
        ScreeningView view = new ScreeningView(e.id, patientId, new ScreeningView.ProtocolRef(protocol.id(), protocol.version()),
                outcome, now, asOf, screenedBy, previous, input.notes() == null ? List.of() : input.notes(), results);
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("outcome", outcome.name());
        details.put("protocol", protocol.id() + "@" + protocol.version());
        if (previous != null) {
            details.put("previousScreeningId", previous.toString());
        }
        if (viaCds) {
            audit.byVerifiedClient(screenedBy, CDS_CLIENT_ROLE, CDS_CHANNEL, action, patientId, "Screening", e.id.toString(), details);
        } else {
            audit.byCaller(action, patientId, "Screening", e.id.toString(), details);
        }
        outbox.append(topic, patientId, COMPLETED, e.screenedAt, event(view));
        return view;
    }

    /**
     * A new screening from a previous one: the previous input with the changed findings laid over it, under the
     * previous screening's protocol (the current version of it) unless another is named.
     */
    @Transactional
    public ScreeningView rescreen(UUID previousId, String protocolId, Indication indication, Findings changes, String screenedBy) {
        ScreeningEntity previous = ScreeningEntity.<ScreeningEntity>findByIdOptional(previousId)
                .orElseThrow(() -> ProblemException.notFound("ELIG-0102", "screening " + previousId));
        Input before;
        try {
            before = json.readValue(previous.facts, Input.class);
        } catch (JsonProcessingException ex) {
            throw ProblemException.conflict("ELIG-0105", "Cannot re-screen",
                    "the previous screening predates dated findings; create a new screening instead");
        }
        ObjectNode merged = json.valueToTree(before.findings() == null ? Findings.NONE : before.findings());
        JsonNode update = json.valueToTree(changes);
        for (Iterator<Map.Entry<String, JsonNode>> it = update.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> field = it.next();
            if (!field.getValue().isNull()) {
                merged.set(field.getKey(), field.getValue());
            }
        }
        Findings findings = json.convertValue(merged, Findings.class);
        String pid = protocolId == null ? previous.protocolId : protocolId;
        Protocol protocol = protocols.find(pid).orElseThrow(() -> ProblemException.invalid("ELIG-0101", "protocolId",
                "unknown protocol '" + pid + "'; GET /api/v1/protocols lists them"));
        Input input = new Input(indication == null ? before.indication() : indication, findings, List.of());
        return screen(previous.patientId, protocol, input, screenedBy, previous.id, "screening.rescreen");
    }

    public Optional<ScreeningView> find(UUID id) {
        return ScreeningEntity.<ScreeningEntity>findByIdOptional(id).map(this::toView);
    }

    public List<ScreeningView> ofPatient(String patientId, int page, int size) {
        return ScreeningEntity.ofPatient(patientId, page, size).stream().map(this::toView).toList();
    }

    /**
     * The event keeps exactly the v1 fields: the schema forbids additional properties, so a field added here would make
     * consumers validating with the published v1 schema dead-letter every screening.
     */
    private Map<String, Object> event(ScreeningView view) {
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("screeningId", view.id().toString());
        data.put("patientId", view.patientId());
        data.put("protocol", Map.of("id", view.protocol().id(), "version", view.protocol().version()));
        data.put("outcome", view.outcome().name());
        data.put("screenedAt", view.screenedAt().toString());
        data.put("screenedBy", view.screenedBy());
        data.put("criteria", view.criteria().stream().map(c -> {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("ruleId", c.ruleId());
            m.put("ruleVersion", c.ruleVersion());
            m.put("result", c.status().name());
            m.put("explanation", c.explanation());
            return m;
        }).toList());
        return data;
    }

    private ScreeningView toView(ScreeningEntity e) {
        try {
            List<CriterionResult> criteria = json.readValue(e.criteria, new TypeReference<>() {
            });
            List<String> notes = new java.util.ArrayList<>();
            json.readTree(e.facts).path("notes").forEach(n -> notes.add(n.asText()));
            return new ScreeningView(e.id, e.patientId, new ScreeningView.ProtocolRef(e.protocolId, e.protocolVersion),
                    Outcome.valueOf(e.outcome), e.screenedAt, e.asOf, e.screenedBy, e.previousScreeningId, notes, criteria);
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
