package dev.backendteam.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.backendteam.contract.JobStatus;
import dev.backendteam.contract.Json;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A closed-loop load: {@code concurrency} workers, each submitting a job, following it to its end, then taking the
 * next, until {@code count} jobs ran or the run's deadline passed. A job that takes longer than the job timeout, asks a
 * question or ends other than completed is a failure with its reason (and is cancelled when it is still running).
 */
final class JobRunner {
    private static final ObjectMapper JSON = Json.events();

    record Phase(String name, List<JobSample> samples, int notRun, Instant startedAt, Instant endedAt) {
        List<JobSample> completed() {
            return samples.stream().filter(JobSample::completed).toList();
        }

        List<JobSample> failed() {
            return samples.stream().filter(s -> !s.completed()).toList();
        }
    }

    private final GatewayClient gateway;
    private final JobFollower follower;
    private final ObjectNode body;
    private final String runId;
    private final Duration jobTimeout;
    private final Instant runDeadline;

    JobRunner(GatewayClient gateway, JobFollower follower, ObjectNode body, String runId, Duration jobTimeout,
            Instant runDeadline) {
        this.gateway = gateway;
        this.follower = follower;
        this.body = body;
        this.runId = runId;
        this.jobTimeout = jobTimeout;
        this.runDeadline = runDeadline;
    }

    /** The job body the bench submits, as sent except for its correlation id: the file, or the flow's built-in. */
    static ObjectNode template(String flow, Path file) {
        if (file != null) {
            try {
                if (JSON.readTree(file.toFile()) instanceof ObjectNode o) {
                    return o;
                }
                throw new IllegalArgumentException(file + " is not a JSON object");
            } catch (IOException e) {
                throw new IllegalArgumentException("cannot read the job body " + file + ": " + e.getMessage(), e);
            }
        }
        try (InputStream in = JobRunner.class.getResourceAsStream("jobs/" + flow + ".json")) {
            if (in == null) {
                throw new IllegalArgumentException("no job body for flow " + flow);
            }
            return (ObjectNode) JSON.readTree(in);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the job body of flow " + flow, e);
        }
    }

    Phase run(String phase, int count, int concurrency) {
        AtomicInteger next = new AtomicInteger();
        AtomicInteger notRun = new AtomicInteger();
        List<JobSample> samples = Collections.synchronizedList(new ArrayList<>());
        ExecutorService workers = Executors.newFixedThreadPool(concurrency, r -> {
            Thread t = new Thread(r, "bench-" + phase + "-worker");
            t.setDaemon(true);
            return t;
        });
        Instant started = Instant.now();
        for (int w = 0; w < concurrency; w++) {
            workers.submit(() -> {
                for (int i = next.getAndIncrement(); i < count; i = next.getAndIncrement()) {
                    if (Instant.now().isAfter(runDeadline)) {
                        notRun.incrementAndGet();
                        continue;
                    }
                    samples.add(runOne(phase, i));
                }
            });
        }
        workers.shutdown();
        try {
            // Every job is bounded by the job timeout and the run's deadline; this bound only guards against a bug.
            if (!workers.awaitTermination(Duration.between(Instant.now(), runDeadline).plus(jobTimeout)
                    .plusSeconds(60).toMillis(), TimeUnit.MILLISECONDS)) {
                workers.shutdownNow();
                throw new IllegalStateException("the " + phase + " workers did not stop");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            workers.shutdownNow();
            throw new IllegalStateException("interrupted during the " + phase + " jobs", e);
        }
        List<JobSample> ordered = new ArrayList<>(samples);
        ordered.sort(Comparator.comparingInt(JobSample::index));
        return new Phase(phase, List.copyOf(ordered), notRun.get(), started, Instant.now());
    }

    private JobSample runOne(String phase, int index) {
        ObjectNode request = body.deepCopy();
        request.put("correlationId", "bench-" + runId + "-" + phase + "-" + index);
        Instant sentAt = Instant.now();
        GatewayClient.Submitted submitted;
        try {
            submitted = gateway.submit(request.toString());
        } catch (RuntimeException e) {
            return new JobSample(index, null, sentAt, null, null, "submit failed: " + e.getMessage(), List.of());
        }
        Duration untilDeadline = Duration.between(Instant.now(), runDeadline);
        boolean cutByRun = untilDeadline.compareTo(jobTimeout) < 0;
        Duration wait = cutByRun ? (untilDeadline.isNegative() ? Duration.ZERO : untilDeadline) : jobTimeout;
        try {
            JobOutcome outcome = follower.await(submitted.id(), wait);
            String failure = null;
            if (outcome.status() == JobStatus.NEEDS_INPUT) {
                failure = "asked a question: " + outcome.message();
                gateway.cancel(submitted.id());
            } else if (outcome.status() != JobStatus.COMPLETED) {
                failure = outcome.status().wire() + ": " + outcome.message();
            }
            return new JobSample(index, submitted.id(), sentAt, submitted.createdAt(), outcome, failure, List.of());
        } catch (TimeoutException e) {
            gateway.cancel(submitted.id());
            String why = cutByRun ? "still running when the run's --timeout ended it"
                    : "not finished within the job timeout of " + jobTimeout.toSeconds() + " s";
            return new JobSample(index, submitted.id(), sentAt, submitted.createdAt(), null, why, List.of());
        } catch (RuntimeException e) {
            return new JobSample(index, submitted.id(), sentAt, submitted.createdAt(), null,
                    "lost track: " + e.getMessage(), List.of());
        }
    }
}
