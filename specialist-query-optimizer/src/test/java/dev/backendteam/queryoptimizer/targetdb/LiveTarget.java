package dev.backendteam.queryoptimizer.targetdb;

import dev.backendteam.sandbox.PostgresServers;
import dev.backendteam.sandbox.targetdb.TargetDatabase;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A target database on a test server, as a user's would be: the shop schema with data, analyzed, pg_stat_statements
 * created; an application role that reads and writes; the read-only login role the product is given
 * (default_transaction_read_only, SELECT only, pg_read_all_stats); and a narrow read-only role with SELECT on
 * customers only and no pg_read_all_stats. Made once per server and test run. Other tests make their own target
 * databases from a script with {@link #database}, read by the same roles.
 */
public final class LiveTarget {
    static final String DATABASE = "qo_shop_live";
    public static final String READER = "qo_reader";
    static final String NARROW = "qo_narrow";
    public static final String APP = "qo_app";
    public static final String PASSWORD = "qo-reader-pw";
    private static final List<String> SHOP_TABLES = List.of("shop.customers", "shop.orders", "shop.secrets");
    private static final Map<Integer, PostgresServers.TestServer> MADE = new ConcurrentHashMap<>();
    private static final Map<String, Boolean> DATABASES = new ConcurrentHashMap<>();

    private LiveTarget() {
    }

    static synchronized PostgresServers.TestServer on(PostgresServers.TestServer server) {
        return MADE.computeIfAbsent(server.major(), k -> {
            try {
                make(server);
                return server;
            } catch (SQLException e) {
                throw new IllegalStateException(e);
            }
        });
    }

    /**
     * A target database made once per server and test run from {@code script} (a resource next to shop.sql) with
     * pg_stat_statements created: the read-only role may select every table of {@code schema}, the application
     * role read and write them.
     */
    public static synchronized void database(PostgresServers.TestServer server, String database, String script,
            String schema) {
        on(server);
        DATABASES.computeIfAbsent(server.major() + "/" + database, k -> {
            try {
                try (Connection c = server.connect("postgres"); Statement st = c.createStatement()) {
                    st.execute("drop database if exists " + database + " with (force)");
                    st.execute("create database " + database);
                    st.execute(connect(database));
                }
                try (Connection c = server.connect(database); Statement st = c.createStatement()) {
                    st.execute("create extension pg_stat_statements");
                    st.execute(resource(script));
                    st.execute("grant usage on schema " + schema + " to " + READER + ", " + APP);
                    st.execute("grant select on all tables in schema " + schema + " to " + READER);
                    st.execute("grant select, insert, update, delete on all tables in schema " + schema + " to "
                            + APP);
                }
                return true;
            } catch (SQLException e) {
                throw new IllegalStateException(e);
            }
        });
    }

    private static void make(PostgresServers.TestServer server) throws SQLException {
        try (Connection c = server.connect("postgres"); Statement st = c.createStatement()) {
            st.execute("drop database if exists " + DATABASE + " with (force)");
            st.execute("create database " + DATABASE);
            for (String role : new String[] {READER, NARROW, APP}) {
                st.execute("do $$ begin create role " + role + " login; exception when duplicate_object then null;"
                        + " end $$");
                st.execute("alter role " + role + " password '" + PASSWORD + "'");
            }
            st.execute("alter role " + READER + " set default_transaction_read_only = on");
            st.execute("alter role " + NARROW + " set default_transaction_read_only = on");
            st.execute("grant pg_read_all_stats to " + READER);
            st.execute(connect(DATABASE));
            // the database without pg_stat_statements a test reads as a target
            st.execute(connect("postgres"));
        }
        try (Connection c = server.connect(DATABASE); Statement st = c.createStatement()) {
            st.execute("create extension pg_stat_statements");
            st.execute(resource("shop.sql"));
            st.execute("grant usage on schema shop to " + READER + ", " + NARROW + ", " + APP);
            st.execute("grant select on all tables in schema shop to " + READER);
            st.execute("grant select on shop.customers to " + NARROW);
            st.execute("grant select, insert, update, delete on all tables in schema shop to " + APP);
        }
    }

    /** Explicitly: a sandbox prepared on the same server revokes CONNECT from PUBLIC on every database. */
    private static String connect(String database) {
        return "grant connect on database " + database + " to " + READER + ", " + NARROW + ", " + APP;
    }

    /** The target as the product opens it, as {@code role}. */
    static TargetDatabase open(PostgresServers.TestServer server, String database, String role) {
        return TargetDatabase.open("shop", environment("shop", server, database, role), Duration.ofSeconds(10));
    }

    /** The environment that configures target {@code name} as {@code database} on the server, read as {@code role}. */
    public static Map<String, String> environment(String name, PostgresServers.TestServer server, String database,
            String role) {
        return Map.of(TargetDatabase.variable(name, "URL"), "jdbc:postgresql://127.0.0.1:" + server.port() + "/"
                + database, TargetDatabase.variable(name, "USER"), role, TargetDatabase.variable(name, "PASSWORD"),
                PASSWORD);
    }

    /** The target opened with the server's superuser: its transactions are read-only all the same. */
    static TargetDatabase openAsSuperuser(PostgresServers.TestServer server) {
        return openAsSuperuser(server, DATABASE);
    }

    static TargetDatabase openAsSuperuser(PostgresServers.TestServer server, String database) {
        Map<String, String> env = Map.of(TargetDatabase.variable("shop", "URL"), "jdbc:postgresql://127.0.0.1:"
                        + server.port() + "/" + database, TargetDatabase.variable("shop", "USER"), server.superuser(),
                TargetDatabase.variable("shop", "PASSWORD"), server.password());
        return TargetDatabase.open("shop", env, Duration.ofSeconds(10));
    }

    static Connection connectAs(PostgresServers.TestServer server, String role) throws SQLException {
        return connectAs(server, DATABASE, role);
    }

    public static Connection connectAs(PostgresServers.TestServer server, String database, String role)
            throws SQLException {
        Properties p = new Properties();
        p.setProperty("user", role);
        p.setProperty("password", PASSWORD);
        return DriverManager.getConnection("jdbc:postgresql://127.0.0.1:" + server.port() + "/" + database, p);
    }

    /**
     * A checksum of what a write could change: the catalog of the database's own objects (relations, columns,
     * indexes, constraints, ACLs, functions, extensions, roles' settings) and every row of the shop tables. Not
     * reltuples: autovacuum may analyze.
     */
    static String fingerprint(PostgresServers.TestServer server) throws SQLException {
        return fingerprint(server, DATABASE, SHOP_TABLES);
    }

    /** The same checksum of another database, with every row of {@code tables} ("schema.table", each with an id). */
    public static String fingerprint(PostgresServers.TestServer server, String database, List<String> tables)
            throws SQLException {
        StringBuilder rows = new StringBuilder();
        for (String t : tables) {
            rows.append("\n       union all select '").append(t).append("' || md5(string_agg(t::text, ',' order by t.id))")
                    .append(" from ").append(t).append(" t");
        }
        try (Connection c = server.connect(database); Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("""
                     select md5(string_agg(x, '|' order by x)) from (
                       select c.oid::text || c.relname || c.relkind::text || coalesce(c.relacl::text, '')
                              || c.relrowsecurity::text as x
                         from pg_class c where c.relnamespace not in ('pg_catalog'::regnamespace,
                              'information_schema'::regnamespace, 'pg_toast'::regnamespace)
                       union all select attrelid::text || attname || atttypid::text || attnotnull::text from pg_attribute
                        where attrelid >= 16384
                       union all select pg_get_indexdef(indexrelid) || indisvalid::text from pg_index
                        where indexrelid >= 16384
                       union all select conname || pg_get_constraintdef(oid) from pg_constraint where oid >= 16384
                       union all select proname || prosrc from pg_proc where oid >= 16384
                       union all select extname || extversion from pg_extension
                       union all select rolname || coalesce((select setconfig::text from pg_db_role_setting
                              where setrole = r.oid), '') from pg_roles r""" + rows + ") s")) {
            rs.next();
            return rs.getString(1);
        }
    }

    private static String resource(String name) {
        try (InputStream in = LiveTarget.class.getResourceAsStream("/dev/backendteam/queryoptimizer/targetdb/"
                + name)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
