package org.hdil2.dosing.domain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.List;

import org.hdil2.dosing.config.DosingProtocols;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Reference sections 1.2 and 2.2: 600,000 IU/kg q8h, 14 doses a cycle, cycle 2 on day 15. */
class DoseAndScheduleTest {

    private final DosingProtocol label = DosingProtocols.read("label-2024");

    @ParameterizedTest(name = "{0} kg -> {1} IU")
    @CsvSource({ "40, 24000000", "55, 33000000", "70, 42000000", "100, 60000000", "150, 90000000", "200, 120000000",
            "70.25, 42150000", "0.0001, 60" })
    void doseIsSixHundredThousandIuPerKg(String kg, long iu) {
        assertEquals(iu, DoseCalculator.doseIu(label.dose(), new BigDecimal(kg)));
    }

    @Test
    void aDoseNeedsAPositiveWeight() {
        assertThrows(IllegalArgumentException.class, () -> DoseCalculator.doseIu(label.dose(), BigDecimal.ZERO));
        assertThrows(IllegalArgumentException.class, () -> DoseCalculator.doseIu(label.dose(), null));
    }

    @Test
    void fourteenDosesPerCycleEightHoursApartCycleTwoOnDayFifteen() {
        Instant first = Instant.parse("2026-03-27T16:00:00Z");
        List<DoseSlot> slots = DoseSchedule.layout(label.schedule(), first);
        assertEquals(28, slots.size());
        assertEquals(14, slots.stream().filter(s -> s.cycle() == 1).count());
        assertEquals(first, slots.get(0).scheduledAt());
        assertEquals(first.plus(Duration.ofHours(8 * 13)), slots.get(13).scheduledAt());
        // day 15 at the same clock time as day 1
        assertEquals(first.plus(Duration.ofDays(14)), slots.get(14).scheduledAt());
        assertEquals(2, slots.get(14).cycle());
        for (int i = 1; i < 14; i++) {
            assertEquals(Duration.ofHours(8), Duration.between(slots.get(i - 1).scheduledAt(), slots.get(i).scheduledAt()));
        }
        // the last dose of cycle 1 still falls within days 1-5
        assertEquals(true, slots.get(13).scheduledAt().isBefore(first.plus(Duration.ofDays(5))));
        assertEquals(28, slots.get(27).doseNumber());
    }

    @Test
    void aDaylightSavingChangeDoesNotStretchAnInterval() {
        // Europe/Amsterdam springs forward on 2026-03-29; intervals stay 8 real hours
        Instant first = java.time.ZonedDateTime.of(2026, 3, 28, 16, 0, 0, 0, ZoneId.of("Europe/Amsterdam")).toInstant();
        List<DoseSlot> slots = DoseSchedule.layout(label.schedule(), first);
        for (int i = 1; i < 14; i++) {
            assertEquals(Duration.ofHours(8), Duration.between(slots.get(i - 1).scheduledAt(), slots.get(i).scheduledAt()));
        }
    }
}
