package org.hdil2.contract;

import java.nio.charset.StandardCharsets;

import org.apache.kafka.common.utils.Utils;

/**
 * Which partition a patient's records are on: Kafka's default for a keyed record (murmur2 of the UTF-8 key), which
 * every producer of the suite uses. monitoring's evaluation checkpoints are per partition, so a consumer finds the
 * checkpoint that covers a patient with this.
 */
public final class PatientPartition {

    private PatientPartition() {
    }

    public static int of(String patientId, int partitions) {
        if (partitions < 1) {
            throw new IllegalArgumentException("partitions must be at least 1");
        }
        return Utils.toPositive(Utils.murmur2(patientId.getBytes(StandardCharsets.UTF_8))) % partitions;
    }
}
