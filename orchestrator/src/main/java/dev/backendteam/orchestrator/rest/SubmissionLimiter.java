package dev.backendteam.orchestrator.rest;

import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;

/**
 * A token bucket per owner: {@code perMinute} submissions a minute, refilled evenly, with a burst of a minute's worth.
 * Owners are the configured API keys' names (an unknown key never gets here), so the map stays as small as the key
 * list. Per gateway replica: with two replicas behind a balancer an owner gets about twice the rate.
 */
public final class SubmissionLimiter {
    private final long capacity;
    private final long nanosPerToken;
    private final LongSupplier clock;
    private final Map<String, Bucket> buckets = new ConcurrentHashMap<>();

    private static final class Bucket {
        double tokens;
        long refilledAt;

        Bucket(double tokens, long now) {
            this.tokens = tokens;
            this.refilledAt = now;
        }
    }

    public SubmissionLimiter(int perMinute, LongSupplier nanoClock) {
        if (perMinute < 0) {
            throw new IllegalArgumentException("backend-team.submissions-per-minute must be 0 (no limit) or more, not "
                    + perMinute);
        }
        this.capacity = perMinute;
        this.nanosPerToken = perMinute == 0 ? 0 : Duration.ofMinutes(1).toNanos() / perMinute;
        this.clock = nanoClock;
    }

    public long perMinute() {
        return capacity;
    }

    public boolean enabled() {
        return capacity > 0;
    }

    /** Takes one submission of {@code owner}'s budget: empty if allowed, else how long until one is free. */
    public Optional<Duration> take(String owner) {
        if (!enabled()) {
            return Optional.empty();
        }
        long now = clock.getAsLong();
        Bucket b = buckets.computeIfAbsent(owner, o -> new Bucket(capacity, now));
        synchronized (b) {
            b.tokens = Math.min(capacity, b.tokens + (double) (now - b.refilledAt) / nanosPerToken);
            b.refilledAt = now;
            if (b.tokens >= 1) {
                b.tokens -= 1;
                return Optional.empty();
            }
            return Optional.of(Duration.ofNanos((long) Math.ceil((1 - b.tokens) * nanosPerToken)));
        }
    }
}
