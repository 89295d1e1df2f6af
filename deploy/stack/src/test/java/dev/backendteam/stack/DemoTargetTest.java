package dev.backendteam.stack;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Map;
import java.util.Properties;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The demo target: seeded once and quickly, refreshed on every start, read-only for its role, its problems real. */
class DemoTargetTest {

    @Test
    void theDemoShopIsSeededOnceAndReadOnlyForItsRole(@TempDir Path state) throws SQLException {
        PostgresServer server = new PostgresServer(state.resolve("postgres"), 0)
                .withBinariesDirectory(PostgresServerTest.SHARED_BINARIES)
                .withServerConfig("shared_preload_libraries", "pg_stat_statements");
        try {
            server.start();
            server.createDatabase(LocalStack.DATABASE);
            server.restrictConnect(LocalStack.DATABASE);
            DemoTarget first = DemoTarget.withFreshPassword();
            long started = System.nanoTime();
            assertTrue(first.seed(server), "made on the first start");
            long seconds = (System.nanoTime() - started) / 1_000_000_000;
            System.out.println("demo target seeded in " + (System.nanoTime() - started) / 1_000_000 + " ms");
            assertTrue(seconds < 15, "seeded in seconds, took " + seconds);
            DemoTarget second = DemoTarget.withFreshPassword();
            assertFalse(second.seed(server), "a second start only refreshes");
            Map<String, String> env = second.environment(server);
            assertNotEquals(first.environment(server).get("BACKEND_TEAM_TARGET_DEMO_PASSWORD"),
                    env.get("BACKEND_TEAM_TARGET_DEMO_PASSWORD"), "a password per start");
            assertEquals(server.jdbcUrl(DemoTarget.DATABASE), env.get("BACKEND_TEAM_TARGET_DEMO_URL"));

            Properties p = new Properties();
            p.setProperty("user", env.get("BACKEND_TEAM_TARGET_DEMO_USER"));
            p.setProperty("password", env.get("BACKEND_TEAM_TARGET_DEMO_PASSWORD"));
            try (Connection c = DriverManager.getConnection(env.get("BACKEND_TEAM_TARGET_DEMO_URL"), p);
                 Statement st = c.createStatement()) {
                assertEquals(60000, count(st, "select count(*) from orders"));
                assertEquals(120000, count(st, "select count(*) from order_items"));
                SQLException write = assertThrows(SQLException.class, () -> st.execute("delete from orders"));
                assertEquals("25006", write.getSQLState(), "read-only: " + write.getMessage());
                // the problems the monitor is to find
                assertEquals(2, count(st, "select count(*) from pg_indexes where tablename = 'orders'"
                        + " and indexdef like '%(customer_id)'"));
                assertTrue(count(st, "select count(*) from pg_stat_statements s join pg_database d on d.oid = s.dbid"
                        + " where d.datname = current_database() and s.query like '%status = $1%'"
                        + " and s.calls >= 25") > 0, "the slow report is in pg_stat_statements");
                assertEquals(1, count(st, "select count(*) from pg_roles where rolname = current_user"
                        + " and pg_has_role(current_user, 'pg_read_all_stats', 'member') and not rolsuper"));
            }
            // the job store is not the demo role's to read (authentication is trust on loopback)
            SQLException refused = assertThrows(SQLException.class,
                    () -> DriverManager.getConnection(server.jdbcUrl(LocalStack.DATABASE), p).close());
            assertEquals("42501", refused.getSQLState(), "CONNECT revoked: " + refused.getMessage());
            try (Connection c = server.connect(LocalStack.DATABASE)) {
                assertTrue(c.isValid(5), "its owner still connects");
            }
            // neither start's password reached pg_stat_statements, where the demo role itself could read it
            try (Connection c = server.connect(DemoTarget.DATABASE);
                 java.sql.PreparedStatement ps = c.prepareStatement(
                         "select count(*) from pg_stat_statements where query like '%' || ? || '%'")) {
                for (DemoTarget seeded : new DemoTarget[] {first, second}) {
                    ps.setString(1, seeded.environment(server).get("BACKEND_TEAM_TARGET_DEMO_PASSWORD"));
                    try (ResultSet rs = ps.executeQuery()) {
                        rs.next();
                        assertEquals(0, rs.getLong(1), "the password is not in pg_stat_statements");
                    }
                }
            }
        } finally {
            server.stop();
        }
    }

    private static long count(Statement st, String sql) throws SQLException {
        try (ResultSet rs = st.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }
}
