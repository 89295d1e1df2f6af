package dev.backendteam.bench;

import dev.backendteam.contract.JobStatus;
import dev.backendteam.contract.JobUpdate;

import java.time.Instant;

/**
 * The event that ended the bench's wait for a job: a terminal one ({@code job.completed|failed|cancelled}) or a
 * question. {@code at} is when the orchestrator recorded it; {@code receivedAt} when the bench read it.
 */
record JobOutcome(JobStatus status, String type, String message, Instant at, Instant receivedAt) {

    /** The outcome this update means, or null for an update the bench does not wait for (step started, …). */
    static JobOutcome of(JobUpdate update, Instant receivedAt) {
        boolean terminal = update.status() != null && update.status().terminal()
                && ("job." + update.status().wire()).equals(update.type());
        boolean question = "job.question".equals(update.type());
        if (!terminal && !question) {
            return null;
        }
        return new JobOutcome(update.status(), update.type(), question ? update.question() : update.message(),
                update.at(), receivedAt);
    }
}
