package org.hdil2.dosing.api;

import java.time.Instant;

import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;

/** The bodies of the ledger and lifecycle commands. */
public final class Requests {

    private Requests() {
    }

    /**
     * A dose given: when it ran and how much. The second nurse who checked it signs with her own token (header
     * {@code Second-Signature}); {@code verifiedBy} is refused (it was a name in the body, which anyone could type).
     */
    public record Administration(@NotNull Instant startedAt, Instant endedAt, @NotNull @Min(1) Long iuGiven,
                                 @Deprecated @Size(max = 128) String verifiedBy) {
    }

    /** Why: for a hold, a correction, an override, a discontinuation. */
    public record Reason(@NotBlank @Size(max = 500) String reason) {
    }

    /** The end of a course; {@code dischargedAt} starts the retreatment interval. */
    public record Ending(@NotBlank @Size(max = 500) String reason, Instant dischargedAt) {
    }

    /** A physician's move of a course to another protocol, and why. */
    public record ProtocolChange(@NotBlank @Size(max = 64) @Pattern(regexp = "[A-Za-z0-9._-]+", message = "letters, digits, '.', '_' and '-' only")
                                 String protocolId, @NotBlank @Size(max = 500) String reason) {
    }

    /** A physician's answer to a stop flag: confirm (discontinue the course) or reject (clear the flag). */
    public record StopReview(@NotNull Boolean confirm, @NotBlank @Size(max = 500) String reason, Instant dischargedAt) {
    }
}
