package org.hdil2.dosing.domain;

import java.util.Set;

/**
 * A person who signs an entry, as her credential says: the token's subject (what two signatures are compared by), the
 * name shown on the ledger, and her roles.
 */
public record Signer(String subject, String name, Set<String> roles) {

    public boolean isSamePersonAs(Signer other) {
        return subject.equals(other.subject);
    }

    public boolean has(String role) {
        return roles.contains(role);
    }
}
