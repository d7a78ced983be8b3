package org.hdil2.bench;

import java.nio.charset.StandardCharsets;
import java.util.UUID;

/**
 * Pre-loads finding events as monitoring publishes them ({@link AlertLatency}'s records: raised, then cleared, per
 * patient in turn; half the patients' findings HIGH, half LOW), for a drain measurement of alert-service. Each patient
 * cycles raise → clear, so the service creates, notifies and resolves alerts, as on a ward. Usage:
 * {@code FindingPreload <bootstrap> <topic> <findings> <patients>}.
 */
public final class FindingPreload {

    private FindingPreload() {
    }

    public static void main(String[] args) throws Exception {
        ObservationPreload.preload(args, "findings (raised / cleared)", (topic, run, patients, n) -> {
            int patientNo = (int) (n % patients);
            long round = n / patients; // even rounds raise, odd rounds clear what the round before raised
            String findingId = UUID.nameUUIDFromBytes((run + "|" + patientNo + "|" + round / 2).getBytes(StandardCharsets.UTF_8)).toString();
            return AlertLatency.finding(topic, "bench-" + run + "-" + patientNo, round % 2 == 0, findingId, patientNo % 2 == 0);
        });
    }
}
