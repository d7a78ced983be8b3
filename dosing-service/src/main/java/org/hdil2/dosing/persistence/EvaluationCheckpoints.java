package org.hdil2.dosing.persistence;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Collectors;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import org.hdil2.contract.PatientPartition;
import org.hdil2.dosing.domain.EvaluationCurrency;

import io.agroal.api.AgroalDataSource;

/**
 * monitoring's evaluation checkpoints: each partition's newest (alive as of when, and the patients it reports
 * failing), and the patients whose held evaluation a checkpoint says now includes newer accepted observations. A
 * checkpoint only moves state forward, so it needs no inbox row: a repeat changes nothing.
 */
@ApplicationScoped
public class EvaluationCheckpoints {

    /** A patient's partition and its checkpoint, if one has been received. */
    public record OfPatient(String partitionLabel, Optional<EvaluationCurrency.Checkpoint> checkpoint) {
    }

    @Inject
    AgroalDataSource dataSource;

    @Inject
    ObjectMapper json;

    /** An evaluation a checkpoint names as including the patient's accepted observations up to {@code intakeSequence}. */
    public record Progress(String patientId, long sequence, Instant stateEpoch, long intakeSequence) {
    }

    /**
     * Records one checkpoint of {@code partition} (of {@code partitions}) taken {@code at}; runs in the consumer's
     * transaction. {@code failures} is the checkpoint's list as the contract has it.
     */
    @Transactional(Transactional.TxType.MANDATORY)
    public void apply(int partition, int partitions, Instant at, JsonNode failures, boolean failuresTruncated, List<Progress> progress) {
        EvaluationCheckpointEntity row = EvaluationCheckpointEntity.findById(partition);
        if (row == null) {
            row = new EvaluationCheckpointEntity();
            row.partition = partition;
        }
        // a checkpoint split over several records repeats its time: every part counts; an older one changes no partition state
        if (row.checkpointAt == null || !at.isBefore(row.checkpointAt)) {
            row.partitions = partitions;
            row.checkpointAt = at;
            row.receivedAt = Instant.now();
            row.failures = failures.toString();
            row.failuresTruncated = failuresTruncated;
            row.persist();
        }
        includeProgress(progress);
    }

    /** The held evaluation of each listed patient, if it is the one the checkpoint names, now includes the newer intake. */
    private void includeProgress(List<Progress> evaluations) {
        if (evaluations.isEmpty()) {
            return;
        }
        PatientEvaluationEntity.getEntityManager().flush();
        try (Connection c = dataSource.getConnection();
             PreparedStatement st = c.prepareStatement("update patient_evaluation set intake_sequence = ? where patient_id = ? "
                     + "and sequence = ? and state_epoch is not distinct from ? and intake_sequence < ?")) {
            for (Progress e : evaluations) {
                st.setLong(1, e.intakeSequence());
                st.setString(2, e.patientId());
                st.setLong(3, e.sequence());
                st.setTimestamp(4, e.stateEpoch() == null ? null : Timestamp.from(e.stateEpoch()));
                st.setLong(5, e.intakeSequence());
                st.addBatch();
            }
            st.executeBatch();
        } catch (SQLException e) {
            throw new IllegalStateException("cannot record the evaluations' progress", e);
        }
    }

    /** The checkpoint covering {@code patientId}: of the partition Kafka's default partitioner puts the patient on. */
    public OfPatient forPatient(String patientId) {
        return forPatient(patientId, EvaluationCheckpointEntity.<EvaluationCheckpointEntity>listAll().stream()
                .collect(Collectors.toMap(r -> r.partition, Function.identity())));
    }

    /** As {@link #forPatient(String)}, from rows already read (the watch reads them once for every course). */
    public OfPatient forPatient(String patientId, Map<Integer, EvaluationCheckpointEntity> rows) {
        Optional<EvaluationCheckpointEntity> newest = rows.values().stream().max(Comparator.comparing(r -> r.checkpointAt));
        if (newest.isEmpty()) {
            return new OfPatient("the patient's partition", Optional.empty());
        }
        int partition = PatientPartition.of(patientId, newest.get().partitions);
        EvaluationCheckpointEntity row = rows.get(partition);
        if (row == null || row.partitions != newest.get().partitions) {
            return new OfPatient("partition " + partition, Optional.empty());
        }
        return new OfPatient("partition " + partition, Optional.of(new EvaluationCurrency.Checkpoint(partition, row.checkpointAt,
                failuresOf(patientId, row.failures), row.failuresTruncated)));
    }

    private List<EvaluationCurrency.Failure> failuresOf(String patientId, String failures) {
        List<EvaluationCurrency.Failure> mine = new ArrayList<>();
        try {
            for (JsonNode f : json.readTree(failures)) {
                if (patientId.equals(f.path("patientId").asText())) {
                    mine.add(new EvaluationCurrency.Failure(f.path("parameter").asText(null), f.path("observationId").asText(null),
                            f.hasNonNull("effectiveTime") ? Instant.parse(f.path("effectiveTime").asText()) : null,
                            f.hasNonNull("intakeSequence") ? f.path("intakeSequence").asLong() : null,
                            Instant.parse(f.path("since").asText()), f.path("reason").asText()));
                }
            }
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("stored checkpoint failures are unreadable", e);
        }
        return mine;
    }
}
