package dev.backendteam.bench;

import java.time.Duration;
import java.util.concurrent.TimeoutException;

/** How the bench learns that a job ended: the gateway's event stream, or the jobs.updates topic. */
interface JobFollower {
    /** Waits until the job ends or asks a question; {@link TimeoutException} after {@code max}. */
    JobOutcome await(String jobId, Duration max) throws TimeoutException;
}
