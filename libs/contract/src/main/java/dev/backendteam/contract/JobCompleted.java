package dev.backendteam.contract;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.JsonNode;

import java.time.Instant;
import java.util.List;

/**
 * On {@code backend-team.jobs.completed} for every terminal state, with the report (JSON and Markdown) and the
 * bundle's artifacts, already numbered. {@code proven} is true only for a completed job whose validation round passed
 * at least one check (and failed none): a job completed with no proof that ran says {@code false}.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonIgnoreProperties(ignoreUnknown = true)
public record JobCompleted(int version, String jobId, String correlationId, JobStatus status, String reason,
        JsonNode report, String reportMarkdown, List<Artifact> bundle, Instant at, boolean proven) {
}
