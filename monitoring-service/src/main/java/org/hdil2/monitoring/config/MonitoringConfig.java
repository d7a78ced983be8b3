package org.hdil2.monitoring.config;

import io.smallrye.config.ConfigMapping;

@ConfigMapping(prefix = "hdil2.monitoring")
public interface MonitoringConfig {

    /** The protocol whose hold and stop rules are evaluated: a file {@code protocols/<id>.json}. */
    String protocol();
}
