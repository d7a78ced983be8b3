package org.hdil2.dosing.messaging;

import java.time.Instant;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.hdil2.dosing.domain.DosingProtocol;
import org.hdil2.dosing.persistence.DoseOpportunityEntity;
import org.hdil2.dosing.app.DoseLedger;
import org.jboss.logging.Logger;

import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.scheduler.Scheduled;

/** Every minute, slots whose time passed by more than the protocol's window without an entry become MISSED. */
@ApplicationScoped
public class MissedDoses {

    private static final Logger LOG = Logger.getLogger(MissedDoses.class);

    @Inject
    DoseLedger ledger;

    @Inject
    DosingProtocol protocol;

    @Scheduled(every = "${hdil2.dosing.missed-check-interval:60s}", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void markOverdue() {
        markOverdue(Instant.now());
    }

    /** Marks every slot overdue at {@code now}; returns how many. */
    public int markOverdue(Instant now) {
        int marked = 0;
        var overdue = QuarkusTransaction.requiringNew().call(() ->
                DoseOpportunityEntity.overdue(now.minus(protocol.course().missedAfter())));
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
