package dev.backendteam.contract;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.JsonNode;

import java.util.List;
import java.util.Map;

/**
 * The body of {@code POST /jobs} and of a {@code backend-team.jobs.requested} event (BRIEF §3a). Only {@code task}
 * is required. Unknown fields are refused where this is read, so a typo never silently drops an input.
 */
@JsonInclude(JsonInclude.Include.NON_EMPTY)
public record JobRequest(String task, String flow, JsonNode spec, String sql, List<QueryInput> queries,
        Map<String, Long> rowCounts, String logs, List<FileInput> files, String target, String correlationId,
        String grants, Map<String, WriteRate> writeRates, JsonNode explain) {

    public JobRequest(String task, String flow, JsonNode spec, String sql, List<QueryInput> queries,
            Map<String, Long> rowCounts, String logs, List<FileInput> files, String target, String correlationId,
            String grants) {
        this(task, flow, spec, sql, queries, rowCounts, logs, files, target, correlationId, grants, null, null);
    }

    public JobInputs inputs() {
        return new JobInputs(spec, sql, queries, rowCounts, logs, files, target, null, grants, writeRates, explain);
    }
}
