package org.hdil2.kit.deadletter;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;

import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ListOffsetsResult;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;
import org.eclipse.microprofile.config.Config;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.hdil2.kit.kafka.LazyAdmin;
import org.hdil2.kit.poll.Poller;
import org.jboss.logging.Logger;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.common.annotation.Identifier;

/**
 * How many records each dead-letter topic this service writes to holds now (the sum over its partitions of latest
 * minus earliest offset), as the gauge {@code hdil2_dead_letter_depth{topic}}. The topics are every
 * {@code mp.messaging.incoming.*.dead-letter-queue.topic} of the configuration plus
 * {@code hdil2.dead-letter.extra-topics} (the Streams topology's). Since consumers only dead-letter real poison, a
 * depth that grows is worth an operator's look; the value is read every {@code hdil2.dead-letter.depth-interval}.
 */
@ApplicationScoped
public class DeadLetterDepth {

    private static final Logger LOG = Logger.getLogger(DeadLetterDepth.class);

    @Inject
    @Identifier("default-kafka-broker")
    Map<String, Object> kafkaConfig;

    @Inject
    MeterRegistry meters;

    @Inject
    Config config;

    @ConfigProperty(name = "hdil2.dead-letter.extra-topics")
    Optional<List<String>> extraTopics;

    @ConfigProperty(name = "hdil2.dead-letter.depth-interval", defaultValue = "PT30S")
    Duration interval;

    private final Map<String, AtomicLong> depths = new ConcurrentHashMap<>();
    private volatile Poller poller;
    private volatile LazyAdmin admin;

    void onStart(@Observes StartupEvent start) {
        List<String> topics = topics();
        if (topics.isEmpty()) {
            return;
        }
        for (String topic : topics) {
            AtomicLong depth = depths.computeIfAbsent(topic, t -> new AtomicLong());
            Gauge.builder("hdil2.dead.letter.depth", depth, AtomicLong::get).tag("topic", topic)
                    .description("records in the dead-letter topic now (latest minus earliest offset, all partitions)")
                    .register(meters);
        }
        admin = new LazyAdmin(kafkaConfig, "dead-letter-depth");
        poller = Poller.start("dead-letter-depth", Duration.ZERO, interval, this::measureSafely);
    }

    /** The dead-letter topics named by the configuration, sorted. */
    List<String> topics() {
        TreeSet<String> topics = new TreeSet<>();
        for (String name : config.getPropertyNames()) {
            if (name.startsWith("mp.messaging.incoming.") && name.endsWith(".dead-letter-queue.topic")) {
                config.getOptionalValue(name, String.class).ifPresent(topics::add);
            }
        }
        extraTopics.ifPresent(list -> list.stream().map(String::trim).filter(t -> !t.isEmpty()).forEach(topics::add));
        return new ArrayList<>(topics);
    }

    /** The depth last measured for {@code topic}, or -1 if it is not one of this service's dead-letter topics. */
    public long depth(String topic) {
        AtomicLong depth = depths.get(topic);
        return depth == null ? -1 : depth.get();
    }

    public void measureNow() {
        measureSafely();
    }

    private synchronized void measureSafely() {
        try {
            Admin a = admin.get();
            for (Map.Entry<String, AtomicLong> entry : depths.entrySet()) {
                entry.getValue().set(measure(a, entry.getKey()));
            }
        } catch (Exception e) {
            LOG.debugf("dead-letter depth not measured this time: %s", e.toString());
        }
    }

    private static long measure(Admin admin, String topic) throws Exception {
        TopicDescription description;
        try {
            description = admin.describeTopics(List.of(topic)).allTopicNames().get(10, TimeUnit.SECONDS).get(topic);
        } catch (java.util.concurrent.ExecutionException e) {
            if (e.getCause() instanceof UnknownTopicOrPartitionException) {
                return 0; // created with the first dead letter
            }
            throw e;
        }
        List<TopicPartition> partitions = description.partitions().stream().map(p -> new TopicPartition(topic, p.partition())).toList();
        ListOffsetsResult earliest = admin.listOffsets(partitions.stream().collect(Collectors.toMap(p -> p, p -> OffsetSpec.earliest())));
        ListOffsetsResult latest = admin.listOffsets(partitions.stream().collect(Collectors.toMap(p -> p, p -> OffsetSpec.latest())));
        long depth = 0;
        for (TopicPartition p : partitions) {
            depth += latest.partitionResult(p).get(10, TimeUnit.SECONDS).offset() - earliest.partitionResult(p).get(10, TimeUnit.SECONDS).offset();
        }
        return depth;
    }

    @PreDestroy
    void stop() {
        Poller current = poller;
        if (current != null) {
            current.stopNow();
        }
        LazyAdmin a = admin;
        if (a != null) {
            a.close();
        }
    }
}
