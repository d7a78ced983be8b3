package org.hdil2.bench;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

/**
 * Fixed-rate load on one HTTP endpoint over {@value #CONNECTIONS} keep-alive connections (the wrk2 model, as anchor
 * B's generator). Each request's latency is measured from the time it was scheduled to be sent, not from when it was
 * sent, so a stalled server shows up in the percentiles (no coordinated omission).
 * Usage: {@code FixedRateLoad <METHOD> <URL> <bearer token> <body file or -> <expected status> [rate/s=500] [seconds=30] [warm-up s=10]}.
 */
public final class FixedRateLoad {

    private static final int CONNECTIONS = 16;

    private FixedRateLoad() {
    }

    public static void main(String[] args) throws Exception {
        String body = args[3].equals("-") ? null : Files.readString(Path.of(args[3]));
        measure(args[0], args[1], args[2], body, Integer.parseInt(args[4]),
                args.length > 5 ? Integer.parseInt(args[5]) : 500,
                args.length > 6 ? Integer.parseInt(args[6]) : 30,
                args.length > 7 ? Integer.parseInt(args[7]) : 10);
    }

    /** Warms up, then sends {@code rate} requests a second for {@code seconds} and prints throughput and percentiles. */
    static void measure(String method, String url, String token, String body, int expectedStatus, int rate, int seconds,
                        int warmup) throws InterruptedException {
        URI uri = URI.create(url);
        byte[] request = HttpConnection.request(method, uri, token, body);
        System.out.printf(Locale.ROOT, "warm-up %d s at %d req/s%n", warmup, rate);
        run(uri, request, expectedStatus, rate, warmup, new Latencies(), new AtomicLong(), new AtomicLong());
        Latencies latencies = new Latencies();
        AtomicLong errors = new AtomicLong();
        AtomicLong unexpected = new AtomicLong();
        long started = System.nanoTime();
        long sent = run(uri, request, expectedStatus, rate, seconds, latencies, errors, unexpected);
        double elapsed = (System.nanoTime() - started) / 1e9;
        System.out.printf(Locale.ROOT, "%s %s: sent %d requests in %.1f s (%.0f req/s achieved); completed %d; errors %d; not %d: %d%n",
                method, uri.getPath(), sent, elapsed, sent / elapsed, latencies.size(), errors.get(), expectedStatus,
                unexpected.get());
        System.out.println("latency from scheduled send: " + latencies.report());
    }

    /**
     * {@code CONNECTIONS} workers share one schedule: each takes the next send time, waits for it, sends and records
     * the latency from that time. When all workers are busy the schedule runs ahead and the wait shows in the figures.
     * No request is sent after {@code seconds}: a service slower than {@code rate} gets fewer, and the figure printed is
     * the rate it achieved (so a rate above its capacity measures its maximum throughput).
     */
    private static long run(URI uri, byte[] request, int expectedStatus, int rate, int seconds,
                            Latencies latencies, AtomicLong errors, AtomicLong unexpected) throws InterruptedException {
        long interval = TimeUnit.SECONDS.toNanos(1) / rate;
        long start = System.nanoTime();
        long total = (long) rate * seconds;
        long end = start + TimeUnit.SECONDS.toNanos(seconds);
        AtomicLong next = new AtomicLong();
        AtomicLong sent = new AtomicLong();
        Thread[] workers = new Thread[CONNECTIONS];
        for (int w = 0; w < workers.length; w++) {
            workers[w] = new Thread(() -> {
                try (HttpConnection connection = new HttpConnection(uri)) {
                    for (long i = next.getAndIncrement(); i < total; i = next.getAndIncrement()) {
                        long intended = start + i * interval;
                        long wait = intended - System.nanoTime();
                        if (wait > 0) {
                            LockSupport.parkNanos(wait);
                        } else if (System.nanoTime() > end) {
                            break;
                        }
                        sent.incrementAndGet();
                        try {
                            int status = connection.exchange(request);
                            if (status != expectedStatus && unexpected.incrementAndGet() == 1) {
                                System.out.println("first unexpected status: " + status);
                            }
                        } catch (Exception e) {
                            if (errors.incrementAndGet() == 1) {
                                System.out.println("first error: " + e);
                            }
                        }
                        latencies.add((System.nanoTime() - intended) / 1000);
                    }
                }
            }, "load-" + w);
            workers[w].start();
        }
        for (Thread worker : workers) {
            worker.join();
        }
        return sent.get();
    }
}
