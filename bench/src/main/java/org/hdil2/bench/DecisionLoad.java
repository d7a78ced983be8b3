package org.hdil2.bench;

/**
 * Fixed-rate load on the pre-dose decision endpoint (a GET expecting 200), through {@link FixedRateLoad}.
 * Usage: {@code DecisionLoad <decision URL> <bearer token> [rate/s=500] [seconds=30] [warm-up s=10]}.
 */
public final class DecisionLoad {

    private DecisionLoad() {
    }

    public static void main(String[] args) throws Exception {
        FixedRateLoad.measure("GET", args[0], args[1], null, 200,
                args.length > 2 ? Integer.parseInt(args[2]) : 500,
                args.length > 3 ? Integer.parseInt(args[3]) : 30,
                args.length > 4 ? Integer.parseInt(args[4]) : 10);
    }
}
