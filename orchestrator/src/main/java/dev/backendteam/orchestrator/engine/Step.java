package dev.backendteam.orchestrator.engine;

import dev.backendteam.contract.ResultEvent;
import dev.backendteam.contract.Specialist;
import dev.backendteam.contract.TaskKind;
import dev.backendteam.contract.llm.ModelUsage;

import java.time.Duration;
import java.time.Instant;

/**
 * One specialist's turn on a job. {@code attempt} grows on every re-issue; {@code retries} only on retries.
 * {@code cause} says why the orchestrator added the step on its own (origin {@link #APPENDED}); null otherwise.
 * {@code usage} holds the model calls of every attempt: {@code result} is only the latest attempt's.
 */
public final class Step {
    /** The origin of a step the orchestrator added itself, not the flow nor a handoff. */
    public static final String APPENDED = "appended";

    public final int seq;
    public final TaskKind kind;
    public final Specialist service;
    public final String role;
    public final String origin;
    public final String cause;
    public StepStatus status;
    public int attempt;
    public int retries;
    public Instant startedAt;
    public Instant finishedAt;
    public Instant deadline;
    public String reason;
    public ResultEvent result;
    public ModelUsage usage = ModelUsage.NONE;

    public Step(int seq, TaskKind kind, Specialist service, String role, String origin, StepStatus status,
            int attempt, int retries, Instant startedAt, Instant finishedAt, Instant deadline, String reason,
            ResultEvent result) {
        this(seq, kind, service, role, origin, status, attempt, retries, startedAt, finishedAt, deadline, reason,
                result, null);
    }

    public Step(int seq, TaskKind kind, Specialist service, String role, String origin, StepStatus status,
            int attempt, int retries, Instant startedAt, Instant finishedAt, Instant deadline, String reason,
            ResultEvent result, String cause) {
        this.seq = seq;
        this.kind = kind;
        this.service = service;
        this.role = role;
        this.origin = origin;
        this.status = status;
        this.attempt = attempt;
        this.retries = retries;
        this.startedAt = startedAt;
        this.finishedAt = finishedAt;
        this.deadline = deadline;
        this.reason = reason;
        this.result = result;
        this.cause = cause;
    }

    public String label() {
        return new FlowStep(service, role, origin).label();
    }

    /** The role's id (the service's default role when the step names none, as steps stored before roles did). */
    public String roleId() {
        return new FlowStep(service, role, origin).role();
    }

    public Long durationMs() {
        return finishedAt == null || startedAt == null ? null : Duration.between(startedAt, finishedAt).toMillis();
    }
}
