package org.hdil2.dosing.messaging;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;

import org.hdil2.dosing.persistence.EvaluationCheckpoints;
import org.hdil2.kit.inbox.InboundEvent;

/**
 * monitoring's evaluation-checkpoint as dosing reads it, once, after the inbox's schema check: the partition, how many
 * there are, when, the patients it reports failing (kept as the contract's JSON: stored as received, read per
 * decision by {@link EvaluationCheckpoints}) and the evaluations that now include newer accepted observations.
 */
record EvaluationCheckpoint(int partition, int partitions, Instant at, JsonNode failures, boolean failuresTruncated,
                            List<EvaluationCheckpoints.Progress> progress) {

    static EvaluationCheckpoint read(InboundEvent event) {
        JsonNode d = event.data();
        List<EvaluationCheckpoints.Progress> progress = new ArrayList<>();
        for (JsonNode e : d.path("evaluations")) {
            progress.add(new EvaluationCheckpoints.Progress(e.path("patientId").asText(), e.path("sequence").asLong(),
                    e.hasNonNull("stateEpoch") ? Instant.parse(e.path("stateEpoch").asText()) : null, e.path("intakeSequence").asLong()));
        }
        return new EvaluationCheckpoint(d.path("partition").asInt(), d.path("partitions").asInt(), Instant.parse(d.path("at").asText()),
                d.path("failures"), d.path("failuresTruncated").asBoolean(false), List.copyOf(progress));
    }
}
