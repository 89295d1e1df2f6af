package dev.backendteam.bench;

import java.time.Instant;

/**
 * One step of a finished job as {@code GET /jobs/{id}} shows it. {@code startedAt} is when the orchestrator created
 * the step (in the transaction that also wrote its task to the outbox); {@code durationMs} runs to when it applied
 * the result, so it covers the outbox relay, both Kafka hops, the specialist's queue and its engine.
 */
public record StepSample(int seq, String kind, String service, String role, String origin, String status,
        int attempt, Instant startedAt, Long durationMs) {

    public boolean skipped() {
        return "skipped".equals(status);
    }

    public boolean validation() {
        return "validate".equals(kind);
    }

    /** {@code work ops (debugger)}, {@code validate db-architect}. */
    public String label() {
        return kind + " " + service + (role == null ? "" : " (" + role + ")");
    }
}
