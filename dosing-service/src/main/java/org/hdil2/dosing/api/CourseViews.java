package org.hdil2.dosing.api;

import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import java.util.Optional;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.hdil2.dosing.config.DosingProtocols;
import org.hdil2.dosing.domain.Course;
import org.hdil2.dosing.domain.DosingProtocol;
import org.hdil2.dosing.persistence.CourseEntity;
import org.hdil2.dosing.persistence.DoseOpportunityEntity;
import org.hdil2.dosing.persistence.DoseOverrideEntity;
import org.hdil2.dosing.persistence.DoseRecordEntity;
import org.hdil2.kit.problem.ProblemException;

/** Builds the course view: the course, how its dose was computed, and each slot with the entry that stands for it. */
@ApplicationScoped
public class CourseViews {

    @Inject
    DosingProtocols protocols;

    public CourseView of(CourseEntity c) {
        return of(c, ZoneOffset.UTC);
    }

    public Optional<CourseView> find(UUID id, ZoneId zone) {
        return CourseEntity.<CourseEntity>findByIdOptional(id).map(c -> of(c, zone));
    }

    /** The course as a command left it (read after its commit). */
    public CourseView changed(UUID id) {
        return find(id, ZoneOffset.UTC).orElseThrow(() -> ProblemException.notFound("DOSE-0104", "course " + id));
    }

    public CourseEntity course(UUID id) {
        return CourseEntity.<CourseEntity>findByIdOptional(id).orElseThrow(() -> ProblemException.notFound("DOSE-0104", "course " + id));
    }

    public List<CourseView> ofPatient(String patientId) {
        return CourseEntity.ofPatient(patientId).stream().map(this::of).toList();
    }

    /** The view with each scheduled time also shown in {@code zone}, e.g. the ward's. */
    public CourseView of(CourseEntity c, ZoneId zone) {
        // the course stays readable (its ledger above all) when its protocol is no longer loaded; deciding on it is refused
        CourseView.DoseBasis basis = protocols.find(c.protocolId).map(DosingProtocol::dose)
                .map(d -> new CourseView.DoseBasis(d.id(), d.version(), d.source(), d.iuPerKg(), d.weightBasis(),
                        d.iuPerKg() + " IU/kg x " + c.dosingWeightKg.toPlainString() + " kg = " + c.doseIu + " IU (rounded half-up to whole IU)"))
                .orElseGet(() -> new CourseView.DoseBasis(null, null, "protocol " + c.protocolId + " is not loaded in this deployment",
                        0, null, c.doseIu + " IU, as computed when the course was ordered"));
        Map<Integer, List<Course.Entry>> entries = DoseRecordEntity.ofCourse(c.id).stream().map(DoseRecordEntity::entry)
                .collect(Collectors.groupingBy(Course.Entry::doseNumber));
        Map<Integer, DoseOverrideEntity> overrides = DoseOverrideEntity.<DoseOverrideEntity>list("courseId", c.id).stream()
                .collect(Collectors.toMap(o -> o.doseNumber, o -> o));
        List<CourseView.DoseView> doses = DoseOpportunityEntity.ofCourse(c.id).stream().map(o -> new CourseView.DoseView(
                o.doseNumber, o.cycle, o.scheduledAt, local(o.scheduledAt, zone), o.status.name(),
                Course.standing(entries.getOrDefault(o.doseNumber, List.of())).map(CourseViews::record).orElse(null),
                overrides.containsKey(o.doseNumber) ? override(overrides.get(o.doseNumber)) : null)).toList();
        return new CourseView(c.id, c.patientId, c.screeningId, new CourseView.ProtocolRef(c.protocolId, c.protocolVersion),
                c.dosingWeightKg, c.weightMeasuredAt, c.weightSource, c.doseIu, basis, c.firstDoseAt, c.status.name(), c.orderedAt,
                c.orderedBy, c.verifiedBy, c.verifiedAt, c.stopFlaggedAt, c.stopFlagReason, c.endedAt, c.endedBy, c.endReason,
                c.dischargedAt, zone.getId(), doses);
    }

    /** A stored (UTC) time as the ward reads it in {@code zone}, with the offset in force then. */
    public static String local(java.time.Instant at, ZoneId zone) {
        return at.atZone(zone).toOffsetDateTime().toString();
    }

    /** Every ledger entry of the course in recording order, entries entered in error included. */
    public List<CourseView.RecordView> ledger(UUID courseId) {
        return DoseRecordEntity.ofCourse(courseId).stream().map(DoseRecordEntity::entry).map(CourseViews::record).toList();
    }

    static CourseView.RecordView record(Course.Entry r) {
        return new CourseView.RecordView(r.id(), r.kind().name(), r.startedAt(), r.endedAt(), r.iuGiven(), r.administeredBy(),
                r.verifiedBy(), r.reason(), r.corrects(), r.recordedAt(), r.recordedBy());
    }

    private static CourseView.OverrideView override(DoseOverrideEntity o) {
        return new CourseView.OverrideView(o.physician, o.reason, o.createdAt);
    }
}
