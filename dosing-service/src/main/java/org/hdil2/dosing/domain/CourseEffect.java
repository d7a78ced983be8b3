package org.hdil2.dosing.domain;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What one course command did, for the application layer to persist and publish in the command's transaction: the
 * ledger entries it appended, the slots whose status changed, a physician's override it recorded, the event to
 * publish and the audit line.
 */
public record CourseEffect(List<Course.Entry> entries, List<Course.Slot> slots, Optional<Course.Override> override,
                           Optional<Published> event, AuditLine audit) {

    /** An event for the outbox. */
    public record Published(CourseEventType type, Instant at, Map<String, Object> data) {
    }

    /** The audit action, the entity it names and the details it keeps. */
    public record AuditLine(String action, String entityType, String entityId, Map<String, Object> details) {
    }
}
