package org.hdil2.faults;

import java.time.Instant;
import java.util.List;
import java.util.Queue;
import java.util.UUID;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicLong;

/** What the workload's clients were told: the only record the invariants trust besides the databases and topics. */
final class Observed {

    /** An observation the suite accepted: a 2xx over REST, or the broker's acknowledgement on the device topic. */
    record Accepted(String patient, UUID observationId, int sbp, Instant at, boolean viaDevice) {
    }

    /** A pre-dose decision as a nurse saw it, at the time dosing made it. */
    record Decision(String patient, Instant at, String decision, Long evaluationIntakeSequence) {
    }

    /** A dose command answered with a 2xx: its Idempotency-Key must be in the ledger once. */
    record DoseCommand(String patient, String courseId, String kind, String key) {
    }

    final Queue<Accepted> accepted = new ConcurrentLinkedQueue<>();
    final Queue<Decision> decisions = new ConcurrentLinkedQueue<>();
    final Queue<DoseCommand> doseCommands = new ConcurrentLinkedQueue<>();
    final Queue<String> acknowledged = new ConcurrentLinkedQueue<>();
    final Queue<String> patients = new ConcurrentLinkedQueue<>();
    /** Requests that got no answer below 500 within the clients' patience (the suite was down that long). */
    final AtomicLong gaveUp = new AtomicLong();

    List<String> patientList() {
        return List.copyOf(patients);
    }
}
