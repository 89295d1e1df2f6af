package dev.backendteam.contract;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * Orchestrator → specialist, on {@code backend-team.tasks.<service>}. Carries the task, the inputs and every
 * artifact so far, so that a stateless specialist needs nothing else. (jobId, step, attempt) names it uniquely.
 * {@code handover}: the findings earlier steps addressed to later ones (rule ids {@code handover.*}, e.g. the
 * columns security's policies filter on, for query-optimizer). {@code handoff}: the handoff that asked for this step,
 * with the handing role's diagnosis (null for a step of the flow that no handoff named); a validate task carries it
 * too, so the receiver replays what it was asked to fix. {@code tokenBudget}: the model tokens the job may still spend
 * (null: no limit); a model call that would exceed it fails the step with the reason.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonIgnoreProperties(ignoreUnknown = true)
public record TaskEvent(int version, String taskId, String jobId, int step, int attempt, Specialist service,
        String role, TaskKind kind, String task, JobInputs inputs, List<Artifact> artifacts, int handoffDepth,
        Instant deadline, List<Finding> handover, Handoff handoff,
        Long tokenBudget) {
    public static final String HANDOVER_PREFIX = "handover.";
    /** Security → query-optimizer: the columns a table's policies filter on (fix: the columns, comma-separated). */
    public static final String POLICY_COLUMNS = HANDOVER_PREFIX + "policy-columns";

    public TaskEvent {
        artifacts = artifacts == null ? List.of() : List.copyOf(artifacts);
        inputs = inputs == null ? JobInputs.empty() : inputs;
        handover = handover == null ? List.of() : List.copyOf(handover);
    }

    public TaskEvent(int version, String taskId, String jobId, int step, int attempt, Specialist service, String role,
            TaskKind kind, String task, JobInputs inputs, List<Artifact> artifacts, int handoffDepth,
            Instant deadline, List<Finding> handover, Handoff handoff) {
        this(version, taskId, jobId, step, attempt, service, role, kind, task, inputs, artifacts, handoffDepth, deadline,
                handover, handoff, null);
    }

    public TaskEvent(int version, String taskId, String jobId, int step, int attempt, Specialist service, String role,
            TaskKind kind, String task, JobInputs inputs, List<Artifact> artifacts, int handoffDepth,
            Instant deadline, List<Finding> handover) {
        this(version, taskId, jobId, step, attempt, service, role, kind, task, inputs, artifacts, handoffDepth, deadline,
                handover, null);
    }

    public TaskEvent(int version, String taskId, String jobId, int step, int attempt, Specialist service, String role,
            TaskKind kind, String task, JobInputs inputs, List<Artifact> artifacts, int handoffDepth,
            Instant deadline) {
        this(version, taskId, jobId, step, attempt, service, role, kind, task, inputs, artifacts, handoffDepth, deadline,
                List.of());
    }

    /** The diagnosis the handoff that asked for this step carries, if any. */
    public Optional<Diagnosis> diagnosis() {
        return Optional.ofNullable(handoff).map(Handoff::diagnosis);
    }
}
