package org.hdil2.alert.api;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;

import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.sse.Sse;
import jakarta.ws.rs.sse.SseEventSink;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.hdil2.alert.app.AlertLifecycle;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.hdil2.alert.delivery.NotificationHub;
import org.hdil2.alert.domain.AlertStatus;
import org.hdil2.alert.domain.DismissReason;
import org.hdil2.alert.domain.Priority;
import org.hdil2.alert.persistence.AlertStatistics;
import org.hdil2.kit.audit.AccessLog;
import org.hdil2.kit.problem.ProblemException;

import io.quarkus.security.identity.SecurityIdentity;

@Path("/api/v1/alerts")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "Alerts", description = "Alerts raised from monitoring findings. These are SECONDARY notifications that support "
        + "clinicians; they are never a replacement for bedside device alarms, which stay the primary alarm system.")
@RolesAllowed({ "nurse", "physician", "pharmacist", "analyst", "admin" })
public class AlertResource {

    static final String SECONDARY = " Alerts are secondary notifications, never a replacement for bedside device alarms.";

    @Inject
    AlertLifecycle lifecycle;

    @Inject
    AlertViews views;

    @Inject
    AlertStatistics statistics;

    @Inject
    NotificationHub hub;

    @Inject
    AccessLog access;

    @Inject
    SecurityIdentity identity;

    @Inject
    Clock clock;

    public record AcknowledgeRequest(@Size(max = 2000) String note) {
    }

    public record CommentRequest(@NotBlank @Size(max = 2000) String text) {
    }

    public record DismissRequest(@NotNull DismissReason reason, @Size(max = 2000) String text) {
    }

    @GET
    @Operation(summary = "Alerts, newest first", description = "status: one or more of ACTIVE, LATCHED, ACKNOWLEDGED, RESOLVED, "
            + "DISMISSED (comma-separated) or OPEN (the first three)." + SECONDARY)
    public List<AlertView> search(@QueryParam("patientId") String patientId, @QueryParam("status") String status,
                                  @QueryParam("ward") String ward, @QueryParam("minPriority") String minPriority,
                                  @QueryParam("page") @DefaultValue("0") @Min(0) @Max(10000) int page,
                                  @QueryParam("size") @DefaultValue("50") @Min(1) @Max(500) int size) {
        List<AlertStatus> statuses = null;
        if (status != null) {
            List<String> names = status.equals("OPEN") ? List.of("ACTIVE", "LATCHED", "ACKNOWLEDGED")
                    : Arrays.stream(status.split(",")).map(String::trim).toList();
            for (String s : names) {
                if (Arrays.stream(AlertStatus.values()).noneMatch(v -> v.name().equals(s))) {
                    throw ProblemException.invalid("ALRT-0101", "status", "status must be OPEN or one or more of "
                            + Arrays.toString(AlertStatus.values()));
                }
            }
            statuses = names.stream().map(AlertStatus::valueOf).toList();
        }
        Priority min = minPriority(minPriority);
        List<Priority> priorities = min == null ? null : Arrays.stream(Priority.values()).filter(p -> p.atLeast(min)).toList();
        List<AlertView> found = views.search(patientId, statuses, ward, priorities, page, size);
        access.searched(patientId != null ? List.of(patientId) : found.stream().map(AlertView::patientId).toList(), "Alert");
        return found;
    }

    @GET
    @Path("{id}")
    @Operation(summary = "One alert with its full history (who, when, what, from which status to which)")
    public AlertView get(@PathParam("id") UUID id) {
        AlertView alert = views.find(id).orElseThrow(() -> ProblemException.notFound("ALRT-0102", "alert " + id));
        access.read(alert.patientId(), "Alert", id.toString());
        return alert;
    }

    @POST
    @Path("{id}/acknowledge")
    @Consumes(MediaType.APPLICATION_JSON)
    @RolesAllowed({ "nurse", "physician" })
    @Operation(summary = "Acknowledge: the caller takes ownership; escalation stops. A LATCHED alert (its condition has "
            + "cleared) ends as RESOLVED. Acknowledging never lifts a dosing hold.")
    public AlertView acknowledge(@PathParam("id") UUID id, @Valid AcknowledgeRequest body) {
        lifecycle.acknowledge(id, user(), body == null ? null : body.note());
        return changed(id);
    }

