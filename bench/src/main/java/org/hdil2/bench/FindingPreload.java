package org.hdil2.bench;

import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;

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
        String bootstrap = args[0];
        String topic = args[1];
        long count = Long.parseLong(args[2]);
        int patients = Integer.parseInt(args[3]);
        String run = Long.toString(System.currentTimeMillis(), 36);
        AtomicLong acked = new AtomicLong();
        AtomicReference<Exception> failed = new AtomicReference<>();
        long start = System.nanoTime();
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(EvaluationLoad.producerConfig(bootstrap, 20, 262144),
                new StringSerializer(), new StringSerializer())) {
            for (long n = 0; n < count && failed.get() == null; n++) {
                int patientNo = (int) (n % patients);
                long round = n / patients; // even rounds raise, odd rounds clear what the round before raised
                boolean raise = round % 2 == 0;
                String patient = "bench-" + run + "-" + patientNo;
                String findingId = UUID.nameUUIDFromBytes((run + "|" + patientNo + "|" + round / 2).getBytes(StandardCharsets.UTF_8)).toString();
                ProducerRecord<String, String> record = AlertLatency.finding(topic, patient, raise, findingId, patientNo % 2 == 0);
                producer.send(record, (meta, error) -> {
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
        System.out.printf(Locale.ROOT, "PRELOADED %d findings (raised / cleared) for %d patients into %s in %.1f s%n", acked.get(), patients,
                topic, (System.nanoTime() - start) / 1e9);
    }
}
