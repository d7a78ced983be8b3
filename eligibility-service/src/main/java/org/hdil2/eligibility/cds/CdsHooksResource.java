package org.hdil2.eligibility.cds;

import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

import jakarta.annotation.security.PermitAll;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.hdil2.eligibility.api.ScreeningView;
import org.hdil2.eligibility.api.ScreeningViews;
import org.hdil2.eligibility.app.Screening;
import org.hdil2.eligibility.config.EligibilityConfig;
import org.hdil2.eligibility.config.ProtocolCatalog;
import org.hdil2.eligibility.domain.CriterionResult;
import org.hdil2.eligibility.domain.CriterionStatus;
import org.hdil2.eligibility.domain.Protocol;
import org.hdil2.eligibility.fhir.FhirInput;
import org.hdil2.kit.audit.AuditTrail;
import org.hdil2.kit.problem.ProblemException;
import org.hl7.fhir.instance.model.api.IBaseResource;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.MedicationRequest;
import org.hl7.fhir.r4.model.OperationOutcome;
import org.hl7.fhir.r4.model.Resource;

import ca.uhn.fhir.parser.DataFormatException;

/**
 * CDS Hooks 2.0: discovery, the aldesleukin eligibility service for {@code order-select} and {@code order-sign}, and
 * feedback. Called by the EHR, not by OIDC users: the OIDC check is off for this path (application.properties) and every
 * call must carry a CDS Hooks JWT, verified here.
 */
@Path("/cds-services")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
@Tag(name = "CDS Hooks", description = "CDS Hooks 2.0 services for the EHR's ordering workflow")
@PermitAll
public class CdsHooksResource {

    static final String SELECT = "hdil2-aldesleukin-eligibility-select";
    static final String SIGN = "hdil2-aldesleukin-eligibility-sign";
    static final Map<String, String> HOOKS = Map.of(SELECT, "order-select", SIGN, "order-sign");
    static final String OVERRIDE_SYSTEM = "https://hdil2.org/fhir/CodeSystem/eligibility-override";
    static final Set<String> RXNORM = Set.of("http://www.nlm.nih.gov/research/umls/rxnorm");
    static final List<String> PREFETCH_KEYS = List.of("patient", "conditions", "observations", "allergies", "procedures");

    @Inject
    CdsJwtVerifier jwt;

    @Inject
    Screening store;

    @Inject
    ScreeningViews views;

    @Inject
    ProtocolCatalog protocols;

    @Inject
    EligibilityConfig config;

    @Inject
    ObjectMapper json;

    @Inject
    AuditTrail audit;

    @org.eclipse.microprofile.config.inject.ConfigProperty(name = "hdil2.cds.rxnorm-codes")
    Optional<List<String>> rxnormCodes;

    @GET
    public Map<String, Object> discovery(@HeaderParam(HttpHeaders.AUTHORIZATION) String authorization) {
        jwt.verify(Optional.ofNullable(authorization), "/cds-services");
        Map<String, String> prefetch = new LinkedHashMap<>();
        prefetch.put("patient", "Patient/{{context.patientId}}");
        prefetch.put("conditions", "Condition?patient={{context.patientId}}");
        prefetch.put("observations", "Observation?patient={{context.patientId}}");
        prefetch.put("allergies", "AllergyIntolerance?patient={{context.patientId}}");
        prefetch.put("procedures", "Procedure?patient={{context.patientId}}");
        List<Map<String, Object>> services = new ArrayList<>();
        for (String id : List.of(SELECT, SIGN)) {
            Map<String, Object> s = new LinkedHashMap<>();
            s.put("hook", HOOKS.get(id));
            s.put("id", id);
            s.put("title", "High-dose aldesleukin eligibility");
            s.put("description", "Screens the patient against the " + protocols.defaultProtocol().id()
                    + " protocol when aldesleukin is " + (id.equals(SELECT) ? "selected" : "signed") + ", and explains every criterion.");
            s.put("prefetch", prefetch);
            services.add(s);
        }
        return Map.of("services", services);
    }

