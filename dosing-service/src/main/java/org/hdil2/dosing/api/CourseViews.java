package org.hdil2.dosing.persistence;

import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.hdil2.dosing.api.CourseView;
import org.hdil2.dosing.domain.DosingProtocol;

/** Builds the course view: the course, how its dose was computed, and each slot with the entry that stands for it. */
@ApplicationScoped
public class CourseViews {

    @Inject
    DosingProtocol protocol;

    public CourseView of(CourseEntity c) {
        return of(c, ZoneOffset.UTC);
    }

    /** The view with each scheduled time also shown in {@code zone}, e.g. the ward's. */
    public CourseView of(CourseEntity c, ZoneId zone) {
        DosingProtocol.Dose d = protocol.dose();
        CourseView.DoseBasis basis = new CourseView.DoseBasis(d.id(), d.version(), d.source(), d.iuPerKg(), d.weightBasis(),
                d.iuPerKg() + " IU/kg x " + c.dosingWeightKg.toPlainString() + " kg = " + c.doseIu + " IU (rounded half-up to whole IU)");
        Map<Integer, List<DoseRecordEntity>> entries = DoseRecordEntity.ofCourse(c.id).stream()
                .collect(Collectors.groupingBy(r -> r.doseNumber));
        Map<Integer, DoseOverrideEntity> overrides = DoseOverrideEntity.<DoseOverrideEntity>list("courseId", c.id).stream()
                .collect(Collectors.toMap(o -> o.doseNumber, o -> o));
        List<CourseView.DoseView> doses = DoseOpportunityEntity.ofCourse(c.id).stream().map(o -> new CourseView.DoseView(
                o.doseNumber, o.cycle, o.scheduledAt, local(o.scheduledAt, zone), o.status,
                DoseRecordEntity.standing(entries.getOrDefault(o.doseNumber, List.of())).map(CourseViews::record).orElse(null),
                overrides.containsKey(o.doseNumber) ? override(overrides.get(o.doseNumber)) : null)).toList();
        return new CourseView(c.id, c.patientId, c.screeningId, new CourseView.ProtocolRef(c.protocolId, c.protocolVersion),
                c.dosingWeightKg, c.weightMeasuredAt, c.weightSource, c.doseIu, basis, c.firstDoseAt, c.status, c.orderedAt,
                c.orderedBy, c.verifiedBy, c.verifiedAt, c.stopFlaggedAt, c.stopFlagReason, c.endedAt, c.endedBy, c.endReason,
                c.dischargedAt, zone.getId(), doses);
    }

    /** A stored (UTC) time as the ward reads it in {@code zone}, with the offset in force then. */
    public static String local(java.time.Instant at, ZoneId zone) {
        return at.atZone(zone).toOffsetDateTime().toString();
    }

    /** Every ledger entry of the course in recording order, entries entered in error included. */
    public List<CourseView.RecordView> ledger(CourseEntity c) {
        return DoseRecordEntity.ofCourse(c.id).stream().map(CourseViews::record).toList();
    }

    static CourseView.RecordView record(DoseRecordEntity r) {
        return new CourseView.RecordView(r.id, r.kind, r.startedAt, r.endedAt, r.iuGiven, r.administeredBy, r.verifiedBy,
                r.reason, r.corrects, r.recordedAt, r.recordedBy);
    }

    private static CourseView.OverrideView override(DoseOverrideEntity o) {
        return new CourseView.OverrideView(o.physician, o.reason, o.createdAt);
    }
}
