package org.hdil2.alert.delivery;

import java.time.Clock;
import java.time.Instant;
import java.util.List;

import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;

import org.hdil2.alert.app.AlertLifecycle;
import org.hdil2.alert.config.AlertConfig;
import org.hdil2.alert.persistence.AlertEntity;
import org.hdil2.kit.poll.Poller;
import org.jboss.logging.Logger;

import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.runtime.StartupEvent;

/**
 * Acts on due escalation timers. The timers are the {@code next_escalation_at} of each unacknowledged alert, in
 * PostgreSQL, so they survive a restart. Each run claims due alerts with {@code FOR UPDATE SKIP LOCKED} and takes
 * their next step (state, history, notification, event, audit) in the same transaction: two replicas, or two runs,
 * never take the same step twice, and a crash before commit leaves the timer due for the next run.
 */
@ApplicationScoped
public class EscalationScheduler {

    private static final Logger LOG = Logger.getLogger(EscalationScheduler.class);

    @Inject
    AlertConfig config;

    @Inject
    AlertLifecycle alerts;

    @Inject
    EntityManager em;

    @Inject
    Clock clock;

    private Poller poller;

    void onStart(@Observes StartupEvent start) {
        if (config.scheduler().enabled()) {
            start();
        } else {
            LOG.warn("escalation scheduler disabled (hdil2.alerts.scheduler.enabled=false): another replica must run it");
        }
    }

    public synchronized void start() {
        if (poller != null) {
            return;
        }
        poller = Poller.start("alert-escalation", config.scheduler().interval(), config.scheduler().interval(), () -> Poller.drain(config.scheduler().batchSize(), this::runOnce));
    }

    /** Stops running (a run in progress finishes first). Timers stay in the database. */
    public synchronized void stop() {
        if (poller == null) {
            return;
        }
        poller.stop(java.time.Duration.ofSeconds(30));
        poller = null;
    }

    public synchronized boolean running() {
        return poller != null;
    }

    /**
     * One claim-and-act run.
     *
     * @return how many due alerts this run claimed
     */
    @SuppressWarnings("unchecked")
    public int runOnce() {
        return QuarkusTransaction.requiringNew().timeout(60).call(() -> {
            Instant now = clock.instant();
            List<AlertEntity> due = em.createNativeQuery("select * from alert where next_escalation_at <= ?1 and ended_at is null "
                    + "order by next_escalation_at, id limit ?2 for update skip locked", AlertEntity.class)
                    .setParameter(1, now).setParameter(2, config.scheduler().batchSize()).getResultList();
            for (AlertEntity a : due) {
                alerts.escalate(a, now);
            }
            return due.size();
        });
    }

    void onShutdown(@Observes io.quarkus.runtime.ShutdownEvent event) {
        stop();
    }

    @PreDestroy
    void destroy() {
        stop();
    }
}
