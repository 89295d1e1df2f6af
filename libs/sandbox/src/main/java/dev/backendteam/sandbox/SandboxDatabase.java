package dev.backendteam.sandbox;

import org.postgresql.core.BaseConnection;
import org.postgresql.core.TransactionState;
import org.postgresql.util.PGobject;
import org.postgresql.util.PSQLWarning;

import java.lang.System.Logger.Level;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.SQLWarning;
import java.sql.Savepoint;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One step's disposable database. SQL runs as the database's own login role (after {@code SET ROLE} to the runner
 * role), over one session, under the role's timeouts and the client-side watchdog. Close it when the step ends:
 * the database and its role are dropped, its connections terminated.
 *
 * <p><b>Transaction model of {@link #apply(String)}</b>: statements are sent one by one in autocommit mode, so
 * each statement commits on its own — unless the script manages its own transactions: its {@code BEGIN … COMMIT}
 * reach the server as written, and the statements between them form one transaction. Statements that cannot run
 * inside a transaction block ({@code CREATE INDEX CONCURRENTLY}, {@code VACUUM}, …) therefore work outside the
 * script's blocks, and fail with SQLSTATE 25001 inside one, as on any server. On the first error the script stops;
 * an open transaction block is rolled back. A script that ends inside a block it opened is rolled back and
 * reported (SQLSTATE 25000, pointing at its BEGIN), since psql or a migration tool would lose that work too.
 *
 * <p><b>Output</b>: what the server sends back for one statement is bounded ({@link SandboxSettings#maxResultBytes()},
 * {@code maxMessageBytes}, {@code maxOutputBytes}, {@code maxNotices}; see {@link BackendMessageFilter}). Notices
 * beyond the bound are dropped and counted; a statement whose rows, single message or output in all would exceed
 * its bound fails with SQLSTATE 54000 and {@link Limit#OUTPUT_LIMIT}, its session is closed, and the next call opens
 * a new one.
 *
 * <p>Not thread-safe: one step, one thread. {@link #close()} may be called from any thread.
 */
public final class SandboxDatabase implements AutoCloseable {
    /** Rows read back from one query at most; a runaway SELECT must not exhaust the service's memory. */
    static final int MAX_ROWS = 10_000;
    private static final System.Logger LOG = System.getLogger(SandboxDatabase.class.getName());

    private final Sandbox sandbox;
    private final String name;
    private final String password;
    private final String label;
    private final Instant created;
    private final Instant deadline;
    private final GrantModel grants;
    private final boolean moddatetimeExtension;
    private final OutputGuard output;
    private Connection connection;
    private int backendPid;
    private volatile boolean busy;
    private volatile boolean closed;
    private volatile boolean watchdogCancels = true;

    SandboxDatabase(Sandbox sandbox, String name, String password, String label, Instant created, Instant deadline,
                    GrantModel grants, boolean moddatetimeExtension) {
        this.sandbox = sandbox;
        this.name = name;
        this.password = password;
        this.label = label;
        this.created = created;
        this.deadline = deadline;
        this.grants = grants;
        this.moddatetimeExtension = moddatetimeExtension;
        this.output = sandbox.registerOutputGuard();
    }

    /** The database's name, also the name of its login role: {@code sbx_<8 random>_<epoch seconds>}. */
    public String name() {
        return name;
    }

    public String label() {
        return label;
    }

    public Instant created() {
        return created;
    }

    /**
     * The grant model this database was cloned under: whether anon, authenticated and service_role get what user
     * SQL creates in {@code public} without a GRANT ({@link GrantModel#LEGACY}) or not ({@link GrantModel#EXPLICIT}).
     * A proof that depends on grants should say which model it ran under.
     */
    public GrantModel grants() {
        return grants;
    }

    /** When the watchdog cuts off whatever still runs. */
    public Instant deadline() {
        return deadline;
    }

    public Duration remaining() {
        Duration left = Duration.between(Instant.now(), deadline);
        return left.isNegative() ? Duration.ZERO : left;
    }

    /** The server's version, e.g. 170011. */
    public int serverVersionNum() {
        return sandbox.facts().versionNum();
    }

    /**
     * Splits the script ({@link ScriptSplitter}) and runs its statements in order, timing each, until the first
     * error. Never throws for SQL errors: they come back in {@link ScriptResult#error()} with the statement index,
     * the line and column in {@code script}, SQLSTATE, message, detail and hint.
     */
    public ScriptResult apply(String script) {
        requireOpen();
        long started = System.nanoTime();
        List<StatementRun> runs = new ArrayList<>();
        ScriptError error = null;
        SqlStatement openedBy = null;
        List<SqlStatement> statements = ScriptSplitter.split(script);
        try {
            freshSession();
        } catch (SQLException e) {
            SqlStatement first = statements.isEmpty() ? null : statements.get(0);
            if (first != null) {
                return new ScriptResult(runs, scriptError(script, first, SqlError.of(e), null, 0), Sandbox.millisSince(started));
            }
        }
        for (SqlStatement s : statements) {
            if (s.isPsqlMetaCommand()) {
                error = scriptError(script, s, SqlError.client("42601", "psql meta-command " + s.keyword().toLowerCase(java.util.Locale.ROOT)
                        + " is not SQL: the sandbox runs SQL only", "remove psql meta-commands (\\connect, \\i, \\set, …)"), null, 0);
                break;
            }
            if (remaining().isZero()) {
                error = scriptError(script, s, budgetSpent(), Limit.BUDGET_EXHAUSTED, 0);
                break;
            }
            if ("moddatetime".equals(s.createdExtension()) && !moddatetimeExtension) {
                // the admin could not install the extension; the template has an equivalent function instead
                runs.add(new StatementRun(s.index(), s.line(), s.column(), s.firstLine(), s.keyword(), 0, 0,
                        List.of("NOTICE: skipped: this sandbox provides moddatetime as the function"
                                + " extensions.moddatetime() (plpgsql), not as an extension")));
                continue;
            }
            Execution<Counted> run;
            try {
                Connection c = session();
                run = execute(c, st -> count(st, st.execute(s.sql())), null);
            } catch (SQLException e) {
                error = scriptError(script, s, SqlError.of(e), null, 0);
                break;
            }
            if (run.error != null) {
                error = scriptError(script, s, run.sqlError, run.limit, run.millis);
                break;
            }
            runs.add(new StatementRun(s.index(), s.line(), s.column(), s.firstLine(), s.keyword(), run.millis,
                    run.value.rows, run.value.notices));
            TransactionState state = transactionState();
            if (state == TransactionState.IDLE) {
                openedBy = null;
            } else if (openedBy == null) {
                openedBy = s;
            }
        }
        if (transactionState() != TransactionState.IDLE) {
            rollbackQuietly();
            if (error == null && openedBy != null) {
                error = scriptError(script, openedBy, SqlError.client("25000",
                        "the script ended inside the transaction block this statement opened; it was rolled back",
                        "end the block with COMMIT"), null, 0);
            }
        }
        return new ScriptResult(runs, error, Sandbox.millisSince(started));
    }

    /**
     * A query for inspection (catalogs, results), as the runner role, with {@code ?} parameters; at most
     * {@value #MAX_ROWS} rows. Throws {@link SandboxSqlException} on an SQL error.
     */
    public List<Map<String, Object>> query(String sql, Object... params) {
        requireOpen();
        if (remaining().isZero()) {
            throw new SandboxSqlException("query refused", budgetSpent(), Limit.BUDGET_EXHAUSTED, null);
        }
        Execution<Rows> run;
        try {
            run = executePrepared(freshSession(), sql, params);
        } catch (SQLException e) {
            throw new SandboxSqlException("query failed", SqlError.of(e), null, e);
        }
        if (run.error != null) {
            throw new SandboxSqlException("query failed", run.sqlError, run.limit, run.error);
        }
        return run.value.rows();
    }

    /**
     * One statement as {@code role} with these JWT claims ({@code request.jwt.claims}), inside a transaction that
     * is rolled back: the RLS matrix's unit.
     */
    public StatementOutcome asRole(String role, JwtClaims claims, String sql, Object... params) {
        return inRolledBackTransaction(tx -> {
            tx.actAs(role, claims);
            return tx.execute(sql, params);
        });
    }

    /**
     * Runs {@code work} inside one transaction that is always rolled back: fixtures inserted as the runner, then
     * statements as different roles and users ({@link RolledBackTransaction#actAs}). Each
     * {@link RolledBackTransaction#execute} sits in its own savepoint, so an error does not end the transaction.
     */
    public <T> T inRolledBackTransaction(TransactionWork<T> work) {
        requireOpen();
        Connection c;
        try {
            c = freshSession();
            c.setAutoCommit(false);
        } catch (SQLException e) {
            discardSession();
            throw new SandboxException("cannot open a transaction in " + name + ": " + SqlError.of(e).summary(), e);
        }
        try {
            return work.run(new RolledBackTransaction(c));
        } catch (SQLException e) {
            throw new SandboxSqlException("transaction work failed", SqlError.of(e), null, e);
        } finally {
            try {
                c.rollback();
                c.setAutoCommit(true);
            } catch (SQLException e) {
                discardSession();
            }
        }
    }

    /** The body of {@link #inRolledBackTransaction}. */
    @FunctionalInterface
    public interface TransactionWork<T> {
        T run(RolledBackTransaction tx) throws SQLException;
    }

    /** A transaction that will be rolled back; statements run as the runner until {@link #actAs} says otherwise. */
    public final class RolledBackTransaction {
        private final Connection c;

        private RolledBackTransaction(Connection c) {
            this.c = c;
        }

        /**
         * {@code set local role <role>} and {@code set local request.jwt.claims = <claims>} (none: empty), as
         * PostgREST does for a request. Roles: anon, authenticated, service_role, or the runner role.
         */
        public void actAs(String role, JwtClaims claims) throws SQLException {
            try (PreparedStatement st = c.prepareStatement(
                    "select set_config('role', ?, true), set_config('request.jwt.claims', ?, true)")) {
                st.setString(1, role);
                st.setString(2, claims == null ? "" : claims.toJson());
                st.execute();
            }
        }

        /**
         * Runs {@code work} in a savepoint that is rolled back whatever it did, the role and claims it set included:
         * one access case of the RLS matrix, isolated from the next (a successful insert does not stay for it).
         */
        public <T> T undone(TransactionWork<T> work) throws SQLException {
            Savepoint sp = c.setSavepoint();
            try {
                return work.run(this);
            } finally {
                if (!c.isClosed()) {
                    c.rollback(sp);
                }
            }
        }

        /** Back to the runner role (which owns the tables and is not subject to their RLS), claims cleared. */
        public void actAsRunner() throws SQLException {
            actAs(sandbox.settings().runnerRole(), null);
        }

        /**
         * One statement in a savepoint: its rows (or row count), or the error it raised, rolled back to the
         * savepoint. When the session is lost (terminated, or cut off by an output bound) the transaction is gone:
         * a {@link SandboxSqlException} with the error and the limit ends the work.
         */
        public StatementOutcome execute(String sql, Object... params) throws SQLException {
            if (remaining().isZero()) {
                return new StatementOutcome(List.of(), 0, budgetSpent(), Limit.BUDGET_EXHAUSTED, 0);
            }
            Savepoint sp = c.setSavepoint();
            Execution<Rows> run = executePrepared(c, sql, params);
            if (run.error != null) {
                if (isConnectionLost(run.error) || c.isClosed()) {
                    throw new SandboxSqlException("statement failed and ended the transaction", run.sqlError,
                            run.limit, run.error);
                }
                c.rollback(sp);
                return new StatementOutcome(List.of(), 0, run.sqlError, run.limit, run.millis);
            }
            c.releaseSavepoint(sp);
            return new StatementOutcome(run.value.rows(), run.value.count(), null, null, run.millis);
        }
    }

    /**
     * Drops the database and its login role, terminating its connections (also a statement still running in
     * another thread), and gives its place back to the sandbox ({@link SandboxSettings#maxConcurrentSteps()}).
     * Idempotent.
     */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        Connection c = connection;
        connection = null;
        if (c != null) {
            try {
                if (busy) {
                    c.abort(Runnable::run);
                } else {
                    c.close();
                }
            } catch (SQLException e) {
                LOG.log(Level.DEBUG, "closing the session of " + name + ": " + e.getMessage());
            }
        }
        output.close();
        try {
            sandbox.drop(name);
        } finally {
            sandbox.releaseStep();
        }
    }

    // --- package-private hooks for tests ----------------------------------------------------------------------

    /** A connection as this database's login role to another database (to prove it is refused). */
    Connection connectAsRunner(String database) throws SQLException {
        return sandbox.connectAsRunner(database, name, password, output);
    }

    /** Off: the watchdog skips its cancel stage, to prove the terminate stage. */
    void watchdogCancels(boolean on) {
        watchdogCancels = on;
    }

    /**
     * Off: the next session reads the server's output unfiltered (only pgjdbc's maxResultBuffer holds), to prove
     * that the bounds come from the filter. Closes the current session.
     */
    void outputFiltering(boolean on) {
        output.filtering(on);
        discardSession();
    }

    OutputGuard outputGuard() {
        return output;
    }

    // --- execution --------------------------------------------------------------------------------------------

    private record Rows(List<Map<String, Object>> rows, long count) {
    }

    private record Counted(long rows, List<String> notices) {
    }

    /** A statement's value, or its error as the server (or the sandbox's bounds) reported it and the limit that cut it. */
    private record Execution<T>(T value, SQLException error, SqlError sqlError, Limit limit, long millis) {
    }

    @FunctionalInterface
    private interface Body<T> {
        T run(Statement st) throws SQLException;
    }

    /** Runs one statement under the watchdog; SQL errors are returned, not thrown. */
    private <T> Execution<T> execute(Connection c, Body<T> body, PreparedStatement prepared) throws SQLException {
        Statement st = prepared != null ? prepared : c.createStatement();
        try {
            if (prepared == null) {
                st.setEscapeProcessing(false);
            }
            st.setMaxRows(MAX_ROWS);
            int pid = backendPid;
            Watchdog.Guard guard = sandbox.watchdog().watch(deadline, new Watchdog.Actions() {
                @Override
                public void cancel() throws SQLException {
                    if (watchdogCancels) {
                        st.cancel();
                    }
                }

                @Override
                public void terminate() throws SQLException {
                    sandbox.terminateBackend(pid);
                }

                @Override
                public void abort() throws SQLException {
                    c.abort(Runnable::run);
                }
            });
            long started = System.nanoTime();
            busy = true;
            output.beginStatement();
            try {
                T value = body.run(st);
                return new Execution<>(value, null, null, null, Sandbox.millisSince(started));
            } catch (SQLException e) {
                SqlError error = errorOf(e);
                Limit limit = isOutputCut(e) ? Limit.OUTPUT_LIMIT : classify(error, guard.fired());
                Execution<T> failed = new Execution<>(null, e, error, limit, Sandbox.millisSince(started));
                try {
                    if (isConnectionLost(e) || isOutputCut(e) || c.isClosed()) {
                        discardSession();
                    } else if (c.getAutoCommit() && transactionState() != TransactionState.IDLE) {
                        rollbackQuietly();
                    }
                } catch (SQLException cleanup) {
                    discardSession();
                }
                return failed;
            } finally {
                busy = false;
                guard.close();
            }
        } finally {
            try {
                st.close();
            } catch (SQLException e) {
                LOG.log(Level.DEBUG, "closing a statement: " + e.getMessage());
            }
        }
    }

    private Execution<Rows> executePrepared(Connection c, String sql, Object... params) throws SQLException {
        PreparedStatement ps = c.prepareStatement(sql);
        return execute(c, st -> {
            for (int i = 0; i < params.length; i++) {
                ps.setObject(i + 1, params[i]);
            }
            if (ps.execute()) {
                try (ResultSet rs = ps.getResultSet()) {
                    List<Map<String, Object>> rows = rows(rs);
                    return new Rows(rows, rows.size());
                }
            }
            return new Rows(List.of(), Math.max(0, ps.getLargeUpdateCount()));
        }, ps);
    }

    private Counted count(Statement st, boolean isResultSet) throws SQLException {
        long rows = 0;
        boolean rs = isResultSet;
        while (true) {
            if (rs) {
                try (ResultSet r = st.getResultSet()) {
                    while (r.next()) {
                        rows++;
                    }
                }
            } else {
                long updated = st.getLargeUpdateCount();
                if (updated == -1) {
                    break;
                }
                rows += updated;
            }
            rs = st.getMoreResults();
        }
        return new Counted(rows, notices(st.getWarnings()));
    }

    /** The statement's notices up to the bound, each at most {@link SqlError#MAX_TEXT} characters, and how many were dropped. */
    private List<String> notices(SQLWarning first) {
        int keep = output.limits().maxNotices();
        List<String> out = new ArrayList<>();
        long beyond = 0;
        for (SQLWarning w = first; w != null; w = w.getNextWarning()) {
            if (out.size() == keep) {
                beyond++;
                continue;
            }
            String severity = w instanceof PSQLWarning p && p.getServerErrorMessage() != null
                    ? p.getServerErrorMessage().getSeverity() : "WARNING";
            out.add(SqlError.bounded(severity + ": " + w.getMessage()));
        }
        long dropped = beyond + output.droppedNotices();
        if (dropped > 0) {
            out.add("… and " + dropped + " more notices dropped (the sandbox keeps " + keep + " per statement)");
        }
        return out;
    }

    private static List<Map<String, Object>> rows(ResultSet rs) throws SQLException {
        ResultSetMetaData md = rs.getMetaData();
        List<Map<String, Object>> out = new ArrayList<>();
        while (rs.next()) {
            Map<String, Object> row = new LinkedHashMap<>();
            for (int i = 1; i <= md.getColumnCount(); i++) {
                row.put(md.getColumnLabel(i), value(rs.getObject(i)));
            }
            out.add(row);
        }
        return out;
    }

    private static Object value(Object v) throws SQLException {
        if (v instanceof PGobject o) {
            return o.getValue();
        }
        if (v instanceof Array a) {
            Object[] items = (Object[]) a.getArray();
            List<Object> list = new ArrayList<>(items.length);
            for (Object item : items) {
                list.add(value(item));
            }
            return list;
        }
        return v;
    }

    /**
     * The error of a failed statement (run by {@link #execute}, after {@link OutputGuard#beginStatement()}): what the
     * sandbox cut off (SQLSTATE 54000, the bound and by how much) when its output guard stopped reading, the driver's
     * maxResultBuffer refusal in the same terms, else the server's error.
     */
    private SqlError errorOf(SQLException e) {
        OutputCut cut = output.cut();
        if (cut != null) {
            return cut.toSqlError();
        }
        if (isResultBufferExceeded(e)) {
            return OutputCut.driverRefusal(output.limits().maxResultBytes(), e.getMessage());
        }
        return SqlError.of(e);
    }

    /** The output guard cut the statement off, or pgjdbc refused a result beyond maxResultBuffer. */
    private boolean isOutputCut(SQLException e) {
        return output.cut() != null || isResultBufferExceeded(e);
    }

    /**
     * pgjdbc 42.7 throws this mid-message without marking the connection broken, and then reads the rest of the
     * row as messages: the session cannot be trusted afterwards and is discarded.
     */
    private static boolean isResultBufferExceeded(SQLException e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            // the property's name, which pgjdbc's translated messages keep whatever the JVM's locale
            if (t.getMessage() != null && t.getMessage().contains("maxResultBuffer")) {
                return true;
            }
            if (t instanceof SQLException s && s.getNextException() != null && isResultBufferExceeded(s.getNextException())) {
                return true;
            }
        }
        return false;
    }

    static Limit classify(SqlError e, Watchdog.Stage stage) {
        if (stage == Watchdog.Stage.TERMINATE || stage == Watchdog.Stage.ABORT) {
            return Limit.WATCHDOG_TERMINATE;
        }
        String state = e.sqlState() == null ? "" : e.sqlState();
        String message = e.message() == null ? "" : e.message();
        if (state.equals("57014")) {
            return stage == Watchdog.Stage.CANCEL ? Limit.WATCHDOG_CANCEL : Limit.STATEMENT_TIMEOUT;
        }
        if (state.equals("55P03") && message.contains("lock timeout")) {
            return Limit.LOCK_TIMEOUT;
        }
        if (state.equals("53400") && message.contains("temp_file_limit")) {
            return Limit.TEMP_FILE_LIMIT;
        }
        if (state.equals("25P03")) {
            return Limit.IDLE_IN_TRANSACTION_TIMEOUT;
        }
        return null;
    }

    // --- the session ------------------------------------------------------------------------------------------

    /** The session at the start of a call: whatever role the last script left it in, calls start as the runner. */
    private Connection freshSession() throws SQLException {
        Connection c = session();
        if (c.getAutoCommit() && transactionState() == TransactionState.IDLE) {
            Sandbox.exec(c, "set role " + Sandbox.ident(sandbox.settings().runnerRole()));
        }
        return c;
    }

    /** The session, opened on first use and again after a lost connection. */
    private Connection session() throws SQLException {
        if (closed) {
            throw new SQLException("sandbox database " + name + " was closed while in use", "08003");
        }
        if (connection == null || connection.isClosed()) {
            Connection c = sandbox.connectAsRunner(name, name, password, output);
            try (Statement st = c.createStatement();
                 ResultSet rs = st.executeQuery("select pg_backend_pid()")) {
                rs.next();
                backendPid = rs.getInt(1);
            }
            connection = c;
        }
        return connection;
    }

    private TransactionState transactionState() {
        Connection c = connection;
        if (c == null) {
            return TransactionState.IDLE;
        }
        try {
            return c.unwrap(BaseConnection.class).getTransactionState();
        } catch (SQLException e) {
            return TransactionState.IDLE;
        }
    }

    private void rollbackQuietly() {
        Connection c = connection;
        if (c == null) {
            return;
        }
        try (Statement st = c.createStatement()) {
            st.execute("rollback");
        } catch (SQLException e) {
            discardSession();
        }
    }

    private void discardSession() {
        Connection c = connection;
        connection = null;
        if (c != null) {
            try {
                c.abort(Runnable::run);
            } catch (SQLException e) {
                LOG.log(Level.DEBUG, "discarding the session of " + name + ": " + e.getMessage());
            }
        }
    }

    private static boolean isConnectionLost(SQLException e) {
        String state = e.getSQLState();
        return state != null && (state.startsWith("08") || state.startsWith("57P") || state.equals("25P03"));
    }

    private void requireOpen() {
        if (closed) {
            throw new IllegalStateException("sandbox database " + name + " is closed");
        }
    }

    private SqlError budgetSpent() {
        return SqlError.client("57014", "the step's budget of " + Duration.between(created, deadline).toSeconds()
                + " s is spent: statement not run", "split the work or give the step a larger budget");
    }

    private static ScriptError scriptError(String script, SqlStatement s, SqlError e, Limit limit, long millis) {
        ScriptLocation at = s.locate(script, e.position());
        return new ScriptError(s.index(), at.line(), at.column(), s.firstLine(), e, limit, millis);
    }

    @Override
    public String toString() {
        return "SandboxDatabase[" + name + ", " + label + "]";
    }
}
