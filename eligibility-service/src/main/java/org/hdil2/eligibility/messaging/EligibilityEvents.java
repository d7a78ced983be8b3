package org.hdil2.eligibility.messaging;

import java.util.Set;

/** Every event type eligibility-service publishes (it reads none); a test compares them with the AsyncAPI document. */
public final class EligibilityEvents {

    public static final String SCREENING_COMPLETED = "org.hdil2.eligibility.screening-completed.v1";

    public static final Set<String> PUBLISHED = Set.of(SCREENING_COMPLETED);

    private EligibilityEvents() {
    }
}
