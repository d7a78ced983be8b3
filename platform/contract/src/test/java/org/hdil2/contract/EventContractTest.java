package org.hdil2.contract;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import org.junit.jupiter.api.Test;

class EventContractTest {

    private final EventContract contract = EventContract.load();

    @Test
    void everyEventTypeHasATopicASenderAndValidExamples() {
        assertEquals(25, contract.eventTypes().size());
        Set<String> sent = contract.operations().stream().filter(o -> o.action().equals("send"))
                .flatMap(o -> o.eventTypes().stream()).collect(Collectors.toSet());
        for (String type : contract.eventTypes()) {
            assertTrue(contract.topicOf(type).isPresent(), type + " has no channel");
            assertTrue(sent.contains(type), type + " has no sender");
            assertFalse(contract.examples(type).isEmpty(), type + " has no example");
            contract.examples(type).forEach(example -> assertEquals(List.of(), contract.validate(type, example), type));
        }
    }

    @Test
    void topicsFollowTheArchitectureNaming() {
        contract.eventTypes().forEach(type -> assertTrue(contract.topicOf(type).orElseThrow().matches("hdil2\\.[a-z]+\\.[a-z.]+\\.v1"), type));
        assertEquals("hdil2.monitoring.findings.v1", contract.topicOf("org.hdil2.monitoring.finding-raised.v1").orElseThrow());
    }

    @Test
    void schemasRejectMissingFieldsWrongEnumsAndBadTimes() {
        String type = "org.hdil2.eligibility.screening-completed.v1";
        ObjectNode example = (ObjectNode) contract.examples(type).get(0).deepCopy();
        ObjectNode missing = example.deepCopy();
        missing.remove("outcome");
        assertFalse(contract.validate(type, missing).isEmpty());
        ObjectNode wrongEnum = example.deepCopy();
        wrongEnum.put("outcome", "MAYBE");
        assertFalse(contract.validate(type, wrongEnum).isEmpty());
        ObjectNode badTime = example.deepCopy();
        badTime.put("screenedAt", "yesterday");
        assertFalse(contract.validate(type, badTime).isEmpty());
        ObjectNode extra = example.deepCopy();
        extra.put("surprise", 1);
        assertFalse(contract.validate(type, extra).isEmpty());
        assertFalse(contract.validate("org.hdil2.unknown.v1", new ObjectMapper().createObjectNode()).isEmpty());
    }

    @Test
    void consumersTolerateFieldsAProducerAddedButNotMissingOrWrongOnes() {
        String type = "org.hdil2.monitoring.evaluation-updated.v1";
        ObjectNode example = (ObjectNode) contract.examples(type).get(0).deepCopy();
        ObjectNode newer = example.deepCopy();
        newer.put("addedLater", true);
        ((ObjectNode) newer.withArray("activeFindings").get(0).path("rule")).put("category", "RELATIVE");
        assertFalse(contract.validate(type, newer).isEmpty(), "producers stay strict");
        assertEquals(List.of(), contract.validateForReader(type, newer));
        ObjectNode missing = example.deepCopy();
        missing.remove("sequence");
        assertFalse(contract.validateForReader(type, missing).isEmpty());
        ObjectNode wrong = example.deepCopy();
        wrong.put("sequence", "three");
        assertFalse(contract.validateForReader(type, wrong).isEmpty());
    }

    @Test
    void aPatientIsOnThePartitionKafkasDefaultPartitionerChooses() {
        for (String patient : List.of("demo-001", "e2e-001", "p-7", "x")) {
            for (int partitions : new int[] { 1, 3, 12 }) {
                assertEquals(org.apache.kafka.clients.producer.internals.BuiltInPartitioner.partitionForKey(
                        patient.getBytes(java.nio.charset.StandardCharsets.UTF_8), partitions), PatientPartition.of(patient, partitions));
            }
        }
    }

    @Test
    void aConsumerThatForgetsATypeOfItsTopicIsCaught() {
        String findings = "hdil2.monitoring.findings.v1";
        ContractAssertions.assertNamesEveryType("dosing-service", findings, type -> true);
        AssertionError e = org.junit.jupiter.api.Assertions.assertThrows(AssertionError.class, () -> ContractAssertions
                .assertNamesEveryType("dosing-service", findings, type -> !type.endsWith("finding-updated.v1")));
        assertTrue(e.getMessage().contains("org.hdil2.monitoring.finding-updated.v1"), e.getMessage());
    }

    @Test
    void operationsNameTheServicesThatSendAndReceive() {
        assertTrue(contract.operationsOf("dosing-service").stream()
                .anyMatch(o -> o.action().equals("receive") && o.topic().equals("hdil2.monitoring.findings.v1")));
        assertTrue(contract.operationsOf("eligibility-service").stream()
                .anyMatch(o -> o.action().equals("send") && o.topic().equals("hdil2.eligibility.screenings.v1")));
    }
}
