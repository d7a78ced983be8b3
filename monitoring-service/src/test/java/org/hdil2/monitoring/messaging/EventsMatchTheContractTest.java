package org.hdil2.monitoring.messaging;

import org.hdil2.contract.ContractAssertions;
import org.junit.jupiter.api.Test;

/** What monitoring-service publishes and reads, against the AsyncAPI document (no broker needed: the registries are the code's). */
class EventsMatchTheContractTest {

    private static final String SERVICE = "monitoring-service";

    @Test
    void everyPublishedTypeIsDocumentedAndEveryDocumentedOneIsPublished() {
        ContractAssertions.assertSendsExactly(SERVICE, MonitoringEvents.PUBLISHED);
    }

    @Test
    void theConsumersNameEveryTypeOnTheTopicsTheyRead() {
        ContractAssertions.assertNamesEveryType(SERVICE, "hdil2.monitoring.observations.inbound.v1", InboundObservationConsumer::reads);
        ContractAssertions.assertNamesEveryType(SERVICE, "hdil2.monitoring.observations.v1", EvaluationTopology::evaluates);

        DosingEventConsumer dosing = new DosingEventConsumer();
        dosing.init();
        ContractAssertions.assertNamesEveryType(SERVICE, "hdil2.dosing.events.v1", dosing.handlers()::names);

        EvaluationProjectionConsumer projection = new EvaluationProjectionConsumer();
        projection.init();
        ContractAssertions.assertNamesEveryType(SERVICE, "hdil2.monitoring.findings.v1", projection.handlers()::names);
    }
}
