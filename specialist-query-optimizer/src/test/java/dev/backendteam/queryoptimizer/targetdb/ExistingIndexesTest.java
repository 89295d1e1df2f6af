package dev.backendteam.queryoptimizer.targetdb;

import dev.backendteam.contract.Finding;
import dev.backendteam.contract.Severity;
import dev.backendteam.sandbox.PostgresServers;
import dev.backendteam.sandbox.targetdb.TargetDatabase;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * One test per rule of indexes/catalogue.yaml: a positive case, a near miss that must not be reported, and the fix
 * the finding gives, run, clears it. Each case in its own schema of a scratch database.
 */
@ExtendWith(PostgresServers.class)
class ExistingIndexesTest {
    private static final String DATABASE = "qo_indexes";

    private static Connection scratch(PostgresServers.TestServer server) throws SQLException {
        try (Connection c = server.connect("postgres"); Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("select 1 from pg_database where datname = '" + DATABASE + "'")) {
            if (!rs.next()) {
                st.execute("create database " + DATABASE);
            }
        }
        return server.connect(DATABASE);
    }

    private static Connection schema(PostgresServers.TestServer server, String schema, String ddl) throws SQLException {
        Connection c = scratch(server);
        try (Statement st = c.createStatement()) {
            st.execute("drop schema if exists " + schema + " cascade; create schema " + schema + "; set search_path = "
                    + schema + "; " + ddl);
        }
        return c;
    }

    /** The same rules read a sandbox: its query has the catalog query's shape. */
    static dev.backendteam.sandbox.targetdb.TargetSql.CatalogQuery onSandbox(dev.backendteam.sandbox.SandboxDatabase db) {
        return db::query;
    }

    private static ExistingIndexes.Rule rule(String id) {
        return ExistingIndexes.rules().stream().filter(r -> r.id().equals(id)).findFirst().orElseThrow();
    }

    /** Read as a target is (TargetDatabase::query), each time afresh: the fixes are committed by another session. */
    private static List<Finding> find(PostgresServers.TestServer server, String schema, String rule) {
        try (TargetDatabase t = LiveTarget.openAsSuperuser(server, DATABASE)) {
            return ExistingIndexes.find(t::query, List.of(schema), rule(rule));
        }
    }

    private static void fix(Connection c, Finding f) throws SQLException {
        try (Statement st = c.createStatement()) {
            st.execute(f.fix());
        }
    }

    @Test
    void duplicateIndex(PostgresServers.Servers servers) throws SQLException {
        try (Connection c = schema(servers.pg17(), "dup", """
                create table t (id int primary key, a int, b text, deleted_at timestamptz);
                insert into t select i, i % 50, 'x' || i from generate_series(1, 1000) i;
                create index t_a on t (a);
                create index t_a_again on t (a);
                create unique index t_id_twice on t (id);
                -- near misses: another predicate, another operator class, another order
                create index t_b on t (b);
                create index t_b_pattern on t (b text_pattern_ops);
                create index t_a_live on t (a) where deleted_at is null;
                create index t_a_desc on t (a desc);""")) {
            List<Finding> found = find(servers.pg17(), "dup", "query-optimizer.duplicate-index");
            assertEquals(List.of("dup.t_a_again", "dup.t_id_twice"), found.stream().map(Finding::object).sorted()
                    .toList(), String.valueOf(found));
            Finding again = found.stream().filter(f -> f.object().equals("dup.t_a_again")).findFirst().orElseThrow();
            assertEquals(Severity.WARN, again.severity());
            assertTrue(again.message().contains("on t (") && again.message().contains("duplicates t_a ("),
                    again.message());
            assertTrue(found.stream().anyMatch(f -> f.message().contains("duplicates t_pkey")), "the primary key is"
                    + " kept: " + found);
            assertEquals("drop index concurrently if exists dup.t_a_again;", again.fix());
            for (Finding f : found) {
                fix(c, f);
            }
            assertEquals(List.of(), find(servers.pg17(), "dup", "query-optimizer.duplicate-index"));
        }
    }

    @Test
    void redundantIndex(PostgresServers.Servers servers) throws SQLException {
        try (Connection c = schema(servers.pg17(), "red", """
                create table t (id int primary key, a int, b int, c int);
                create index t_a on t (a);
                create index t_a_b on t (a, b);
                -- near misses: not a leading prefix, unique, with an INCLUDE column, another predicate
                create index t_b on t (b);
                create unique index t_c_unique on t (c);
                create index t_c_a on t (c, a);
                create index t_b_inc on t (b) include (c);
                create index t_b_c on t (b, c);
                create index t_c_part on t (c) where a > 0;""")) {
            List<Finding> found = find(servers.pg17(), "red", "query-optimizer.redundant-index");
            assertEquals(List.of("red.t_a", "red.t_b"), found.stream().map(Finding::object).sorted().toList(),
                    String.valueOf(found));
            Finding a = found.stream().filter(f -> f.object().equals("red.t_a")).findFirst().orElseThrow();
            assertTrue(a.message().contains("leading prefix of t_a_b"), a.message());
            try (Statement st = c.createStatement()) {
                st.execute("drop index red.t_b");
            }
            assertEquals(List.of("red.t_a"), find(servers.pg17(), "red", "query-optimizer.redundant-index").stream()
                    .map(Finding::object).toList(), "t_b_inc is no prefix: it covers c");
            fix(c, a);
            assertEquals(List.of(), find(servers.pg17(), "red", "query-optimizer.redundant-index"));
        }
    }

