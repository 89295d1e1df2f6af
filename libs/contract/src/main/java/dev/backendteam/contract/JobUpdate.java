package dev.backendteam.contract;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;

import java.time.Instant;

/**
 * On {@code backend-team.jobs.updates}: every status change, step start and finish, and question. Also the payload
 * of the job's Server-Sent Events.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonIgnoreProperties(ignoreUnknown = true)
public record JobUpdate(int version, String jobId, String correlationId, long sequence, String type,
        JobStatus status, Integer step, Specialist service, String role, String message, String question,
        Instant at) {
}
