package org.hdil2.faults;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

/**
 * The fault campaign in the test command: every scenario once, with a ward of four patients, on the packaged services,
 * their own broker and PostgreSQL; every invariant must hold. The table goes to the output and to
 * {@code target/fault-campaign.md}; a failure names the seed ({@code -Dhdil2.faults.seed=N} replays it).
 */
class FaultCampaignIT {

    @Test
    void everyScenarioHoldsEveryInvariant() throws Exception {
        String given = System.getProperty("hdil2.faults.seed", "");
        long seed = given.isBlank() ? System.nanoTime() : Long.parseLong(given);
        Path root = Path.of(System.getProperty("hdil2.root", "..")).toAbsolutePath().normalize();
        Path runDir = root.resolve("faults/target/campaign-" + seed);
        List<Campaign.Result> results = new ArrayList<>();
        System.out.println("fault campaign, seed " + seed);
        try (Campaign campaign = Campaign.start(root, runDir, seed)) {
            String only = System.getProperty("hdil2.faults.only", "");
            for (Scenarios.Named s : Scenarios.ALL) {
                if (!only.isBlank() && java.util.Arrays.stream(only.split(",")).noneMatch(o -> s.name().startsWith(o.trim()))) {
                    continue; // a subset, while working on one scenario: -Dhdil2.faults.only=broker,poison
                }
                Campaign.Result r = campaign.run(s.name(), 4, s.faults());
                System.out.println(Campaign.table(List.of(r)));
                results.add(r);
            }
        }
        String table = Campaign.table(results);
        Campaign.write(root.resolve("faults/target/fault-campaign.md"), "seed " + seed + "\n\n" + table);
        System.out.println(table);
        assertTrue(results.stream().allMatch(Campaign.Result::holds), "an invariant broke (seed " + seed + "):\n" + table);
    }
}
