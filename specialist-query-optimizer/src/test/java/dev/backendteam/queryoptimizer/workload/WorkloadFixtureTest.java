package dev.backendteam.queryoptimizer.workload;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.backendteam.contract.QueryInput;
import dev.backendteam.contract.WriteRate;
import dev.backendteam.queryoptimizer.QueryOptimizerSandbox;
import dev.backendteam.sandbox.PostgresServers;
import dev.backendteam.sandbox.SandboxDatabase;
import dev.backendteam.sandbox.ScriptResult;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The workload fixture is valid for its schema: schema.sql applies as is, every query of queries.yaml prepares on
 * it, and the answer key (expected-indexes.yaml) names only real tables, columns and queries — each of its indexes
 * is created on the schema to prove it — and says something about every query.
 */
@ExtendWith(PostgresServers.class)
class WorkloadFixtureTest {
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory())
            .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, true);

    record Queries(List<QueryInput> queries) {
    }

    record ExpectedIndex(String table, List<String> keys, List<String> include, String where, String method,
            List<String> serves) {

        String createStatement(String name) {
            return "create index " + name + " on " + table + " using " + method + " (" + String.join(", ", keys) + ")"
                    + (include == null || include.isEmpty() ? "" : " include (" + String.join(", ", include) + ")")
                    + (where == null ? "" : " where " + where);
        }
    }

    record ExpectedIndexes(List<ExpectedIndex> indexes, List<String> noIndex) {
    }

    record RowCounts(Map<String, Long> rowCounts) {
    }

    record WriteRates(Map<String, WriteRate> writeRates) {
    }

    @Test
    void theFixtureIsValidOnPostgres17(PostgresServers.Servers servers) {
        checkOn(servers.pg17());
    }

    @Test
    void theFixtureIsValidOnPostgres15(PostgresServers.Servers servers) {
        checkOn(servers.pg15());
    }

    @Test
    void theAnswerKeyNamesOnlyQueriesOfTheWorkloadAndEachQueryOnce() {
        Set<String> names = queryNames();
        ExpectedIndexes expected = expected();
        Set<String> served = new HashSet<>();
        for (ExpectedIndex index : expected.indexes()) {
            assertTrue(names.containsAll(index.serves()), "unknown query in " + index);
            served.addAll(index.serves());
        }
        assertTrue(names.containsAll(expected.noIndex()), "unknown query in noIndex: " + expected.noIndex());
        Set<String> both = new HashSet<>(served);
        both.retainAll(expected.noIndex());
        assertEquals(Set.of(), both, "queries both served and said to need no index");
        Set<String> unsaid = new LinkedHashSet<>(names);
        unsaid.removeAll(served);
        unsaid.removeAll(expected.noIndex());
        assertEquals(Set.of(), unsaid, "queries the answer key says nothing about");
    }

    @Test
    void theWorkloadIsAsTheIssueAsksForIt() {
        List<QueryInput> queries = queries().queries();
        assertTrue(queries.size() >= 12, "12+ queries: " + queries.size());
        assertTrue(queries.stream().allMatch(q -> q.frequency() != null && q.frequency() > 0), "every query has a frequency");
        assertEquals(queries.size(), queryNames().size(), "query names are unique");
        ExpectedIndexes expected = expected();
        assertTrue(expected.indexes().stream().anyMatch(i -> i.serves().size() >= 2), "a composite serves two queries");
        assertTrue(expected.indexes().stream().anyMatch(i -> i.keys().stream().anyMatch(k -> k.contains("("))),
                "an expression index");
        assertTrue(expected.indexes().stream().anyMatch(i -> i.where() != null), "a partial index");
        assertTrue(expected.indexes().stream().anyMatch(i -> i.include() != null), "a covering index");
        assertTrue(expected.indexes().stream().anyMatch(i -> "gin".equals(i.method())), "a GIN index");
        assertTrue(expected.noIndex().size() >= 2, "a non-selective query and a primary-key lookup get no index");
    }

    private static void checkOn(PostgresServers.TestServer server) {
        try (SandboxDatabase db = QueryOptimizerSandbox.on(server).create("qo-workload-fixture")) {
            ScriptResult schema = db.apply(QueryOptimizerSandbox.resource("workload/schema.sql"));
            assertNull(schema.error(), () -> "schema.sql on PostgreSQL " + server.major() + ": " + schema.error());

            List<QueryInput> queries = queries().queries();
            for (int i = 0; i < queries.size(); i++) {
                QueryInput q = queries.get(i);
                ScriptResult prepared = db.apply("prepare workload_q" + i + " as " + q.sql());
                assertNull(prepared.error(), () -> q.name() + " does not prepare on PostgreSQL " + server.major()
                        + ": " + prepared.error());
            }

            Set<String> tables = db.query("select table_name from information_schema.tables where table_schema = 'public'")
                    .stream().map(r -> (String) r.get("table_name")).collect(Collectors.toSet());
            assertTrue(tables.size() >= 6, "6+ tables: " + tables);
            assertTrue(tables.containsAll(rowCounts().rowCounts().keySet()), "rowcounts.yaml names unknown tables");
            assertEquals(tables, rowCounts().rowCounts().keySet(), "every table has a row count");
            assertTrue(tables.containsAll(writeRates().writeRates().keySet()), "write-rates.yaml names unknown tables");

            // creating each index proves its table, columns, expressions and predicate exist as written
            List<ExpectedIndex> indexes = expected().indexes();
            List<String> failures = new ArrayList<>();
            for (int i = 0; i < indexes.size(); i++) {
                ScriptResult created = db.apply(indexes.get(i).createStatement("expected_" + i));
                if (created.error() != null) {
                    failures.add(indexes.get(i) + ": " + created.error());
                }
            }
            assertEquals(List.of(), failures, "expected indexes that do not fit the schema");
        }
    }

    private static Set<String> queryNames() {
        return queries().queries().stream().map(QueryInput::name).collect(Collectors.toCollection(LinkedHashSet::new));
    }

    private static Queries queries() {
        return read("workload/queries.yaml", new TypeReference<>() { });
    }

    private static ExpectedIndexes expected() {
        return read("workload/expected-indexes.yaml", new TypeReference<>() { });
    }

    private static RowCounts rowCounts() {
        return read("workload/rowcounts.yaml", new TypeReference<>() { });
    }

    private static WriteRates writeRates() {
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
