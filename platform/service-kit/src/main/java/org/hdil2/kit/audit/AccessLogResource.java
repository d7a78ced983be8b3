package org.hdil2.kit.audit;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;

import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.hdil2.kit.problem.ProblemConfig;
import org.hdil2.kit.problem.ProblemException;

import io.agroal.api.AgroalDataSource;

/**
 * For the privacy officer: everything this service knows of who touched a patient's record, newest first. Reads come
 * from the access log, changes from the audit trail. Each service answers for its own database; the suite's whole
 * answer is the four services' answers together.
 */
@Path("/api/v1/access-log")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "Access log", description = "Who read or changed a patient's record (privacy officer)")
@RolesAllowed("privacy-officer")
public class AccessLogResource {

    static final Duration DEFAULT_SPAN = Duration.ofDays(30);

    @Inject
    AgroalDataSource dataSource;

    @Inject
    AccessLog accessLog;

    @Inject
    ProblemConfig problems;

    /**
     * One access or change. {@code kind}: READ (one resource shown), SEARCH (a list that held the patient's resources),
     * STREAM (pushed to an open stream) or CHANGE (a state change; {@code action} says which).
     */
    public record AccessView(String kind, Instant at, String actor, String roles, String resourceType, String resourceId,
                             String requestId, String action, String channel) {
    }

    @GET
    @Operation(summary = "Who read or changed the patient's record between from (inclusive) and to (exclusive); default the last 30 days")
    public List<AccessView> ofPatient(@QueryParam("patientId") @NotBlank String patientId,
                                      @QueryParam("from") String from, @QueryParam("to") String to,
                                      @QueryParam("page") @DefaultValue("0") @Min(0) @Max(10000) int page,
                                      @QueryParam("size") @DefaultValue("100") @Min(1) @Max(1000) int size) {
        Instant end = to == null ? Instant.now().plusSeconds(1) : instant("to", to);
        Instant start = from == null ? end.minus(DEFAULT_SPAN) : instant("from", from);
        if (!start.isBefore(end)) {
            throw ProblemException.invalid(problems.codePrefix() + "-0013", "from", "must be before to");
        }
        accessLog.read(patientId, "AccessLog", null);
        accessLog.flush();
        String sql = "select access as kind, occurred_at, actor, actor_roles, resource_type, resource_id, request_id, "
                + "null as action, 'http' as channel from access_entry where patient_id = ? and occurred_at >= ? and occurred_at < ? "
                + "union all select 'CHANGE', occurred_at, actor, actor_roles, resource_type, resource_id, request_id, action, channel "
                + "from audit_entry where patient_id = ? and occurred_at >= ? and occurred_at < ? "
                + "order by occurred_at desc, kind limit ? offset ?";
        try (Connection c = dataSource.getConnection(); PreparedStatement st = c.prepareStatement(sql)) {
            for (int i = 0; i < 2; i++) {
                st.setString(1 + 3 * i, patientId);
                st.setTimestamp(2 + 3 * i, Timestamp.from(start));
                st.setTimestamp(3 + 3 * i, Timestamp.from(end));
            }
            st.setInt(7, size);
            st.setLong(8, (long) page * size);
            List<AccessView> views = new ArrayList<>();
            try (ResultSet rs = st.executeQuery()) {
                while (rs.next()) {
                    views.add(new AccessView(rs.getString(1), rs.getTimestamp(2).toInstant(), rs.getString(3), rs.getString(4),
                            rs.getString(5), rs.getString(6), rs.getString(7), rs.getString(8), rs.getString(9)));
                }
            }
            return views;
        } catch (SQLException e) {
            throw new IllegalStateException("cannot read the access log", e);
        }
    }

    private Instant instant(String field, String value) {
        try {
            return Instant.parse(value);
        } catch (DateTimeParseException e) {
            throw ProblemException.invalid(problems.codePrefix() + "-0013", field, "an ISO 8601 instant, e.g. 2026-12-01T00:00:00Z");
        }
    }
}
