package org.hdil2.dosing.config;

import io.smallrye.config.ConfigMapping;

/** The topics dosing-service reads and writes, in one place ({@code hdil2.topics.*}, suffixed per environment). */
@ConfigMapping(prefix = "hdil2.topics")
public interface Topics {

    /** eligibility's screening results, read. */
    String screenings();

    /** monitoring's findings and evaluations, read. */
    String findings();

    /** course, dose and hold events, written through the outbox. */
    String dosingEvents();
}
