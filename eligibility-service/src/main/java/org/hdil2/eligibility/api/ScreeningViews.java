package org.hdil2.eligibility.api;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;

import org.hdil2.eligibility.domain.CriterionResult;
import org.hdil2.eligibility.domain.Outcome;
import org.hdil2.eligibility.persistence.ScreeningEntity;

/** Stored screenings as the API shows them (the queries; {@code app/Screening} writes them). */
@ApplicationScoped
public class ScreeningViews {

    @Inject
    ObjectMapper json;

    public Optional<ScreeningView> find(UUID id) {
        return ScreeningEntity.<ScreeningEntity>findByIdOptional(id).map(this::of);
    }

    public List<ScreeningView> ofPatient(String patientId, int page, int size) {
        return ScreeningEntity.ofPatient(patientId, page, size).stream().map(this::of).toList();
    }

    public ScreeningView of(ScreeningEntity e) {
        try {
            List<CriterionResult> criteria = json.readValue(e.criteria, new TypeReference<>() {
            });
            List<String> notes = new ArrayList<>();
            json.readTree(e.facts).path("notes").forEach(n -> notes.add(n.asText()));
            return new ScreeningView(e.id, e.patientId, new ScreeningView.ProtocolRef(e.protocolId, e.protocolVersion),
                    Outcome.valueOf(e.outcome), e.screenedAt, e.asOf, e.screenedBy, e.previousScreeningId, notes, criteria);
        } catch (JsonProcessingException ex) {
            throw new IllegalStateException("stored screening " + e.id + " is unreadable", ex);
        }
    }
}
