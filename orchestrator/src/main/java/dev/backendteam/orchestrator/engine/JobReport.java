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

import java.time.Instant;
import java.util.List;

/**
 * The report of BRIEF §4 as data; {@link ReportRenderer} writes it as Markdown, Jackson as JSON. {@code proven} is
 * true only for a completed job whose validation round passed at least one check and failed none. {@code access} is
 * the job's latest access intent (null when no step stated one).
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record JobReport(String jobId, JobStatus status, boolean proven, String flow, String task,
        String correlationId, String reason, String question, Instant createdAt, Instant finishedAt,
        List<String> specialists, List<StepReport> steps, Access access, List<Artifact> bundle, List<String> notes,
        List<ValidationItem> validation, String validationSummary) {

    /**
     * {@code cause}: why the orchestrator added the step on its own (origin {@code appended}); {@code handoff}: the
     * specialist this step handed the job to, with its diagnosis.
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record StepReport(int seq, String kind, String service, String role, String origin, String status,
            int attempt, int retries, Long durationMs, String reason, String cause, List<Finding> findings,
            List<Evidence> evidence, Handoff handoff) {

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
