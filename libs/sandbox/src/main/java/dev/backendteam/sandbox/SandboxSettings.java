package dev.backendteam.sandbox;

import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * How to reach the sandbox server and how tightly to hold the SQL run in it.
 *
 * @param adminUrl                 JDBC URL of a maintenance database on the sandbox server
 *                                 ({@code jdbc:postgresql://host:5432/postgres}); sandbox databases are reached by
 *                                 swapping its database name, its other parameters (sslmode, …) are kept
 * @param adminUser                a superuser, or a role with CREATEDB and CREATEROLE (see {@link PrepareReport#limitations()})
 * @param pgVersion                the PostgreSQL major version this sandbox proves against; {@link Sandbox#prepare()}
 *                                 refuses a server of another major version
 * @param stepBudget               wall-clock budget of one sandbox database (one step) unless
 *                                 {@link Sandbox#create(String, Duration)} names another: the watchdog cancels any
 *                                 statement still running at its end
 * @param watchdogGrace            how long the watchdog waits after a cancel before it terminates the backend, and
 *                                 again before it drops the socket
 * @param tempFileLimit            {@code temp_file_limit} of the runner roles ({@code 256MB}); needs a superuser
 *                                 admin or, on 15+, {@code GRANT SET ON PARAMETER temp_file_limit} to it
 * @param connectionLimit          CONNECTION LIMIT of each runner role
 * @param templateName             the template database the sandbox databases are cloned from
 * @param runnerRole               the NOLOGIN role that owns what user SQL creates; each sandbox database gets its own
 *                                 login role, a member of it
 * @param janitorBound             sandbox databases older than this are leftovers: {@link Sandbox#sweep()} drops them
 * @param allowedExtensions        the only extensions user SQL may create (trusted ones: by itself; untrusted ones
 *                                 are pre-installed in the template by the admin)
 * @param preinstalledExtensions   created in schema {@code extensions} of the template (Supabase pre-installs these)
 * @param revokeConnectFromPublic  {@code REVOKE CONNECT … FROM PUBLIC} on every other database of the server, so that
 *                                 the runner roles cannot reach e.g. the job store
 * @param grants                   the grant model of {@link Sandbox#create(String)} and {@link Sandbox#prepare()}
 *                                 (default {@link GrantModel#EXPLICIT}, Supabase today); the other model stays
 *                                 available through {@link Sandbox#create(String, Duration, GrantModel)}
 * @param maxResultBytes           bytes of rows one statement may return to the sandbox (all its DataRow messages,
 *                                 and pgjdbc's {@code maxResultBuffer}); a larger result is cut off
 *                                 ({@link Limit#OUTPUT_LIMIT})
 * @param maxMessageBytes          size of any other single message from the server (a notice, an error, …); a larger
 *                                 one cuts the statement off before the driver allocates it
 * @param maxOutputBytes           bytes one statement may make the server send in all (dropped notices included)
 * @param maxNotices               notices kept per statement; later ones are dropped on the wire and counted
 * @param maxConcurrentSteps       sandbox databases this instance keeps open at once; {@link Sandbox#create} waits
 *                                 for a free one (at most one step budget), so that a burst of steps queues here
 *                                 instead of taking the server's connection slots
 */
public record SandboxSettings(
        String adminUrl,
        String adminUser,
        String adminPassword,
        int pgVersion,
        Duration statementTimeout,
        Duration lockTimeout,
        Duration idleInTransactionTimeout,
        Duration stepBudget,
        Duration watchdogGrace,
        String tempFileLimit,
        int connectionLimit,
        String templateName,
        String runnerRole,
        Duration janitorBound,
        List<String> allowedExtensions,
        List<String> preinstalledExtensions,
        boolean revokeConnectFromPublic,
        GrantModel grants,
        long maxResultBytes,
        long maxMessageBytes,
        long maxOutputBytes,
        int maxNotices,
        int maxConcurrentSteps) {

    public static final int DEFAULT_PG_VERSION = 17;
    public static final String ENV_PREFIX = "BACKEND_TEAM_SANDBOX_";
    static final Pattern ROLE_OR_DATABASE = Pattern.compile("[a-z_][a-z0-9_]{0,62}");
    private static final Pattern EXTENSION = Pattern.compile("[a-z0-9_][a-z0-9_-]{0,62}");
    private static final Pattern MEMORY = Pattern.compile("-1|\\d+(kB|MB|GB|TB)?");
    private static final Pattern DURATION = Pattern.compile("(\\d+)\\s*(ms|s|m|min|h)?");
    private static final Pattern BYTES = Pattern.compile("(\\d+)\\s*(B|kB|KB|KiB|MB|MiB|GB|GiB)?");
    /** Room in a database name for the grant model's suffix of the template names ({@code _explicit}). */
    private static final int TEMPLATE_NAME_MAX = 63 - Arrays.stream(GrantModel.values())
            .mapToInt(m -> m.wire().length() + 1).max().orElse(0);

    public SandboxSettings {
        Objects.requireNonNull(adminUrl, "adminUrl");
        if (!adminUrl.startsWith("jdbc:postgresql://")) {
            throw new IllegalArgumentException("adminUrl must be jdbc:postgresql://host[:port]/database[?…], got "
                    + PostgresConnection.masked(adminUrl));
        }
        Objects.requireNonNull(adminUser, "adminUser");
        adminPassword = adminPassword == null ? "" : adminPassword;
        if (pgVersion < 14) {
            throw new IllegalArgumentException("pgVersion must be 14 or later (DROP DATABASE … WITH (FORCE),"
                    + " client_connection_check_interval), got " + pgVersion);
        }
        positive(statementTimeout, "statementTimeout");
        positive(lockTimeout, "lockTimeout");
        positive(idleInTransactionTimeout, "idleInTransactionTimeout");
        positive(stepBudget, "stepBudget");
        positive(watchdogGrace, "watchdogGrace");
        positive(janitorBound, "janitorBound");
        if (!MEMORY.matcher(tempFileLimit).matches()) {
            throw new IllegalArgumentException("tempFileLimit must look like 256MB, got " + tempFileLimit);
        }
        if (connectionLimit < 1) {
            throw new IllegalArgumentException("connectionLimit must be at least 1, got " + connectionLimit);
        }
        name(templateName, "templateName");
        if (templateName.length() > TEMPLATE_NAME_MAX) {
            throw new IllegalArgumentException("templateName may have at most " + TEMPLATE_NAME_MAX
                    + " characters (the grant model's suffix must fit in 63), got " + templateName);
        }
        name(runnerRole, "runnerRole");
        allowedExtensions = extensions(allowedExtensions, "allowedExtensions");
        preinstalledExtensions = extensions(preinstalledExtensions, "preinstalledExtensions");
        Objects.requireNonNull(grants, "grants");
        atLeast(maxResultBytes, 64 * 1024, "maxResultBytes");
        atLeast(maxMessageBytes, 8 * 1024, "maxMessageBytes");
        atLeast(maxOutputBytes, Math.max(maxResultBytes, maxMessageBytes), "maxOutputBytes (at least maxResultBytes and maxMessageBytes)");
        if (maxResultBytes > Integer.MAX_VALUE || maxMessageBytes > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("maxResultBytes and maxMessageBytes must be below 2 GiB");
        }
        if (maxNotices < 0 || maxNotices > 10_000) {
            throw new IllegalArgumentException("maxNotices must be between 0 and 10000, got " + maxNotices);
        }
        if (maxConcurrentSteps < 1) {
            throw new IllegalArgumentException("maxConcurrentSteps must be at least 1, got " + maxConcurrentSteps);
        }
    }

    /** The template database of one grant model: {@code <templateName>_<model>}, e.g. {@code sandbox_template_explicit}. */
    public String templateDatabase(GrantModel model) {
        return templateName + "_" + model.wire();
    }

    /** The defaults of BRIEF §5 for a server reached with these admin credentials. */
    public static Builder builder(String adminUrl, String adminUser, String adminPassword) {
        return new Builder(adminUrl, adminUser, adminPassword);
    }

    /**
     * Settings from environment variables: {@code BACKEND_TEAM_SANDBOX_ADMIN_URL} (required),
     * {@code _ADMIN_USER} (default postgres), {@code _ADMIN_PASSWORD}, {@code _PG_VERSION} (17),
     * {@code _STATEMENT_TIMEOUT}, {@code _LOCK_TIMEOUT}, {@code _IDLE_IN_TRANSACTION_TIMEOUT}, {@code _STEP_BUDGET},
     * {@code _WATCHDOG_GRACE}, {@code _JANITOR_BOUND} (durations: {@code 15s}, {@code 500ms}, {@code 1h}, or ISO-8601),
     * {@code _TEMP_FILE_LIMIT}, {@code _CONNECTION_LIMIT}, {@code _TEMPLATE}, {@code _RUNNER_ROLE},
     * {@code _ALLOWED_EXTENSIONS}, {@code _PREINSTALLED_EXTENSIONS} (comma lists), {@code _REVOKE_CONNECT_FROM_PUBLIC},
     * {@code _GRANTS} ({@code explicit} or {@code legacy}), {@code _MAX_RESULT_BYTES}, {@code _MAX_MESSAGE_BYTES},
     * {@code _MAX_OUTPUT_BYTES} (sizes: {@code 32MB}, {@code 512kB}, or bytes), {@code _MAX_NOTICES},
     * {@code _MAX_CONCURRENT_STEPS}.
     * A value that does not parse is refused with the variable's name.
     * The admin URL may also be a libpq URL ({@code postgresql://user:password@host:5432/postgres?sslmode=require},
     * see {@link PostgresConnection}): its user and password are used unless {@code _ADMIN_USER} /
     * {@code _ADMIN_PASSWORD} are set.
     * For a second server of another version, {@code BACKEND_TEAM_SANDBOX_PG15_ADMIN_URL} (and any other
     * {@code _PG15_…} variable) overrides the plain one: see {@link #fromEnvironment(Map, int)}.
     */
    public static SandboxSettings fromEnvironment(Map<String, String> env) {
        String version = env.get(ENV_PREFIX + "PG_VERSION");
        return fromEnvironment(env, version == null || version.isBlank() ? DEFAULT_PG_VERSION : Integer.parseInt(version.trim()));
    }

    /** Settings for the sandbox server of one major version: {@code BACKEND_TEAM_SANDBOX_PG<v>_*} first, then the plain names. */
    public static SandboxSettings fromEnvironment(Map<String, String> env, int version) {
        Env e = new Env(env, version);
        String url = e.get("ADMIN_URL");
        if (url == null) {
            throw new IllegalArgumentException(ENV_PREFIX + "ADMIN_URL (or " + ENV_PREFIX + "PG" + version
                    + "_ADMIN_URL) is not set: the sandbox needs an admin JDBC URL of a PostgreSQL " + version + " server");
        }
        String user = "postgres";
        String password = "";
        if (PostgresConnection.isLibpqUrl(url)) {
            // postgresql://user:password@host/db (Supabase, Neon, Railway): the user and password come with it
            PostgresConnection server = PostgresConnection.parse(url, e.variable("ADMIN_URL"));
            url = server.jdbcUrl();
            user = server.user() != null ? server.user() : user;
            password = server.password() != null ? server.password() : password;
        }
        Builder b = builder(url, e.getOr("ADMIN_USER", user), e.getOr("ADMIN_PASSWORD", password)).pgVersion(version);
        e.duration("STATEMENT_TIMEOUT").ifPresent(b::statementTimeout);
        e.duration("LOCK_TIMEOUT").ifPresent(b::lockTimeout);
        e.duration("IDLE_IN_TRANSACTION_TIMEOUT").ifPresent(b::idleInTransactionTimeout);
        e.duration("STEP_BUDGET").ifPresent(b::stepBudget);
        e.duration("WATCHDOG_GRACE").ifPresent(b::watchdogGrace);
        e.duration("JANITOR_BOUND").ifPresent(b::janitorBound);
        e.optional("TEMP_FILE_LIMIT").ifPresent(b::tempFileLimit);
        e.parsed("CONNECTION_LIMIT", Integer::parseInt).ifPresent(b::connectionLimit);
        e.optional("TEMPLATE").ifPresent(b::templateName);
        e.optional("RUNNER_ROLE").ifPresent(b::runnerRole);
        e.optional("ALLOWED_EXTENSIONS").map(SandboxSettings::list).ifPresent(b::allowedExtensions);
        e.optional("PREINSTALLED_EXTENSIONS").map(SandboxSettings::list).ifPresent(b::preinstalledExtensions);
        e.optional("REVOKE_CONNECT_FROM_PUBLIC").map(Boolean::parseBoolean).ifPresent(b::revokeConnectFromPublic);
        e.parsed("GRANTS", GrantModel::of).ifPresent(b::grants);
        e.parsed("MAX_RESULT_BYTES", SandboxSettings::parseBytes).ifPresent(b::maxResultBytes);
        e.parsed("MAX_MESSAGE_BYTES", SandboxSettings::parseBytes).ifPresent(b::maxMessageBytes);
        e.parsed("MAX_OUTPUT_BYTES", SandboxSettings::parseBytes).ifPresent(b::maxOutputBytes);
        e.parsed("MAX_NOTICES", Integer::parseInt).ifPresent(b::maxNotices);
        e.parsed("MAX_CONCURRENT_STEPS", Integer::parseInt).ifPresent(b::maxConcurrentSteps);
        return b.build();
    }

    /**
     * Parses a size: bytes ({@code 1048576}), or a number with {@code kB}/{@code KiB}, {@code MB}/{@code MiB},
     * {@code GB}/{@code GiB} — all binary multiples, as PostgreSQL reads {@code 32MB}.
     */
    public static long parseBytes(String text) {
        Matcher m = BYTES.matcher(text.trim());
        if (!m.matches()) {
            throw new IllegalArgumentException("not a size (32MB, 512kB, 1GiB or a number of bytes): " + text);
        }
        long n = Long.parseLong(m.group(1));
        String unit = m.group(2) == null ? "B" : m.group(2);
        long factor = switch (unit) {
            case "B" -> 1L;
            case "kB", "KB", "KiB" -> 1024L;
            case "MB", "MiB" -> 1024L * 1024;
            default -> 1024L * 1024 * 1024;
        };
        return Math.multiplyExact(n, factor);
    }

    /** Parses {@code 15s}, {@code 500ms}, {@code 2m}, {@code 1h} or an ISO-8601 duration ({@code PT15S}). */
    public static Duration parseDuration(String text) {
        String t = text.trim();
        if (t.toUpperCase(Locale.ROOT).startsWith("P")) {
            return Duration.parse(t.toUpperCase(Locale.ROOT));
        }
        Matcher m = DURATION.matcher(t);
        if (!m.matches()) {
            throw new IllegalArgumentException("not a duration (15s, 500ms, 2m, 1h or PT15S): " + text);
        }
        long n = Long.parseLong(m.group(1));
        String unit = m.group(2) == null ? "ms" : m.group(2);
        return switch (unit) {
            case "ms" -> Duration.ofMillis(n);
            case "s" -> Duration.ofSeconds(n);
            case "m", "min" -> Duration.ofMinutes(n);
            default -> Duration.ofHours(n);
        };
    }

    public Builder toBuilder() {
        return new Builder(this);
    }

    /** The password stays out of logs. */
    @Override
    public String toString() {
        return "SandboxSettings[adminUrl=" + adminUrl.replaceAll("(?i)password=[^&]*", "password=***")
                + ", adminUser=" + adminUser + ", pgVersion=" + pgVersion + ", statementTimeout=" + statementTimeout
                + ", lockTimeout=" + lockTimeout + ", idleInTransactionTimeout=" + idleInTransactionTimeout
                + ", stepBudget=" + stepBudget + ", watchdogGrace=" + watchdogGrace + ", tempFileLimit=" + tempFileLimit
                + ", connectionLimit=" + connectionLimit + ", templateName=" + templateName + ", runnerRole=" + runnerRole
                + ", janitorBound=" + janitorBound + ", allowedExtensions=" + allowedExtensions
                + ", preinstalledExtensions=" + preinstalledExtensions + ", revokeConnectFromPublic=" + revokeConnectFromPublic
                + ", grants=" + grants.wire() + ", maxResultBytes=" + maxResultBytes + ", maxMessageBytes=" + maxMessageBytes
                + ", maxOutputBytes=" + maxOutputBytes + ", maxNotices=" + maxNotices
                + ", maxConcurrentSteps=" + maxConcurrentSteps + "]";
    }

    private static void positive(Duration d, String name) {
        if (d == null || d.isNegative() || d.isZero()) {
            throw new IllegalArgumentException(name + " must be a positive duration, got " + d);
        }
    }

    private static void atLeast(long value, long minimum, String what) {
        if (value < minimum) {
            throw new IllegalArgumentException(what + " must be at least " + minimum + " bytes, got " + value);
        }
    }

    private static void name(String value, String what) {
        if (value == null || !ROLE_OR_DATABASE.matcher(value).matches() || value.startsWith(Sandbox.NAME_PREFIX)) {
            throw new IllegalArgumentException(what + " must match " + ROLE_OR_DATABASE + " and not start with "
                    + Sandbox.NAME_PREFIX + ", got " + value);
        }
    }

    private static List<String> extensions(List<String> names, String what) {
        List<String> copy = List.copyOf(names);
        for (String n : copy) {
            if (!EXTENSION.matcher(n).matches()) {
                throw new IllegalArgumentException(what + ": not an extension name: " + n);
            }
        }
        return copy;
    }

    private static List<String> list(String csv) {
        return Arrays.stream(csv.split(",")).map(String::trim).filter(s -> !s.isEmpty()).toList();
    }

    private record Env(Map<String, String> env, int version) {
        String get(String key) {
            String name = variable(key);
            return name == null ? null : env.get(name).trim();
        }

        /** The variable that holds the key's value: the version-specific one first; null when neither is set. */
        String variable(String key) {
            for (String name : List.of(ENV_PREFIX + "PG" + version + "_" + key, ENV_PREFIX + key)) {
                String v = env.get(name);
                if (v != null && !v.isBlank()) {
                    return name;
                }
            }
            return null;
        }

        /** The value through {@code parse}; a value it refuses is reported with the variable's name. */
        <T> java.util.Optional<T> parsed(String key, java.util.function.Function<String, T> parse) {
            String v = get(key);
            if (v == null) {
                return java.util.Optional.empty();
            }
            try {
                return java.util.Optional.of(parse.apply(v));
            } catch (RuntimeException e) {
                throw new IllegalArgumentException(variable(key) + "=" + v + " is invalid: " + e.getMessage(), e);
            }
        }

        String getOr(String key, String fallback) {
            String v = get(key);
            return v == null ? fallback : v;
        }

        java.util.Optional<String> optional(String key) {
            return java.util.Optional.ofNullable(get(key));
        }

        java.util.Optional<Duration> duration(String key) {
            return parsed(key, SandboxSettings::parseDuration);
        }
    }

    /**
     * Defaults: statement 15 s, lock 5 s, idle-in-transaction 30 s, step budget 60 s, temp files 256MB, 10 connections,
     * explicit grants, results up to 32 MiB, single messages up to 1 MiB, 64 MiB of output and 50 notices per statement,
     * 8 steps open at once.
     */
    public static final class Builder {
        private final String adminUrl;
        private final String adminUser;
        private final String adminPassword;
        private int pgVersion = DEFAULT_PG_VERSION;
        private Duration statementTimeout = Duration.ofSeconds(15);
        private Duration lockTimeout = Duration.ofSeconds(5);
        private Duration idleInTransactionTimeout = Duration.ofSeconds(30);
        private Duration stepBudget = Duration.ofSeconds(60);
        private Duration watchdogGrace = Duration.ofSeconds(5);
        private String tempFileLimit = "256MB";
        private int connectionLimit = 10;
        private String templateName = "sandbox_template";
        private String runnerRole = "sandbox_runner";
        private Duration janitorBound = Duration.ofHours(1);
        private List<String> allowedExtensions = List.of("pgcrypto", "uuid-ossp", "pg_trgm", "citext", "moddatetime",
                "btree_gist", "btree_gin", "unaccent", "fuzzystrmatch", "ltree", "pgtap");
        private List<String> preinstalledExtensions = List.of("pgcrypto", "uuid-ossp");
        private boolean revokeConnectFromPublic = true;
        private GrantModel grants = GrantModel.EXPLICIT;
        private long maxResultBytes = 32L * 1024 * 1024;
        private long maxMessageBytes = 1024L * 1024;
        private long maxOutputBytes = 64L * 1024 * 1024;
        private int maxNotices = 50;
        private int maxConcurrentSteps = 8;

        private Builder(String adminUrl, String adminUser, String adminPassword) {
            this.adminUrl = adminUrl;
            this.adminUser = adminUser;
            this.adminPassword = adminPassword;
        }

        private Builder(SandboxSettings s) {
            this(s.adminUrl, s.adminUser, s.adminPassword);
            pgVersion = s.pgVersion;
            statementTimeout = s.statementTimeout;
            lockTimeout = s.lockTimeout;
            idleInTransactionTimeout = s.idleInTransactionTimeout;
            stepBudget = s.stepBudget;
            watchdogGrace = s.watchdogGrace;
            tempFileLimit = s.tempFileLimit;
            connectionLimit = s.connectionLimit;
            templateName = s.templateName;
            runnerRole = s.runnerRole;
            janitorBound = s.janitorBound;
            allowedExtensions = s.allowedExtensions;
            preinstalledExtensions = s.preinstalledExtensions;
            revokeConnectFromPublic = s.revokeConnectFromPublic;
            grants = s.grants;
            maxResultBytes = s.maxResultBytes;
            maxMessageBytes = s.maxMessageBytes;
            maxOutputBytes = s.maxOutputBytes;
            maxNotices = s.maxNotices;
            maxConcurrentSteps = s.maxConcurrentSteps;
        }

        public Builder pgVersion(int v) { pgVersion = v; return this; }
        public Builder statementTimeout(Duration d) { statementTimeout = d; return this; }
        public Builder lockTimeout(Duration d) { lockTimeout = d; return this; }
        public Builder idleInTransactionTimeout(Duration d) { idleInTransactionTimeout = d; return this; }
        public Builder stepBudget(Duration d) { stepBudget = d; return this; }
        public Builder watchdogGrace(Duration d) { watchdogGrace = d; return this; }
        public Builder tempFileLimit(String limit) { tempFileLimit = limit; return this; }
        public Builder connectionLimit(int n) { connectionLimit = n; return this; }
        public Builder templateName(String name) { templateName = name; return this; }
        public Builder runnerRole(String name) { runnerRole = name; return this; }
        public Builder janitorBound(Duration d) { janitorBound = d; return this; }
        public Builder allowedExtensions(List<String> names) { allowedExtensions = names; return this; }
        public Builder preinstalledExtensions(List<String> names) { preinstalledExtensions = names; return this; }
        public Builder revokeConnectFromPublic(boolean revoke) { revokeConnectFromPublic = revoke; return this; }
        public Builder grants(GrantModel model) { grants = model; return this; }
        public Builder maxResultBytes(long bytes) { maxResultBytes = bytes; return this; }
        public Builder maxMessageBytes(long bytes) { maxMessageBytes = bytes; return this; }
        public Builder maxOutputBytes(long bytes) { maxOutputBytes = bytes; return this; }
        public Builder maxNotices(int n) { maxNotices = n; return this; }
        public Builder maxConcurrentSteps(int n) { maxConcurrentSteps = n; return this; }

        public SandboxSettings build() {
            return new SandboxSettings(adminUrl, adminUser, adminPassword, pgVersion, statementTimeout, lockTimeout,
                    idleInTransactionTimeout, stepBudget, watchdogGrace, tempFileLimit, connectionLimit, templateName,
                    runnerRole, janitorBound, allowedExtensions, preinstalledExtensions, revokeConnectFromPublic, grants,
                    maxResultBytes, maxMessageBytes, maxOutputBytes, maxNotices, maxConcurrentSteps);
        }
    }
}
