package org.hdil2.eligibility.cds;

import java.time.Instant;

/** The {@code jti}s of CDS Hooks JWTs already accepted. */
public interface UsedTokenIds {

    /** Records the token id; false when it was recorded before (a replay). */
    boolean firstUse(String issuer, String jti, Instant expires);
}
