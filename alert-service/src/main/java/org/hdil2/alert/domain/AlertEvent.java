package org.hdil2.alert.domain;

/** What an alert change tells the analytics stream; the messaging adapter turns it into a CloudEvent. */
public sealed interface AlertEvent {

    /** A new alert. */
    record Raised() implements AlertEvent {
    }

    /** An open alert changed: how, the priority it had before (when that changed), the role addressed (escalation). */
    record Updated(Change change, Priority previousPriority, AssignmentRole targetRole) implements AlertEvent {
    }

    /** The alert ended: resolved by its condition clearing or dismissed by a physician. */
    record Ended(AlertStatus status, EndCause outcome, String reason) implements AlertEvent {
    }
}
