package org.hdil2.bench;

import java.util.Arrays;
import java.util.Locale;

/** Collected latencies in microseconds, reported as percentiles. */
final class Latencies {

    private long[] values = new long[1024];
    private int size;

    synchronized void add(long micros) {
        if (size == values.length) {
            values = Arrays.copyOf(values, size * 2);
        }
        values[size++] = micros;
    }

    synchronized int size() {
        return size;
    }

    synchronized String report() {
        if (size == 0) {
            return "no samples";
        }
        long[] sorted = Arrays.copyOf(values, size);
        Arrays.sort(sorted);
        return String.format(Locale.ROOT, "n=%d p50=%.2f ms p90=%.2f ms p99=%.2f ms p99.9=%.2f ms max=%.2f ms", size,
                at(sorted, 0.50), at(sorted, 0.90), at(sorted, 0.99), at(sorted, 0.999), sorted[size - 1] / 1000.0);
    }

    private static double at(long[] sorted, double q) {
        int index = (int) Math.ceil(q * sorted.length) - 1;
        return sorted[Math.max(0, Math.min(sorted.length - 1, index))] / 1000.0;
    }
}
