package org.hdil2.faults;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.function.Function;

import org.hdil2.local.Http;
import org.hdil2.local.Service;
import org.hdil2.local.ServiceProcess;
import org.hdil2.local.Stack;

/**
 * What a client app behind a load balancer does: sends a request to some running replica of the service and, when it
 * gets no answer or a 5xx (a replica killed, frozen, or its database away), sends the same request again elsewhere
 * or later. Every request the workload makes is safe to repeat (observation ids, Idempotency-Keys), which is the
 * point: a retry must never act twice.
 */
final class Clients {

    private static final Duration GIVE_UP = Duration.ofSeconds(120);
    private final Stack stack;
    private final Random random;

    Clients(Stack stack, long seed) {
        this.stack = stack;
        this.random = new Random(seed);
    }

    /** The first answer below 500 from any replica, retried for up to two minutes; null if none came. */
    Http.Response call(Service service, Function<String, Http.Response> request) {
        long deadline = System.nanoTime() + GIVE_UP.toNanos();
        while (System.nanoTime() < deadline) {
            for (String base : liveUrls(service)) {
                try {
                    Http.Response r = request.apply(base);
                    if (r.status() < 500) {
                        return r;
                    }
                } catch (IllegalStateException noAnswer) {
                    // killed, frozen past the request timeout, or restarting: try another replica, or again later
                }
            }
            OwnInfra.pause(Duration.ofMillis(500));
        }
        return null;
    }

    private List<String> liveUrls(Service service) {
        List<String> urls = new ArrayList<>();
        for (ServiceProcess p : stack.instances(service)) {
            if (p.alive()) {
                urls.add(p.baseUrl());
            }
        }
        synchronized (random) {
            Collections.shuffle(urls, random);
        }
        return urls;
    }
}
