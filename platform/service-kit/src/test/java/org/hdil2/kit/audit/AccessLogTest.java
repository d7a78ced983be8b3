package org.hdil2.kit.audit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.hdil2.kit.problem.ProblemException;
import org.junit.jupiter.api.Test;

class AccessLogTest {

    private static final AccessLog.StreamCaller NURSE = new AccessLog.StreamCaller("nurse-1", "nurse", "req-1");

    @Test
    void aReadThatCannotBeQueuedIsRefusedNotShownUnlogged() {
        AccessLog log = new AccessLog();
        log.capacity = 2;
        log.problems = () -> "TEST";
        log.streamed(NURSE, "p-1", "Alert", "1");
        log.streamed(NURSE, "p-1", "Alert", "2");
        ProblemException full = assertThrows(ProblemException.class, () -> log.streamed(NURSE, "p-1", "Alert", "3"));
        assertEquals(503, full.status());
        assertEquals("TEST-0012", full.code());
    }
}
