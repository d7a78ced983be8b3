package org.hdil2.dosing.api;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Instant;
import java.time.ZoneId;

import org.junit.jupiter.api.Test;

class CourseViewsTest {

    private static final ZoneId AMSTERDAM = ZoneId.of("Europe/Amsterdam");

    @Test
    void aDoseTimeIsShownWithTheOffsetInForceAcrossTheSpringForward() {
        // every 8 h from 2027-03-27 15:00 UTC; clocks go from 02:00 to 03:00 on 2027-03-28 in Amsterdam
        assertEquals("2027-03-27T16:00+01:00", CourseViews.local(Instant.parse("2027-03-27T15:00:00Z"), AMSTERDAM));
        assertEquals("2027-03-28T01:00+01:00", CourseViews.local(Instant.parse("2027-03-28T00:00:00Z"), AMSTERDAM));
        assertEquals("2027-03-28T17:00+02:00", CourseViews.local(Instant.parse("2027-03-28T15:00:00Z"), AMSTERDAM));
    }
}
