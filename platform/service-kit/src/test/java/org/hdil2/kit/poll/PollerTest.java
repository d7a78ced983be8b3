package org.hdil2.kit.poll;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;

class PollerTest {

    @Test
    void aWakeRunsTheTaskAtOnceAndWakesWhileOneIsQueuedAreMerged() throws Exception {
        AtomicInteger runs = new AtomicInteger();
        CountDownLatch release = new CountDownLatch(1);
        CountDownLatch started = new CountDownLatch(1);
        Poller p = Poller.start("test-poller", Duration.ofHours(1), Duration.ofHours(1), () -> {
            runs.incrementAndGet();
            started.countDown();
            try {
                release.await(5, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        p.wake(); // runs, and blocks on the latch
        assertTrue(started.await(5, TimeUnit.SECONDS));
        for (int i = 0; i < 50; i++) {
            p.wake(); // one queued run for all of these
        }
        release.countDown();
        p.stop(Duration.ofSeconds(5));
        assertEquals(2, runs.get());
    }

    @Test
    void aTaskThatThrowsRunsAgainAtTheNextTick() throws Exception {
        CountDownLatch thrice = new CountDownLatch(3);
        CountDownLatch afterStop = new CountDownLatch(1);
        AtomicBoolean stopped = new AtomicBoolean();
        Poller p = Poller.start("test-throwing", Duration.ZERO, Duration.ofMillis(10), () -> {
            thrice.countDown();
            if (stopped.get()) {
                afterStop.countDown();
            }
            throw new IllegalStateException("broker away");
        });
        assertTrue(thrice.await(5, TimeUnit.SECONDS), "a bare scheduled executor would have run it once");
        p.stop(Duration.ofSeconds(5));
        stopped.set(true);
        p.wake(); // ignored after stop
        assertFalse(afterStop.await(100, TimeUnit.MILLISECONDS), "nothing runs after stop (ten ticks' worth of waiting)");
    }
}