    @POST
    @Path("{id}")
    @Transactional
    public Response call(@PathParam("id") String id, @HeaderParam(HttpHeaders.AUTHORIZATION) String authorization,
                                    JsonNode request) {
        CdsJwtVerifier.Caller caller = jwt.verify(Optional.ofNullable(authorization), "/cds-services/" + id);
        String hook = HOOKS.get(id);
        if (hook == null) {
            throw ProblemException.notFound("ELIG-0107", "CDS service " + id);
        }
        if (request == null || !hook.equals(request.path("hook").asText()) || request.path("hookInstance").asText().isBlank()
                || !request.path("context").isObject()) {
            throw ProblemException.invalid("ELIG-0108", "hook", "a CDS Hooks request for hook '" + hook
                    + "' with hookInstance and context is required");
        }
        JsonNode context = request.path("context");
        String patientId = context.path("patientId").asText();
        if (!patientId.matches("[A-Za-z0-9._-]{1,64}")) {
            throw ProblemException.invalid("ELIG-0108", "context.patientId", "letters, digits, '.', '_' and '-' only, at most 64");
        }
        if (!aldesleukinOrdered(context)) {
            return Response.ok(Map.of("cards", List.of())).build();
        }
        String actor = actor(caller, context.path("userId"));
        List<Resource> resources = new ArrayList<>();
        List<String> missing = new ArrayList<>();
        JsonNode prefetch = request.path("prefetch");
        for (String key : PREFETCH_KEYS) {
            JsonNode node = prefetch.path(key);
            if (node.isMissingNode() || node.isNull()) {
                missing.add(key);
                continue;
            }
            IBaseResource parsed = parse(node, "prefetch." + key);
            if (parsed instanceof Bundle b) {
                resources.addAll(FhirInput.entries(b));
            } else if (parsed instanceof Resource r) {
                resources.add(r);
            }
        }
        String hookInstance = request.path("hookInstance").asText();
        if (!missing.isEmpty()) {
            return preconditionFailed(missing);
        }
        Protocol protocol = protocols.defaultProtocol();
        FhirInput.Mapped mapped = FhirInput.map(resources, config.zone(), LocalDate.now(config.zone()), json, patientId);
        ScreeningView view = views.of(store.screen(patientId, protocol, new Screening.Input(mapped.indication(), mapped.findings(),
                mapped.notes()), actor, null, "screening.create", true));
        return Response.ok(Map.of("cards", List.of(card(id, hookInstance, view)))).build();
    }

    private IBaseResource parse(JsonNode node, String field) {
        try {
            return FhirInput.R4.newJsonParser().parseResource(node.toString());
        } catch (DataFormatException e) {
            throw ProblemException.invalid("ELIG-0106", field, "not a FHIR R4 resource");
        }
    }

    /** An aldesleukin MedicationRequest among the draft orders (for order-select: among the selected ones). */
    private boolean aldesleukinOrdered(JsonNode context) {
        JsonNode drafts = context.path("draftOrders");
        if (!drafts.isObject()) {
            throw ProblemException.invalid("ELIG-0108", "context.draftOrders", "a FHIR Bundle of draft orders is required");
        }
        IBaseResource parsed = parse(drafts, "context.draftOrders");
        if (!(parsed instanceof Bundle bundle)) {
            throw ProblemException.invalid("ELIG-0108", "context.draftOrders", "a FHIR Bundle of draft orders is required");
        }
        List<String> selections = new ArrayList<>();
        context.path("selections").forEach(s -> selections.add(s.asText()));
        List<String> codes = rxnormCodes.orElse(List.of());
        for (Resource r : FhirInput.entries(bundle)) {
            if (!(r instanceof MedicationRequest mr) || !mr.hasMedicationCodeableConcept()) {
                continue;
            }
            if (!selections.isEmpty() && !selections.contains("MedicationRequest/" + mr.getIdElement().getIdPart())) {
                continue;
            }
            var concept = mr.getMedicationCodeableConcept();
            boolean coded = concept.getCoding().stream().anyMatch(c -> RXNORM.contains(c.getSystem()) && codes.contains(c.getCode()));
            if (coded || FhirInput.isAldesleukin(concept)) {
                return true;
            }
        }
        return false;
    }

    /**
     * CDS Hooks 2.0: a service that cannot obtain required data (it fetches nothing itself, so a missing prefetch is
     * data it cannot obtain) SHALL answer 412 Precondition Failed; the OperationOutcome names what is missing.
     */
    private static Response preconditionFailed(List<String> missing) {
        OperationOutcome outcome = new OperationOutcome();
        outcome.addIssue().setSeverity(OperationOutcome.IssueSeverity.ERROR).setCode(OperationOutcome.IssueType.REQUIRED)
                .setDiagnostics("Aldesleukin eligibility not checked: the request carries no prefetch for "
                        + String.join(", ", missing) + " and this service does not query the FHIR server.")
                .setExpression(missing.stream().map(k -> "prefetch." + k).toList().stream()
                        .map(org.hl7.fhir.r4.model.StringType::new).toList());
        return Response.status(412).type("application/fhir+json")
                .entity(FhirInput.R4.newJsonParser().encodeResourceToString(outcome)).build();
    }

