package org.hdil2.bench;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

/**
 * Fixed-rate load on the pre-dose decision endpoint. Each request's latency is measured from the time it was
 * scheduled to be sent, not from when it was sent, so a stalled server shows up in the percentiles (no
 * coordinated omission). Usage: {@code DecisionLoad <decision URL> <bearer token> [rate/s=500] [seconds=30] [warm-up s=10]}.
 */
public final class DecisionLoad {

    private static final int CONNECTIONS = 32;

    private DecisionLoad() {
    }

    public static void main(String[] args) throws Exception {
        String url = args[0];
        String token = args[1];
        int rate = args.length > 2 ? Integer.parseInt(args[2]) : 500;
        int seconds = args.length > 3 ? Integer.parseInt(args[3]) : 30;
        int warmup = args.length > 4 ? Integer.parseInt(args[4]) : 10;
        HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(5)).build();
        HttpRequest request = HttpRequest.newBuilder(URI.create(url)).header("Authorization", "Bearer " + token)
                .timeout(Duration.ofSeconds(10)).GET().build();
        System.out.printf(Locale.ROOT, "warm-up %d s at %d req/s%n", warmup, rate);
        run(client, request, rate, warmup, new Latencies(), new AtomicLong(), new AtomicLong());
        Latencies latencies = new Latencies();
        AtomicLong errors = new AtomicLong();
        AtomicLong nonOk = new AtomicLong();
        long started = System.nanoTime();
        long sent = run(client, request, rate, seconds, latencies, errors, nonOk);
        double elapsed = (System.nanoTime() - started) / 1e9;
        System.out.printf(Locale.ROOT, "sent %d requests in %.1f s (%.0f req/s scheduled); completed %d; errors %d; non-200 %d%n",
                sent, elapsed, sent / elapsed, latencies.size(), errors.get(), nonOk.get());
        System.out.println("latency from scheduled send: " + latencies.report());
    }

    /**
     * {@code connections} workers share one schedule: each takes the next send time, waits for it, sends and records
     * the latency from that time. When all workers are busy the schedule runs ahead and the wait shows in the figures.
     */
    private static long run(HttpClient client, HttpRequest request, int rate, int seconds, Latencies latencies,
                            AtomicLong errors, AtomicLong nonOk) throws InterruptedException {
        long interval = TimeUnit.SECONDS.toNanos(1) / rate;
        long start = System.nanoTime();
        long total = (long) rate * seconds;
        AtomicLong next = new AtomicLong();
        Thread[] workers = new Thread[CONNECTIONS];
        for (int w = 0; w < workers.length; w++) {
            workers[w] = new Thread(() -> {
                for (long i = next.getAndIncrement(); i < total; i = next.getAndIncrement()) {
                    long intended = start + i * interval;
                    long wait = intended - System.nanoTime();
                    if (wait > 0) {
                        LockSupport.parkNanos(wait);
                    }
                    try {
                        HttpResponse<Void> response = client.send(request, HttpResponse.BodyHandlers.discarding());
                        if (response.statusCode() != 200) {
                            nonOk.incrementAndGet();
                        }
                    } catch (Exception e) {
                        if (errors.incrementAndGet() == 1) {
                            System.out.println("first error: " + e);
                        }
                    }
                    latencies.add((System.nanoTime() - intended) / 1000);
                }
            }, "load-" + w);
            workers[w].start();
        }
        for (Thread worker : workers) {
            worker.join();
        }
        return total;
    }
}
