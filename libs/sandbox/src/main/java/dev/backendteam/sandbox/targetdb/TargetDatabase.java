package dev.backendteam.sandbox.targetdb;

import java.net.URI;
import java.net.URISyntaxException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Savepoint;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;

/**
 * A user's database, named by a job's {@code target} and configured in the environment (BRIEF §3a):
 * {@code BACKEND_TEAM_TARGET_<NAME>_URL} — {@code jdbc:postgresql://…} or Railway's and Supabase's
 * {@code postgresql://user:password@host:port/db} — with optional {@code _USER} and {@code _PASSWORD}. Read-only,
 * always: the connection is opened read-only, every query runs in a {@code READ ONLY} transaction that is rolled
 * back, with a {@code set local statement_timeout}; no startup {@code options} and no server-side prepared
 * statements, so it works through a transaction pooler (PgBouncer, Supavisor). Nothing is ever written there. The URL and the
 * credentials never appear in messages or errors.
 */
public final class TargetDatabase implements AutoCloseable {
    public static final String PREFIX = "BACKEND_TEAM_TARGET_";
    private static final int MAX_ROWS = 10_000;

    private final String name;
    private final Connection connection;
    private final Duration statementTimeout;

    private TargetDatabase(String name, Connection connection, Duration statementTimeout) {
        this.name = name;
        this.connection = connection;
        this.statementTimeout = statementTimeout;
    }

    /** The environment variable of a target's URL: {@code staging-eu} → {@code BACKEND_TEAM_TARGET_STAGING_EU_URL}. */
    public static String variable(String target, String suffix) {
        return PREFIX + target.toUpperCase(Locale.ROOT).replace('-', '_').replace('.', '_') + "_" + suffix;
    }

    /** Whether the environment configures the target. */
    public static boolean configured(String target, Map<String, String> env) {
        String url = env.get(variable(target, "URL"));
        return url != null && !url.isBlank();
    }

    /**
     * Opens the target read-only. Throws {@link TargetException} naming the target (never its URL) when it is not
     * configured or cannot be reached.
     */
    public static TargetDatabase open(String target, Map<String, String> env, Duration statementTimeout) {
        String url = env.get(variable(target, "URL"));
        if (url == null || url.isBlank()) {
            throw new TargetException("target " + target + " is not configured: set " + variable(target, "URL"));
        }
        Properties p = new Properties();
        String jdbc = jdbcUrl(url.strip(), p);
        Optional.ofNullable(env.get(variable(target, "USER"))).ifPresent(u -> p.setProperty("user", u));
        Optional.ofNullable(env.get(variable(target, "PASSWORD"))).ifPresent(pw -> p.setProperty("password", pw));
        p.setProperty("readOnly", "true");
        p.setProperty("readOnlyMode", "always");
        p.setProperty("prepareThreshold", "0");
        p.setProperty("connectTimeout", "10");
        p.setProperty("socketTimeout", String.valueOf(Math.max(5, statementTimeout.toSeconds() * 2)));
        p.setProperty("ApplicationName", "backend-team (read-only review)");
        // no startup "options" (-c statement_timeout=…): PgBouncer refuses the connection for it, other poolers drop
        // it; the timeout is set per transaction instead (inReadOnlyTransaction), which holds through a pooler too
        try {
            Connection c = DriverManager.getConnection(jdbc, p);
            c.setAutoCommit(false);
            c.setReadOnly(true);
            return new TargetDatabase(target, c, statementTimeout);
        } catch (SQLException e) {
            throw new TargetException("target " + target + " cannot be reached (SQLSTATE " + e.getSQLState() + ")",
                    e);
        }
    }

    /** {@code postgresql://user:password@host:port/db?sslmode=…} → a JDBC URL, the credentials into {@code p}. */
    static String jdbcUrl(String url, Properties p) {
        if (url.startsWith("jdbc:postgresql:")) {
            return url;
        }
        if (!url.startsWith("postgresql://") && !url.startsWith("postgres://")) {
            throw new TargetException("a target URL is jdbc:postgresql://… or postgresql://…");
        }
        try {
            URI u = new URI(url);
            if (u.getRawUserInfo() != null) {
                String[] parts = u.getRawUserInfo().split(":", 2);
                p.setProperty("user", URLDecoder.decode(parts[0], StandardCharsets.UTF_8));
                if (parts.length > 1) {
                    p.setProperty("password", URLDecoder.decode(parts[1], StandardCharsets.UTF_8));
                }
            }
            return "jdbc:postgresql://" + u.getHost() + (u.getPort() > 0 ? ":" + u.getPort() : "")
                    + (u.getRawPath() == null || u.getRawPath().isEmpty() ? "/postgres" : u.getRawPath())
                    + (u.getRawQuery() == null ? "" : "?" + u.getRawQuery());
        } catch (URISyntaxException e) {
            throw new TargetException("the target URL does not parse");
        }
    }

