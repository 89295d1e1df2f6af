package dev.backendteam.contract.evidence;

import com.fasterxml.jackson.annotation.JsonInclude;

import java.util.List;

/** Kind {@code plan-costs}: the planner's total cost (and, where measured, the time) of each query before and after. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record PlanCosts(List<Query> queries) {

    public PlanCosts {
        queries = queries == null ? List.of() : List.copyOf(queries);
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Query(String query, double costBefore, double costAfter, Double msBefore, Double msAfter,
            List<String> indexes) {
        public Query {
            indexes = indexes == null ? List.of() : List.copyOf(indexes);
        }
    }
}
