package org.hdil2.eligibility.messaging;

import org.hdil2.contract.ContractAssertions;
import org.junit.jupiter.api.Test;

/** What eligibility-service publishes, against the AsyncAPI document. */
class EventsMatchTheContractTest {

    @Test
    void everyPublishedTypeIsDocumentedAndEveryDocumentedOneIsPublished() {
        ContractAssertions.assertSendsExactly("eligibility-service", EligibilityEvents.PUBLISHED);
    }
}
