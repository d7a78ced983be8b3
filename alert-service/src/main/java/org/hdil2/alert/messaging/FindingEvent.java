package org.hdil2.alert.messaging;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import com.fasterxml.jackson.databind.JsonNode;

import org.hdil2.kit.inbox.InboundEvent;
import org.jboss.logging.Logger;

/**
 * A monitoring finding event (raised, updated or cleared) as alert-service reads it, once, after the inbox's schema
 * check: this service's own copy of the fields it uses, never monitoring's class.
 *
 * @param protocolId      {@code rule.protocol}: the protocol the patient was evaluated under; null when absent, blank or
 *                        longer than the alert keeps ({@value #PROTOCOL_ID_MAX} characters)
 * @param protocolVersion {@code rule.protocolVersion}; null when absent, blank, longer than {@value #PROTOCOL_VERSION_MAX}
 *                        characters, or without a protocol id
 * @param shownValue the value the alert shows: the finding's computed detail (NEWS2 total, CTCAE grade) when it has
 *                   one, else the deciding observation's value or code
 * @param observation the deciding observation's fields the alert keeps, in their order
 * @param clearedAt   for a clearing, when monitoring saw the condition clear; empty otherwise
 */
public record FindingEvent(String eventId, String patientId, UUID findingId, String ruleId, String ruleVersion, String action,
                           String protocolId, String protocolVersion, String criterion, String source, String severity,
                           String shownValue, String shownUnit, String observationValue, String observationUnit,
                           String effectiveTime, Map<String, JsonNode> observation, String clearedAt) {

    /** The lengths of {@code alert.protocol_id} and {@code alert.protocol_version}. */
    public static final int PROTOCOL_ID_MAX = 64;
    public static final int PROTOCOL_VERSION_MAX = 32;

    private static final Logger LOG = Logger.getLogger(FindingEvent.class);

    private static final List<String> KEPT = List.of("observationId", "code", "value", "valueCode", "unit", "effectiveTime",
            "sourceKind", "parameter");

    public static FindingEvent read(InboundEvent event) {
        JsonNode d = event.data();
        JsonNode rule = d.path("rule");
        JsonNode o = d.path("observation");
        JsonNode detail = d.path("detail");
        String observed = o.hasNonNull("value") ? o.path("value").asText() : o.path("valueCode").asText("");
        boolean computed = detail.isObject() && detail.has("value");
        String shown = computed ? detail.path("name").asText() + " " + detail.path("value").asText()
                + (detail.hasNonNull("grade") ? " grade " + detail.path("grade").asText() : "") : observed;
        String shownUnit = computed ? detail.path("unit").asText("") : o.path("unit").asText("");
        Map<String, JsonNode> kept = new LinkedHashMap<>();
        for (String field : KEPT) {
            if (o.hasNonNull(field)) {
                kept.put(field, o.get(field));
            }
        }
        String protocolId = text(event, rule, "protocol", PROTOCOL_ID_MAX);
        String protocolVersion = protocolId == null ? null : text(event, rule, "protocolVersion", PROTOCOL_VERSION_MAX);
        return new FindingEvent(event.id(), event.patientId(), UUID.fromString(d.path("findingId").asText()), rule.path("id").asText(),
                rule.path("version").asText(), rule.path("action").asText(), protocolId, protocolVersion, rule.path("criterion").asText(),
                rule.path("source").asText(), d.path("severity").asText("HIGH"), shown, shownUnit, observed, o.path("unit").asText(""),
                o.path("effectiveTime").asText(), kept, d.path("clearedAt").asText());
    }

    /**
     * A text field of the rule, or null when absent or blank. A value longer than the alert keeps is left out rather
     * than failing the finding: the alert is raised without it (a warning names the event, no patient data).
     */
    private static String text(InboundEvent event, JsonNode rule, String field, int max) {
        JsonNode n = rule.path(field);
        if (!n.isTextual() || n.asText().isBlank()) {
            return null;
        }
        String value = n.asText().strip();
        if (value.length() > max) {
            LOG.warnf("finding event %s: rule.%s is longer than %d characters; the alert does not name it", event.id(), field, max);
            return null;
        }
        return value;
    }
}
