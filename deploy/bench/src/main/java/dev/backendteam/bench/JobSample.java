package dev.backendteam.bench;

import dev.backendteam.contract.JobStatus;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * One job as the bench saw it. {@code sentAt} is this client's clock just before the POST; {@code createdAt} and
 * {@code outcome.at()} are the orchestrator's, on the same machine. {@code failure} is null for a completed job.
 */
record JobSample(int index, String id, Instant sentAt, Instant createdAt, JobOutcome outcome,
        String failure, List<StepSample> steps) {

    JobSample withSteps(List<StepSample> s) {
        return new JobSample(index, id, sentAt, createdAt, outcome, failure, List.copyOf(s));
    }

    boolean completed() {
        return failure == null && outcome != null && outcome.status() == JobStatus.COMPLETED;
    }

    /** POST sent → terminal event recorded: what a caller waits for, without the event stream's delivery delay. */
    double latencyMs() {
        return millis(sentAt, outcome.at());
    }

    /** POST sent → job created by the gateway (HTTP, validation, routing, the first transaction). */
    double acceptMs() {
        return millis(sentAt, createdAt);
    }

    /** Job created → terminal event: all steps, hops and validation. */
    double serverMs() {
        return millis(createdAt, outcome.at());
    }

    /** Terminal event recorded → this client read it on the event stream (not part of {@link #latencyMs()}). */
    double deliveryMs() {
        return millis(outcome.at(), outcome.receivedAt());
    }

    static double millis(Instant from, Instant to) {
        return Duration.between(from, to).toNanos() / 1e6;
    }
}