    private Map<String, Object> card(String serviceId, String hookInstance, ScreeningView view) {
        String indicator = switch (view.outcome()) {
            case INELIGIBLE -> "critical";
            case NEEDS_REVIEW -> "warning";
            case ELIGIBLE -> "info";
        };
        UUID uuid = remember(serviceId, hookInstance, view.id(), view.patientId(), indicator);
        String summary = switch (view.outcome()) {
            case INELIGIBLE -> "Not eligible for high-dose aldesleukin under " + view.protocol().id();
            case NEEDS_REVIEW -> "Aldesleukin eligibility needs review: criteria could not be evaluated";
            case ELIGIBLE -> "Eligible for high-dose aldesleukin under " + view.protocol().id();
        };
        StringBuilder detail = new StringBuilder();
        detail.append("Protocol **").append(view.protocol().id()).append("** version ").append(view.protocol().version())
                .append(", screening ").append(view.id()).append(".\n\n");
        for (CriterionResult c : view.criteria()) {
            boolean behind = c.status() == CriterionStatus.MET
                    || (c.status() == CriterionStatus.NOT_EVALUABLE && Boolean.TRUE.equals(c.required()));
            if (behind || view.outcome() == org.hdil2.eligibility.domain.Outcome.ELIGIBLE) {
                detail.append("* **").append(c.ruleId()).append("** ").append(c.status()).append(
                        c.status() == CriterionStatus.MET && "WARN".equals(c.effect()) ? " (warning)" : "")
                        .append(": ").append(c.explanation()).append(" _Source: ").append(c.source()).append("_\n");
            }
        }
        if (!view.inputNotes().isEmpty()) {
            detail.append("\nSet aside from the EHR data: ").append(String.join("; ", view.inputNotes())).append('\n');
        }
        Map<String, Object> card = new LinkedHashMap<>();
        card.put("uuid", uuid.toString());
        card.put("summary", summary.length() > 140 ? summary.substring(0, 140) : summary);
        card.put("indicator", indicator);
        card.put("detail", detail.toString());
        card.put("source", source());
        if (!view.outcome().equals(org.hdil2.eligibility.domain.Outcome.ELIGIBLE)) {
            card.put("overrideReasons", overrideReasons());
        }
        List<Map<String, Object>> links = new ArrayList<>();
        links.add(Map.of("label", "Proleukin prescribing information (LABEL-2024)", "type", "absolute",
                "url", "https://nctr-crs.fda.gov/fdalabel/services/spl/set-ids/f3c516ad-d405-4fbe-af6a-962080dbfa7d/spl-doc"));
        if (view.protocol().id().startsWith("consensus")) {
            links.add(Map.of("label", "Dutcher et al., expert consensus 2014", "type", "absolute",
                    "url", "https://doi.org/10.1186/s40425-014-0026-0"));
        }
        card.put("links", links);
        return card;
    }

    private static Map<String, Object> source() {
        return Map.of("label", "HD IL-2 eligibility service", "topic",
                Map.of("system", "https://hdil2.org/fhir/CodeSystem/cds-topic", "code", "aldesleukin-eligibility",
                        "display", "High-dose aldesleukin eligibility"));
    }

    static List<Map<String, String>> overrideReasons() {
        return List.of(
                Map.of("system", OVERRIDE_SYSTEM, "code", "ehr-data-outdated", "display", "The EHR data is outdated; assessed otherwise"),
                Map.of("system", OVERRIDE_SYSTEM, "code", "assessed-by-il2-team", "display", "Reviewed and approved by the IL-2 team"),
                Map.of("system", OVERRIDE_SYSTEM, "code", "clinical-trial", "display", "Ordered under a clinical-trial protocol"),
                Map.of("system", OVERRIDE_SYSTEM, "code", "benefit-outweighs-risk", "display", "Expected benefit outweighs the risk"));
    }

    private UUID remember(String serviceId, String hookInstance, UUID screeningId, String patientId, String indicator) {
        UUID uuid = UUID.randomUUID();
        CdsCardEntity e = new CdsCardEntity();
        e.id = uuid;
        e.serviceId = serviceId;
        e.hookInstance = hookInstance.length() > 200 ? hookInstance.substring(0, 200) : hookInstance;
        e.screeningId = screeningId;
        e.patientId = patientId;
        e.indicator = indicator;
        e.issuedAt = Instant.now();
        e.persist();
        return uuid;
    }