    public String name() {
        return name;
    }

    /**
     * One query in a read-only transaction, rolled back after; at most {@value #MAX_ROWS} rows. A statement that
     * would write fails there (SQLSTATE 25006), as PostgreSQL refuses it.
     */
    public List<Map<String, Object>> query(String sql, Object... params) {
        return inReadOnlyTransaction(tx -> tx.query(sql, params));
    }

    /**
     * Several statements in ONE read-only transaction, rolled back at the end whatever happened — for work whose
     * statements depend on each other's session state ({@code set local}, SQL-level {@code PREPARE} then
     * {@code EXPLAIN EXECUTE}). A transaction pooler keeps one server connection for a whole transaction, so such
     * state is safe through it as long as it does not outlive the transaction: a {@code PREPARE} is not undone by
     * the rollback, so the work must {@code DEALLOCATE} before it returns. Each statement runs in a savepoint: one
     * that fails throws {@link TargetException} (its SQLSTATE in {@link TargetException#sqlState()}) and leaves the
     * transaction usable, so a {@code finally} can still deallocate.
     */
    public <T> T inReadOnlyTransaction(Work<T> work) {
        try {
            try (Statement st = connection.createStatement()) {
                st.execute("set transaction read only");
                // local to this transaction: a transaction pooler hands the server connection on after it
                st.execute("set local statement_timeout = '" + Math.max(1, statementTimeout.toMillis()) + "ms'");
            }
            return work.run(new ReadOnlyTransaction());
        } catch (SQLException e) {
            throw failure(e);
        } finally {
            try {
                connection.rollback();
            } catch (SQLException ignored) {
                // the connection is gone: the next call fails too, with its own reason
            }
        }
    }

    /** The body of {@link #inReadOnlyTransaction}. */
    @FunctionalInterface
    public interface Work<T> {
        T run(ReadOnlyTransaction tx);
    }

    /** The statements a {@link Work} may run; its transaction is read-only and will be rolled back. */
    public final class ReadOnlyTransaction {
        private ReadOnlyTransaction() {
        }

        /** A query with {@code ?} parameters; at most {@value #MAX_ROWS} rows. */
        public List<Map<String, Object>> query(String sql, Object... params) {
            return inSavepoint(() -> {
                try (PreparedStatement ps = connection.prepareStatement(sql)) {
                    for (int i = 0; i < params.length; i++) {
                        ps.setObject(i + 1, params[i]);
                    }
                    ps.setMaxRows(MAX_ROWS);
                    List<Map<String, Object>> rows = new ArrayList<>();
                    try (ResultSet rs = ps.executeQuery()) {
                        ResultSetMetaData md = rs.getMetaData();
                        while (rs.next()) {
                            Map<String, Object> row = new LinkedHashMap<>();
                            for (int i = 1; i <= md.getColumnCount(); i++) {
                                row.put(md.getColumnLabel(i), rs.getObject(i));
                            }
                            rows.add(row);
                        }
                    }
                    return rows;
                }
            });
        }

        /** A statement without parameters or rows ({@code set local …}, {@code prepare …}, {@code deallocate …}). */
        public void execute(String sql) {
            inSavepoint(() -> {
                try (Statement st = connection.createStatement()) {
                    st.execute(sql);
                }
                return null;
            });
        }

        private <R> R inSavepoint(SqlCall<R> call) {
            Savepoint sp;
            try {
                sp = connection.setSavepoint();
            } catch (SQLException e) {
                throw failure(e);
            }
            try {
                R r = call.run();
                connection.releaseSavepoint(sp);
                return r;
            } catch (SQLException e) {
                try {
                    connection.rollback(sp);
                } catch (SQLException ignored) {
                    // the connection is gone: the transaction's own rollback reports nothing more
                }
                throw failure(e);
            }
        }
    }

    @FunctionalInterface
    private interface SqlCall<R> {
        R run() throws SQLException;
    }

    private TargetException failure(SQLException e) {
        return new TargetException("query on target " + name + " failed: SQLSTATE " + e.getSQLState() + " "
                + e.getMessage(), e);
    }

    public int serverVersionNum() {
        return Integer.parseInt(String.valueOf(query("select current_setting('server_version_num') as v").get(0)
                .get("v")));
    }

    @Override
    public void close() {
        try {
            connection.close();
        } catch (SQLException e) {
            // closing a read-only session loses nothing
        }
    }
}
