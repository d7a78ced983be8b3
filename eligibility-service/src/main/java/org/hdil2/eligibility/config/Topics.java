package org.hdil2.eligibility.config;

import io.smallrye.config.ConfigMapping;

/** The topics eligibility-service writes, in one place ({@code hdil2.topics.*}, suffixed per environment). */
@ConfigMapping(prefix = "hdil2.topics")
public interface Topics {

    /** screening-completed, written through the outbox. */
    String screenings();
}
