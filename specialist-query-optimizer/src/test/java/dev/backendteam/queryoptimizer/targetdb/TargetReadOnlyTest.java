package dev.backendteam.queryoptimizer.targetdb;

import com.fasterxml.jackson.databind.JsonNode;
import dev.backendteam.contract.QueryInput;
import dev.backendteam.queryoptimizer.data.TableStatistics;
import dev.backendteam.sandbox.PostgresServers;
import dev.backendteam.sandbox.targetdb.TargetDatabase;
import dev.backendteam.sandbox.targetdb.TargetException;
import dev.backendteam.sandbox.targetdb.TargetSchema;
import dev.backendteam.sandbox.targetdb.TopStatements;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A live database read as a target by its read-only role, on PostgreSQL 17 and 15: its planner statistics, its
 * heaviest statements, its generic plans — and it is exactly as it was after.
 */
@ExtendWith(PostgresServers.class)
class TargetReadOnlyTest {

    private static PostgresServers.TestServer server(int major, PostgresServers.Servers servers) {
        return LiveTarget.on(major == 17 ? servers.pg17() : servers.pg15());
    }

    @ParameterizedTest(name = "PostgreSQL {0}")
    @ValueSource(ints = {17, 15})
    void statisticsAreReadWithAwkwardMostCommonValues(int major, PostgresServers.Servers servers) throws SQLException {
        PostgresServers.TestServer server = server(major, servers);
        String before = LiveTarget.fingerprint(server);
        Map<String, TableStatistics> stats;
        try (TargetDatabase t = LiveTarget.open(server, LiveTarget.DATABASE, LiveTarget.READER)) {
            stats = TargetStatisticsReader.read(t, List.of("shop"));
        }
        assertEquals(List.of("shop.customers", "shop.orders", "shop.secrets"), List.copyOf(stats.keySet()));
        TableStatistics customers = stats.get("shop.customers");
        assertEquals("shop", customers.schema());
        assertEquals("customers", customers.table());
        assertEquals(3000, customers.reltuples(), 1);
        assertEquals(-1, customers.columns().get("email").nDistinct(), 1e-6, "email is unique");
        assertEquals(3, customers.columns().get("country").nDistinct(), 1e-6);
        TableStatistics.Column label = customers.columns().get("label");
        assertEquals(0.2, label.nullFrac(), 0.001, "labels 7 and 8 of every 10 are null");
        List<String> awkward = List.of("it's", "a,b", "say \"hi\"", "back\\slash", "NULL", "{brace}", "");
        assertEquals(awkward.size(), label.mostCommonValues().size(), String.valueOf(label.mostCommonValues()));
        assertTrue(label.mostCommonValues().containsAll(awkward), String.valueOf(label.mostCommonValues()));
        label.mostCommonFreqs().forEach(f -> assertEquals(0.1, f, 0.001));
        TableStatistics.Column id = customers.columns().get("id");
        assertFalse(id.histogramBounds().isEmpty());
        assertEquals("1", id.histogramBounds().get(0));
        assertEquals(1.0, id.correlation(), 1e-6);
        assertEquals(20000, stats.get("shop.orders").reltuples(), 1);
        assertEquals(4, stats.get("shop.orders").columns().get("status").mostCommonValues().size());
        assertEquals(before, LiveTarget.fingerprint(server), "the target is exactly as it was");
    }

    @ParameterizedTest(name = "PostgreSQL {0}")
    @ValueSource(ints = {17, 15})
    void theSchemaIsReadAsDdlByTheReadOnlyRole(int major, PostgresServers.Servers servers) throws SQLException {
        PostgresServers.TestServer server = server(major, servers);
        String before = LiveTarget.fingerprint(server);
        TargetSchema schema;
        try (TargetDatabase t = LiveTarget.open(server, LiveTarget.DATABASE, LiveTarget.READER)) {
            schema = TargetSchema.read(t, List.of("shop"));
        }
        assertTrue(schema.objects() > 5, schema.ddl());
        for (String part : List.of("create schema if not exists shop;", "create type shop.status as enum",
                "create table shop.customers (", "CREATE INDEX orders_customer_created ON shop.orders")) {
            assertTrue(schema.ddl().contains(part), part + " in " + schema.ddl());
        }
        assertEquals(before, LiveTarget.fingerprint(server), "the target is exactly as it was");
    }

