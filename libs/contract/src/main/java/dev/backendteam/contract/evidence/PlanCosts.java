package dev.backendteam.contract.evidence;

import com.fasterxml.jackson.annotation.JsonInclude;

import java.util.List;

/**
 * Kind {@code plan-costs}: the planner's total cost (and, where measured, the time and the buffers) of each query
 * before and after an index set; the indexes weighed, with their sizes and the queries they serve; the totals, and
 * the set compared with a baseline (e.g. an index on every filtered column). Everything but the queries' names and
 * costs is optional.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record PlanCosts(List<Query> queries, List<Index> indexes, Baseline baseline, Totals totals) {

    public PlanCosts {
        queries = queries == null ? List.of() : List.copyOf(queries);
        indexes = indexes == null ? List.of() : List.copyOf(indexes);
    }

    public PlanCosts(List<Query> queries) {
        this(queries, null, null, null);
    }

    /**
     * @param planBefore    the plan's shape, e.g. {@code Limit ← Sort ← Seq Scan on comments}
     * @param buffersBefore shared blocks hit + read
     * @param msBefore      the median of the measured runs
     * @param frequency     calls per minute, as the request gave it
     * @param gate          why the query passed or failed the gate, e.g. {@code cost −98 %, buffers −97 %}
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Query(String query, double costBefore, double costAfter, Double msBefore, Double msAfter,
            List<String> indexes, String planBefore, String planAfter, Long buffersBefore, Long buffersAfter,
            Double frequency, String gate) {
        public Query {
            indexes = indexes == null ? List.of() : List.copyOf(indexes);
        }

        public Query(String query, double costBefore, double costAfter, Double msBefore, Double msAfter,
                List<String> indexes) {
            this(query, costBefore, costAfter, msBefore, msAfter, indexes, null, null, null, null, null, null);
        }
    }

    /**
     * An index weighed: kept in the set delivered, or not (and why).
     *
     * @param serves the names of the queries whose plan after uses it
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Index(String name, String table, String definition, Long sizeBytes, List<String> serves,
            Boolean kept, String reason) {
        public Index {
            serves = serves == null ? List.of() : List.copyOf(serves);
        }
    }

    /** What a simpler set would have given (e.g. {@code an index per filtered column}), to compare with. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Baseline(String description, Double totalCostBefore, Double totalCostAfter, Integer indexes,
            Long sizeBytes) {
    }

    /** The queries together. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Totals(Double costBefore, Double costAfter, Double msBefore, Double msAfter) {
    }
}
