package org.hdil2.dosing.api;

import java.time.Instant;

/** A dose given; {@code givenAt} defaults to now. */
public record AdministrationRequest(Instant givenAt) {
}
