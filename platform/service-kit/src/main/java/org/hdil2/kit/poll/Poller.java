package org.hdil2.kit.poll;

import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.IntSupplier;

import org.jboss.logging.Logger;

/**
 * One background thread that runs a task every interval and, when woken (after a commit that gave it work), once more
 * at once; wakes that arrive while one is queued are merged. The suite's one poller: the outbox relay, the access-log
 * writer, and alert-service's escalation, webhook and SSE loops each run on one. A task that throws is logged and run
 * again at the next tick (a bare scheduled executor would silently stop scheduling it).
 */
public final class Poller {

    private static final Logger LOG = Logger.getLogger(Poller.class);

    private final String name;
    private final Runnable task;
    private final ScheduledExecutorService executor;
    private final AtomicBoolean wakeQueued = new AtomicBoolean();

    private Poller(String name, Runnable task) {
        this.name = name;
        this.task = task;
        this.executor = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, name);
            t.setDaemon(true);
            return t;
        });
    }

    /** Starts a daemon thread named {@code name} running {@code task} after {@code initialDelay}, then every {@code every}. */
    public static Poller start(String name, Duration initialDelay, Duration every, Runnable task) {
        Poller p = new Poller(name, task);
        p.executor.scheduleWithFixedDelay(p::runTask, initialDelay.toMillis(), Math.max(1, every.toMillis()), TimeUnit.MILLISECONDS);
        return p;
    }

    /**
     * Runs {@code batch} again while it reports a full batch ({@code batchSize} rows): a run that found a full batch
     * leaves more due, which should not wait for the next tick.
     */
    public static void drain(int batchSize, IntSupplier batch) {
        while (batch.getAsInt() >= batchSize) {
            // a full batch: more may be due
        }
    }

    /** Also runs {@code other} on this thread every {@code every} (a heartbeat, say). */
    public Poller alsoEvery(Duration every, Runnable other) {
        executor.scheduleWithFixedDelay(() -> guarded(other), every.toMillis(), Math.max(1, every.toMillis()), TimeUnit.MILLISECONDS);
        return this;
    }

    /** Runs the task soon; calls while a run is already queued are merged. After {@link #stop} it does nothing. */
    public void wake() {
        if (wakeQueued.compareAndSet(false, true)) {
            try {
                executor.execute(() -> {
                    wakeQueued.set(false);
                    runTask();
                });
            } catch (RejectedExecutionException e) {
                wakeQueued.set(false); // stopped
            }
        }
    }

    /** Runs {@code work} once on this thread (work that must not race the task). After {@link #stop} it does nothing. */
    public void execute(Runnable work) {
        try {
            executor.execute(() -> guarded(work));
        } catch (RejectedExecutionException e) {
            LOG.debugf("%s is stopped: work dropped", name);
        }
    }

    /** Stops scheduling; a run in progress finishes first (waiting at most {@code await}). */
    public void stop(Duration await) {
        executor.shutdown();
        try {
            executor.awaitTermination(await.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Stops at once: queued runs are dropped and a run in progress is interrupted. */
    public void stopNow() {
        executor.shutdownNow();
    }

    private void runTask() {
        guarded(task);
    }

    private void guarded(Runnable r) {
        try {
            r.run();
        } catch (RuntimeException e) {
            // the class only: a message may quote what the task was working on (a patient id, a value)
            LOG.warnf("%s run failed, will run again: %s", name, e.getClass().getName());
        }
    }
}
