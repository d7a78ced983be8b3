package org.hdil2.monitoring.app;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;

import com.fasterxml.jackson.databind.JsonNode;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.hdil2.kit.audit.AuditTrail;
import org.hdil2.kit.inbox.InboundEvent;
import org.hdil2.kit.outbox.Outbox;
import org.hdil2.monitoring.messaging.MonitoringEvents;
import org.hdil2.monitoring.persistence.TherapyDoseEntity;
import org.hdil2.monitoring.persistence.TherapyEntity;

/**
 * The therapy context per patient, from dosing events: a course ordered puts the patient on therapy with the course's
 * dosing weight as weight baseline (monitoring cannot know whether the course will be verified, and a baseline is
 * wanted from the first observation on); a dose given moves the last dose time; a corrected dose no longer counts;
 * the course completed or discontinued ends therapy. Only the patient's newest course counts. Each change is audited
 * and published as {@code therapy-updated} on the observations topic, in order with the patient's observations.
 * Runs inside the inbox transaction.
 */
@ApplicationScoped
public class TherapyTracking {

    public static final String CONSUMER = "monitoring.dosing";

    @Inject
    Outbox outbox;

    @Inject
    AuditTrail audit;

    @ConfigProperty(name = "hdil2.topics.observations")
    String topic;

    private record Snapshot(UUID courseId, boolean onTherapy, BigDecimal baseline, Instant lastDoseAt) {
        static Snapshot of(TherapyEntity t) {
            return t == null ? null : new Snapshot(t.courseId, t.onTherapy, t.baselineWeightKg, t.lastDoseAt);
        }
    }

    @Transactional(Transactional.TxType.MANDATORY)
    public void courseOrdered(InboundEvent event) {
        JsonNode d = event.data();
        UUID courseId = UUID.fromString(d.path("courseId").asText());
        Instant orderedAt = Instant.parse(d.path("orderedAt").asText());
        TherapyEntity t = TherapyEntity.findById(event.patientId());
        Snapshot before = Snapshot.of(t);
        if (t != null && !t.courseId.equals(courseId) && t.orderedAt != null && !orderedAt.isAfter(t.orderedAt)) {
            return; // an older course than the one we know
        }
        if (t == null) {
            t = new TherapyEntity();
            t.patientId = event.patientId();
        }
        if (!courseId.equals(t.courseId)) {
            t.courseId = courseId;
            t.onTherapy = true;
            t.lastDoseAt = lastDose(courseId);
        } else if (before == null) {
            t.onTherapy = true;
        }
        t.orderedAt = orderedAt;
        t.baselineWeightKg = d.path("dosingWeightKg").decimalValue();
        changed(event, t, before);
    }

    @Transactional(Transactional.TxType.MANDATORY)
    public void doseGiven(InboundEvent event) {
        JsonNode d = event.data();
        UUID courseId = UUID.fromString(d.path("courseId").asText());
        UUID recordId = UUID.fromString(d.path("recordId").asText());
        if (TherapyDoseEntity.findById(recordId) == null) {
            TherapyDoseEntity dose = new TherapyDoseEntity();
            dose.recordId = recordId;
            dose.courseId = courseId;
            dose.patientId = event.patientId();
            dose.startedAt = Instant.parse(d.path("startedAt").asText());
            dose.persist();
        }
        TherapyEntity t = TherapyEntity.findById(event.patientId());
        Snapshot before = Snapshot.of(t);
        if (t == null) {
            // a dose of a course whose order we did not see: on therapy, baseline unknown
            t = new TherapyEntity();
            t.patientId = event.patientId();
            t.courseId = courseId;
            t.onTherapy = true;
        } else if (!t.courseId.equals(courseId)) {
            return;
        }
        TherapyDoseEntity.getEntityManager().flush();
        t.lastDoseAt = lastDose(courseId);
        changed(event, t, before);
    }

    @Transactional(Transactional.TxType.MANDATORY)
    public void doseCorrected(InboundEvent event) {
        JsonNode d = event.data();
        TherapyDoseEntity dose = TherapyDoseEntity.findById(UUID.fromString(d.path("correctedRecordId").asText()));
        if (dose == null || dose.corrected) {
            return;
        }
        dose.corrected = true;
        TherapyDoseEntity.getEntityManager().flush();
        TherapyEntity t = TherapyEntity.findById(event.patientId());
        if (t == null || !t.courseId.equals(dose.courseId)) {
            return;
        }
        Snapshot before = Snapshot.of(t);
        t.lastDoseAt = lastDose(t.courseId);
        changed(event, t, before);
    }

    /** Course completed or discontinued: therapy ends, if it is the patient's current course. */
    @Transactional(Transactional.TxType.MANDATORY)
    public void courseEnded(InboundEvent event) {
        UUID courseId = UUID.fromString(event.data().path("courseId").asText());
        TherapyEntity t = TherapyEntity.findById(event.patientId());
        Snapshot before = Snapshot.of(t);
        if (t == null) {
            t = new TherapyEntity();
            t.patientId = event.patientId();
            t.courseId = courseId;
        } else if (!t.courseId.equals(courseId)) {
            return;
        }
        t.onTherapy = false;
        changed(event, t, before);
    }

    private static Instant lastDose(UUID courseId) {
        return TherapyDoseEntity.<TherapyDoseEntity>find("courseId = ?1 and corrected = false order by startedAt desc", courseId)
                .firstResultOptional().map(dose -> dose.startedAt).orElse(null);
    }

    private void changed(InboundEvent event, TherapyEntity t, Snapshot before) {
        Snapshot after = Snapshot.of(t);
        if (before != null && Objects.equals(before.courseId(), after.courseId()) && before.onTherapy() == after.onTherapy()
                && (before.baseline() == null ? after.baseline() == null
                : after.baseline() != null && before.baseline().compareTo(after.baseline()) == 0)
                && Objects.equals(before.lastDoseAt(), after.lastDoseAt())) {
            return;
        }
        t.updatedAt = Instant.now().truncatedTo(ChronoUnit.MICROS);
        t.persist();
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("patientId", t.patientId);
        data.put("courseId", t.courseId.toString());
        data.put("onTherapy", t.onTherapy);
        if (t.baselineWeightKg != null) {
            data.put("baselineWeightKg", t.baselineWeightKg);
        }
        if (t.lastDoseAt != null) {
            data.put("lastDoseAt", t.lastDoseAt.toString());
        }
        data.put("updatedAt", t.updatedAt.toString());
        outbox.append(topic, t.patientId, MonitoringEvents.THERAPY_UPDATED, t.updatedAt, data);
        audit.byEvent(CONSUMER, event.id(), "therapy.update", t.patientId, "Therapy", t.courseId.toString(),
                Map.of("onTherapy", t.onTherapy, "event", event.type()));
    }
}
