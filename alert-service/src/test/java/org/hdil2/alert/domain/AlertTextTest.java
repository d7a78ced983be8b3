package org.hdil2.alert.domain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class AlertTextTest {

    @Test
    void theTitleSaysWhatToDoAndWhy() {
        assertEquals("Withhold aldesleukin: 8480-6 < 90 mm[Hg] (84 mm[Hg])", AlertText.title("WITHHOLD", "8480-6 < 90 mm[Hg]", "84", "mm[Hg]"));
        assertTrue(AlertText.title("DISCONTINUE", "x", "1", "u").startsWith("Stop aldesleukin"));
    }

    @Test
    void theDetailSaysAcknowledgingDoesNotLiftAHold() {
        assertTrue(AlertText.detail("R", "1", "S", "t").contains("does not lift the hold"));
        assertTrue(AlertText.detail("WITHHOLD", "R", "1", "S", "t").contains("does not lift the hold"));
        assertFalse(AlertText.detail("NOTIFY", "NEWS2-URGENT", "1", "S", "t").contains("hold"));
    }

    @Test
    void anUnknownSeverityIsTreatedAsHigh() {
        assertEquals(Priority.HIGH, Priority.fromSeverity("CATASTROPHIC"));
        assertEquals(Priority.LOW, Priority.fromSeverity("LOW"));
    }
}
