package dev.backendteam.queryoptimizer.workload;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.backendteam.contract.QueryInput;
import dev.backendteam.contract.WriteRate;
import dev.backendteam.queryoptimizer.QueryOptimizerSandbox;
import dev.backendteam.queryoptimizer.plan.WorkloadQuery;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Map;

/**
 * The shop-and-helpdesk workload of src/test/resources/workload: its schema, queries, production row counts, write
 * rates, and the answer key written before the optimizer ran (expected-indexes.md / .yaml).
 */
public final class WorkloadFixture {
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory())
            .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, true);

    public record Queries(List<QueryInput> queries) {
    }

    public record ExpectedIndex(String table, List<String> keys, List<String> include, String where, String method,
            List<String> serves) {

        public String createStatement(String name) {
            return "create index " + name + " on " + table + " using " + method + " (" + String.join(", ", keys) + ")"
                    + (include == null || include.isEmpty() ? "" : " include (" + String.join(", ", include) + ")")
                    + (where == null ? "" : " where " + where);
        }
    }

    public record ExpectedIndexes(List<ExpectedIndex> indexes, List<String> noIndex) {
    }

    public record RowCounts(Map<String, Long> rowCounts) {
    }

    public record WriteRates(Map<String, WriteRate> writeRates) {
    }

    private WorkloadFixture() {
    }

    public static String schema() {
        return QueryOptimizerSandbox.resource("workload/schema.sql");
    }

    public static Queries queries() {
        return read("workload/queries.yaml", new TypeReference<>() { });
    }

    public static List<WorkloadQuery> workload() {
        return queries().queries().stream().map(q -> WorkloadQuery.given(q.name(), q.sql(), q.frequency())).toList();
    }

    public static ExpectedIndexes expected() {
        return read("workload/expected-indexes.yaml", new TypeReference<>() { });
    }

    public static RowCounts rowCounts() {
        return read("workload/rowcounts.yaml", new TypeReference<>() { });
    }

    public static WriteRates writeRates() {
        return read("workload/write-rates.yaml", new TypeReference<>() { });
    }

    private static <T> T read(String path, TypeReference<T> type) {
        try {
            return YAML.readValue(QueryOptimizerSandbox.resource(path), type);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
