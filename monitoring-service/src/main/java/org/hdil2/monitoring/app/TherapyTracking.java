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

import org.hdil2.kit.audit.AuditTrail;
import org.hdil2.kit.outbox.Outbox;
import org.hdil2.monitoring.config.Topics;
import org.hdil2.monitoring.messaging.DosingEvent;
import org.hdil2.monitoring.messaging.MonitoringEvents;
import org.hdil2.monitoring.persistence.TherapyDoseEntity;
import org.hdil2.monitoring.persistence.TherapyEntity;

/**
 * The therapy context per patient, from dosing events: a course ordered puts the patient on therapy with the course's
 * dosing weight as weight baseline (monitoring cannot know whether the course will be verified, and a baseline is
 * wanted from the first observation on); a dose given moves the last dose time; a corrected dose no longer counts;
 * the course completed or discontinued ends therapy; the course's protocol (from its order, or a physician's change)
 * is the one the patient is evaluated under. Only the patient's newest course counts. Each change is audited
 * and published as {@code therapy-updated} on the observations topic, in order with the patient's observations.
 * Runs inside the inbox transaction.
 */
@ApplicationScoped
public class TherapyTracking {

    public static final String CONSUMER = "monitoring.dosing";

    @Inject
    Topics topics;

    @Inject
    Outbox outbox;

    @Inject
    AuditTrail audit;

    private record Snapshot(UUID courseId, boolean onTherapy, BigDecimal baseline, Instant lastDoseAt, String protocolId,
                            String protocolVersion) {
        static Snapshot of(TherapyEntity t) {
            return t == null ? null : new Snapshot(t.courseId, t.onTherapy, t.baselineWeightKg, t.lastDoseAt, t.protocolId,
                    t.protocolVersion);
        }
    }

    @Transactional(Transactional.TxType.MANDATORY)
    public void courseOrdered(DosingEvent event) {
        UUID courseId = event.courseId();
        Instant orderedAt = event.orderedAt();
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
        t.baselineWeightKg = event.dosingWeightKg();
        t.protocolId = event.protocolId();
        t.protocolVersion = event.protocolVersion();
        changed(event, t, before);
    }

    /** A physician moved the course to another protocol: the patient is evaluated under it from this event on. */
    @Transactional(Transactional.TxType.MANDATORY)
    public void protocolChanged(DosingEvent event) {
        TherapyEntity t = TherapyEntity.findById(event.patientId());
        if (t == null || !t.courseId.equals(event.courseId())) {
            return; // a course we do not know or no longer follow: its order, if it comes, names the protocol
        }
        Snapshot before = Snapshot.of(t);
        t.protocolId = event.protocolId();
        t.protocolVersion = event.protocolVersion();
        changed(event, t, before);
    }

    @Transactional(Transactional.TxType.MANDATORY)
    public void doseGiven(DosingEvent event) {
        UUID courseId = event.courseId();
        UUID recordId = event.recordId();
        if (TherapyDoseEntity.findById(recordId) == null) {
            TherapyDoseEntity dose = new TherapyDoseEntity();
            dose.recordId = recordId;
            dose.courseId = courseId;
            dose.patientId = event.patientId();
            dose.startedAt = event.startedAt();
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
    public void doseCorrected(DosingEvent event) {
        TherapyDoseEntity dose = TherapyDoseEntity.findById(event.correctedRecordId());
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
    public void courseEnded(DosingEvent event) {
        UUID courseId = event.courseId();
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

    private void changed(DosingEvent event, TherapyEntity t, Snapshot before) {
        Snapshot after = Snapshot.of(t);
        if (before != null && Objects.equals(before.courseId(), after.courseId()) && before.onTherapy() == after.onTherapy()
                && (before.baseline() == null ? after.baseline() == null
                : after.baseline() != null && before.baseline().compareTo(after.baseline()) == 0)
                && Objects.equals(before.lastDoseAt(), after.lastDoseAt()) && Objects.equals(before.protocolId(), after.protocolId())
                && Objects.equals(before.protocolVersion(), after.protocolVersion())) {
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
        if (t.protocolId != null) {
            data.put("protocol", t.protocolVersion == null ? Map.of("id", t.protocolId) : Map.of("id", t.protocolId, "version", t.protocolVersion));
        }
        data.put("updatedAt", t.updatedAt.toString());
        outbox.append(topics.observations(), t.patientId, MonitoringEvents.THERAPY_UPDATED, t.updatedAt, data);
        audit.byEvent(CONSUMER, event.eventId(), "therapy.update", t.patientId, "Therapy", t.courseId.toString(),
                Map.of("onTherapy", t.onTherapy, "event", event.type()));
    }
}
