package org.hdil2.monitoring.domain;

import java.time.Duration;

/** One grade of a CTCAE term: the grade applies while {@code when} holds (for at least {@code duration}, if given). */
public record Band(int grade, Condition when, Duration duration) {
}
