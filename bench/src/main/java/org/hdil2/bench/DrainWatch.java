package org.hdil2.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;

/**
 * Watches a Kafka Streams application drain a pre-loaded topic, by its consumer group's committed offsets on it (with
 * exactly-once they advance only when the outputs of those records are committed, so "committed" is "evaluated and
 * visible"). Prints the rate from the first committed record to {@code target}, and over the last 80 % (after the JIT
 * has warmed up). The same measure for the suite and the anchor. Usage: {@code DrainWatch <bootstrap> <group> <topic>
 * <target> <timeout s>}.
 */
public final class DrainWatch {

    private DrainWatch() {
    }

    public static void main(String[] args) throws Exception {
        String bootstrap = args[0];
        String group = args[1];
        String topic = args[2];
        long target = Long.parseLong(args[3]);
        long deadline = System.nanoTime() + Long.parseLong(args[4]) * 1_000_000_000L;
        List<long[]> samples = new ArrayList<>(); // {nanos, committed}
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap))) {
            long committed = 0;
            while (committed < target && System.nanoTime() < deadline) {
                committed = committed(admin, group, topic);
                if (committed > 0) {
                    samples.add(new long[] {System.nanoTime(), committed});
                }
                Thread.sleep(250);
            }
        }
        if (samples.size() < 2) {
            System.out.println("DRAIN group=" + group + " nothing committed");
            return;
        }
        long[] first = samples.get(0);
        long[] last = samples.get(samples.size() - 1);
        long fifth = first[1] + (last[1] - first[1]) / 5;
        long[] warm = samples.stream().filter(s -> s[1] >= fifth).findFirst().orElse(first);
        System.out.printf(Locale.ROOT, "DRAIN group=%s committed=%d of %d; %.1f s from first commit; rate %.0f obs/s; last 80%% %.0f obs/s%s%n",
                group, last[1], target, (last[0] - first[0]) / 1e9, rate(first, last), rate(warm, last),
                last[1] < target ? " (TIMED OUT)" : "");
    }

    private static double rate(long[] from, long[] to) {
        return to[0] == from[0] ? 0 : (to[1] - from[1]) / ((to[0] - from[0]) / 1e9);
    }

    private static long committed(Admin admin, String group, String topic) throws Exception {
        return admin.listConsumerGroupOffsets(group).partitionsToOffsetAndMetadata().get().entrySet().stream()
                .filter(e -> e.getKey().topic().equals(topic) && e.getValue() != null).mapToLong(e -> e.getValue().offset()).sum();
    }
}
