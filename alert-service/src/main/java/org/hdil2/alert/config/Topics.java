package org.hdil2.alert.config;

import io.smallrye.config.ConfigMapping;

/** The topics alert-service reads and writes, in one place ({@code hdil2.topics.*}, suffixed per environment). */
@ConfigMapping(prefix = "hdil2.topics")
public interface Topics {

    /** monitoring's findings, read. */
    String findings();

    /** alert-raised / -updated / -resolved, written through the outbox. */
    String alertEvents();
}
