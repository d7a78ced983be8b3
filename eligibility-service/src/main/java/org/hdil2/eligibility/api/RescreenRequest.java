package org.hdil2.eligibility.api;

import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;

import org.hdil2.eligibility.domain.Indication;

import org.hdil2.eligibility.app.Findings;

/**
 * A re-screening: only what changed since the previous screening. Each finding given replaces the previous one; the
 * others are carried over with their original dates, so a fact that has grown stale shows as stale. The protocol is
 * the previous screening's unless named.
 */
public record RescreenRequest(@Size(max = 64) String protocolId, Indication indication, @NotNull @Valid Findings findings) {
}
