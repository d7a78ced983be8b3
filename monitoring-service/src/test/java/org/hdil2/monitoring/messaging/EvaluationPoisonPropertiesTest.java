package org.hdil2.monitoring.messaging;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.test.TestRecord;
import org.hdil2.contract.CloudEventHeaders;
import org.hdil2.monitoring.domain.ObservationCatalog;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.AfterProperty;
import net.jqwik.api.lifecycle.BeforeProperty;

/**
 * No record stops the evaluation: thousands of generated records on the observations topic, valid ones and every
 * kind of broken one (fields missing or of the wrong type, numbers no one can represent, periods of zero or a
 * fraction of a second, times decades away, wrong keys and headers, therapy updates with a zero weight), go through
 * the real topology. None escapes as an exception, every broken one (and every one intake would have refused) lands
 * in the dead-letter topic, and afterwards a hypotensive patient still gets a finding.
 */
class EvaluationPoisonPropertiesTest {

    private static final Instant NOW = Instant.parse("2026-11-29T10:00:00Z");
    private static final ObjectMapper JSON = new ObjectMapper();
    private TopologyFixture fixture;
    private TestInputTopic<String, String> input;
    private TestOutputTopic<String, String> findings;
    private TestOutputTopic<String, String> deadLetters;
    private Instant wallClock;

    /** What a record should come to: evaluated, dead-lettered, or either (the contract does not say: only no exception). */
    enum Expect { EVALUATED, DEAD_LETTERED, EITHER }

    /** A record to put on the topic: key, ce_type and ce_subject headers (null: absent), value. */
    record Input(String key, String type, String subject, String value, Expect expect) {
    }

    @BeforeProperty
    void start() {
        wallClock = NOW;
        fixture = new TopologyFixture(NOW, 1);
        input = fixture.observations;
        findings = fixture.findings;
        deadLetters = fixture.deadLetters;
    }

    @AfterProperty
    void theEvaluationStillWorksAfterwards() {
        findings.readRecordsToList();
        input.pipeInput(EvaluationCheckpointTest.sbp("p-after", "78", wallClock.minusSeconds(1), 1));
        assertTrue(findings.readRecordsToList().stream().anyMatch(r -> type(r).equals(MonitoringEvents.FINDING_RAISED)), "hypotension is still found");
        fixture.close();
    }

    @Property(tries = 1500)
    void noRecordEscapesAsAnExceptionAndEveryBrokenOneIsDeadLettered(@ForAll("records") Input record, @ForAll("advances") Duration advance) {
        fixture.driver.advanceWallClockTime(advance);
        wallClock = wallClock.plus(advance);
        RecordHeaders headers = new RecordHeaders();
        headers.add(CloudEventHeaders.SPEC_VERSION, "1.0".getBytes(StandardCharsets.UTF_8));
        headers.add(CloudEventHeaders.ID, UUID.randomUUID().toString().getBytes(StandardCharsets.UTF_8));
        if (record.type() != null) {
            headers.add(CloudEventHeaders.TYPE, record.type().getBytes(StandardCharsets.UTF_8));
        }
        if (record.subject() != null) {
            headers.add(CloudEventHeaders.SUBJECT, record.subject().getBytes(StandardCharsets.UTF_8));
        }
        input.pipeInput(new TestRecord<>(record.key(), record.value(), headers));
        findings.readRecordsToList().forEach(r -> assertTrue(r.value() != null && !r.value().isEmpty()));
        int deadLettered = deadLetters.readRecordsToList().size();
        if (record.expect() == Expect.EVALUATED) {
            assertEquals(0, deadLettered, "evaluated, not dead-lettered: " + record);
        } else if (record.expect() == Expect.DEAD_LETTERED) {
            assertEquals(1, deadLettered, "dead-lettered: " + record);
        }
    }

    @Provide
    Arbitrary<Duration> advances() {
        return Arbitraries.frequencyOf(net.jqwik.api.Tuple.of(8, Arbitraries.just(Duration.ZERO)),
                net.jqwik.api.Tuple.of(2, Arbitraries.longs().between(1, 40).map(Duration::ofSeconds)),
                // under a week in all, so that the generated times stay within what the evaluation accepts
                net.jqwik.api.Tuple.of(1, Arbitraries.longs().between(1, 60).map(Duration::ofMinutes)));
    }

