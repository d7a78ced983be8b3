package org.hdil2.alert.domain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.junit.jupiter.api.Test;

class PoliciesTest {

    private static final Instant T0 = Instant.parse("2026-11-29T10:00:00Z");

    @Test
    void withholdAndDiscontinueAreHighNotifyFollowsTheSeverityAndUnknownsAreHigh() {
        PriorityPolicy p = PriorityPolicy.defaults();
        assertEquals(Priority.HIGH, p.priorityOf("LABEL-2024-CV-SBP", "WITHHOLD", "LOW"));
        assertEquals(Priority.HIGH, p.priorityOf("LABEL-2024-X", "DISCONTINUE", "MEDIUM"));
        assertEquals(Priority.HIGH, p.priorityOf("NEWS2-EMERGENCY", "NOTIFY", "HIGH"));
        assertEquals(Priority.MEDIUM, p.priorityOf("NEWS2-URGENT", "NOTIFY", "MEDIUM"));
        assertEquals(Priority.LOW, p.priorityOf("NEWS2-SINGLE-3", "NOTIFY", "LOW"));
        assertEquals(Priority.HIGH, p.priorityOf("CTCAE-X", "NOTIFY", "SEVERE-ISH"));
        assertEquals(Priority.HIGH, p.priorityOf("NEW-RULE", "ESCALATE_TO_ICU", "LOW"));
    }

    @Test
    void aPerRuleOverrideWins() {
        PriorityPolicy p = new PriorityPolicy(Map.of("NOTIFY", PriorityPolicy.SEVERITY),
                PriorityPolicy.parseOverrides("NEWS2-SINGLE-3=MEDIUM, CTCAE-FEVER=low"));
        assertEquals(Priority.MEDIUM, p.priorityOf("NEWS2-SINGLE-3", "NOTIFY", "LOW"));
        assertEquals(Priority.LOW, p.priorityOf("CTCAE-FEVER", "NOTIFY", "HIGH"));
        assertThrows(IllegalArgumentException.class, () -> PriorityPolicy.parseOverrides("NEWS2=URGENT"));
        assertThrows(IllegalArgumentException.class, () -> PriorityPolicy.parseOverrides("NEWS2"));
    }

    @Test
    void theDefaultHighEscalationGoesNurseChargeNursePhysicianAtZeroTwoAndFiveMinutes() {
        EscalationPolicy e = EscalationPolicy.parse("PRIMARY_NURSE,CHARGE_NURSE@PT2M,PHYSICIAN@PT5M");
        assertEquals(List.of(AssignmentRole.PRIMARY_NURSE, AssignmentRole.CHARGE_NURSE, AssignmentRole.PHYSICIAN),
                e.steps().stream().map(EscalationPolicy.Step::role).toList());
        assertEquals(Optional.of(T0.plus(Duration.ofMinutes(2))), e.nextDue(0, T0));
        assertEquals(Optional.of(T0.plus(Duration.ofMinutes(5))), e.nextDue(1, T0));
        assertEquals(Optional.empty(), e.nextDue(2, T0));
        assertEquals(Optional.of(AssignmentRole.PHYSICIAN), e.roleAt(2));
        assertEquals(Optional.empty(), e.roleAt(3));
        // a reopened alert at level 1 waits the policy's gap (3 min) from the reopening, not from the first raise
        assertEquals(Optional.of(T0.plus(Duration.ofMinutes(3))), e.nextDueAfterRestart(1, T0));
    }

    @Test
    void badEscalationPoliciesAreRejectedAndNoneHasNoSteps() {
        assertTrue(EscalationPolicy.parse("NONE").steps().isEmpty());
        assertTrue(EscalationPolicy.parse("PRIMARY_NURSE").nextDue(0, T0).isEmpty());
        assertThrows(IllegalArgumentException.class, () -> EscalationPolicy.parse("PRIMARY_NURSE,JANITOR@PT2M"));
        assertThrows(IllegalArgumentException.class, () -> EscalationPolicy.parse("PRIMARY_NURSE,CHARGE_NURSE@2min"));
        assertThrows(IllegalArgumentException.class, () -> EscalationPolicy.parse("PRIMARY_NURSE,CHARGE_NURSE@PT5M,PHYSICIAN@PT2M"));
        assertThrows(IllegalArgumentException.class, () -> EscalationPolicy.parse("PRIMARY_NURSE@PT1M"));
    }

    @Test
    void statusesMapToAcmAlarmAndInactivationStates() {
        assertEquals("latched", AlertStatus.LATCHED.alarmState());
        assertEquals("active", AlertStatus.ACKNOWLEDGED.alarmState());
        assertEquals("alert-acknowledged", AlertStatus.ACKNOWLEDGED.inactivationState());
        assertEquals("inactive", AlertStatus.RESOLVED.alarmState());
        assertTrue(AlertStatus.LATCHED.escalates());
        assertFalse(AlertStatus.ACKNOWLEDGED.escalates());
        assertTrue(AlertStatus.DISMISSED.ended());
        assertEquals("PH", Priority.HIGH.acm());
        assertTrue(Priority.HIGH.atLeast(Priority.MEDIUM));
        assertFalse(Priority.LOW.atLeast(Priority.MEDIUM));
        assertEquals("escalate", Phase.ESCALATE.acm());
    }
}
