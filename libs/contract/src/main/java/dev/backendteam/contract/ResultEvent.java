package dev.backendteam.contract;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;

import dev.backendteam.contract.llm.ModelUsage;

import java.util.List;

/**
 * Specialist → orchestrator, on {@code backend-team.results}. Applied at most once per (jobId, step, attempt).
 * {@code usage}: the model calls the step made (none on the deterministic path).
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonIgnoreProperties(ignoreUnknown = true)
public record ResultEvent(int version, String taskId, String jobId, int step, int attempt, Specialist service,
        String role, TaskKind kind, ResultStatus status, String reason, FailureKind failureKind, String question,
        List<Artifact> artifacts, List<Finding> findings, List<Evidence> evidence, Handoff handoff, long durationMs,
        ModelUsage usage) {

    public ResultEvent {
        artifacts = artifacts == null ? List.of() : List.copyOf(artifacts);
        findings = findings == null ? List.of() : List.copyOf(findings);
        evidence = evidence == null ? List.of() : List.copyOf(evidence);
        usage = usage == null ? ModelUsage.NONE : usage;
    }

    public static ResultEvent of(TaskEvent task, StepOutcome outcome, long durationMs) {
        return of(task, outcome, durationMs, ModelUsage.NONE);
    }

    public static ResultEvent of(TaskEvent task, StepOutcome outcome, long durationMs, ModelUsage usage) {
        return new ResultEvent(Contract.VERSION, task.taskId(), task.jobId(), task.step(), task.attempt(),
                task.service(), task.role(), task.kind(), outcome.status(), outcome.reason(), outcome.failureKind(),
                outcome.question(), outcome.artifacts(), outcome.findings(), outcome.evidence(), outcome.handoff(),
                durationMs, usage);
    }
}
