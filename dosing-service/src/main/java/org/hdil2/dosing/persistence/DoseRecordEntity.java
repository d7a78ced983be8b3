package org.hdil2.dosing.persistence;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import io.quarkus.panache.common.Sort;

/**
 * One entry of the dose ledger. Append-only: a mistake is corrected by a new ENTERED_IN_ERROR entry that names the
 * entry it voids ({@code corrects}); no entry is ever changed.
 */
@Entity
@Table(name = "dose_record")
public class DoseRecordEntity extends PanacheEntityBase {

    public static final String GIVEN = "GIVEN";
    public static final String HELD = "HELD";
    public static final String MISSED = "MISSED";
    public static final String CANCELLED = "CANCELLED";
    public static final String ENTERED_IN_ERROR = "ENTERED_IN_ERROR";

    @Id
    public UUID id;

    @Column(name = "course_id", nullable = false)
    public UUID courseId;

    @Column(name = "dose_number", nullable = false)
    public int doseNumber;

    @Column(nullable = false)
    public String kind;

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

    /** Of one slot's entries in recording order, the latest that is not itself a correction and that no correction voids. */
    public static Optional<DoseRecordEntity> standing(List<DoseRecordEntity> slotEntries) {
        List<UUID> voided = slotEntries.stream().filter(e -> e.corrects != null).map(e -> e.corrects).toList();
        return slotEntries.stream().filter(e -> !ENTERED_IN_ERROR.equals(e.kind) && !voided.contains(e.id))
                .reduce((first, second) -> second);
    }
}
