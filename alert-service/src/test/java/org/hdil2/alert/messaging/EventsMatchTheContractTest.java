package org.hdil2.alert.messaging;

import java.util.Set;

import org.hdil2.contract.ContractAssertions;
import org.junit.jupiter.api.Test;

/** What alert-service publishes and reads, against the AsyncAPI document. */
class EventsMatchTheContractTest {

    @Test
    void everyPublishedTypeIsDocumentedAndEveryDocumentedOneIsPublished() {
        ContractAssertions.assertSendsExactly("alert-service", Set.of(AlertEvents.ALERT_RAISED, AlertEvents.ALERT_UPDATED,
                AlertEvents.ALERT_RESOLVED));
    }

    @Test
    void everyTypeOnTheFindingsTopicIsNamedByTheEventRegistry() {
        Set<String> named = Set.of(AlertEvents.FINDING_RAISED, AlertEvents.FINDING_UPDATED, AlertEvents.FINDING_CLEARED,
                AlertEvents.EVALUATION_UPDATED, AlertEvents.EVALUATION_CHECKPOINT);
        ContractAssertions.assertNamesEveryType("alert-service", "hdil2.monitoring.findings.v1", named::contains);
    }
}
