package org.hdil2.dosing.domain;

import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * What the decision needs to know of the course itself: verified by a pharmacist, flagged for a stop review, how
 * many doses were held, a physician's override of a hold for this dose (covering the findings it names), and the
 * course gates this dose does not pass ({@link CourseGates}: each makes the decision ASSESS), and the protocol the
 * course is under (monitoring's evaluation must be under the same one).
 */
public record CourseContext(boolean verified, Optional<String> stopFlag, long heldDoses, Optional<Override> override,
                            List<String> unmetGates, String protocolId) {

    public CourseContext {
        unmetGates = List.copyOf(unmetGates);
    }

    public CourseContext(boolean verified, Optional<String> stopFlag, long heldDoses, Optional<Override> override,
                         List<String> unmetGates) {
        this(verified, stopFlag, heldDoses, override, unmetGates, null);
    }

    public CourseContext(boolean verified, Optional<String> stopFlag, long heldDoses, Optional<Override> override) {
        this(verified, stopFlag, heldDoses, override, List.of());
    }

    public record Override(String physician, String reason, Set<String> findingIds) {
    }

    public static CourseContext verifiedCourse() {
        return new CourseContext(true, Optional.empty(), 0, Optional.empty());
    }
}
