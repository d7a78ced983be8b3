package org.hdil2.testinfra;

import java.security.KeyPair;
import java.time.Duration;
import java.util.List;

import org.hdil2.infra.DevKeys;
import org.hdil2.infra.DevTokens;

/** Bearer tokens for tests, signed with a key pair generated once per test JVM. */
public final class TestTokens {

    private static final KeyPair KEYS = DevKeys.generate();

    private TestTokens() {
    }

    static KeyPair keys() {
        return KEYS;
    }

    /** {@code Authorization} header value for a user named {@code test-<role>} holding {@code role}. */
    public static String bearer(String role) {
        return bearer("test-" + role, role);
    }

    public static String bearer(String user, String... roles) {
        return "Bearer " + DevTokens.sign(KEYS, user, List.of(roles), Duration.ofHours(1));
    }
}