    /** CDS Hooks feedback: each entry accepted or overridden (with its reason), stored and audited. */
    @POST
    @Path("{id}/feedback")
    @Transactional
    public Map<String, Object> feedback(@PathParam("id") String id, @HeaderParam(HttpHeaders.AUTHORIZATION) String authorization,
                                        JsonNode body) {
        CdsJwtVerifier.Caller caller = jwt.verify(Optional.ofNullable(authorization), "/cds-services/" + id + "/feedback");
        if (!HOOKS.containsKey(id)) {
            throw ProblemException.notFound("ELIG-0107", "CDS service " + id);
        }
        JsonNode entries = body == null ? null : body.path("feedback");
        if (entries == null || !entries.isArray() || entries.isEmpty()) {
            throw ProblemException.invalid("ELIG-0109", "feedback", "a non-empty feedback array is required");
        }
        int i = 0;
        List<CdsFeedbackEntity> accepted = new ArrayList<>();
        for (JsonNode f : entries) {
            String field = "feedback[" + i++ + "]";
            UUID cardId;
            try {
                cardId = UUID.fromString(f.path("card").asText());
            } catch (IllegalArgumentException ex) {
                throw ProblemException.invalid("ELIG-0109", field + ".card", "the card's uuid is required");
            }
            CdsCardEntity card = CdsCardEntity.findById(cardId);
            if (card == null || !card.serviceId.equals(id)) {
                throw ProblemException.invalid("ELIG-0109", field + ".card", "no card " + cardId + " was returned by this service");
            }
            String outcome = f.path("outcome").asText();
            if (!Set.of("accepted", "overridden").contains(outcome)) {
                throw ProblemException.invalid("ELIG-0109", field + ".outcome", "accepted or overridden");
            }
            Instant at;
            try {
                at = Instant.parse(f.path("outcomeTimestamp").asText());
            } catch (java.time.format.DateTimeParseException ex) {
                throw ProblemException.invalid("ELIG-0109", field + ".outcomeTimestamp", "an ISO 8601 instant is required");
            }
            CdsFeedbackEntity e = new CdsFeedbackEntity();
            e.id = UUID.randomUUID();
            e.cardId = cardId;
            e.outcome = outcome;
            JsonNode reason = f.path("overrideReason");
            if (outcome.equals("overridden") && reason.isObject()) {
                JsonNode coding = reason.path("reason");
                if (!coding.isMissingNode()) {
                    e.overrideCode = text(coding.path("code"));
                    e.overrideSystem = text(coding.path("system"));
                    e.overrideDisplay = text(coding.path("display"));
                    boolean offered = overrideReasons().stream().anyMatch(r -> r.get("code").equals(e.overrideCode)
                            && r.get("system").equals(e.overrideSystem));
                    if (!offered) {
                        throw ProblemException.invalid("ELIG-0109", field + ".overrideReason.reason", "not one of the card's overrideReasons");
                    }
                }
                e.userComment = text(reason.path("userComment"));
            }
            if (f.path("acceptedSuggestions").isArray()) {
                e.acceptedSuggestions = f.path("acceptedSuggestions").toString();
            }
            e.outcomeAt = at;
            e.receivedAt = Instant.now();
            e.caller = actor(caller, com.fasterxml.jackson.databind.node.MissingNode.getInstance());
            accepted.add(e);
            Map<String, Object> details = new LinkedHashMap<>();
            details.put("card", cardId.toString());
            details.put("outcome", outcome);
            if (e.overrideCode != null) {
                details.put("overrideReason", e.overrideCode);
            }
            if (card.screeningId != null) {
                details.put("screeningId", card.screeningId.toString());
            }
            audit.byVerifiedClient(e.caller, Screening.CDS_CLIENT_ROLE, Screening.CDS_CHANNEL, "cds.feedback",
                    card.patientId, "CdsCard", cardId.toString(), details);
        }
        accepted.forEach(f -> f.persist());
        return Map.of();
    }

    /**
     * The CDS Client and, when its token names one, the clinician. The body's {@code context.userId} is the EHR's
     * claim, not a credential: it is not used as the actor, and one that contradicts the token is refused.
     */
    static String actor(CdsJwtVerifier.Caller caller, JsonNode contextUserId) {
        if (caller.user() != null && contextUserId.isTextual() && !caller.user().equals(contextUserId.asText())) {
            throw new ProblemException(403, "ELIG-0110", "User mismatch",
                    "context.userId does not name the clinician of the CDS Hooks token");
        }
        return "cds:" + caller.issuer() + (caller.user() == null ? "" : " user " + caller.user());
    }

    private static String text(JsonNode n) {
        return n.isMissingNode() || n.isNull() ? null : n.asText();
    }
}
