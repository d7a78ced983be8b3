package org.hdil2.faults;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The campaign's scenarios again and again for a while, with more patients: {@code bench/fault-soak.sh [MINUTES]
 * [PATIENTS] [SEED]}. Prints the table of every round; reports, never passes or fails.
 */
public final class FaultSoak {

    private FaultSoak() {
    }

    public static void main(String[] args) throws Exception {
        Duration length = Duration.ofMinutes(args.length > 0 ? Long.parseLong(args[0]) : 30);
        int patients = args.length > 1 ? Integer.parseInt(args[1]) : 10;
        long seed = args.length > 2 ? Long.parseLong(args[2]) : System.nanoTime();
        Path root = Path.of(System.getProperty("hdil2.root", ".")).toAbsolutePath().normalize();
        Path runDir = root.resolve("faults/target/soak-" + seed);
        List<Campaign.Result> results = new ArrayList<>();
        long end = System.nanoTime() + length.toNanos();
        System.out.printf("fault soak: %d min, %d patients a scenario, seed %d%n", length.toMinutes(), patients, seed);
        try (Campaign campaign = Campaign.start(root, runDir, seed)) {
            int round = 0;
            while (System.nanoTime() < end) {
                round++;
                for (Scenarios.Named s : Scenarios.ALL) {
                    if (System.nanoTime() >= end) {
                        break;
                    }
                    Campaign.Result r = campaign.run(s.name() + " #" + round, patients, s.faults());
                    results.add(r);
                    System.out.println(Campaign.table(List.of(r)));
                }
            }
        }
        String table = Campaign.table(results);
        Campaign.write(runDir.resolve("soak.md"), table);
        System.out.println(table);
        System.out.printf("%d scenarios, %d held every invariant; table in %s%n", results.size(),
                results.stream().filter(Campaign.Result::holds).count(), runDir.resolve("soak.md"));
    }
}
