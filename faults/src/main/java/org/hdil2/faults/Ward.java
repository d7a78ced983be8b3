package org.hdil2.faults;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.hdil2.local.DemoPatient;
import org.hdil2.local.Http;
import org.hdil2.local.Service;
import org.hdil2.local.Stack;

/**
 * A ward at work while faults happen: patients screened, ordered a course, verified and assigned a nurse; every
 * 1.5 s each patient's bedside set (eight observations, a quarter of them hypotensive, some through the device
 * topic), the pre-dose decision asked, the first dose given when it may be (or held, and for some corrected and
 * recorded again); alerts older than 20 s acknowledged (so escalations happen first). Every request is one a client
 * may repeat, and is repeated until it is answered.
 */
final class Ward implements AutoCloseable {

    private static final ObjectMapper JSON = new ObjectMapper();
    static final String WARD = "W-faults";
    private final Stack stack;
    private final Clients clients;
    private final Observed observed;
    private final Random random;
    private final List<String> patients = new ArrayList<>();
    private final List<Thread> threads = new ArrayList<>();
    private final AtomicBoolean running = new AtomicBoolean();
    private final KafkaProducer<String, String> device;
    private final String physician;
    private final String pharmacist;
    private final String nurse;
    private final String secondNurse;
    private final String gateway;

