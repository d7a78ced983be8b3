package org.hdil2.eligibility.config;

import java.time.ZoneId;
import java.util.Optional;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

@ConfigMapping(prefix = "hdil2.eligibility")
public interface EligibilityConfig {

    /** The protocol screenings use unless a request names another. */
    String protocol();

    /** A directory of the hospital's own protocol files, read at start. */
    Optional<String> protocolDir();

    /** The zone whose calendar date a screening judges fact dates against. */
    @WithDefault("UTC")
    ZoneId zone();
}
