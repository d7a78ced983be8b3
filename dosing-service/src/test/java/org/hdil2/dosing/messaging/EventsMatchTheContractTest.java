package org.hdil2.dosing.messaging;

import java.util.Arrays;
import java.util.stream.Collectors;

import org.hdil2.contract.ContractAssertions;
import org.hdil2.dosing.domain.CourseEventType;
import org.junit.jupiter.api.Test;

/** What dosing-service publishes and reads, against the AsyncAPI document (no broker needed: the registries are the code's). */
class EventsMatchTheContractTest {

    @Test
    void everyPublishedTypeIsDocumentedAndEveryDocumentedOneIsPublished() {
        ContractAssertions.assertSendsExactly("dosing-service",
                Arrays.stream(CourseEventType.values()).map(CourseEventType::type).collect(Collectors.toSet()));
    }

    @Test
    void theConsumersNameEveryTypeOnTheTopicsTheyRead() {
        InboundEvents inbound = new InboundEvents();
        ContractAssertions.assertNamesEveryType("dosing-service", "hdil2.eligibility.screenings.v1", inbound.screeningHandlers()::names);
        ContractAssertions.assertNamesEveryType("dosing-service", "hdil2.monitoring.findings.v1", inbound.findingHandlers()::names);
    }
}