    @Test
    void invalidIndex(PostgresServers.Servers servers) throws SQLException {
        try (Connection c = schema(servers.pg17(), "inv", """
                create table t (id int primary key, a int);
                insert into t select i, i % 3 from generate_series(1, 100) i;
                create index t_a on t (a);""")) {
            try (Statement st = c.createStatement()) {
                // a concurrent build that fails leaves its index behind, invalid
                st.execute("create unique index concurrently t_a_unique on inv.t (a)");
            } catch (SQLException expected) {
                assertEquals("23505", expected.getSQLState());
            }
            List<Finding> found = find(servers.pg17(), "inv", "query-optimizer.invalid-index");
            assertEquals(List.of("inv.t_a_unique"), found.stream().map(Finding::object).toList(), "t_a is valid");
            assertTrue(found.get(0).message().contains("is invalid"), found.get(0).message());
            fix(c, found.get(0));
            assertEquals(List.of(), find(servers.pg17(), "inv", "query-optimizer.invalid-index"));
        }
    }

    @Test
    void unusedIndexOnATargetWithStatistics(PostgresServers.Servers servers) throws Exception {
        PostgresServers.TestServer server = LiveTarget.on(servers.pg17());
        try (Connection c = server.connect(LiveTarget.DATABASE); Statement st = c.createStatement()) {
            st.execute("drop schema if exists unused cascade; create schema unused;"
                    + " create table unused.t (id int primary key, a int, b int, c int);"
                    + " insert into unused.t select i, i % 100, i % 7, i from generate_series(1, 5000) i;"
                    + " create index t_a on unused.t (a); create index t_b on unused.t (b);"
                    + " create unique index t_c on unused.t (c); analyze unused.t;"
                    + " grant usage on schema unused to " + LiveTarget.READER + ";"
                    + " grant select on unused.t to " + LiveTarget.READER);
            // the application reads by a: t_a is used; t_b never; t_c (unique) never, yet it is not reported
            st.execute("set enable_seqscan = off; set enable_bitmapscan = off");
            try (ResultSet rs = st.executeQuery("select count(*) from unused.t where a = 5")) {
                rs.next();
            }
        }
        List<String> unused = List.of();
        for (int i = 0; i < 50; i++) {
            // the scan counters reach shared statistics when the reading session flushes them (about a second)
            try (TargetDatabase t = LiveTarget.open(server, LiveTarget.DATABASE, LiveTarget.READER)) {
                Number scans = (Number) t.query("select idx_scan from pg_stat_user_indexes where indexrelname ="
                        + " 't_a' and schemaname = 'unused'").get(0).get("idx_scan");
                if (scans.longValue() > 0) {
                    List<Finding> found = ExistingIndexes.find(t::query, List.of("unused"), true);
                    unused = found.stream().filter(f -> f.ruleId().equals("query-optimizer.unused-index"))
                            .map(Finding::object).toList();
                    Finding b = found.stream().filter(f -> f.object().equals("unused.t_b")).findFirst()
                            .orElseThrow(() -> new AssertionError(String.valueOf(found)));
                    assertEquals(Severity.INFO, b.severity());
                    assertTrue(b.message().contains("not been scanned on this server since"), b.message());
                    assertEquals("drop index concurrently if exists unused.t_b;", b.fix());
                    assertEquals(List.of(), ExistingIndexes.find(t::query, List.of("unused"), false).stream()
                            .filter(f -> f.ruleId().equals("query-optimizer.unused-index")).toList(),
                            "without usage statistics (a sandbox) no index is called unused");
                    break;
                }
            }
            Thread.sleep(200);
        }
        assertEquals(List.of("unused.t_b"), unused);
        try (Connection c = server.connect(LiveTarget.DATABASE); Statement st = c.createStatement()) {
            st.execute("drop index concurrently if exists unused.t_b");
        }
        try (TargetDatabase t = LiveTarget.open(server, LiveTarget.DATABASE, LiveTarget.READER)) {
            assertEquals(List.of(), ExistingIndexes.find(t::query, List.of("unused"), true).stream()
                    .filter(f -> f.ruleId().equals("query-optimizer.unused-index")).toList());
        }
    }

    @Test
    void everyRuleIsInTheCatalogueWithItsSql() {
        assertEquals(List.of("query-optimizer.duplicate-index", "query-optimizer.redundant-index",
                "query-optimizer.invalid-index", "query-optimizer.unused-index"),
                ExistingIndexes.rules().stream().map(ExistingIndexes.Rule::id).toList());
        ExistingIndexes.rules().forEach(r -> assertTrue(r.fix().startsWith("drop index concurrently if exists"), r.id()));
    }
}
