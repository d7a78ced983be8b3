package org.hdil2.dosing.domain;

import java.util.Optional;
import java.util.Set;

/**
 * What the decision needs to know of the course itself: verified by a pharmacist, flagged for a stop review, how
 * many doses were held, and a physician's override of a hold for this dose (covering the findings it names).
 */
public record CourseContext(boolean verified, Optional<String> stopFlag, long heldDoses, Optional<Override> override) {

    public record Override(String physician, String reason, Set<String> findingIds) {
    }

    public static CourseContext verifiedCourse() {
        return new CourseContext(true, Optional.empty(), 0, Optional.empty());
    }
}
