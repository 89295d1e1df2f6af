package dev.backendteam.orchestrator.rest;

import java.util.concurrent.atomic.AtomicInteger;

/**
 * How many submissions (POST /jobs, POST /jobs/{id}/answers) this gateway replica handles at once, all API keys
 * together: the per-key budget ({@link SubmissionLimiter}) bounds each key, this bounds the replica, so that many
 * keys at once cannot pile requests up in the worker pool's queue. Taken before the request waits for a worker,
 * given back when its response ends. 0: no bound.
 */
public final class SubmissionGate {
    private final int max;
    private final AtomicInteger inFlight = new AtomicInteger();

    public SubmissionGate(int max) {
        if (max < 0) {
            throw new IllegalArgumentException("backend-team.submissions-in-flight must be 0 (no bound) or more, got "
                    + max);
        }
        this.max = max;
    }

    public boolean enabled() {
        return max > 0;
    }

    public int max() {
        return max;
    }

    /** A place, or false when {@link #max()} submissions are being handled; a true must be followed by {@link #leave()}. */
    public boolean tryEnter() {
        if (inFlight.incrementAndGet() > max) {
            inFlight.decrementAndGet();
            return false;
        }
        return true;
    }

    public void leave() {
        inFlight.decrementAndGet();
    }

    public int inFlight() {
        return inFlight.get();
    }
}