    @POST
    @Path("{id}/comments")
    @Consumes(MediaType.APPLICATION_JSON)
    @RolesAllowed({ "nurse", "physician" })
    @Operation(summary = "Add a comment to the alert's history")
    public AlertView comment(@PathParam("id") UUID id, @Valid @NotNull CommentRequest body) {
        lifecycle.comment(id, user(), body.text());
        return changed(id);
    }

    @POST
    @Path("{id}/dismiss")
    @Consumes(MediaType.APPLICATION_JSON)
    @RolesAllowed("physician")
    @Operation(summary = "Dismiss with a coded reason (CLINICALLY_EXPECTED, ARTEFACT, ALREADY_ADDRESSED, DUPLICATE, OTHER with text)")
    public AlertView dismiss(@PathParam("id") UUID id, @Valid @NotNull DismissRequest body) {
        lifecycle.dismiss(id, user(), body.reason(), body.text());
        return changed(id);
    }

    @GET
    @Path("stream")
    @Produces(MediaType.SERVER_SENT_EVENTS)
    @RolesAllowed({ "nurse", "physician", "pharmacist", "admin" })
    @Operation(summary = "Live alert notifications (Server-Sent Events)", description = "Each event: id = notification "
            + "sequence, event = alert, data = the ACM-shaped notification (phase start/update/escalate/end). Resume with the "
            + "Last-Event-ID header (or ?lastEventId=): every matching notification after it is replayed, then live ones "
            + "follow. Filters: ward, patientId, minPriority." + SECONDARY)
    public void stream(@Context SseEventSink sink, @Context Sse sse, @HeaderParam("Last-Event-ID") String lastEventIdHeader,
                       @QueryParam("lastEventId") String lastEventIdQuery, @QueryParam("ward") String ward,
                       @QueryParam("patientId") String patientId, @QueryParam("minPriority") String minPriority) {
        String raw = lastEventIdHeader != null && !lastEventIdHeader.isBlank() ? lastEventIdHeader : lastEventIdQuery;
        Long lastEventId = null;
        if (raw != null && !raw.isBlank()) {
            try {
                lastEventId = Long.parseLong(raw.trim());
            } catch (NumberFormatException e) {
                lastEventId = -1L;
            }
            if (lastEventId < 0) {
                throw ProblemException.invalid("ALRT-0108", "Last-Event-ID", "Last-Event-ID must be a notification id (a non-negative integer)");
            }
        }
        hub.subscribe(new NotificationHub.Filter(blankToNull(ward), blankToNull(patientId), minPriority(minPriority)), lastEventId,
                sink, sse);
    }

    @GET
    @Path("statistics")
    @RolesAllowed({ "physician", "nurse", "analyst", "admin" })
    @Operation(summary = "Alarm-fatigue summary for a period: alerts per patient-day, time to acknowledge p50/p90, escalation "
            + "depth, dismissals by reason, per rule. Default period: the last 7 days.")
    public AlertStatistics.Summary statistics(@QueryParam("from") String from, @QueryParam("to") String to,
                                              @QueryParam("ward") String ward) {
        Instant end = instant("to", to, clock.instant());
        Instant start = instant("from", from, end.minus(Duration.ofDays(7)));
        if (!start.isBefore(end) || Duration.between(start, end).compareTo(Duration.ofDays(366)) > 0) {
            throw ProblemException.invalid("ALRT-0109", "from", "from must be before to, at most 366 days apart");
        }
        return statistics.summary(start, end, blankToNull(ward));
    }

    private static Instant instant(String field, String value, Instant fallback) {
        if (value == null || value.isBlank()) {
            return fallback;
        }
        try {
            return Instant.parse(value.trim());
        } catch (DateTimeParseException e) {
            throw ProblemException.invalid("ALRT-0109", field, field + " must be an RFC 3339 instant, e.g. 2026-11-29T00:00:00Z");
        }
    }

    private static Priority minPriority(String value) {
        if (value == null || value.isBlank()) {
            return null;
        }
        Priority p = Priority.parse(value);
        if (p == null) {
            throw ProblemException.invalid("ALRT-0107", "minPriority", "minPriority must be HIGH, MEDIUM or LOW");
        }
        return p;
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s.trim();
    }

    /** The alert as the change left it, read after its commit. */
    private AlertView changed(UUID id) {
        return views.find(id).orElseThrow(() -> ProblemException.notFound("ALRT-0102", "alert " + id));
    }

    private String user() {
        return identity.getPrincipal().getName();
    }
}
