package org.hdil2.local;

import java.time.Duration;
import java.util.function.Supplier;

/** Waits for a condition on another process (a service consuming an event), checking every 200 ms. */
public final class Poll {

    private Poll() {
    }

    public static <T> T until(Duration timeout, String what, Supplier<T> attempt) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            T result = attempt.get();
            if (result != null) {
                return result;
            }
            try {
                Thread.sleep(200);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while waiting for " + what, e);
            }
        }
        throw new IllegalStateException("timed out after " + timeout.toSeconds() + " s waiting for " + what);
    }
}
