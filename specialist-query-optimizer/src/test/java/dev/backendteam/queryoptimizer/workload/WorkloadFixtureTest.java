package dev.backendteam.queryoptimizer.workload;

import dev.backendteam.contract.QueryInput;
import dev.backendteam.queryoptimizer.QueryOptimizerSandbox;
import dev.backendteam.sandbox.PostgresServers;
import dev.backendteam.sandbox.SandboxDatabase;
import dev.backendteam.sandbox.ScriptResult;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
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
        WorkloadFixture.ExpectedIndexes expected = WorkloadFixture.expected();
        Set<String> served = new HashSet<>();
        for (WorkloadFixture.ExpectedIndex index : expected.indexes()) {
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
        List<QueryInput> queries = WorkloadFixture.queries().queries();
        assertTrue(queries.size() >= 12, "12+ queries: " + queries.size());
        assertTrue(queries.stream().allMatch(q -> q.frequency() != null && q.frequency() > 0), "every query has a frequency");
        assertEquals(queries.size(), queryNames().size(), "query names are unique");
        WorkloadFixture.ExpectedIndexes expected = WorkloadFixture.expected();
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
            ScriptResult schema = db.apply(WorkloadFixture.schema());
            assertNull(schema.error(), () -> "schema.sql on PostgreSQL " + server.major() + ": " + schema.error());

            List<QueryInput> queries = WorkloadFixture.queries().queries();
            for (int i = 0; i < queries.size(); i++) {
                QueryInput q = queries.get(i);
                ScriptResult prepared = db.apply("prepare workload_q" + i + " as " + q.sql());
                assertNull(prepared.error(), () -> q.name() + " does not prepare on PostgreSQL " + server.major()
                        + ": " + prepared.error());
            }

            Set<String> tables = db.query("select table_name from information_schema.tables where table_schema = 'public'")
                    .stream().map(r -> (String) r.get("table_name")).collect(Collectors.toSet());
            assertTrue(tables.size() >= 6, "6+ tables: " + tables);
            assertTrue(tables.containsAll(WorkloadFixture.rowCounts().rowCounts().keySet()), "rowcounts.yaml names unknown tables");
            assertEquals(tables, WorkloadFixture.rowCounts().rowCounts().keySet(), "every table has a row count");
            assertTrue(tables.containsAll(WorkloadFixture.writeRates().writeRates().keySet()), "write-rates.yaml names unknown tables");

            // creating each index proves its table, columns, expressions and predicate exist as written
            List<WorkloadFixture.ExpectedIndex> indexes = WorkloadFixture.expected().indexes();
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
        return WorkloadFixture.queries().queries().stream().map(QueryInput::name)
                .collect(Collectors.toCollection(LinkedHashSet::new));
    }
}
