package dev.backendteam.bench;

import dev.backendteam.contract.JobUpdate;
import dev.backendteam.contract.Json;
import dev.backendteam.contract.Topics;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;

import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Follows every job at once on {@code backend-team.jobs.updates} with one consumer (all partitions assigned, read
 * from the end): no load on the gateway or the job store, and the end of a job is known one Kafka hop after the
 * orchestrator published it, instead of up to 200 ms later on the event stream.
 */
final class KafkaFollower implements JobFollower, AutoCloseable {
    private final KafkaConsumer<String, String> consumer;
    private final Map<String, JobOutcome> seen = new ConcurrentHashMap<>();
    private final Map<String, CompletableFuture<JobOutcome>> waiting = new ConcurrentHashMap<>();
    private final Thread thread;
    private volatile boolean running = true;
    private volatile RuntimeException failure;

    KafkaFollower(String bootstrap) {
        consumer = new KafkaConsumer<>(KafkaRoundTrip.consumerConfig(bootstrap));
        List<TopicPartition> partitions = consumer.partitionsFor(Topics.JOBS_UPDATES, Duration.ofSeconds(30)).stream()
                .map(p -> new TopicPartition(p.topic(), p.partition())).toList();
        if (partitions.isEmpty()) {
            consumer.close();
            throw new IllegalStateException("topic " + Topics.JOBS_UPDATES + " has no partitions on " + bootstrap);
        }
        consumer.assign(partitions);
        consumer.seekToEnd(partitions);
        partitions.forEach(consumer::position);
        thread = new Thread(this::poll, "bench-job-updates");
        thread.setDaemon(true);
        thread.start();
    }

    private void poll() {
        try {
            while (running) {
                for (ConsumerRecord<String, String> r : consumer.poll(Duration.ofMillis(100))) {
                    Instant received = Instant.now();
                    JobUpdate update;
                    try {
                        update = Json.events().readValue(r.value(), JobUpdate.class);
                    } catch (IOException | RuntimeException e) {
                        System.err.println("bench: skipping an unreadable record on " + Topics.JOBS_UPDATES + ": " + e);
                        continue;
                    }
                    JobOutcome outcome = JobOutcome.of(update, received);
                    if (outcome != null && update.jobId() != null) {
                        seen.putIfAbsent(update.jobId(), outcome);
                        CompletableFuture<JobOutcome> f = waiting.get(update.jobId());
                        if (f != null) {
                            f.complete(seen.get(update.jobId()));
                        }
                    }
                }
            }
        } catch (WakeupException e) {
            // close() ends the loop.
        } catch (RuntimeException e) {
            failure = e;
            waiting.values().forEach(f -> f.completeExceptionally(e));
        } finally {
            consumer.close();
        }
    }

    @Override
    public JobOutcome await(String jobId, Duration max) throws TimeoutException {
        if (failure != null) {
            throw new IllegalStateException("the jobs.updates consumer failed: " + failure.getMessage(), failure);
        }
        CompletableFuture<JobOutcome> f = waiting.computeIfAbsent(jobId, id -> new CompletableFuture<>());
        JobOutcome already = seen.get(jobId);
        if (already != null) {
            f.complete(already);
        }
        try {
            return f.get(max.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            throw new IllegalStateException("following job " + jobId + ": " + e.getCause().getMessage(), e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while following job " + jobId, e);
        } finally {
            waiting.remove(jobId);
            seen.remove(jobId);
        }
    }

    @Override
    public void close() {
        running = false;
        consumer.wakeup();
        try {
            thread.join(10_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
