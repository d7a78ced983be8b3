package org.hdil2.monitoring.api;

import java.util.LinkedHashSet;
import java.util.Set;

import io.quarkus.security.identity.SecurityIdentity;

import org.hdil2.monitoring.app.ObservationIntake;

/**
 * Which source kinds an HTTP caller may claim: a device (or a lab interface, which authenticates with the role
 * {@code device}) DEVICE or LAB, a nurse NURSE or LAB (a transcribed result), a physician PHYSICIAN or LAB. Without a
 * {@code source} the kind follows the role and the source id is the caller's name.
 */
public final class Submitters {

    private Submitters() {
    }

    public static ObservationIntake.Submitter of(SecurityIdentity identity) {
        Set<String> kinds = new LinkedHashSet<>();
        String defaultKind = null;
        if (identity.hasRole("device")) {
            kinds.add("DEVICE");
            kinds.add("LAB");
            defaultKind = "DEVICE";
        }
        if (identity.hasRole("physician")) {
            kinds.add("PHYSICIAN");
            kinds.add("LAB");
            defaultKind = defaultKind == null ? "PHYSICIAN" : defaultKind;
        }
        if (identity.hasRole("nurse")) {
            kinds.add("NURSE");
            kinds.add("LAB");
            defaultKind = defaultKind == null ? "NURSE" : defaultKind;
        }
        return new ObservationIntake.Submitter(Set.copyOf(kinds), defaultKind == null ? "NURSE" : defaultKind,
                identity.getPrincipal().getName());
    }
}
