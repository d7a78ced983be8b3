package org.hdil2.dosing.domain;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Lays out a course's dose opportunities from the first dose: every {@code intervalHours} within a cycle of
 * {@code cycleDays}, at most {@code maxDosesPerCycle}, the next cycle after {@code restDays}. All in UTC instants, so
 * daylight-saving changes cannot shift an interval.
 */
public final class DoseSchedule {

    private DoseSchedule() {
    }

    public static List<DoseSlot> layout(DosingProtocol.Schedule schedule, Instant firstDose) {
        Duration interval = Duration.ofHours(schedule.intervalHours());
        long slotsThatFit = Duration.ofDays(schedule.cycleDays()).dividedBy(interval);
        int perCycle = (int) Math.min(schedule.maxDosesPerCycle(), slotsThatFit);
        Duration cycleStride = Duration.ofDays(schedule.cycleDays() + schedule.restDays());
        List<DoseSlot> slots = new ArrayList<>();
        int number = 1;
        for (int cycle = 1; cycle <= schedule.cycles(); cycle++) {
            Instant cycleStart = firstDose.plus(cycleStride.multipliedBy(cycle - 1L));
            for (int i = 0; i < perCycle; i++) {
                slots.add(new DoseSlot(number++, cycle, cycleStart.plus(interval.multipliedBy(i))));
            }
        }
        return slots;
    }
}
