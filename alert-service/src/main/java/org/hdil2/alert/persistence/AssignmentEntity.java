package org.hdil2.alert.persistence;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import io.quarkus.panache.common.Parameters;
import io.quarkus.panache.common.Sort;

/**
 * A care-team assignment: {@code userId} covers, in {@code role}, either one patient (patientId set; ward and bed
 * then also say where the patient lies) or a ward or one bed of it (patientId empty), from validFrom until validTo.
 */
@Entity
@Table(name = "care_assignment")
public class AssignmentEntity extends PanacheEntityBase {

    @Id
    public UUID id;

    @Column(nullable = false)
    public String ward;

    public String bed;

    @Column(name = "patient_id")
    public String patientId;

    @Column(name = "user_id", nullable = false)
    public String userId;

    @Column(nullable = false)
    public String role;

    @Column(name = "valid_from", nullable = false)
    public Instant validFrom;

    @Column(name = "valid_to")
    public Instant validTo;

    @Column(name = "created_at", nullable = false)
    public Instant createdAt;

    @Column(name = "created_by", nullable = false)
    public String createdBy;

    @Column(name = "updated_at", nullable = false)
    public Instant updatedAt;

    private static final String VALID_AT = "validFrom <= :at and (validTo is null or validTo > :at)";

    /** The newest assignment in force at {@code at} that names this patient: it says the patient's ward and bed. */
    public static AssignmentEntity locationOf(String patientId, Instant at) {
        return find("patientId = :patient and " + VALID_AT, Sort.descending("validFrom"),
                Parameters.with("patient", patientId).and("at", at)).firstResult();
    }

    /** Users covering the patient in {@code role} at {@code at}: named for the patient, or for their ward or bed. */
    public static List<String> coverers(String patientId, String ward, String bed, String role, Instant at) {
        StringBuilder q = new StringBuilder("role = :role and " + VALID_AT + " and (patientId = :patient");
        Parameters p = Parameters.with("role", role).and("at", at).and("patient", patientId);
        if (ward != null) {
            q.append(" or (patientId is null and ward = :ward and (bed is null");
            p.and("ward", ward);
            if (bed != null) {
                q.append(" or bed = :bed");
                p.and("bed", bed);
            }
            q.append("))");
        }
        q.append(")");
        return AssignmentEntity.<AssignmentEntity>list(q.toString(), Sort.ascending("userId"), p).stream()
                .map(a -> a.userId).distinct().toList();
    }

    public static List<AssignmentEntity> search(String ward, String patientId, String userId, Instant at) {
        StringBuilder q = new StringBuilder("1 = 1");
        Parameters p = new Parameters();
        if (ward != null) {
            q.append(" and ward = :ward");
            p.and("ward", ward);
        }
        if (patientId != null) {
            q.append(" and patientId = :patient");
            p.and("patient", patientId);
        }
        if (userId != null) {
            q.append(" and userId = :user");
            p.and("user", userId);
        }
        if (at != null) {
            q.append(" and " + VALID_AT);
            p.and("at", at);
        }
        return list(q.toString(), Sort.ascending("ward").and("bed").and("validFrom"), p);
    }
}
