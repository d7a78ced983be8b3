package org.hdil2.dosing.messaging;

import java.time.Instant;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.hdil2.dosing.config.DosingProtocols;
import org.hdil2.dosing.persistence.DoseOpportunityEntity;
import org.hdil2.dosing.app.DoseLedger;
import org.jboss.logging.Logger;

import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.scheduler.Scheduled;

/**
 * Every minute, slots whose time passed by more than their course protocol's window without an entry become MISSED (the
 * sweep reads from the shortest window of any protocol; each course applies its own).
 */
@ApplicationScoped
public class MissedDoses {

    private static final Logger LOG = Logger.getLogger(MissedDoses.class);

    @Inject
    DoseLedger ledger;

    @Inject
    DosingProtocols protocols;

    @Scheduled(every = "${hdil2.dosing.missed-check-interval:60s}", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void markOverdue() {
        markOverdue(Instant.now());
    }

    /** Marks every slot overdue at {@code now}; returns how many. */
    public int markOverdue(Instant now) {
        int marked = 0;
        var overdue = QuarkusTransaction.requiringNew().call(() ->
                DoseOpportunityEntity.overdue(now.minus(protocols.shortestMissedAfter())));
        for (DoseOpportunityEntity slot : overdue) {
            try {
                ledger.markMissed(slot.courseId, slot.doseNumber, now);
                marked++;
            } catch (RuntimeException e) {
                LOG.warnf("could not mark dose %d of course %s missed: %s", slot.doseNumber, slot.courseId, e.toString());
            }
        }
        return marked;
    }
}
