package org.hdil2.dosing.app;

import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import org.hdil2.dosing.config.DosingProtocols;
import org.hdil2.dosing.domain.Course;
import org.hdil2.dosing.domain.CourseContext;
import org.hdil2.dosing.domain.CourseGates;
import org.hdil2.dosing.domain.CourseStatus;
import org.hdil2.dosing.domain.DecisionTaken;
import org.hdil2.dosing.domain.DosingProtocol;
import org.hdil2.dosing.domain.EvaluationCurrency;
import org.hdil2.dosing.domain.PatientState;
import org.hdil2.dosing.domain.PreDoseDecision;
import org.hdil2.dosing.persistence.CourseEntity;
import org.hdil2.dosing.persistence.DoseOpportunityEntity;
import org.hdil2.dosing.persistence.DoseOverrideEntity;
import org.hdil2.dosing.persistence.EvaluationCurrencyCheck;
import org.hdil2.dosing.persistence.PatientScreeningEntity;
import org.hdil2.dosing.persistence.PatientStates;
import org.hdil2.kit.problem.ProblemException;

/** "May this dose be given now?": the pre-dose decision assembled from the course, its ledger and monitoring's evaluation. */
@ApplicationScoped
public class DoseDecisions {

    @Inject
    DosingProtocols protocols;

    @Inject
    PatientStates patientStates;

    @Inject
    EvaluationCurrencyCheck currencyCheck;

    @Inject
    ObjectMapper json;

    /** Read-only; one transaction so that its few queries share one connection and one snapshot. */
    @Transactional
    public DecisionView next(UUID courseId, Instant now) {
        CourseEntity c = CourseEntity.<CourseEntity>findByIdOptional(courseId)
                .orElseThrow(() -> ProblemException.notFound("DOSE-0104", "course " + courseId));
        if (!c.isOpen()) {
            throw ProblemException.conflict("DOSE-0116", "Course ended", "the course is " + c.status);
        }
        DoseOpportunityEntity next = DoseOpportunityEntity.nextScheduled(courseId).orElseThrow(() ->
                ProblemException.conflict("DOSE-0103", "No dose pending", "every dose opportunity of this course has been recorded"));
        return decide(c.state(), next.slot(), now);
    }

    DecisionView decide(Course.State c, Course.Slot dose, Instant now) {
        DosingProtocol protocol = protocols.of(c.protocolId());
        Optional<CourseContext.Override> override = DoseOverrideEntity.<DoseOverrideEntity>findByIdOptional(
                DoseOpportunityEntity.key(c.id(), dose.doseNumber())).map(o -> new CourseContext.Override(o.physician, o.reason,
                Set.copyOf(Arrays.asList(o.findingIds.split(",")))));
        DoseOpportunityEntity.Counts slots = DoseOpportunityEntity.counts(c.id());
        // held doses count only where a protocol stops on them
        long held = protocol.stop().maxHeldDoses() == null ? 0 : slots.held();
        // the order's gates again before the course's first dose: it may have been ordered days ahead
        List<String> unmetGates = slots.given() > 0 ? List.of()
                : CourseGates.atFirstDose(protocol.course(), PatientScreeningEntity.<PatientScreeningEntity>findByIdOptional(c.patientId())
                        .map(p -> new CourseGates.Screening(p.outcome, p.screenedAt)), c.weightMeasuredAt(), now);
        CourseContext context = new CourseContext(c.status() == CourseStatus.ACTIVE, Optional.ofNullable(c.stopFlagReason()), held,
                override, unmetGates, c.protocolId());
        Optional<PatientState> state = patientStates.of(c.patientId());
        EvaluationCurrency currency = state.map(s -> currencyCheck.of(c.patientId(), s, now)).orElse(EvaluationCurrency.confirmed());
        PreDoseDecision.Result r = PreDoseDecision.decide(protocol.preDose(), protocol.stop(), context, state, currency, now);
        DosingProtocol.CourseRules rules = protocol.course();
        return new DecisionView(c.id(), c.patientId(), dose.doseNumber(), dose.cycle(), dose.scheduledAt(), r.decision(), r.reasons(),
                r.findings(), r.evaluatedAt().orElse(null), now, dose.scheduledAt().minus(rules.windowBefore()),
                dose.scheduledAt().plus(rules.missedAfter()), r.overridden(), protocol.preDose().id(), protocol.preDose().version(),
                new DecisionView.ProtocolRef(protocol.id(), protocol.version()),
                state.isPresent() && currency.isCurrent(), state.map(PatientState::intakeSequence).orElse(null));
    }

    /** The decision as a ledger entry records it. */
    DecisionTaken taken(DecisionView v) {
        try {
            return new DecisionTaken(v.decision(), v.reasons(), v.overridden(),
                    v.findings().stream().map(PatientState.Finding::findingId).toList(), json.writeValueAsString(v));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
