package dev.backendteam.stack;

import org.postgresql.PGConnection;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The embedded default's demo target: database {@value #DATABASE} on the stack's PostgreSQL with a small shop
 * (demo-target.sql) and a few realistic problems, read by its own role {@value #ROLE} as a user's monitoring role
 * would be — login, default_transaction_read_only, pg_read_all_stats, SELECT on the tables and sequences, nothing
 * else. Its password is generated per start and handed to the specialists only (environment
 * {@code BACKEND_TEAM_TARGET_DEMO_URL}, {@code _USER}, {@code _PASSWORD}), so a job with {@code "target": "demo"}
 * works out of the box. Seeding is idempotent: the schema and data are made once, in one transaction; every start
 * sets the role's password and runs the slow report a few times, so pg_stat_statements has it.
 */
public final class DemoTarget {
    public static final String NAME = "demo";
    public static final String DATABASE = "backend_team_demo";
    public static final String ROLE = "backend_team_demo_reader";
    private static final String SLOW_REPORT = "select id, customer_id, total, created_at from orders"
            + " where status = 'refunded' and created_at > now() - interval '90 days' order by created_at desc";
    private static final int REPORT_RUNS = 25;
    private static final char[] ALPHABET = "abcdefghijkmnopqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789".toCharArray();

    private final String password;

    private DemoTarget(String password) {
        this.password = password;
    }

    /** A demo target with a password of its own, fresh for this start. */
    public static DemoTarget withFreshPassword() {
        SecureRandom random = new SecureRandom();
        StringBuilder pw = new StringBuilder();
        for (int i = 0; i < 32; i++) {
            pw.append(ALPHABET[random.nextInt(ALPHABET.length)]);
        }
        return new DemoTarget(pw.toString());
    }

    /** The variables that configure target {@value #NAME} for a service (BRIEF §3a). */
    public Map<String, String> environment(PostgresServer postgres) {
        Map<String, String> env = new LinkedHashMap<>();
        env.put("BACKEND_TEAM_TARGET_DEMO_URL", postgres.jdbcUrl(DATABASE));
        env.put("BACKEND_TEAM_TARGET_DEMO_USER", ROLE);
        env.put("BACKEND_TEAM_TARGET_DEMO_PASSWORD", password);
        return env;
    }

    /** Creates (once) and refreshes the demo target on a running server; true when the shop was made now. */
    public boolean seed(PostgresServer postgres) {
        try {
            postgres.createDatabase(DATABASE);
            try (Connection c = postgres.connect("postgres"); Statement st = c.createStatement()) {
                st.execute("do $$ begin create role " + ROLE + " login; exception when duplicate_object then null;"
                        + " end $$");
                // pgjdbc sends only the SCRAM verifier it computes, so the password itself never reaches
                // pg_stat_statements (which records utility statements verbatim, readable by pg_read_all_stats)
                c.unwrap(PGConnection.class).alterUserPassword(ROLE, password.toCharArray(), "scram-sha-256");
                st.execute("alter role " + ROLE + " set default_transaction_read_only = on");
                st.execute("alter role " + ROLE + " connection limit 10");
                st.execute("grant pg_read_all_stats to " + ROLE);
                // the specialists' sandboxes revoke CONNECT from PUBLIC on every database: grant it explicitly
                st.execute("grant connect on database " + DATABASE + " to " + ROLE);
            }
            boolean made;
            try (Connection c = postgres.connect(DATABASE); Statement st = c.createStatement()) {
                st.execute("create extension if not exists pg_stat_statements");
                made = !exists(st, "select 1 from pg_tables where schemaname = 'public' and tablename = 'order_items'");
                if (made) {
                    c.setAutoCommit(false);
                    st.execute(script());
                    c.commit();
                    c.setAutoCommit(true);
                }
                st.execute("grant usage on schema public to " + ROLE);
                st.execute("grant select on all tables in schema public to " + ROLE);
                st.execute("grant select on all sequences in schema public to " + ROLE);
                for (int i = 0; i < REPORT_RUNS; i++) {
                    st.execute(SLOW_REPORT);
                }
            }
            return made;
        } catch (SQLException e) {
            throw new StackException("cannot seed the demo target " + DATABASE + ": " + e.getMessage(), e);
        }
    }

    private static boolean exists(Statement st, String sql) throws SQLException {
        try (ResultSet rs = st.executeQuery(sql)) {
            return rs.next();
        }
    }

    private static String script() {
        try (InputStream in = DemoTarget.class.getResourceAsStream("demo-target.sql")) {
            if (in == null) {
                throw new IllegalStateException("missing resource dev/backendteam/stack/demo-target.sql");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
