package org.hdil2.eligibility.app;

import java.time.Instant;
import java.time.LocalDate;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import org.hdil2.eligibility.config.EligibilityConfig;
import org.hdil2.eligibility.config.ProtocolCatalog;
import org.hdil2.eligibility.config.Topics;
import org.hdil2.eligibility.domain.CandidateFacts;
import org.hdil2.eligibility.domain.CriterionResult;
import org.hdil2.eligibility.domain.Indication;
import org.hdil2.eligibility.domain.Outcome;
import org.hdil2.eligibility.domain.Protocol;
import org.hdil2.eligibility.domain.ScreeningRules;
import org.hdil2.eligibility.messaging.EligibilityEvents;
import org.hdil2.eligibility.persistence.ScreeningEntity;
import org.hdil2.kit.audit.AuditTrail;
import org.hdil2.kit.outbox.Outbox;
import org.hdil2.kit.problem.ProblemException;

/** Decides, stores, audits and announces a screening in one transaction. */
@ApplicationScoped
public class Screening {

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

    @Inject
    Topics topics;

    /** The screening input as stored, so a re-screening can start from it. */
    public record Input(Indication indication, Findings findings, List<String> notes) {

        public Input(Indication indication, Findings findings) {
            this(indication, findings, List.of());
        }
    }

    @Transactional
    public ScreeningEntity screen(String patientId, Protocol protocol, Input input, String screenedBy, UUID previous, String action) {
        return screen(patientId, protocol, input, screenedBy, previous, action, false);
    }

    /** {@code viaCds}: the caller is a CDS Client verified by its JWT; {@code screenedBy} names it and the EHR user. */
    @Transactional
    public ScreeningEntity screen(String patientId, Protocol protocol, Input input, String screenedBy, UUID previous,
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
        outbox.append(topics.screenings(), patientId, EligibilityEvents.SCREENING_COMPLETED, e.screenedAt, event(e, results));
        return e;
    }

    /**
     * A new screening from a previous one: the previous input with the changed findings laid over it, under the
     * previous screening's protocol (the current version of it) unless another is named.
     */
    @Transactional
    public ScreeningEntity rescreen(UUID previousId, String protocolId, Indication indication, Findings changes, String screenedBy) {
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

    /**
     * The event keeps exactly the v1 fields: the schema forbids additional properties, so a field added here would make
     * consumers validating with the published v1 schema dead-letter every screening.
     */
    private static Map<String, Object> event(ScreeningEntity e, List<CriterionResult> criteria) {
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("screeningId", e.id.toString());
        data.put("patientId", e.patientId);
        data.put("protocol", Map.of("id", e.protocolId, "version", e.protocolVersion));
        data.put("outcome", e.outcome);
        data.put("screenedAt", e.screenedAt.toString());
        data.put("screenedBy", e.screenedBy);
        data.put("criteria", criteria.stream().map(c -> {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("ruleId", c.ruleId());
            m.put("ruleVersion", c.ruleVersion());
            m.put("result", c.status().name());
            m.put("explanation", c.explanation());
            return m;
        }).toList());
        return data;
    }

    private String write(Object value) {
        try {
            return json.writeValueAsString(value);
        } catch (JsonProcessingException ex) {
            throw new IllegalStateException(ex);
        }
    }
}
