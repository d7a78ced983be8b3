package org.hdil2.kit.inbox;

import java.sql.SQLException;
import java.sql.SQLTransientException;
import java.util.Set;

/**
 * Whether a failure is the database being unavailable or a transaction losing a race (retry the record in place)
 * rather than something wrong with the record (dead-letter it). Shared by every consumer that writes to the database.
 */
public final class TransientErrors {

    /** Serialization failure and deadlock: the same transaction succeeds when tried again. */
    private static final Set<String> RETRYABLE_STATES = Set.of("40001", "40P01");

    private TransientErrors() {
    }

    public static boolean isTransient(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof SQLTransientException || t instanceof java.net.ConnectException) {
                return true;
            }
            if (t instanceof SQLException sql && sql.getSQLState() != null && (sql.getSQLState().startsWith("08")
                    || sql.getSQLState().startsWith("57P") || RETRYABLE_STATES.contains(sql.getSQLState()))) {
                return true;
            }
            if (t.getClass().getName().contains("AgroalTimeout")) {
                return true;
            }
        }
        return false;
    }

    /** Waits before the next attempt; an interrupt ends the retrying. */
    public static void pause(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for the database", e);
        }
    }
}
