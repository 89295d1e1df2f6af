package dev.backendteam.contract;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;

import java.util.List;

/**
 * What a diagnosing role (the debugger, the monitor) found, carried by its {@link Handoff} so that the specialist
 * owning the fix acts on it instead of starting over: the catalogue rule that matched, the SQLSTATE, the object the
 * error names ({@code comments}, {@code comments.body}, {@code public.orders}), the failing statement and the error
 * text as logged, its classification (category build/runtime/logic/network/data, layer, severity
 * critical/major/minor), and the statements that matter (the monitor's slowest ones, for query-optimizer's workload).
 * Every field but {@code rule} may be null.
 */
@JsonInclude(JsonInclude.Include.NON_EMPTY)
@JsonIgnoreProperties(ignoreUnknown = true)
public record Diagnosis(String rule, String sqlstate, String object, String statement, String error, String category,
        String layer, String severity, List<QueryInput> queries) {

    public Diagnosis {
        queries = queries == null ? List.of() : List.copyOf(queries);
    }

    public boolean hasStatement() {
        return statement != null && !statement.isBlank();
    }
}
