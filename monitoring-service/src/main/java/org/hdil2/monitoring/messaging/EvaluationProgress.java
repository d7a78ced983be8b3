package org.hdil2.monitoring.messaging;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * What this replica's evaluation tasks report of themselves, for health checks and metrics: the last checkpoint
 * each active task wrote (a task that stops writing them is stalled), how many patients have an evaluation failure,
 * and counts of dead-lettered records and handled errors. The topology's tasks write to it; nothing here decides.
 */
@jakarta.inject.Singleton
public class EvaluationProgress {

    private final Map<Integer, Long> lastCheckpointMs = new ConcurrentHashMap<>();
    private final Map<Integer, Integer> failingPatients = new ConcurrentHashMap<>();
    private final AtomicInteger findingsPartitions = new AtomicInteger();
    final AtomicLong deadLetters = new AtomicLong();
    final AtomicLong failuresRecorded = new AtomicLong();
    final AtomicLong statesRebuilt = new AtomicLong();
    final AtomicLong checkpoints = new AtomicLong();
    final AtomicLong threadsReplaced = new AtomicLong();

    /** How many partitions the findings topic has (0 until known): checkpoints say it, consumers map patients with it. */
    public int findingsPartitions() {
        return findingsPartitions.get();
    }

    public void findingsPartitions(int partitions) {
        findingsPartitions.set(partitions);
    }

    void taskStarted(int partition, long nowMs) {
        lastCheckpointMs.put(partition, nowMs);
    }

    void taskClosed(int partition) {
        lastCheckpointMs.remove(partition);
        failingPatients.remove(partition);
    }

    /** The task's checkpoint punctuation ran at {@code atMs} (and wrote a checkpoint when {@code written}). */
    void checkpointed(int partition, long atMs, int failing, boolean written) {
        lastCheckpointMs.put(partition, atMs);
        failingPatients.put(partition, failing);
        if (written) {
            checkpoints.incrementAndGet();
        }
    }

    /** The active task whose last checkpoint is oldest, and how old it is; empty when this replica runs no task. */
    public Optional<Map.Entry<Integer, Duration>> oldestCheckpoint(Instant now) {
        return lastCheckpointMs.entrySet().stream().min(Map.Entry.comparingByValue())
                .map(e -> Map.entry(e.getKey(), Duration.ofMillis(Math.max(0, now.toEpochMilli() - e.getValue()))));
    }

    public int activeTasks() {
        return lastCheckpointMs.size();
    }

    public int failingPatients() {
        return failingPatients.values().stream().mapToInt(Integer::intValue).sum();
    }

    public long deadLetters() {
        return deadLetters.get();
    }

    public long failuresRecorded() {
        return failuresRecorded.get();
    }

    public long statesRebuilt() {
        return statesRebuilt.get();
    }

    public long checkpoints() {
        return checkpoints.get();
    }

    public long threadsReplaced() {
        return threadsReplaced.get();
    }
}
