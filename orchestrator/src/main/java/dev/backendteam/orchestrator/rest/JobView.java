package dev.backendteam.orchestrator.rest;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.backendteam.contract.JobStatus;
import dev.backendteam.orchestrator.engine.Job;
import dev.backendteam.orchestrator.engine.Step;
import dev.backendteam.orchestrator.engine.UsageSummary;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * A job as the gateway shows it. {@code proven} is true only for a completed job whose validation round passed at
 * least one check and failed none. {@code usage}: every model call of the job, summed (zeros on the deterministic
 * path); {@code orchestratorUsage}: the part the orchestrator spent itself (absent when none); a step's {@code usage}:
 * its calls over all its attempts (absent when it made none).
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record JobView(String id, JobStatus status, boolean proven, String flow, String task, String correlationId,
        String question, String reason, Instant createdAt, Instant updatedAt, Instant finishedAt,
        List<StepView> steps, int artifacts, UsageSummary usage, UsageSummary orchestratorUsage,
        Map<String, String> links) {

    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record StepView(int seq, String kind, String service, String role, String origin, String status,
            int attempt, Instant startedAt, Long durationMs, String reason, String cause, UsageSummary usage) {
    }

    static JobView of(Job job) {
        String self = "/jobs/" + job.id;
        return new JobView(job.id.toString(), job.status, job.proven(), job.flow, job.task, job.correlationId,
                job.question, job.reason, job.createdAt, job.updatedAt, job.finishedAt,
                job.steps.stream().map(JobView::step).toList(), job.artifacts.size(), UsageSummary.of(job.usage()),
                UsageSummary.ofAny(job.orchestratorUsage), Map.of("self", self, "report", self + "/report", "bundle", self + "/bundle", "events",
                        self + "/events", "answers", self + "/answers", "cancel", self + "/cancel"));
    }

    private static StepView step(Step s) {
        return new StepView(s.seq, s.kind.wire(), s.service.id(), s.role, s.origin, s.status.wire(), s.attempt,
                s.startedAt, s.durationMs(), s.reason, s.cause, UsageSummary.ofAny(s.usage));
    }
}
