package dev.backendteam.sandbox;

import dev.backendteam.sandbox.targetdb.TargetDatabase;
import dev.backendteam.sandbox.targetdb.TargetException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A target is read, never written: even a role that may write cannot through it. */
@ExtendWith(PostgresServers.class)
class TargetDatabaseTest {

    @Test
    void aTargetIsReadButNeverWrittenEvenByARoleThatMayWrite(PostgresServers.Servers servers) throws SQLException {
        PostgresServers.TestServer server = servers.pg17();
        try (Connection c = server.connect("postgres"); Statement st = c.createStatement()) {
            st.execute("drop database if exists target_shop");
            st.execute("create database target_shop");
        }
        try (Connection c = server.connect("target_shop"); Statement st = c.createStatement()) {
            st.execute("create table public.orders (id int primary key, total numeric)");
            st.execute("insert into public.orders values (1, 9.5)");
        }
        // Railway's style of URL, the superuser's credentials in it: the session is still read-only
        Map<String, String> env = Map.of("BACKEND_TEAM_TARGET_SHOP_EU_URL", "postgresql://" + server.superuser() + ":"
                + server.password() + "@127.0.0.1:" + server.port() + "/target_shop");
        assertTrue(TargetDatabase.configured("shop-eu", env));
        try (TargetDatabase t = TargetDatabase.open("shop-eu", env, Duration.ofSeconds(5))) {
            assertEquals(List.of(Map.of("n", 1L)), t.query("select count(*) as n from public.orders"));
            TargetException write = assertThrows(TargetException.class, () -> t.query(
                    "with gone as (delete from public.orders returning id) select count(*) from gone"));
            assertTrue(write.getMessage().contains("25006"), write.getMessage());
            assertThrows(TargetException.class, () -> t.query("select set_config('default_transaction_read_only',"
                    + " 'off', false); create table public.x (id int)"));
            assertTrue(t.query("select 1 as one").size() == 1, "the session carries on after a refusal");
            assertTrue(t.serverVersionNum() >= 150000);
        }
        // the timeout is the transaction's own (set local), not a startup option a pooler refuses or drops
        try (TargetDatabase t = TargetDatabase.open("shop-eu", env, Duration.ofMillis(700))) {
            assertEquals(List.of(Map.of("timeout", "700ms", "source", "session")), t.query(
                    "select current_setting('statement_timeout') as timeout, source from pg_settings"
                            + " where name = 'statement_timeout'"));
            long started = System.nanoTime();
            TargetException cancelled = assertThrows(TargetException.class, () -> t.query("select pg_sleep(4)"));
            assertTrue(cancelled.getMessage().contains("57014"), cancelled.getMessage());
            assertTrue(System.nanoTime() - started < 3_000_000_000L, "cancelled by the timeout");
            assertEquals(List.of(Map.of("one", 1)), t.query("select 1 as one"), "the session carries on");
        }
        try (Connection c = server.connect("target_shop"); Statement st = c.createStatement()) {
            var rs = st.executeQuery("select count(*) from public.orders");
            rs.next();
            assertEquals(1, rs.getInt(1), "nothing was deleted");
            assertFalse(st.executeQuery("select 1 from pg_class where relname = 'x'").next(), "nothing was created");
        }
    }

    @Test
    void anUnknownOrUnreachableTargetIsNamedWithoutItsUrl() {
        TargetException missing = assertThrows(TargetException.class, () -> TargetDatabase.open("nowhere", Map.of(),
                Duration.ofSeconds(1)));
        assertEquals("target nowhere is not configured: set BACKEND_TEAM_TARGET_NOWHERE_URL", missing.getMessage());
        TargetException down = assertThrows(TargetException.class, () -> TargetDatabase.open("down",
                Map.of("BACKEND_TEAM_TARGET_DOWN_URL", "postgresql://u:s3cret@127.0.0.1:1/app"),
                Duration.ofSeconds(1)));
        assertFalse(down.getMessage().contains("s3cret") || down.getMessage().contains("127.0.0.1"),
                down.getMessage());
    }
}
