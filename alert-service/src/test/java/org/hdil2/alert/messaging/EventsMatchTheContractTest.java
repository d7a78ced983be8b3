package org.hdil2.alert.messaging;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Set;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import org.hdil2.contract.ContractAssertions;
import org.hdil2.contract.EventContract;
import org.junit.jupiter.api.Test;

/** What alert-service publishes and reads, against the AsyncAPI document. */
class EventsMatchTheContractTest {

    @Test
    void everyPublishedTypeIsDocumentedAndEveryDocumentedOneIsPublished() {
        ContractAssertions.assertSendsExactly("alert-service", Set.of(AlertEvents.ALERT_RAISED, AlertEvents.ALERT_UPDATED,
                AlertEvents.ALERT_RESOLVED));
    }

    /** The alert events' examples conform, each naming its protocol; a protocol must name its id. */
    @Test
    void theAlertEventExamplesConformAndNameTheirProtocol() {
        EventContract contract = EventContract.load();
        for (String type : List.of(AlertEvents.ALERT_RAISED, AlertEvents.ALERT_UPDATED, AlertEvents.ALERT_RESOLVED)) {
            List<JsonNode> examples = contract.examples(type);
            assertFalse(examples.isEmpty(), type);
            for (JsonNode example : examples) {
                assertEquals(List.of(), contract.validate(type, example), type);
                assertTrue(example.path("protocol").hasNonNull("id"), type + " example names its protocol");
            }
            ObjectNode withoutId = (ObjectNode) examples.get(0).deepCopy();
            withoutId.putObject("protocol").put("version", "1");
            assertFalse(contract.validate(type, withoutId).isEmpty(), type + ": a protocol without an id is refused");
            ObjectNode withoutProtocol = (ObjectNode) examples.get(0).deepCopy();
            withoutProtocol.remove("protocol");
            assertEquals(List.of(), contract.validate(type, withoutProtocol), type + ": the protocol is optional");
        }
    }

    @Test
    void everyTypeOnTheFindingsTopicIsNamedByTheEventRegistry() {
        Set<String> named = Set.of(AlertEvents.FINDING_RAISED, AlertEvents.FINDING_UPDATED, AlertEvents.FINDING_CLEARED,
                AlertEvents.EVALUATION_UPDATED, AlertEvents.EVALUATION_CHECKPOINT);
        ContractAssertions.assertNamesEveryType("alert-service", "hdil2.monitoring.findings.v1", named::contains);
    }
}
