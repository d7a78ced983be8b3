package org.hdil2.eligibility.domain;

import java.time.LocalDate;

/**
 * One stated fact with its provenance: the value, its unit (null for yes/no and coded facts), the date it was
 * observed or assessed, and where it came from. Criterion results echo these as their inputs.
 */
public record Fact(Object value, String unit, LocalDate date, String source) {
}
