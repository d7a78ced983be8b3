package org.hdil2.kit.identity;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.time.Duration;
import java.time.Instant;

import org.junit.jupiter.api.Test;

class TokenLimitsTest {

    private static final Instant NOW = Instant.parse("2026-12-02T08:00:00Z");

    private static TokenLimits limits() {
        TokenLimits l = new TokenLimits();
        l.maxLifetime = Duration.ofHours(12);
        l.clockSkew = Duration.ofSeconds(60);
        return l;
    }

    @Test
    void issueTimeAndLifetimeAreCheckedOnBothSidesOfTheirLimits() {
        long now = NOW.getEpochSecond();
        assertNull(limits().refusal(now, now + 12 * 3600, NOW));
        assertEquals("lifetime longer than PT12H", limits().refusal(now, now + 12 * 3600 + 1, NOW));
        assertNull(limits().refusal(now + 60, now + 3600, NOW));
        assertEquals("issued in the future", limits().refusal(now + 61, now + 3600, NOW));
        assertEquals("no issue time (iat)", limits().refusal(0, now + 3600, NOW));
        assertEquals("no expiry (exp)", limits().refusal(now, 0, NOW));
    }
}
