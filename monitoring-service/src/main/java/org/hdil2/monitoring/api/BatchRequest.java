package org.hdil2.monitoring.api;

import java.util.List;

import org.hdil2.monitoring.app.ObservationIntake;
import org.hdil2.monitoring.app.ObservationRequest;

/** Up to {@link ObservationIntake#MAX_BATCH} observations, stored all together or not at all. */
public record BatchRequest(List<ObservationRequest> observations) {
}