    @Provide
    Arbitrary<Input> records() {
        Arbitrary<String> patient = Arbitraries.of("p-1", "p-2", "p-3", "p-4");
        Arbitrary<ObservationCatalog.Parameter> parameter = Arbitraries.of(ObservationCatalog.parameters());
        Arbitrary<Integer> mutation = Arbitraries.integers().between(0, 24);
        Arbitrary<Integer> seed = Arbitraries.integers().between(0, 1_000_000);
        return Combinators.combine(patient, parameter, mutation, seed).as(this::record);
    }

    /** A valid observation or therapy update, or one broken in one way. */
    private Input record(String patient, ObservationCatalog.Parameter p, int mutation, int seed) {
        ObjectNode o = JSON.createObjectNode();
        o.put("observationId", UUID.randomUUID().toString());
        o.put("patientId", patient);
        o.put("intakeSequence", 1 + seed % 1000);
        o.put("parameter", p.id());
        o.putObject("code").put("system", p.codes().get(0).system()).put("code", p.code());
        Instant at = NOW.minusSeconds(seed % 7200);
        if (p.coded()) {
            String code = ObservationCatalog.answers(p).get(seed % ObservationCatalog.answers(p).size());
            o.put("value", p.codedValues().get(code));
            o.put("valueCode", code);
        } else {
            o.put("value", p.min().add(p.max().subtract(p.min()).multiply(BigDecimal.valueOf(seed % 101)).divide(BigDecimal.valueOf(100))));
        }
        o.put("unit", p.unit());
        o.put("effectiveTime", at.toString());
        if (p.periodRequired()) {
            o.putObject("effectivePeriod").put("start", at.minus(Duration.ofHours(1)).toString()).put("end", at.toString());
        }
        o.put("recordedAt", at.toString());
        o.put("status", "final");
        o.putObject("source").put("kind", "DEVICE");
        String type = MonitoringEvents.OBSERVATION_RECORDED;
        String key = patient;
        String subject = patient;
        switch (mutation) {
            case 0, 1, 2, 3 -> {
                // valid
            }
            case 4 -> o.remove("value");
            case 5 -> o.put("value", "high");
            case 6 -> o.put("value", new BigDecimal("1E-999999999"));
            case 7 -> o.put("value", new BigDecimal("9E+999999999"));
            case 8 -> o.putObject("effectivePeriod").put("start", at.toString()).put("end", at.toString());
            case 9 -> o.putObject("effectivePeriod").put("start", at.minusMillis(400).toString()).put("end", at.toString());
            case 10 -> o.putObject("effectivePeriod").put("start", at.plusSeconds(60).toString()).put("end", at.toString());
            case 11 -> o.put("effectiveTime", "1970-01-01T00:00:00Z");
            case 12 -> o.put("effectiveTime", "9999-12-31T23:59:59Z");
            case 13 -> o.put("parameter", "not-a-parameter");
            case 14 -> o.remove("parameter");
            case 15 -> o.put("effectiveTime", "yesterday");
            case 16 -> subject = "someone-else";
            case 17 -> key = null;
            case 18 -> type = "org.hdil2.monitoring.something-else.v1";
            case 19 -> type = null;
            case 20 -> {
                return new Input(key, type, subject, "{\"observationId\": not json", Expect.DEAD_LETTERED);
            }
            case 21 -> {
                return new Input(key, type, subject, "", Expect.DEAD_LETTERED);
            }
            case 22 -> {
                ObjectNode t = JSON.createObjectNode();
                t.put("patientId", patient).put("courseId", UUID.randomUUID().toString()).put("onTherapy", seed % 2 == 0)
                        .put("updatedAt", at.toString());
                t.put("baselineWeightKg", seed % 3 == 0 ? BigDecimal.ZERO : BigDecimal.valueOf(Math.floorMod(seed, 199) + 1));
                if (seed % 5 == 0) {
                    t.put("lastDoseAt", "2999-01-01T00:00:00Z");
                }
                // the contract wants a weight above 0: a zero one is dead-lettered
                return new Input(key, MonitoringEvents.THERAPY_UPDATED, subject, t.toString(),
                        seed % 3 == 0 ? Expect.DEAD_LETTERED : Expect.EVALUATED);
            }
            case 23 -> o.put("value", new BigDecimal("-1E+20"));
            default -> o.put("intakeSequence", -5);
        }
        Expect expect = switch (mutation) {
            case 0, 1, 2, 3, 23 -> Expect.EVALUATED;
            case 13 -> Expect.EITHER;
            default -> Expect.DEAD_LETTERED;
        };
        return new Input(key, type, subject, o.toString(), expect);
    }

    private static String type(TestRecord<String, String> r) {
        return new String(r.headers().lastHeader(CloudEventHeaders.TYPE).value(), StandardCharsets.UTF_8);
    }
}
