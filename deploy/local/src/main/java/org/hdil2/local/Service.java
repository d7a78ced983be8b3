package org.hdil2.local;

/** The four services, where their packaged application lives, and the port each uses in the local stack. */
public enum Service {
    ELIGIBILITY("eligibility-service", "eligibility", 8081),
    DOSING("dosing-service", "dosing", 8082),
    MONITORING("monitoring-service", "monitoring", 8083),
    ALERT("alert-service", "alert", 8084);

    private final String module;
    private final String database;
    private final int localPort;

    Service(String module, String database, int localPort) {
        this.module = module;
        this.database = database;
        this.localPort = localPort;
    }

    public String module() {
        return module;
    }

    public String database() {
        return database;
    }

    public int localPort() {
        return localPort;
    }
}
