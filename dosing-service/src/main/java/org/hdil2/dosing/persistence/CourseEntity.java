package org.hdil2.dosing.persistence;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import org.hdil2.dosing.domain.Course;
import org.hdil2.dosing.domain.CourseStatus;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import io.quarkus.panache.common.Sort;

@Entity
@Table(name = "course")
public class CourseEntity extends PanacheEntityBase {

    @Id
    public UUID id;

    @Column(name = "patient_id", nullable = false)
    public String patientId;

    @Column(name = "screening_id", nullable = false)
    public UUID screeningId;

    @Column(name = "protocol_id", nullable = false)
    public String protocolId;

    @Column(name = "protocol_version", nullable = false)
    public String protocolVersion;

    @Column(name = "dosing_weight_kg", nullable = false, precision = 6, scale = 2)
    public BigDecimal dosingWeightKg;

    @Column(name = "weight_measured_at")
    public Instant weightMeasuredAt;

    @Column(name = "weight_source")
    public String weightSource;

    @Column(name = "dose_iu", nullable = false)
    public long doseIu;

    @Column(name = "first_dose_at", nullable = false)
    public Instant firstDoseAt;

    @Enumerated(EnumType.STRING)
    @Column(nullable = false)
    public CourseStatus status;

    @Column(name = "ordered_at", nullable = false)
    public Instant orderedAt;

    @Column(name = "ordered_by", nullable = false)
    public String orderedBy;

    @Column(name = "ordered_by_subject")
    public String orderedBySubject;

    @Column(name = "verified_by")
    public String verifiedBy;

    @Column(name = "verified_by_subject")
    public String verifiedBySubject;

    @Column(name = "verified_at")
    public Instant verifiedAt;

    /** Set when a permanent-discontinuation criterion was met: the course awaits a physician's review. */
    @Column(name = "stop_flagged_at")
    public Instant stopFlaggedAt;

    @Column(name = "stop_flag_reason")
    public String stopFlagReason;

    @Column(name = "ended_at")
    public Instant endedAt;

    @Column(name = "ended_by")
    public String endedBy;

    @Column(name = "end_reason")
    public String endReason;

    @Column(name = "discharged_at")
    public Instant dischargedAt;

    /** Since when this course's evaluation is announced lapsed (evaluation-lapsed sent, evaluation-restored not yet). */
    @Column(name = "evaluation_lapsed_since")
    public Instant evaluationLapsedSince;

    @Column(name = "evaluation_lapse_reason")
    public String evaluationLapseReason;

    /** The patient's course that is ordered or active, if any (at most one: a unique index keeps it so). */
    public static Optional<CourseEntity> openOf(String patientId) {
        return find("patientId = ?1 and status in (?2, ?3)", patientId, CourseStatus.ORDERED, CourseStatus.ACTIVE).firstResultOptional();
    }

    /** Every course that is ordered or active. */
    public static List<CourseEntity> open() {
        return list("status in (?1, ?2)", CourseStatus.ORDERED, CourseStatus.ACTIVE);
    }

    /** The patient's most recent course that has ended. */
    public static Optional<CourseEntity> lastEndedOf(String patientId) {
        return find("patientId = ?1 and status in (?2, ?3)", Sort.descending("endedAt"), patientId, CourseStatus.COMPLETED, CourseStatus.DISCONTINUED)
                .firstResultOptional();
    }

    public boolean isOpen() {
        return status.open();
    }

    public Course.State state() {
        return new Course.State(id, patientId, screeningId, protocolId, protocolVersion, dosingWeightKg, weightMeasuredAt, weightSource,
                doseIu, firstDoseAt, status, orderedAt, orderedBy, orderedBySubject, verifiedBy, verifiedBySubject, verifiedAt,
                stopFlaggedAt, stopFlagReason, endedAt, endedBy, endReason, dischargedAt);
    }

    /** Takes the course's state; the evaluation-lapse columns belong to the evaluation watch and stay. */
    public CourseEntity write(Course.State s) {
        id = s.id();
        patientId = s.patientId();
        screeningId = s.screeningId();
        protocolId = s.protocolId();
        protocolVersion = s.protocolVersion();
        dosingWeightKg = s.dosingWeightKg();
        weightMeasuredAt = s.weightMeasuredAt();
        weightSource = s.weightSource();
        doseIu = s.doseIu();
        firstDoseAt = s.firstDoseAt();
        status = s.status();
        orderedAt = s.orderedAt();
        orderedBy = s.orderedBy();
        orderedBySubject = s.orderedBySubject();
        verifiedBy = s.verifiedBy();
        verifiedBySubject = s.verifiedBySubject();
        verifiedAt = s.verifiedAt();
        stopFlaggedAt = s.stopFlaggedAt();
        stopFlagReason = s.stopFlagReason();
        endedAt = s.endedAt();
        endedBy = s.endedBy();
        endReason = s.endReason();
        dischargedAt = s.dischargedAt();
        return this;
    }

    public static List<CourseEntity> ofPatient(String patientId) {
        return list("patientId", Sort.descending("orderedAt"), patientId);
    }
}
