package org.hdil2.faults;

import java.util.List;

/** The campaign's scenarios in the order they run: one replica of each service first, then two. */
public final class Scenarios {

    public record Named(String name, Campaign.Faults faults) {
    }

    public static final List<Named> ALL = List.of(
            new Named("kill -9 of each service", Campaign.KILL_EACH_SERVICE),
            new Named("broker restart", Campaign.BROKER_RESTART),
            new Named("PostgreSQL restart", Campaign.POSTGRES_RESTART),
            new Named("poison on every consumed topic", Campaign.POISON),
            new Named("two replicas, one killed", Campaign.TWO_REPLICAS),
            new Named("replicas frozen past the session timeout", Campaign.FROZEN_REPLICAS));

    private Scenarios() {
    }
}
