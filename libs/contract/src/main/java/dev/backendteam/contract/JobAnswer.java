package dev.backendteam.contract;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.JsonNode;

import java.util.List;
import java.util.Map;

/**
 * An answer to a job's question: the body of {@code POST /jobs/{id}/answers} ({@code jobId} from the path) and of
 * a {@code backend-team.jobs.answers} event. The optional fields are merged into the job's inputs.
 */
@JsonInclude(JsonInclude.Include.NON_EMPTY)
public record JobAnswer(String jobId, String answer, String flow, JsonNode spec, String sql, List<QueryInput> queries,
        Map<String, Long> rowCounts, String logs, List<FileInput> files, String target, String grants,
        Map<String, WriteRate> writeRates, JsonNode explain) {

    public JobAnswer(String jobId, String answer, String flow, JsonNode spec, String sql, List<QueryInput> queries,
            Map<String, Long> rowCounts, String logs, List<FileInput> files, String target, String grants) {
        this(jobId, answer, flow, spec, sql, queries, rowCounts, logs, files, target, grants, null, null);
    }

    public JobInputs inputs() {
        return new JobInputs(spec, sql, queries, rowCounts, logs, files, target, null, grants, writeRates, explain);
    }
}
