package org.hdil2.monitoring.api;

import java.util.List;

import org.hdil2.monitoring.app.ObservationRecording;
import org.hdil2.monitoring.app.ObservationRequest;
import org.hdil2.monitoring.persistence.ObservationEntity;

/** Stored observations as the REST and FHIR APIs show them (the queries; {@code app/ObservationRecording} writes them). */
public final class ObservationViews {

    private ObservationViews() {
    }

    public static List<ObservationView> search(ObservationEntity.Query query, int page, int size) {
        return ObservationEntity.search(query, page, size).stream().map(ObservationViews::of).toList();
    }

    public static ObservationView of(ObservationEntity e) {
        return new ObservationView(e.id, e.senderId, e.patientId, e.parameter, e.codeSystem, e.code, ObservationRecording.display(e),
                ObservationRecording.plain(e.value), e.valueCode, e.unit, ObservationRecording.plain(e.originalValue), e.originalUnit,
                e.effectiveTime, e.effectiveStart == null ? null : new ObservationRequest.Period(e.effectiveStart, e.effectiveTime),
                e.status, e.recordedAt, e.recordedBy, e.sourceKind, e.sourceId, e.intakeSequence);
    }
}