    @ParameterizedTest(name = "PostgreSQL {0}")
    @ValueSource(ints = {17, 15})
    void statisticsHiddenFromTheRoleAreSaid(int major, PostgresServers.Servers servers) {
        PostgresServers.TestServer server = server(major, servers);
        try (TargetDatabase t = LiveTarget.open(server, LiveTarget.DATABASE, LiveTarget.NARROW)) {
            StatisticsUnreadableException e = assertThrows(StatisticsUnreadableException.class,
                    () -> TargetStatisticsReader.read(t, List.of("shop")));
            assertEquals(List.of("shop.orders", "shop.secrets"), e.hidden());
            assertTrue(e.getMessage().contains("grant the read-only role SELECT"), e.getMessage());
            assertEquals(3, e.readable().get("shop.customers").columns().get("country").nDistinct(), 1e-6);
            assertTrue(e.readable().get("shop.secrets").columns().isEmpty());
        }
    }

    @ParameterizedTest(name = "PostgreSQL {0}")
    @ValueSource(ints = {17, 15})
    void aWriteFailsAndNothingChanges(int major, PostgresServers.Servers servers) throws SQLException {
        PostgresServers.TestServer server = server(major, servers);
        String before = LiveTarget.fingerprint(server);
        try (TargetDatabase t = LiveTarget.open(server, LiveTarget.DATABASE, LiveTarget.READER)) {
            TargetException insert = assertThrows(TargetException.class, () -> t.query(
                    "insert into shop.customers (email, country, created_at) values ('x@example.com', 'NO', now())"
                            + " returning id"));
            assertEquals("25006", insert.sqlState(), insert.getMessage());
            TargetException ddl = assertThrows(TargetException.class, () -> t.inReadOnlyTransaction(tx -> {
                tx.execute("create index customers_country on shop.customers (country)");
                return null;
            }));
            assertEquals("25006", ddl.sqlState(), ddl.getMessage());
            // even a role that could write: the transaction itself is read-only
            TargetException asSuperuser;
            try (TargetDatabase su = LiveTarget.openAsSuperuser(server)) {
                asSuperuser = assertThrows(TargetException.class, () -> su.query("delete from shop.secrets"
                        + " returning id"));
            }
            assertEquals("25006", asSuperuser.sqlState(), asSuperuser.getMessage());
            // the session still works after the refusals
            assertEquals(3000L, ((Number) t.query("select count(*) as n from shop.customers").get(0).get("n"))
                    .longValue());
        }
        assertEquals(before, LiveTarget.fingerprint(server), "the target is exactly as it was");
        // the checksum sees a write: one row changed, then changed back
        try (Connection c = server.connect(LiveTarget.DATABASE); Statement st = c.createStatement()) {
            st.execute("update shop.secrets set token = token || 'x' where id = 1");
            assertFalse(before.equals(LiveTarget.fingerprint(server)), "a changed row changes the checksum");
            st.execute("update shop.secrets set token = left(token, -1) where id = 1");
        }
        assertEquals(before, LiveTarget.fingerprint(server));
    }

