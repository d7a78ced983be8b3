package org.hdil2.monitoring.messaging;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.TopicDescription;
import org.hdil2.kit.kafka.LazyAdmin;
import org.hdil2.kit.poll.Poller;
import org.hdil2.monitoring.config.Topics;
import org.jboss.logging.Logger;

import io.quarkus.runtime.StartupEvent;
import io.smallrye.common.annotation.Identifier;

/**
 * Reads how many partitions the observations and findings topics have, at start and every minute. The evaluation's
 * checkpoints are per partition and consumers find a patient's by the findings topic's partition count, so the two
 * topics must have as many partitions: until they are known and equal, no checkpoint is written (consumers then fail
 * closed) and readiness says why.
 */
@ApplicationScoped
public class EvaluationTopics {

    private static final Logger LOG = Logger.getLogger(EvaluationTopics.class);

    @Inject
    Topics topics;

    @Inject
    @Identifier("default-kafka-broker")
    Map<String, Object> kafkaConfig;

    @Inject
    EvaluationProgress progress;

    private volatile String problem = "the topics' partition counts are not known yet";
    private volatile Poller poller;
    private volatile LazyAdmin admin;

    void onStart(@Observes StartupEvent start) {
        admin = new LazyAdmin(kafkaConfig, "evaluation-topics");
        poller = Poller.start("evaluation-topics", Duration.ZERO, Duration.ofSeconds(5), this::check);
    }

    /** Why checkpoints cannot be written, or null when they can. */
    public String problem() {
        return problem;
    }

    private void check() {
        long now = System.nanoTime();
        if (problem == null && now - lastCheckNanos < Duration.ofMinutes(1).toNanos()) {
            return;
        }
        lastCheckNanos = now;
        try {
            Map<String, TopicDescription> described = admin.get().describeTopics(List.of(topics.observations(), topics.findings())).allTopicNames()
                    .get(10, TimeUnit.SECONDS);
            int observations = described.get(topics.observations()).partitions().size();
            int findings = described.get(topics.findings()).partitions().size();
            if (observations != findings) {
                String mismatch = topics.findings() + " has " + findings + " partitions and " + topics.observations() + " has " + observations
                        + ": they must have as many (checkpoints are per partition)";
                if (!mismatch.equals(problem)) {
                    LOG.error(mismatch + "; no evaluation checkpoints are written, so dosing answers ASSESS");
                }
                problem = mismatch;
                progress.findingsPartitions(0);
            } else {
                problem = null;
                progress.findingsPartitions(findings);
            }
        } catch (Exception e) {
            problem = "the topics' partition counts cannot be read: " + e.getClass().getSimpleName();
        }
    }

    private volatile long lastCheckNanos;

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