    Ward(Stack stack, Clients clients, Observed observed, String bootstrap, String prefix, int count, long seed) {
        this.stack = stack;
        this.clients = clients;
        this.observed = observed;
        this.random = new Random(seed);
        for (int i = 0; i < count; i++) {
            patients.add(prefix + "-" + i);
        }
        physician = stack.token("dr-faults", "physician", Duration.ofHours(4));
        pharmacist = stack.token("pharm-faults", "pharmacist", Duration.ofHours(4));
        nurse = stack.token("nurse-faults", "nurse", Duration.ofHours(4));
        secondNurse = stack.token("nurse-faults-2", "nurse", Duration.ofHours(4));
        gateway = stack.token("gateway-faults", "device", Duration.ofHours(4));
        Properties props = new Properties();
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        props.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        props.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        props.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, 180_000);
        device = new KafkaProducer<>(props);
    }

    /** Admits every patient (screening, course, verification, a nurse assigned) and starts the work. */
    void start() {
        List<java.util.concurrent.CompletableFuture<Patient>> admitting = new ArrayList<>();
        for (int i = 0; i < patients.size(); i++) {
            int index = i;
            admitting.add(java.util.concurrent.CompletableFuture.supplyAsync(() -> admit(patients.get(index), index)));
        }
        List<Patient> admitted = admitting.stream().map(java.util.concurrent.CompletableFuture::join).toList();
        running.set(true);
        for (Patient p : admitted) {
            Thread t = new Thread(() -> care(p), "ward-" + p.id);
            t.setDaemon(true);
            threads.add(t);
        }
        Thread acks = new Thread(this::acknowledgeAlerts, "ward-alerts");
        acks.setDaemon(true);
        threads.add(acks);
        threads.forEach(Thread::start);
    }

    /** Stops the work and waits for the requests in flight. */
    void stop() {
        running.set(false);
        for (Thread t : threads) {
            try {
                t.join(TimeUnit.MINUTES.toMillis(3));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        threads.clear();
        device.flush();
    }

    private static final class Patient {
        final String id;
        final int index;
        final String courseId;
        final long doseIu;
        String doseState = "SCHEDULED";
        boolean corrected;

        Patient(String id, int index, String courseId, long doseIu) {
            this.id = id;
            this.index = index;
            this.courseId = courseId;
            this.doseIu = doseIu;
        }
    }

    private Patient admit(String patient, int index) {
        observed.patients.add(patient);
        require(clients.call(Service.ELIGIBILITY, base -> Http.post(base + "/api/v1/screenings", physician,
                DemoPatient.screeningRequest(patient, "METASTATIC_MELANOMA", "2.8", "81"))), 201, "screening " + patient);
        String order = """
                {"patientId":"%s","dosingWeightKg":72,"weightMeasuredAt":"%s","weightSource":"bed scale","firstDoseAt":"%s"}"""
                .formatted(patient, Instant.now().minus(2, ChronoUnit.HOURS).truncatedTo(ChronoUnit.SECONDS),
                        Instant.now().truncatedTo(ChronoUnit.SECONDS));
        JsonNode course = null;
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
        while (course == null && System.nanoTime() < deadline) {
            Http.Response r = clients.call(Service.DOSING, base -> Http.post(base + "/api/v1/courses", physician, order));
            if (r != null && r.status() == 201) {
                course = r.body();
            } else if (r != null && "DOSE-0102".equals(r.body().path("code").asText())) {
                // a retry of an order that did go through: the open course is the one
                course = clients.call(Service.DOSING, base -> Http.get(base + "/api/v1/courses?patientId=" + patient, physician)).body().get(0);
            } else {
                OwnInfra.pause(Duration.ofMillis(500)); // the screening event is on its way to dosing
            }
        }
        if (course == null) {
            throw new IllegalStateException("no course for " + patient);
        }
        String courseId = course.path("id").asText();
        Http.Response verified = clients.call(Service.DOSING, base -> Http.post(base + "/api/v1/courses/" + courseId + "/verification",
                pharmacist, ""));
        if (verified == null || (verified.status() != 200 && !"DOSE-0114".equals(verified.body().path("code").asText()))) {
            throw new IllegalStateException("verification of " + patient + ": " + (verified == null ? "no answer" : verified.body()));
        }
        require(clients.call(Service.ALERT, base -> Http.post(base + "/api/v1/assignments", nurse, """
                {"ward":"%s","bed":"B%d","patientId":"%s","user":"nurse-faults","role":"PRIMARY_NURSE"}"""
                .formatted(WARD, index, patient))), 201, "assignment " + patient);
        return new Patient(patient, index, courseId, course.path("doseIu").asLong());
    }

    private void care(Patient p) {
        while (running.get()) {
            long started = System.nanoTime();
            chart(p);
            decideAndDose(p);
            long left = 1500 - (System.nanoTime() - started) / 1_000_000;
            if (left > 0) {
                OwnInfra.pause(Duration.ofMillis(left));
            }
        }
    }

    /** One bedside set: over REST (most) or, as a device gateway would, on the device topic. */
    private void chart(Patient p) {
        int sbp;
        boolean viaDevice;
        synchronized (random) {
            sbp = random.nextInt(4) == 0 ? 76 + random.nextInt(13) : 100 + random.nextInt(26);
            viaDevice = random.nextInt(10) < 3;
        }
        Instant at = Instant.now().minusMillis(500);
        List<ObjectNode> set = bedsideSet(p.id, sbp, at);
        if (viaDevice) {
            try {
                List<java.util.concurrent.Future<?>> acks = new ArrayList<>();
                for (ObjectNode o : set) {
                    acks.add(device.send(new ProducerRecord<>("hdil2.monitoring.observations.inbound.v1", p.id, o.toString())));
                }
                for (java.util.concurrent.Future<?> ack : acks) {
                    ack.get(3, TimeUnit.MINUTES);
                }
                set.forEach(o -> observed.accepted.add(new Observed.Accepted(p.id, UUID.fromString(o.path("observationId").asText()),
                        sbp, Instant.now(), true)));
            } catch (Exception notAcknowledged) {
                observed.gaveUp.incrementAndGet(); // not acknowledged by the broker: the suite promised nothing
            }
            return;
        }
        ArrayNode items = JSON.createArrayNode();
        set.forEach(items::add);
        String body = JSON.createObjectNode().set("observations", items).toString();
        Http.Response r = clients.call(Service.MONITORING, base -> Http.post(base + "/api/v1/observations/batch", gateway, body));
        if (r != null && r.status() / 100 == 2) {
            set.forEach(o -> observed.accepted.add(new Observed.Accepted(p.id, UUID.fromString(o.path("observationId").asText()), sbp,
                    Instant.now(), false)));
        } else {
            observed.gaveUp.incrementAndGet();
        }
    }

    private static List<ObjectNode> bedsideSet(String patient, int sbp, Instant at) {
        List<ObjectNode> set = new ArrayList<>();
        String local = "https://hdil2.org/fhir/CodeSystem/observation";
        set.add(quantity(patient, "8480-6", sbp, "mm[Hg]", at));
        set.add(quantity(patient, "8867-4", 88, "/min", at));
        set.add(quantity(patient, "9279-1", 16, "/min", at));
        set.add(quantity(patient, "59408-5", 97, "%", at));
        set.add(quantity(patient, "8310-5", 37.2, "Cel", at));
        set.add(quantity(patient, "3151-8", 0, "L/min", at));
        set.add(coded(patient, local, "acvpu", "A", at));
        set.add(coded(patient, local, "confusion-grade", "NONE", at));
        return set;
    }

    private static ObjectNode quantity(String patient, String code, Number value, String unit, Instant at) {
        ObjectNode o = JSON.createObjectNode().put("observationId", UUID.randomUUID().toString()).put("patientId", patient).put("code", code);
        o.putPOJO("value", value);
        o.put("unit", unit).put("effectiveTime", at.toString());
        o.putObject("source").put("kind", "DEVICE").put("id", "monitor-" + patient);
        return o;
    }

    private static ObjectNode coded(String patient, String system, String code, String valueCode, Instant at) {
        return JSON.createObjectNode().put("observationId", UUID.randomUUID().toString()).put("patientId", patient).put("system", system)
                .put("code", code).put("valueCode", valueCode).put("effectiveTime", at.toString());
    }

    /**
     * The nurse asks for the decision; for even patients the first dose is given when it is GIVE, odd ones have it held;
     * every third patient's entry is then corrected (entered in error) and recorded again.
     */
    private void decideAndDose(Patient p) {
        String dosing = "/api/v1/courses/" + p.courseId;
        Http.Response d = clients.call(Service.DOSING, base -> Http.get(base + dosing + "/doses/next/decision", nurse));
        if (d == null || d.status() != 200) {
            return;
        }
        String decision = d.body().path("decision").asText();
        JsonNode intake = d.body().path("evaluationIntakeSequence");
        // the server's time of the decision: a response can be slow to come back, and the decision rests on what was seen then
        Instant decidedAt = Instant.parse(d.body().path("decidedAt").asText());
        observed.decisions.add(new Observed.Decision(p.id, decidedAt, decision, intake.isNumber() ? intake.asLong() : null));
        if (d.body().path("doseNumber").asInt() != 1) {
            return;
        }
        if ("SCHEDULED".equals(p.doseState)) {
            if (p.index % 2 == 1) {
                command(p, "HELD", dosing + "/doses/1/hold", "{\"reason\":\"patient asleep; physician informed\"}");
            } else if ("GIVE".equals(decision)) {
                command(p, "GIVEN", dosing + "/doses/1/administration", """
                        {"startedAt":"%s","iuGiven":%d}""".formatted(Instant.now().minusSeconds(5), p.doseIu));
            }
        } else if (p.index % 3 == 0 && !p.corrected) {
            if (command(p, "ENTERED_IN_ERROR", dosing + "/doses/1/corrections", "{\"reason\":\"recorded on the wrong dose\"}")) {
                p.corrected = true;
                p.doseState = "SCHEDULED";
            }
        }
    }

    /** A dose command with an Idempotency-Key, repeated with the same key until it is answered. */
    private boolean command(Patient p, String kind, String path, String body) {
        String key = kind.toLowerCase() + "-" + UUID.randomUUID();
        Http.Response r = clients.call(Service.DOSING, base -> post(base + path, key, body));
        if (r != null && r.status() == 200) {
            observed.doseCommands.add(new Observed.DoseCommand(p.id, p.courseId, kind, key));
            if (!"ENTERED_IN_ERROR".equals(kind)) {
                p.doseState = kind;
            }
            return true;
        }
        if (r == null) {
            observed.gaveUp.incrementAndGet();
        }
        return false;
    }

    /** A dose command: the ward's nurse records, the second nurse signs with her own token (a dose given, a void). */
    private Http.Response post(String url, String key, String body) {
        return Http.post(url, nurse, body, Map.of("Idempotency-Key", key, "Second-Signature", "Bearer " + secondNurse));
    }

    /** Every 3 s: alerts of the ward open for more than 20 s are acknowledged. */
    private void acknowledgeAlerts() {
        while (running.get()) {
            Http.Response open = clients.call(Service.ALERT, base -> Http.get(base + "/api/v1/alerts?ward=" + WARD + "&status=ACTIVE,LATCHED&size=200",
                    nurse));
            if (open != null && open.status() == 200) {
                for (JsonNode a : open.body()) {
                    if (Instant.parse(a.path("raisedAt").asText()).isBefore(Instant.now().minusSeconds(20))) {
                        String id = a.path("id").asText();
                        Http.Response ack = clients.call(Service.ALERT, base -> Http.post(base + "/api/v1/alerts/" + id + "/acknowledge", nurse, "{}"));
                        if (ack != null && ack.status() == 200) {
                            observed.acknowledged.add(id);
                        }
                    }
                }
            }
            OwnInfra.pause(Duration.ofSeconds(3));
        }
    }

    private void require(Http.Response r, int status, String what) {
        if (r == null || r.status() != status) {
            throw new IllegalStateException(what + ": " + (r == null ? "no answer" : r.status() + " " + r.body()));
        }
    }

    @Override
    public void close() {
        stop();
        device.close(Duration.ofSeconds(10));
    }

    List<String> patients() {
        return patients;
    }
}
