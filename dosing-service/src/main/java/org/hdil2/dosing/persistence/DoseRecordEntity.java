package org.hdil2.dosing.persistence;

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
import org.hdil2.dosing.domain.EntryKind;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import io.quarkus.panache.common.Sort;

/**
 * One entry of the dose ledger. Append-only: a mistake is corrected by a new ENTERED_IN_ERROR entry that names the
 * entry it voids ({@code corrects}); no entry is ever changed.
 */
@Entity
@Table(name = "dose_record")
public class DoseRecordEntity extends PanacheEntityBase {

    @Id
    public UUID id;

    @Column(name = "course_id", nullable = false)
    public UUID courseId;

    @Column(name = "dose_number", nullable = false)
    public int doseNumber;

    @Enumerated(EnumType.STRING)
    @Column(nullable = false)
    public EntryKind kind;

    @Column(name = "started_at")
    public Instant startedAt;

    @Column(name = "ended_at")
    public Instant endedAt;

    @Column(name = "iu_given")
    public Long iuGiven;

    @Column(name = "administered_by")
    public String administeredBy;

    @Column(name = "verified_by")
    public String verifiedBy;

    @Column(name = "verified_by_subject")
    public String verifiedBySubject;

    @Column
    public String reason;

    /** The pre-dose decision the entry was made on, JSON. */
    @Column
    public String decision;

    @Column
    public UUID corrects;

    @Column(name = "recorded_at", nullable = false)
    public Instant recordedAt;

    @Column(name = "recorded_by", nullable = false)
    public String recordedBy;

    @Column(name = "recorded_by_subject")
    public String recordedBySubject;

    @Column(name = "idempotency_key", unique = true)
    public String idempotencyKey;

    public static List<DoseRecordEntity> ofCourse(UUID courseId) {
        return list("courseId", Sort.ascending("recordedAt"), courseId);
    }

    public static Optional<DoseRecordEntity> byIdempotencyKey(String key) {
        return key == null ? Optional.empty() : find("idempotencyKey", key).firstResultOptional();
    }

    public static List<DoseRecordEntity> ofSlot(UUID courseId, int doseNumber) {
        return list("courseId = ?1 and doseNumber = ?2", Sort.ascending("recordedAt"), courseId, doseNumber);
    }

    public Course.Entry entry() {
        return new Course.Entry(id, doseNumber, kind, startedAt, endedAt, iuGiven, administeredBy, verifiedBy, verifiedBySubject, reason,
                decision, corrects, recordedAt, recordedBy, recordedBySubject, idempotencyKey);
    }

    public static DoseRecordEntity of(UUID courseId, Course.Entry e) {
        DoseRecordEntity r = new DoseRecordEntity();
        r.id = e.id();
        r.courseId = courseId;
        r.doseNumber = e.doseNumber();
        r.kind = e.kind();
        r.startedAt = e.startedAt();
        r.endedAt = e.endedAt();
        r.iuGiven = e.iuGiven();
        r.administeredBy = e.administeredBy();
        r.verifiedBy = e.verifiedBy();
        r.verifiedBySubject = e.verifiedBySubject();
        r.reason = e.reason();
        r.decision = e.decision();
        r.corrects = e.corrects();
        r.recordedAt = e.recordedAt();
        r.recordedBy = e.recordedBy();
        r.recordedBySubject = e.recordedBySubject();
        r.idempotencyKey = e.idempotencyKey();
        return r;
    }
}
