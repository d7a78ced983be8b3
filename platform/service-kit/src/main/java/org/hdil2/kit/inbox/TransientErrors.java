package org.hdil2.kit.inbox;

import java.sql.SQLException;
import java.sql.SQLTransientException;
import java.util.Set;
import java.util.concurrent.Callable;

import org.jboss.logging.Logger;

/**
 * Whether a failure is the database being unavailable or a transaction losing a race (retry the record in place)
 * rather than something wrong with the record (dead-letter it). Shared by every consumer that writes to the database.
 */
public final class TransientErrors {

    private static final Logger LOG = Logger.getLogger(TransientErrors.class);

    /** Serialization failure and deadlock: the same transaction succeeds when tried again. */
    private static final Set<String> RETRYABLE_STATES = Set.of("40001", "40P01");

    private TransientErrors() {
    }

    public static boolean isTransient(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof SQLTransientException || t instanceof java.net.ConnectException
                    || t instanceof java.sql.SQLRecoverableException) {
                return true;
            }
            // a commit that failed (the connection went away under it): the transaction manager's exceptions
            if (t.getClass().getName().startsWith("jakarta.transaction.")) {
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

    /**
     * The retrying of one record: a transient failure is tried again (backing off to 30 s) for as long as it lasts; any
     * other failure that is not the record's fault is tried again for {@value #UNKNOWN_RETRY_SECONDS} s before the record
     * is dead-lettered. A database restart seen in the fault soak surfaced as an exception no list names (wrapped by
     * the transaction interceptor): retrying first keeps a valid record from being dead-lettered for it.
     */
    public static final class Retrying {

        /**
         * The suite's one retry loop for a consumed record: runs {@code attempt} until it succeeds or {@link #again}
         * gives up. A {@link PoisonEventException} ends it at once (the record's own fault); giving up throws one with
         * {@code giveUp} and the failure's type as its reason, so the record is dead-lettered.
         */
        public static <T> T untilDone(String consumer, String eventId, String giveUp, Callable<T> attempt) {
            Retrying retrying = new Retrying();
            while (true) {
                try {
                    return attempt.call();
                } catch (PoisonEventException e) {
                    throw e;
                } catch (Exception e) {
                    // the exception's type only: a message can quote the record
                    LOG.warnf("%s: event %s failed (%s), retrying", consumer, eventId, e.getClass().getName());
                    if (!retrying.again(e)) {
                        throw new PoisonEventException(giveUp + " (" + e.getClass().getName() + ")", e);
                    }
                }
            }
        }

        private final long started = System.nanoTime();
        private long backoffMs = 250;

        /** Whether to try again after {@code e}; when it answers true it has already waited. */
        public boolean again(Throwable e) {
            boolean known = isTransient(e);
            if (!known && (System.nanoTime() - started) / 1_000_000_000L >= UNKNOWN_RETRY_SECONDS) {
                return false;
            }
            pause(backoffMs);
            backoffMs = Math.min(backoffMs * 2, 30_000);
            return true;
        }

        public long lastBackoffMs() {
            return backoffMs;
        }
    }

    static final long UNKNOWN_RETRY_SECONDS = 60;

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
