package org.hdil2.alert.messaging;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import com.fasterxml.jackson.databind.JsonNode;

import org.hdil2.kit.inbox.InboundEvent;

/**
 * A monitoring finding event (raised, updated or cleared) as alert-service reads it, once, after the inbox's schema
 * check: this service's own copy of the fields it uses, never monitoring's class.
 *
 * @param shownValue the value the alert shows: the finding's computed detail (NEWS2 total, CTCAE grade) when it has
 *                   one, else the deciding observation's value or code
 * @param observation the deciding observation's fields the alert keeps, in their order
 * @param clearedAt   for a clearing, when monitoring saw the condition clear; empty otherwise
 */
public record FindingEvent(String eventId, String patientId, UUID findingId, String ruleId, String ruleVersion, String action,
                           String criterion, String source, String severity, String shownValue, String shownUnit,
                           String observationValue, String observationUnit, String effectiveTime,
                           Map<String, JsonNode> observation, String clearedAt) {

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
        return new FindingEvent(event.id(), event.patientId(), UUID.fromString(d.path("findingId").asText()), rule.path("id").asText(),
                rule.path("version").asText(), rule.path("action").asText(), rule.path("criterion").asText(),
                rule.path("source").asText(), d.path("severity").asText("HIGH"), shown, shownUnit, observed, o.path("unit").asText(""),
                o.path("effectiveTime").asText(), kept, d.path("clearedAt").asText());
    }
}
