package org.hdil2.alert.config;

import java.util.Map;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.hdil2.alert.domain.EscalationPolicy;
import org.hdil2.alert.domain.Priority;
import org.hdil2.alert.domain.PriorityPolicy;

/** The priority and escalation policies built from configuration once; bad configuration stops the service. */
@ApplicationScoped
public class Policies {

    private final PriorityPolicy priority;
    private final Map<Priority, EscalationPolicy> escalation;

    @Inject
    public Policies(AlertConfig config) {
        AlertConfig.Priorities p = config.priority();
        this.priority = new PriorityPolicy(Map.of("WITHHOLD", check(p.withhold()), "DISCONTINUE", check(p.discontinue()),
                "NOTIFY", check(p.notifyAction())), PriorityPolicy.parseOverrides(p.ruleOverrides().orElse("")));
        this.escalation = Map.of(Priority.HIGH, EscalationPolicy.parse(config.escalation().high()),
                Priority.MEDIUM, EscalationPolicy.parse(config.escalation().medium()),
                Priority.LOW, EscalationPolicy.parse(config.escalation().low()));
    }

    private static String check(String value) {
        if (!PriorityPolicy.SEVERITY.equals(value) && Priority.parse(value) == null) {
            throw new IllegalArgumentException("priority '" + value + "' is not HIGH, MEDIUM, LOW or SEVERITY");
        }
        return value.trim().toUpperCase(java.util.Locale.ROOT);
    }

    public PriorityPolicy priority() {
        return priority;
    }

    public EscalationPolicy escalation(Priority p) {
        return escalation.get(p);
    }
}