    @ParameterizedTest(name = "PostgreSQL {0}")
    @ValueSource(ints = {17, 15})
    void theGenericPlanComesBackAndNoPreparedStatementStays(int major, PostgresServers.Servers servers)
            throws SQLException {
        PostgresServers.TestServer server = server(major, servers);
        String before = LiveTarget.fingerprint(server);
        try (TargetDatabase t = LiveTarget.open(server, LiveTarget.DATABASE, LiveTarget.READER)) {
            // parameters compared with typed columns: bigint, an enum, timestamptz
            JsonNode plan = TargetPlans.explain(t, """
                    select id, total from shop.orders
                     where customer_id = $1 and status = $2 and created_at > $3
                     order by created_at desc limit 20;""");
            assertTrue(plan.isArray(), plan.toString());
            JsonNode top = plan.get(0).get("Plan");
            assertNotNull(top, plan.toString());
            assertEquals("Limit", top.get("Node Type").asText(), plan.toString());
            assertTrue(plan.toString().contains("$1") && plan.toString().contains("$3"),
                    "a generic plan keeps the parameters: " + plan);
            assertTrue(plan.toString().contains("orders_customer_created"), plan.toString());
            assertFalse(plan.get(0).has("Execution Time"), "never ANALYZE");
            // no parameter, and a string that reads like a write
            JsonNode plain = TargetPlans.explain(t, "select count(*) from shop.customers where label = 'update'");
            assertEquals("Aggregate", plain.get(0).get("Plan").get("Node Type").asText());
            assertEquals(0L, ((Number) t.query("select count(*) as n from pg_prepared_statements").get(0).get("n"))
                    .longValue(), "DEALLOCATE ran before the transaction ended");
            // a query the target cannot plan: the prepared statement is not left behind either
            assertThrows(TargetException.class, () -> TargetPlans.explain(t, "select * from shop.missing"
                    + " where id = $1"));
            assertEquals(0L, ((Number) t.query("select count(*) as n from pg_prepared_statements").get(0).get("n"))
                    .longValue());
            for (String write : List.of("delete from shop.orders where id = $1", "select 1; delete from shop.orders",
                    "with d as (delete from shop.orders returning id) select * from d",
                    "select * from shop.orders for update", "select * into shop.copy from shop.orders")) {
                assertThrows(IllegalArgumentException.class, () -> TargetPlans.explain(t, write), write);
            }
        }
        assertEquals(before, LiveTarget.fingerprint(server), "the target is exactly as it was");
    }

    @ParameterizedTest(name = "PostgreSQL {0}")
    @ValueSource(ints = {17, 15})
    void theHeaviestSelectsOfOtherRolesAreRead(int major, PostgresServers.Servers servers) throws SQLException {
        PostgresServers.TestServer server = server(major, servers);
        try (Connection c = LiveTarget.connectAs(server, LiveTarget.APP);
             PreparedStatement byCustomer = c.prepareStatement("select * from shop.orders where customer_id = ?");
             Statement st = c.createStatement()) {
            for (int i = 1; i <= 30; i++) {
                byCustomer.setLong(1, i);
                try (ResultSet rs = byCustomer.executeQuery()) {
                    rs.next();
                }
            }
            for (int i = 0; i < 5; i++) {
                st.execute("select count(*) from shop.customers where country = 'NO'");
            }
            st.execute("update shop.orders set total = total where id = 1");
            st.execute("select relname from pg_class where relname = 'orders'");
        }
        TopStatements top;
        try (TargetDatabase t = LiveTarget.open(server, LiveTarget.DATABASE, LiveTarget.READER)) {
            t.query("select count(*) from shop.orders where status = 'paid'");
            top = TopStatements.read(t, 20);
        }
        assertNull(top.unavailable(), top.unavailable());
        List<String> sql = top.queries().stream().map(QueryInput::sql).toList();
        QueryInput byCustomer = top.queries().stream().filter(q -> q.sql().contains("customer_id = $1"))
                .findFirst().orElseThrow(() -> new AssertionError(String.valueOf(sql)));
        assertTrue(byCustomer.name().matches("pgss_-?\\d+"), byCustomer.name());
        assertTrue(byCustomer.frequency() > 0, String.valueOf(byCustomer.frequency()));
        QueryInput byCountry = top.queries().stream().filter(q -> q.sql().contains("country = $1")).findFirst()
                .orElseThrow(() -> new AssertionError(String.valueOf(sql)));
        assertTrue(byCustomer.frequency() > byCountry.frequency(), "30 calls against 5");
        assertTrue(sql.stream().noneMatch(s -> s.toLowerCase().contains("update")), "only SELECTs: " + sql);
        assertTrue(sql.stream().noneMatch(s -> s.contains("pg_class")), "nothing on the catalog: " + sql);
        assertTrue(sql.stream().noneMatch(s -> s.contains("status = $1")), "not the reader's own: " + sql);

        try (TargetDatabase t = LiveTarget.open(server, LiveTarget.DATABASE, LiveTarget.NARROW)) {
            TopStatements narrow = TopStatements.read(t, 20);
            assertTrue(narrow.queries().isEmpty());
            assertTrue(narrow.unavailable().contains("not readable"), narrow.unavailable());
        }
        try (TargetDatabase t = LiveTarget.open(server, "postgres", LiveTarget.READER)) {
            TopStatements none = TopStatements.read(t, 20);
            assertTrue(none.queries().isEmpty());
            assertTrue(none.unavailable().contains("not installed"), none.unavailable());
        }
    }
}
