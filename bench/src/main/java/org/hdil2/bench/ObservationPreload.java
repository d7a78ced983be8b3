package org.hdil2.bench;

import java.util.Locale;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.LongFunction;

import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * Pre-loads {@code observation-recorded} events, exactly as monitoring's outbox publishes them (the records of
 * {@link EvaluationLoad}: a full set of vitals per patient in turn, systolic BP alternating 84 / 104 mm[Hg] so findings
 * rise and clear), for a drain measurement of the evaluation. Usage: {@code ObservationPreload <bootstrap> <topic>
 * <observations> <patients>}.
 */
public final class ObservationPreload {

    private ObservationPreload() {
    }

    public static void main(String[] args) throws Exception {
        preload(args, "observation-recorded", (topic, run, patients, n) -> {
            int patient = (int) (n % patients);
            long cycle = n / patients;
            String[] slot = EvaluationLoad.CYCLE[(int) (cycle % EvaluationLoad.CYCLE.length)];
            boolean low = (cycle / EvaluationLoad.CYCLE.length) % 2 == 0;
            String value = slot[3] == null ? (low ? "84" : "104") : slot[3];
            String patientId = "bench-" + run + "-" + patient;
            String observationId = UUID.randomUUID().toString();
            return new ProducerRecord<>(topic, null, patientId, EvaluationLoad.body(observationId, patientId, slot, value),
                    EvaluationLoad.headers(observationId, patientId));
        });
    }

    /** Record {@code n} of a pre-load into {@code topic} across {@code patients}, in run {@code run} (fresh ids per run). */
    interface Records {
        ProducerRecord<String, String> record(String topic, String run, int patients, long n);
    }

    /**
     * A pre-loader's whole run, from its arguments {@code <bootstrap> <topic> <count> <patients>}: sends the records,
     * then prints one PRELOADED line naming {@code what} was sent.
     */
    static void preload(String[] args, String what, Records records) throws Exception {
        String bootstrap = args[0];
        String topic = args[1];
        long count = Long.parseLong(args[2]);
        int patients = Integer.parseInt(args[3]);
        String run = Long.toString(System.currentTimeMillis(), 36);
        long start = System.nanoTime();
        long acked = sendAll(bootstrap, count, n -> records.record(topic, run, patients, n));
        System.out.printf(Locale.ROOT, "PRELOADED %d %s for %d patients into %s in %.1f s%n", acked, what, patients, topic,
                (System.nanoTime() - start) / 1e9);
    }

    /** Sends the records {@code record} makes of 0 .. count - 1 with one idempotent producer; throws the first failure. */
    private static long sendAll(String bootstrap, long count, LongFunction<ProducerRecord<String, String>> record) throws Exception {
        AtomicLong acked = new AtomicLong();
        AtomicReference<Exception> failed = new AtomicReference<>();
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(EvaluationLoad.producerConfig(bootstrap, 20, 262144),
                new StringSerializer(), new StringSerializer())) {
            for (long n = 0; n < count && failed.get() == null; n++) {
                producer.send(record.apply(n), (meta, error) -> {
                    if (error != null) {
                        failed.compareAndSet(null, error);
                    } else {
                        acked.incrementAndGet();
                    }
                });
            }
            producer.flush();
        }
        if (failed.get() != null) {
            throw failed.get();
        }
        return acked.get();
    }
}
