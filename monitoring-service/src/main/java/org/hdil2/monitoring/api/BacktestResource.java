package org.hdil2.monitoring.api;

import java.net.URI;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.hdil2.kit.audit.AccessLog;
import org.hdil2.kit.problem.ProblemException;
import org.hdil2.monitoring.app.Backtests;
import org.hdil2.monitoring.domain.BacktestReport;
import org.hdil2.monitoring.persistence.BacktestEntity;

import io.quarkus.security.identity.SecurityIdentity;

/**
 * Back-testing by replay: what would a protocol (shipped, or a draft) have found, held and stopped for these patients,
 * against what the protocol each is evaluated under does on the same history? Read-only; the report is kept.
 */
@Path("/api/v1/backtests")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "Back-tests", description = "Replay stored histories through a protocol, read-only, and compare with the live protocol")
@RolesAllowed({ "analyst", "physician" })
public class BacktestResource {

    /** The request: {@code protocolId} or {@code draftProtocol} (a protocol file's JSON), and {@code patients} or {@code from}/{@code to}. */
    public record BacktestRequest(String protocolId, JsonNode draftProtocol, List<String> patients, Instant from, Instant to) {
    }

    /** A back-test's state; {@code report} once DONE. */
    public record BacktestView(UUID id, String status, String requestedBy, Instant requestedAt, String protocolId,
                               String protocolVersion, boolean draft, int patientsTotal, int patientsDone, Instant finishedAt,
                               String error, JsonNode report) {
    }

    @Inject
    Backtests backtests;

    @Inject
    SecurityIdentity identity;

    @Inject
    AccessLog access;

    @Inject
    ObjectMapper json;

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Start a back-test: 202 with its id; poll it for progress, then read the report (JSON or CSV)")
    public Response submit(@NotNull BacktestRequest request) {
        BacktestEntity job = backtests.submit(new Backtests.Request(request.protocolId(), request.draftProtocol(), request.patients(),
                request.from(), request.to()), identity.getPrincipal().getName());
        access.searched(patients(job), "Backtest");
        return Response.accepted(view(job, false)).location(URI.create("/api/v1/backtests/" + job.id)).build();
    }

    @GET
    @Operation(summary = "The newest back-tests (at most 50), without their reports")
    public List<BacktestView> list() {
        return BacktestEntity.<BacktestEntity>find("order by requestedAt desc").page(0, 50).list().stream().map(b -> view(b, false)).toList();
    }

    @GET
    @Path("{id}")
    @Operation(summary = "A back-test's progress, and its report once DONE")
    public BacktestView get(@PathParam("id") UUID id) {
        BacktestEntity job = find(id);
        if (BacktestEntity.DONE.equals(job.status)) {
            access.searched(patients(job), "Backtest");
        }
        return view(job, true);
    }

    @GET
    @Path("{id}/report.csv")
    @Produces("text/csv")
    @Operation(summary = "The report as CSV: table=rules (default, one row per rule) or table=patients (one row per patient)")
    public Response csv(@PathParam("id") UUID id, @QueryParam("table") String table) {
        BacktestEntity job = find(id);
        if (!BacktestEntity.DONE.equals(job.status)) {
            throw ProblemException.conflict("MON-0164", "Back-test not done", "the back-test is " + job.status);
        }
        BacktestReport report;
        try {
            report = json.readValue(job.report, BacktestReport.class);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("stored report is unreadable", e);
        }
        access.searched(patients(job), "Backtest");
        String name = table == null || table.isBlank() || table.equals("rules") ? "rules" : table;
        String body = switch (name) {
            case "rules" -> report.rulesCsv();
            case "patients" -> report.patientsCsv();
            default -> throw ProblemException.invalid("MON-0165", "table", "table is rules or patients");
        };
        return Response.ok(body, "text/csv; charset=utf-8")
                .header("Content-Disposition", "attachment; filename=\"backtest-" + id + "-" + name + ".csv\"").build();
    }

    private static BacktestEntity find(UUID id) {
        BacktestEntity job = BacktestEntity.findById(id);
        if (job == null) {
            throw ProblemException.notFound("MON-0163", "back-test " + id);
        }
        return job;
    }

    private List<String> patients(BacktestEntity job) {
        try {
            List<String> ids = new java.util.ArrayList<>();
            json.readTree(job.request).path("patients").forEach(p -> ids.add(p.asText()));
            return ids;
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("stored request is unreadable", e);
        }
    }

    private BacktestView view(BacktestEntity b, boolean withReport) {
        JsonNode report = null;
        if (withReport && b.report != null) {
            try {
                report = json.readTree(b.report);
            } catch (JsonProcessingException e) {
                throw new IllegalStateException("stored report is unreadable", e);
            }
        }
        return new BacktestView(b.id, b.status, b.requestedBy, b.requestedAt, b.protocolId, b.protocolVersion, b.draft, b.patientsTotal,
                b.patientsDone, b.finishedAt, b.error, report);
    }
}
