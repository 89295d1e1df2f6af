package dev.backendteam.orchestrator.engine;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.backendteam.contract.Artifact;
import dev.backendteam.contract.Evidence;
import dev.backendteam.contract.EvidenceData;
import dev.backendteam.contract.EvidenceStatus;
import dev.backendteam.contract.Finding;
import dev.backendteam.contract.Handoff;
import dev.backendteam.contract.JobStatus;
import dev.backendteam.contract.access.AccessIntent;
import dev.backendteam.contract.llm.ModelCall;

import java.time.Instant;
import java.util.List;

/**
 * The report of BRIEF §4 as data; {@link ReportRenderer} writes it as Markdown, Jackson as JSON. {@code proven} is
 * true only for a completed job whose validation round passed at least one check and failed none. {@code access} is
 * the job's latest access intent (null when no step stated one). {@code usage}: every model call of the job, summed;
 * {@code orchestratorUsage}: the orchestrator's own part (null when none).
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record JobReport(String jobId, JobStatus status, boolean proven, String flow, String task,
        String correlationId, String reason, String question, Instant createdAt, Instant finishedAt,
        List<String> specialists, List<StepReport> steps, Access access, List<Artifact> bundle, List<String> notes,
        List<ValidationItem> validation, String validationSummary, UsageSummary usage,
        UsageSummary orchestratorUsage) {

    public JobReport {
        usage = usage == null ? UsageSummary.NONE : usage;
    }

    public JobReport(String jobId, JobStatus status, boolean proven, String flow, String task, String correlationId,
            String reason, String question, Instant createdAt, Instant finishedAt, List<String> specialists,
            List<StepReport> steps, Access access, List<Artifact> bundle, List<String> notes,
            List<ValidationItem> validation, String validationSummary) {
        this(jobId, status, proven, flow, task, correlationId, reason, question, createdAt, finishedAt, specialists,
                steps, access, bundle, notes, validation, validationSummary, null, null);
    }

    /**
     * {@code cause}: why the orchestrator added the step on its own (origin {@code appended}); {@code handoff}: the
     * specialist this step handed the job to, with its diagnosis; {@code usage} and {@code modelCalls}: the model
     * calls of all its attempts, summed and one by one (null when it made none).
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record StepReport(int seq, String kind, String service, String role, String origin, String status,
            int attempt, int retries, Long durationMs, String reason, String cause, List<Finding> findings,
            List<Evidence> evidence, Handoff handoff, UsageSummary usage, List<ModelCall> modelCalls) {

        public StepReport(int seq, String kind, String service, String role, String origin, String status,
                int attempt, int retries, Long durationMs, String reason, String cause, List<Finding> findings,
                List<Evidence> evidence, Handoff handoff) {
            this(seq, kind, service, role, origin, status, attempt, retries, durationMs, reason, cause, findings,
                    evidence, handoff, null, null);
        }

        public StepReport(int seq, String kind, String service, String role, String origin, String status,
                int attempt, int retries, Long durationMs, String reason, String cause, List<Finding> findings,
                List<Evidence> evidence) {
            this(seq, kind, service, role, origin, status, attempt, retries, durationMs, reason, cause, findings,
                    evidence, null);
        }
    }

    /** Who may do what to which rows, as the step {@code step} ({@code kind} work or validate) stated it. */
    public record Access(int step, String kind, AccessIntent intent) {
    }

    /**
     * One evidence item, with the step, specialist and role that produced it; {@code passed} mirrors
     * {@code status} for readers that know no status; {@code data} is its structured payload, as the specialist
     * sent it.
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record ValidationItem(int step, String service, String role, String kind, String check,
            EvidenceStatus status, boolean passed, String details, long durationMs, Evidence.SandboxRun sandbox,
            EvidenceData data) {
    }
}
