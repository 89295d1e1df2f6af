package dev.backendteam.sandbox;

import java.io.IOException;
import java.io.InputStream;
import java.lang.System.Logger.Level;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.SQLWarning;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The sandbox server, seen through its admin connection: prepares the roles and the template
 * ({@link #prepare()}), creates a disposable database per step ({@link #create(String)}), and sweeps leftovers
 * ({@link #sweep()}).
 *
 * <p>Layout on the server (names from {@link SandboxSettings}):
 * <ul>
 *   <li>roles {@code anon}, {@code authenticated}, {@code service_role} (BYPASSRLS) as on Supabase, and the
 *   NOLOGIN runner role ({@code sandbox_runner}) that owns what user SQL creates and may {@code SET ROLE} to the
 *   three;</li>
 *   <li>a template database per {@link GrantModel} ({@code <templateName>_explicit}, {@code <templateName>_legacy})
 *   with the Supabase shims ({@code template.sql}, plus {@code grants-legacy.sql} for the legacy model), cloned by
 *   {@code CREATE DATABASE … TEMPLATE}, not connectable. {@link #prepare()} builds the settings' model; the other
 *   one is built the first time a database of that model is created;</li>
 *   <li>per step, a database {@code sbx_<8 random>_<epoch seconds>} owned by the admin and a login role of the same
 *   name: member of the runner role, no other privilege than CONNECT on its own database, with the timeouts,
 *   {@code temp_file_limit} and a connection limit as role settings. Its sessions {@code SET ROLE} to the runner
 *   role. Each step having its own login role, steps cannot see or signal each other's backends.</li>
 * </ul>
 *
 * <p>Thread-safe: every admin operation opens its own short connection.
 */
public final class Sandbox implements AutoCloseable {
    static final String NAME_PREFIX = "sbx_";
    static final Pattern SANDBOX_NAME = Pattern.compile("sbx_[a-z0-9]{8}_([0-9]{9,12})");
    private static final String SANDBOX_NAME_SQL = "^sbx_[a-z0-9]{8}_[0-9]{9,12}$";
    private static final List<String> API_ROLES = List.of("anon", "authenticated", "service_role");
    /** Superuser-only settings pinned on every login role so that user SQL cannot write the server log. */
    private static final List<String> LOG_LEVEL_SETTINGS = List.of("log_min_messages", "log_min_error_statement");
    private static final long PREPARE_LOCK = 0x0b7ea3_5a4db0L;
    private static final String MARKER_PREFIX = "backend-team sandbox template ";
    private static final String APPLICATION_NAME = "backend-team-sandbox-admin";
    private static final System.Logger LOG = System.getLogger(Sandbox.class.getName());
    private static final SecureRandom RANDOM = new SecureRandom();
    /**
     * How often a backend running a long statement checks that its client is still there (PostgreSQL 14+): if the
     * service dies, its watchdog dies with it, and a statement that lifted statement_timeout stops within this
     * interval instead of running until the janitor drops the database.
     */
    static final Duration CLIENT_CHECK = Duration.ofSeconds(2);

    private final SandboxSettings settings;
    private final JdbcUrl url;
    private final String maintenanceDatabase;
    private final Watchdog watchdog;
    private volatile ServerFacts facts;
    /** The templates this instance has checked or built; a template dropped behind its back is rebuilt on 3D000. */
    private final Map<GrantModel, TemplateFacts> templates = new ConcurrentHashMap<>();
    private ScheduledFuture<?> janitor;
    /** One permit per sandbox database this instance may keep open ({@link SandboxSettings#maxConcurrentSteps()}). */
    private final Semaphore steps;
    private final java.util.concurrent.atomic.AtomicLong stepsReleased = new java.util.concurrent.atomic.AtomicLong();

    /** What prepare() learnt about the server and the admin; create() and the runner connections rely on it. */
    record ServerFacts(int versionNum, String version, boolean superuser, boolean tempFileLimitSettable,
            boolean logLevelsSettable) {
        boolean forceDrop() {
            return versionNum >= 130000;
        }
    }

    /** What a template holds beyond its SQL, as built with the admin's privileges; kept in its comment. */
    private record TemplateFacts(boolean rebuilt, boolean moddatetimeExtension, boolean extensionGuard,
                                 List<String> missing) {
        String flags(GrantModel model) {
            return "grants=" + model.wire() + " moddatetime=" + (moddatetimeExtension ? "extension" : "function")
                    + " guard=" + (extensionGuard ? "on" : "off") + " missing=" + String.join(",", missing);
        }

        static TemplateFacts parse(String comment) {
            Matcher m = Pattern.compile("missing=(\\S*)").matcher(comment);
            List<String> missing = m.find() && !m.group(1).isEmpty() ? List.of(m.group(1).split(",")) : List.of();
            return new TemplateFacts(false, comment.contains("moddatetime=extension"), comment.contains("guard=on"), missing);
        }
    }

    static final String MODDATETIME_EXTENSION = "extension moddatetime (schema extensions)";
    static final String MODDATETIME_FUNCTION = "function extensions.moddatetime() (plpgsql equivalent)";

    public Sandbox(SandboxSettings settings) {
        this.settings = settings;
        this.url = JdbcUrl.parse(settings.adminUrl());
        this.maintenanceDatabase = url.database().isEmpty() ? settings.adminUser() : url.database();
        this.watchdog = new Watchdog(settings.watchdogGrace());
        this.steps = new Semaphore(settings.maxConcurrentSteps(), true);
    }

    public SandboxSettings settings() {
        return settings;
    }

    /**
     * Makes the server ready, idempotently: checks the version, creates the roles, (re)builds the template of the
     * settings' grant model when it is missing or was built from other shims, revokes CONNECT from PUBLIC on every
     * other database, and sweeps leftovers older than the janitor bound. A second call does a handful of catalog
     * reads. Serialised across instances and processes by an advisory lock on the server.
     */
    public synchronized PrepareReport prepare() {
        long started = System.nanoTime();
        List<String> limitations = new ArrayList<>();
        GrantModel model = settings.grants();
        try (Connection c = admin(maintenanceDatabase)) {
            exec(c, "select pg_advisory_lock(" + PREPARE_LOCK + ")");
            ServerFacts found = inspect(c, limitations);
            ensureRoles(c, found, limitations);
            TemplateFacts template = ensureTemplate(c, found, model, limitations);
            if (settings.revokeConnectFromPublic()) {
                revokeConnectFromPublic(c, limitations);
            }
            SweepReport swept = sweep(c, settings.janitorBound());
            facts = found;
            templates.put(model, template);
            limitations.forEach(l -> LOG.log(Level.WARNING, "sandbox limitation: " + l));
            return new PrepareReport(found.versionNum(), found.version(), found.superuser(), template.rebuilt(),
                    template.moddatetimeExtension() ? MODDATETIME_EXTENSION : MODDATETIME_FUNCTION, limitations, swept,
                    millisSince(started), model, settings.templateDatabase(model));
        } catch (SQLException e) {
            throw new SandboxException("cannot prepare the sandbox server at " + redacted() + ": " + SqlError.of(e).summary(), e);
        }
    }

    /** A fresh database for one step, with the default step budget and grant model. Close it when the step ends. */
    public SandboxDatabase create(String label) {
        return create(label, settings.stepBudget());
    }

    /** A fresh database for one step under the settings' grant model; see {@link #create(String, Duration, GrantModel)}. */
    public SandboxDatabase create(String label, Duration budget) {
        return create(label, budget, settings.grants());
    }

    /**
     * A fresh database for one step, cloned from the template of {@code grants}, reachable only by its own login
     * role. The template of a model other than the settings' is built on first use (under the same lock as
     * {@link #prepare()}). The watchdog cancels whatever statement is still running when {@code budget} has
     * passed; later calls are refused.
     *
     * <p>At most {@link SandboxSettings#maxConcurrentSteps()} databases of this instance are open at once: a create
     * beyond that waits, first come first served, for one to close. It waits as long as the queue moves; when no
     * database of this instance closed for one step budget plus two watchdog graces (every open step ends by then,
     * its watchdog sees to it — unless a caller never closes its database), it fails with a message that names the
     * bound.
     */
    public SandboxDatabase create(String label, Duration budget, GrantModel grants) {
        acquireStep();
        try {
            return createHoldingPermit(label, budget, grants);
        } catch (RuntimeException | Error e) {
            steps.release();
            throw e;
        }
    }

    private void acquireStep() {
        Duration window = settings.stepBudget().plus(settings.watchdogGrace().multipliedBy(2));
        try {
            long seen = stepsReleased.get();
            while (!steps.tryAcquire(window.toMillis(), TimeUnit.MILLISECONDS)) {
                long now = stepsReleased.get();
                if (now == seen) {
                    throw new SandboxException("all " + settings.maxConcurrentSteps() + " sandbox databases of this"
                            + " service stayed in use for " + window.toSeconds() + " s, none closed ("
                            + steps.getQueueLength() + " more steps waiting): a step does not end; raise "
                            + SandboxSettings.ENV_PREFIX + "MAX_CONCURRENT_STEPS if the server has the connection"
                            + " slots, or run fewer steps at once");
                }
                seen = now; // the queue moves: keep our place
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new SandboxException("interrupted while waiting for a free sandbox database", e);
        }
    }

    /** Called once by {@link SandboxDatabase#close()}, after the drop. */
    void releaseStep() {
        stepsReleased.incrementAndGet();
        steps.release();
    }

    private SandboxDatabase createHoldingPermit(String label, Duration budget, GrantModel grants) {
        ServerFacts f = ensurePrepared();
        TemplateFacts template = ensureTemplate(grants);
        Instant created = Instant.now();
        String name = NAME_PREFIX + randomName() + "_" + created.getEpochSecond();
        String password = randomPassword();
        String role = ident(name);
        String runner = ident(settings.runnerRole());
        try (Connection c = admin(maintenanceDatabase)) {
            try {
                exec(c, "create role " + role + " login password " + literal(password)
                        + " nosuperuser nocreatedb nocreaterole noreplication nobypassrls noinherit connection limit "
                        + settings.connectionLimit());
                StringBuilder defaults = new StringBuilder()
                        .append("alter role ").append(role).append(" set statement_timeout = ").append(ms(settings.statementTimeout())).append(";")
                        .append("alter role ").append(role).append(" set lock_timeout = ").append(ms(settings.lockTimeout())).append(";")
                        .append("alter role ").append(role).append(" set idle_in_transaction_session_timeout = ")
                        .append(ms(settings.idleInTransactionTimeout())).append(";")
                        .append("alter role ").append(role).append(" set search_path = \"$user\", public, extensions;")
                        .append("alter role ").append(role).append(" set client_connection_check_interval = ")
                        .append(ms(CLIENT_CHECK)).append(";")
                        .append("grant ").append(runner).append(" to ").append(role).append(";");
                if (f.tempFileLimitSettable()) {
                    defaults.append("alter role ").append(role).append(" set temp_file_limit = ").append(literal(settings.tempFileLimit())).append(";");
                }
                if (f.logLevelsSettable()) {
                    // RAISE LOG in a loop, debug_print_plan, trace_sort: user SQL must not write the server's log
                    // (a disk-filling flood, and other tenants' data in the operator's log). Errors reach the step.
                    for (String level : LOG_LEVEL_SETTINGS) {
                        defaults.append("alter role ").append(role).append(" set ").append(level).append(" = fatal;");
                    }
                }
                if (!f.superuser()) {
                    // lets a CREATEROLE admin terminate the role's backends when it drops the database
                    defaults.append("grant ").append(role).append(" to current_user;");
                }
                exec(c, defaults.toString());
                template = createDatabase(c, name, grants, template);
                exec(c, "revoke all on database " + role + " from public;"
                        + "grant connect on database " + role + " to " + role + ";"
                        + "grant create, temporary on database " + role + " to " + runner + ";"
                        // no label here: every role on the server reads every database's comment
                        + "comment on database " + role + " is 'backend-team sandbox step'");
                LOG.log(Level.DEBUG, () -> "sandbox database " + name + " for " + cleanLabel(label));
            } catch (SQLException e) {
                dropQuietly(name);
                throw new SandboxException("cannot create sandbox database " + name + ": " + SqlError.of(e).summary(), e);
            }
        } catch (SQLException e) {
            throw new SandboxException("cannot reach the sandbox server at " + redacted() + ": " + SqlError.of(e).summary(), e);
        }
        return new SandboxDatabase(this, name, password, label, created, created.plus(budget), grants,
                template.moddatetimeExtension());
    }

    /** Drops sandbox databases (and their roles) older than the janitor bound. */
    public SweepReport sweep() {
        return sweep(settings.janitorBound());
    }

    /**
     * Drops sandbox databases whose name says they were created more than {@code olderThan} ago, with their login
     * roles, and login roles left without a database. Databases of live steps are younger than any sane bound.
     */
    public SweepReport sweep(Duration olderThan) {
        try (Connection c = admin(maintenanceDatabase)) {
            if (settings.revokeConnectFromPublic()) {
                revokeConnectFromPublic(c, new ArrayList<>());
            }
            return sweep(c, olderThan);
        } catch (SQLException e) {
            throw new SandboxException("janitor cannot reach the sandbox server at " + redacted() + ": " + e.getMessage(), e);
        }
    }

    /** Runs {@link #sweep()} every {@code period} until {@link #close()}; failures are logged, not thrown. */
    public synchronized void scheduleSweeps(Duration period) {
        if (janitor != null) {
            janitor.cancel(false);
        }
        janitor = watchdog.scheduleAtFixedRate(() -> {
            try {
                SweepReport r = sweep();
                if (!r.droppedDatabases().isEmpty() || !r.failures().isEmpty()) {
                    LOG.log(Level.INFO, "sandbox janitor dropped " + r.droppedDatabases() + ", failures " + r.failures());
                }
            } catch (RuntimeException e) {
                LOG.log(Level.WARNING, "sandbox janitor failed: " + e.getMessage());
            }
        }, period);
    }

    /** Stops the watchdog and the janitor. Databases still open are left to their owners (and to the janitor). */
    @Override
    public synchronized void close() {
        if (janitor != null) {
            janitor.cancel(false);
        }
        watchdog.close();
    }

    // --- package-private: used by SandboxDatabase ---------------------------------------------------------------

    Watchdog watchdog() {
        return watchdog;
    }

    ServerFacts facts() {
        return ensurePrepared();
    }

    /** A guard for one sandbox database's connections, with the settings' bounds and the admin URL's socket factory. */
    OutputGuard registerOutputGuard() {
        OutputGuard g = OutputGuard.register(OutputLimits.of(settings));
        String factory = url.parameter("socketFactory");
        if (factory != null && !factory.isEmpty()) {
            g.delegate(factory, url.parameter("socketFactoryArg"));
        }
        return g;
    }

    /**
     * Opens a connection as a sandbox database's login role, with the limits as startup options, and its output
     * read through the guard's bounds ({@link BoundedSocketFactory}; pgjdbc's {@code maxResultBuffer} as well, the
     * only bound left on an encrypted connection).
     */
    Connection connectAsRunner(String database, String role, String password, OutputGuard guard) throws SQLException {
        Properties p = new Properties();
        p.setProperty("socketFactory", BoundedSocketFactory.class.getName());
        p.setProperty("socketFactoryArg", guard.key());
        p.setProperty("maxResultBuffer", Long.toString(guard.limits().maxResultBytes()));
        if (url.parameter("sslmode") == null && url.parameter("ssl") == null) {
            // pgjdbc's default, prefer, would encrypt wherever the server can (Debian's clusters can), and the output
            // filter frames plain text only: plain unless the server insists. An sslmode in the admin URL wins.
            p.setProperty("sslmode", "allow");
        }
        p.setProperty("user", role);
        p.setProperty("password", password);
        p.setProperty("ApplicationName", "backend-team-sandbox");
        p.setProperty("connectTimeout", "10");
        // no server-side prepared statements: user DDL would invalidate them ("cached plan must not change result type")
        p.setProperty("prepareThreshold", "0");
        // Startup options win over role settings the user may have changed with ALTER ROLE … SET.
        p.setProperty("options", "-c statement_timeout=" + settings.statementTimeout().toMillis()
                + " -c lock_timeout=" + settings.lockTimeout().toMillis()
                + " -c idle_in_transaction_session_timeout=" + settings.idleInTransactionTimeout().toMillis()
                + " -c search_path=\"$user\",public,extensions"
                + " -c client_connection_check_interval=" + CLIENT_CHECK.toMillis());
        return DriverManager.getConnection(url.forRunner(database), p);
    }

    /** pg_terminate_backend through the admin: the watchdog's second stage. */
    void terminateBackend(int pid) throws SQLException {
        try (Connection c = admin(maintenanceDatabase);
             PreparedStatement st = c.prepareStatement("select pg_terminate_backend(?)")) {
            st.setInt(1, pid);
            st.execute();
        }
    }

    /** Drops a sandbox database (terminating its connections) and its login role. */
    void drop(String name) {
        try (Connection c = admin(maintenanceDatabase)) {
            dropDatabaseAndRole(c, name, ensurePrepared());
        } catch (SQLException e) {
            throw new SandboxException("cannot drop sandbox database " + name + " (the janitor will retry): "
                    + SqlError.of(e).summary(), e);
        }
    }

    Connection admin(String database) throws SQLException {
        Properties p = new Properties();
        p.setProperty("user", settings.adminUser());
        p.setProperty("password", settings.adminPassword());
        p.setProperty("ApplicationName", APPLICATION_NAME);
        p.setProperty("connectTimeout", "10");
        return DriverManager.getConnection(url.forAdmin(database), p);
    }

    // --- preparation ------------------------------------------------------------------------------------------

    private ServerFacts ensurePrepared() {
        ServerFacts f = facts;
        if (f == null) {
            prepare();
            f = facts;
        }
        return f;
    }

    /** The template of {@code model}: known to this instance, or checked (and built if need be) under the lock. */
    private TemplateFacts ensureTemplate(GrantModel model) {
        TemplateFacts known = templates.get(model);
        if (known != null) {
            return known;
        }
        synchronized (this) {
            known = templates.get(model);
            if (known != null) {
                return known;
            }
            ServerFacts f = ensurePrepared(); // before taking the lock: prepare() takes it on its own connection
            known = templates.get(model);
            if (known != null) {
                return known;
            }
            List<String> limitations = new ArrayList<>();
            try (Connection c = admin(maintenanceDatabase)) {
                exec(c, "select pg_advisory_lock(" + PREPARE_LOCK + ")");
                TemplateFacts t = ensureTemplate(c, f, model, limitations);
                limitations.forEach(l -> LOG.log(Level.WARNING, "sandbox limitation (" + model.wire() + " template): " + l));
                templates.put(model, t);
                return t;
            } catch (SQLException e) {
                throw new SandboxException("cannot prepare the " + model.wire() + " sandbox template at " + redacted()
                        + ": " + SqlError.of(e).summary(), e);
            }
        }
    }

    private ServerFacts inspect(Connection c, List<String> limitations) throws SQLException {
        int versionNum;
        String version;
        boolean superuser;
        boolean createdb;
        boolean createrole;
        try (Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("select current_setting('server_version_num')::int, current_setting('server_version'),"
                     + " rolsuper, rolcreatedb, rolcreaterole from pg_roles where rolname = current_user")) {
            rs.next();
            versionNum = rs.getInt(1);
            version = rs.getString(2);
            superuser = rs.getBoolean(3);
            createdb = rs.getBoolean(4);
            createrole = rs.getBoolean(5);
        }
        int major = versionNum / 10000;
        if (major != settings.pgVersion()) {
            throw new SandboxException("the sandbox is configured for PostgreSQL " + settings.pgVersion()
                    + " but the server at " + redacted() + " runs " + version
                    + ": point the admin URL at a " + settings.pgVersion() + " server or change the version setting");
        }
        if (!superuser && !(createdb && createrole)) {
            throw new SandboxException("the sandbox admin " + settings.adminUser()
                    + " needs SUPERUSER, or CREATEDB and CREATEROLE, on " + redacted());
        }
        boolean tempFileLimitSettable = superuser
                || (versionNum >= 150000 && bool(c, "select has_parameter_privilege('temp_file_limit', 'SET')"));
        if (!tempFileLimitSettable) {
            limitations.add("temp_file_limit cannot be set on the runner roles: the admin is no superuser"
                    + (versionNum >= 150000 ? " and lacks GRANT SET ON PARAMETER temp_file_limit" : "")
                    + "; runaway queries are cut off by statement_timeout and the watchdog only");
        }
        boolean logLevelsSettable = superuser || versionNum >= 150000;
        for (String level : LOG_LEVEL_SETTINGS) {
            logLevelsSettable = logLevelsSettable
                    && (superuser || bool(c, "select has_parameter_privilege('" + level + "', 'SET')"));
        }
        if (!logLevelsSettable) {
            limitations.add("log_min_messages cannot be set on the runner roles: the admin is no superuser"
                    + (versionNum >= 150000 ? " and lacks GRANT SET ON PARAMETER log_min_messages, log_min_error_statement" : "")
                    + "; user SQL can write the server log (RAISE LOG) until its statement is cut off");
        }
        return new ServerFacts(versionNum, version, superuser, tempFileLimitSettable, logLevelsSettable);
    }

    private void ensureRoles(Connection c, ServerFacts f, List<String> limitations) throws SQLException {
        Map<String, boolean[]> existing = new LinkedHashMap<>();
        try (PreparedStatement st = c.prepareStatement(
                "select rolname, rolbypassrls, rolsuper, rolcanlogin, rolcreatedb, rolcreaterole, rolreplication"
                        + " from pg_roles where rolname = any(?)")) {
            List<String> names = new ArrayList<>(API_ROLES);
            names.add(settings.runnerRole());
            st.setArray(1, c.createArrayOf("text", names.toArray()));
            try (ResultSet rs = st.executeQuery()) {
                while (rs.next()) {
                    existing.put(rs.getString(1), new boolean[] {rs.getBoolean(2), rs.getBoolean(3), rs.getBoolean(4),
                            rs.getBoolean(5), rs.getBoolean(6), rs.getBoolean(7)});
                }
            }
        }
        for (String role : List.of("anon", "authenticated")) {
            if (!existing.containsKey(role)) {
                exec(c, "create role " + role + " nologin noinherit");
            }
        }
        boolean[] service = existing.get("service_role");
        if (service == null) {
            exec(c, "create role service_role nologin noinherit" + (f.superuser() ? " bypassrls" : ""));
        } else if (!service[0] && f.superuser()) {
            exec(c, "alter role service_role bypassrls");
        }
        if (!f.superuser() && (service == null || !service[0])) {
            limitations.add("service_role has no BYPASSRLS: only a superuser admin can grant it");
        }
        String runner = ident(settings.runnerRole());
        boolean[] r = existing.get(settings.runnerRole());
        if (r == null) {
            exec(c, "create role " + runner + " nologin noinherit nosuperuser nocreatedb nocreaterole noreplication nobypassrls");
        } else if (r[0] || r[1] || r[2] || r[3] || r[4] || r[5]) {
            if (!f.superuser()) {
                throw new SandboxException("role " + settings.runnerRole()
                        + " exists with privileges a sandbox runner must not have, and the admin is no superuser to remove them");
            }
            exec(c, "alter role " + runner + " nologin nosuperuser nocreatedb nocreaterole noreplication nobypassrls");
        }
        exec(c, "grant anon, authenticated, service_role to " + runner);
        if (!f.superuser()) {
            // ALTER DEFAULT PRIVILEGES FOR ROLE runner needs the admin to be a member
            exec(c, "grant " + runner + " to current_user");
        }
    }

    /**
     * Builds the template of {@code model} unless one built from the same shims and settings exists. What depends on
     * the admin's privileges is attempted, not predicted: untrusted allowed extensions (moddatetime) and the
     * allow-list guard (an event trigger) need a superuser — or a managed service's equivalent — and their outcome
     * is kept in the template's comment, so every later prepare() reports the same limitations.
     *
     * <p>The caller holds the advisory lock. The template is built under a temporary name and renamed into place
     * when complete, so a concurrent {@code CREATE DATABASE … TEMPLATE} never clones a half-built one: it finds the
     * old template, or none (3D000, and {@link #createDatabase} waits for this lock and retries).
     */
    private TemplateFacts ensureTemplate(Connection c, ServerFacts f, GrantModel model, List<String> limitations)
            throws SQLException {
        Map<String, Boolean> available = availableExtensions(c);
        Set<String> preinstall = new LinkedHashSet<>();
        for (String ext : settings.preinstalledExtensions()) {
            if (available.containsKey(ext)) {
                preinstall.add(ext);
            } else {
                limitations.add("extension " + ext + " is not available on the server; it is not pre-installed");
            }
        }
        // untrusted: the runner could never create one, so the admin installs it up front (if it may)
        List<String> untrusted = new ArrayList<>();
        for (String ext : settings.allowedExtensions()) {
            Boolean trusted = available.get(ext);
            if (trusted == null && !ext.equals("moddatetime")) {
                limitations.add("allowed extension " + ext + " is not available on the server");
            } else if (Boolean.FALSE.equals(trusted) && !preinstall.contains(ext)) {
                untrusted.add(ext);
            }
        }
        StringBuilder base = new StringBuilder(resource("template.sql"));
        for (String ext : preinstall) {
            base.append("\ncreate extension if not exists ").append(ident(ext)).append(" with schema extensions;");
        }
        if (model == GrantModel.LEGACY) {
            base.append('\n').append(resource("grants-legacy.sql"));
        }
        String runner = ident(settings.runnerRole());
        String baseSql = base.toString().replace("{{runner}}", runner);
        String fallbackSql = resource("moddatetime-fallback.sql").replace("{{runner}}", runner);
        String guardSql = resource("extension-guard.sql").replace("{{allowed}}", textArray(settings.allowedExtensions()));
        String marker = MARKER_PREFIX + sha256(String.join("\n", baseSql, fallbackSql, guardSql,
                String.join(",", untrusted), "superuser=" + f.superuser())).substring(0, 16);

        String template = settings.templateDatabase(model);
        String current = null;
        boolean exists = false;
        try (PreparedStatement st = c.prepareStatement(
                "select shobj_description(oid, 'pg_database') from pg_database where datname = ?")) {
            st.setString(1, template);
            try (ResultSet rs = st.executeQuery()) {
                if (rs.next()) {
                    exists = true;
                    current = rs.getString(1);
                }
            }
        }
        if (current != null && current.startsWith(marker)) {
            TemplateFacts kept = TemplateFacts.parse(current);
            limitations.addAll(templateLimitations(kept));
            return kept;
        }
        LOG.log(Level.INFO, "building sandbox template " + template + " (" + marker + ")");
        // named like a step's database, so that the janitor removes it if this build dies half-way
        String building = NAME_PREFIX + "tplbuild_" + Instant.now().getEpochSecond();
        String b = ident(building);
        exec(c, "drop database if exists " + b + (f.forceDrop() ? " with (force)" : ""));
        try {
            exec(c, "create database " + b + " template template0 encoding 'UTF8'");
        } catch (SQLException e) {
            // the server's default locale does not fit UTF8
            exec(c, "create database " + b + " template template0 encoding 'UTF8' locale 'C'");
        }
        exec(c, "revoke all on database " + b + " from public");
        boolean moddatetimeExtension = false;
        boolean guard;
        List<String> missing = new ArrayList<>();
        try (Connection tc = admin(building)) {
            runTemplateScript(tc, baseSql);
            for (String ext : untrusted) {
                if (attempt(tc, "create extension if not exists " + ident(ext) + " with schema extensions")) {
                    moddatetimeExtension |= ext.equals("moddatetime");
                } else {
                    missing.add(ext);
                }
            }
            if (!moddatetimeExtension && settings.allowedExtensions().contains("moddatetime")) {
                runTemplateScript(tc, fallbackSql);
            }
            guard = attempt(tc, guardSql);
        }
        TemplateFacts built = new TemplateFacts(true, moddatetimeExtension, guard, missing);
        exec(c, "comment on database " + b + " is " + literal(marker + " " + built.flags(model)));
        // not connectable: nobody can alter the template after it is built; CREATE DATABASE … TEMPLATE still works.
        // It becomes a template only once renamed into place: a build left behind by a crash stays droppable
        // (PostgreSQL refuses to drop a template), so the janitor can remove it.
        exec(c, "alter database " + b + " with allow_connections false");
        String t = ident(template);
        if (exists) {
            exec(c, "alter database " + t + " is_template false");
            exec(c, "drop database " + t + (f.forceDrop() ? " with (force)" : ""));
        }
        exec(c, "alter database " + b + " rename to " + t);
        exec(c, "alter database " + t + " is_template true");
        limitations.addAll(templateLimitations(built));
        return built;
    }

    private List<String> templateLimitations(TemplateFacts t) {
        List<String> out = new ArrayList<>();
        if (!t.extensionGuard()) {
            out.add("the extension allow-list is not enforced for trusted extensions (its event trigger needs a"
                    + " superuser admin): the runner may create any trusted extension; untrusted ones (dblink,"
                    + " postgres_fdw, file_fdw) stay refused");
        }
        if (settings.allowedExtensions().contains("moddatetime") && !t.moddatetimeExtension()) {
            out.add("the moddatetime extension is not installed (not shipped, or untrusted and the admin may not create"
                    + " it): the template has the plpgsql equivalent extensions.moddatetime(), and CREATE EXTENSION"
                    + " moddatetime is skipped with a notice");
        }
        for (String ext : t.missing()) {
            if (!ext.equals("moddatetime")) {
                out.add("allowed extension " + ext + " is untrusted and the admin may not create it: unavailable");
            }
        }
        return out;
    }

    private static void runTemplateScript(Connection c, String sql) {
        for (SqlStatement s : ScriptSplitter.split(sql)) {
            try {
                exec(c, s.sql());
            } catch (SQLException e) {
                throw new SandboxException("template statement " + s.index() + " failed (" + s.firstLine() + "): "
                        + SqlError.of(e).summary(), e);
            }
        }
    }

    /** Runs a script that needs more than CREATEDB/CREATEROLE; false (and nothing left behind) if refused. */
    private static boolean attempt(Connection c, String sql) throws SQLException {
        boolean autoCommit = c.getAutoCommit();
        c.setAutoCommit(false);
        try {
            for (SqlStatement s : ScriptSplitter.split(sql)) {
                exec(c, s.sql());
            }
            c.commit();
            return true;
        } catch (SQLException e) {
            c.rollback();
            LOG.log(Level.INFO, "sandbox template: not installed (" + SqlError.of(e).summary() + ")");
            return false;
        } finally {
            c.setAutoCommit(autoCommit);
        }
    }

    /** name → trusted, for the extensions the server ships. */
    private static Map<String, Boolean> availableExtensions(Connection c) throws SQLException {
        Map<String, Boolean> found = new LinkedHashMap<>();
        try (Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("select name, bool_or(trusted) from pg_available_extension_versions group by name")) {
            while (rs.next()) {
                found.put(rs.getString(1), rs.getBoolean(2));
            }
        }
        return found;
    }

    /** So that no runner role reaches another database (the job store): only the sandbox databases grant it CONNECT. */
    private void revokeConnectFromPublic(Connection c, List<String> limitations) throws SQLException {
        List<String> open = new ArrayList<>();
        // the templates are not connectable (datallowconn false), the step databases grant CONNECT to their own role
        try (PreparedStatement st = c.prepareStatement("select datname from pg_database where datallowconn"
                + " and datname !~ '" + SANDBOX_NAME_SQL + "'"
                + " and has_database_privilege('public', oid, 'CONNECT') order by datname")) {
            try (ResultSet rs = st.executeQuery()) {
                while (rs.next()) {
                    open.add(rs.getString(1));
                }
            }
        }
        for (String db : open) {
            if (db.equals(maintenanceDatabase)) {
                // keep this admin's own way in (a superuser needs no grant; a CREATEROLE admin owning it neither)
                attempt(c, "grant connect on database " + ident(db) + " to current_user");
            }
            try (Statement st = c.createStatement()) {
                st.execute("revoke connect on database " + ident(db) + " from public");
                SQLWarning w = st.getWarnings();
                if (w != null) {
                    limitations.add("cannot revoke CONNECT on database " + db + " from PUBLIC: " + w.getMessage());
                }
            } catch (SQLException e) {
                limitations.add("cannot revoke CONNECT on database " + db + " from PUBLIC: " + e.getMessage());
            }
        }
    }

    private SweepReport sweep(Connection c, Duration olderThan) throws SQLException {
        long cutoff = Instant.now().minus(olderThan).getEpochSecond();
        ServerFacts f = facts;
        boolean force = f == null ? serverVersionNum(c) >= 130000 : f.forceDrop();
        List<String> databases = names(c, "select datname from pg_database where datname ~ '" + SANDBOX_NAME_SQL + "'");
        List<String> roles = names(c, "select rolname from pg_roles where rolname ~ '" + SANDBOX_NAME_SQL + "'");
        List<String> droppedDatabases = new ArrayList<>();
        List<String> droppedRoles = new ArrayList<>();
        List<String> failures = new ArrayList<>();
        for (String db : databases) {
            if (createdAt(db) <= cutoff) {
                try {
                    exec(c, "drop database if exists " + ident(db) + (force ? " with (force)" : ""));
                    droppedDatabases.add(db);
                } catch (SQLException e) {
                    failures.add(db + ": " + e.getMessage());
                }
            }
        }
        for (String role : roles) {
            boolean orphan = !databases.contains(role) || droppedDatabases.contains(role);
            if (orphan && createdAt(role) <= cutoff) {
                try {
                    exec(c, "drop role if exists " + ident(role));
                    droppedRoles.add(role);
                } catch (SQLException e) {
                    failures.add("role " + role + ": " + e.getMessage());
                }
            }
        }
        return new SweepReport(droppedDatabases, droppedRoles, failures);
    }

    /** Clones the template of {@code model}; returns the facts of the template it was cloned from. */
    private TemplateFacts createDatabase(Connection c, String name, GrantModel model, TemplateFacts template)
            throws SQLException {
        String sql = "create database " + ident(name) + " template " + ident(settings.templateDatabase(model));
        boolean rebuilt = false;
        TemplateFacts cloned = template;
        for (int attempt = 1; ; attempt++) {
            try {
                exec(c, sql);
                return cloned;
            } catch (SQLException e) {
                if ("3D000".equals(e.getSQLState()) && !rebuilt) {
                    // the template is gone (dropped by hand, or being swapped by another instance's rebuild):
                    // check it again under the lock, which waits for a rebuild in progress
                    rebuilt = true;
                    templates.remove(model);
                    cloned = ensureTemplate(model);
                    continue;
                }
                // 55006: someone is connected to the template (an earlier version's prepare() built it in place,
                // connected); brief, so retry
                if (!"55006".equals(e.getSQLState()) || attempt == 5) {
                    throw e;
                }
                sleep(Duration.ofMillis(200L * attempt));
            }
        }
    }

    private void dropDatabaseAndRole(Connection c, String name, ServerFacts f) throws SQLException {
        exec(c, "drop database if exists " + ident(name) + (f.forceDrop() ? " with (force)" : ""));
        exec(c, "drop role if exists " + ident(name));
    }

    private void dropQuietly(String name) {
        try {
            drop(name);
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "cannot clean up half-created sandbox " + name + ": " + e.getMessage());
        }
    }

    // --- helpers ----------------------------------------------------------------------------------------------

    static long createdAt(String sandboxName) {
        Matcher m = SANDBOX_NAME.matcher(sandboxName);
        return m.matches() ? Long.parseLong(m.group(1)) : Long.MAX_VALUE;
    }

    private static int serverVersionNum(Connection c) throws SQLException {
        try (Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("select current_setting('server_version_num')::int")) {
            rs.next();
            return rs.getInt(1);
        }
    }

    private static List<String> names(Connection c, String sql) throws SQLException {
        List<String> out = new ArrayList<>();
        try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery(sql)) {
            while (rs.next()) {
                out.add(rs.getString(1));
            }
        }
        return out;
    }

    private static boolean bool(Connection c, String sql) throws SQLException {
        try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery(sql)) {
            return rs.next() && rs.getBoolean(1);
        }
    }

    static void exec(Connection c, String sql) throws SQLException {
        try (Statement st = c.createStatement()) {
            st.setEscapeProcessing(false);
            st.execute(sql);
        }
    }

    /** A double-quoted identifier. */
    static String ident(String name) {
        return "\"" + name.replace("\"", "\"\"") + "\"";
    }

    /** A single-quoted literal (standard_conforming_strings on). */
    static String literal(String value) {
        return "'" + value.replace("'", "''") + "'";
    }

    private static String textArray(List<String> values) {
        return "array[" + String.join(", ", values.stream().map(Sandbox::literal).toList()) + "]::text[]";
    }

    private static String ms(Duration d) {
        return "'" + d.toMillis() + "ms'";
    }

    private static String cleanLabel(String label) {
        String l = label == null ? "" : label.replaceAll("\\p{Cntrl}", " ").strip();
        return l.length() <= 200 ? l : l.substring(0, 200);
    }

    private static String randomName() {
        String alphabet = "abcdefghijklmnopqrstuvwxyz0123456789";
        StringBuilder s = new StringBuilder(8);
        for (int i = 0; i < 8; i++) {
            s.append(alphabet.charAt(RANDOM.nextInt(alphabet.length())));
        }
        return s.toString();
    }

    private static String randomPassword() {
        byte[] bytes = new byte[24];
        RANDOM.nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    private static String resource(String name) {
        try (InputStream in = Sandbox.class.getResourceAsStream(name)) {
            if (in == null) {
                throw new IllegalStateException("missing resource " + name);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new IllegalStateException("cannot read resource " + name, e);
        }
    }

    private static String sha256(String text) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private String redacted() {
        return settings.adminUrl().replaceAll("(?i)password=[^&]*", "password=***");
    }

    static long millisSince(long nanoStart) {
        return (System.nanoTime() - nanoStart) / 1_000_000;
    }

    private static void sleep(Duration d) {
        try {
            Thread.sleep(d.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new SandboxException("interrupted", e);
        }
    }

    static String lower(String s) {
        return s.toLowerCase(Locale.ROOT);
    }
}
