package org.hdil2.bench;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import org.hdil2.infra.DevKeys;
import org.hdil2.infra.DevTokens;

/**
 * A bearer token for a benchmark that starts a service by itself, signed as the local stack signs its demo tokens.
 * Usage: {@code BenchToken <keys dir> <user> <role>}; the dir's {@code signing-key.pub.b64} is the service's
 * {@code OIDC_PUBLIC_KEY} (written on first use).
 */
public final class BenchToken {

    private BenchToken() {
    }

    public static void main(String[] args) {
        System.out.println(DevTokens.sign(DevKeys.loadOrCreate(Path.of(args[0])), args[1], List.of(args[2]), Duration.ofHours(6)));
    }
}
