package dev.backendteam.ops.monitor;

import dev.backendteam.sandbox.PostgresServers;
import dev.backendteam.sandbox.targetdb.TargetDatabase;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Map;
import java.util.Properties;

/**
 * Target databases on the sandbox's PostgreSQL 17 test server, as a user's would be: made by the server's superuser
 * (the application), read by a monitoring role as the product is given one — login, default_transaction_read_only,
 * pg_read_all_stats (so it may read every database's statistics and query text), SELECT on the tables and sequences
 * of {@code public} — and by a narrow role with SELECT on the tables only.
 */
final class MonitorTargets {
    static final String READER = "mon_reader";
    static final String NARROW = "mon_narrow";
    static final String PASSWORD = "mon-reader-pw";

    private MonitorTargets() {
    }

    /** A new database (dropped first if a previous run left it) with pg_stat_statements, readable by the roles. */
    static void create(PostgresServers.TestServer server, String database) throws SQLException {
        try (Connection c = server.connect("postgres"); Statement st = c.createStatement()) {
            for (String role : new String[] {READER, NARROW}) {
                st.execute("do $$ begin create role " + role + " login; exception when duplicate_object then null;"
                        + " end $$");
                st.execute("alter role " + role + " password '" + PASSWORD + "'");
                st.execute("alter role " + role + " set default_transaction_read_only = on");
            }
            st.execute("grant pg_read_all_stats to " + READER);
            st.execute("drop database if exists " + database + " with (force)");
            st.execute("create database " + database);
            st.execute("grant connect on database " + database + " to " + READER + ", " + NARROW);
        }
        try (Connection c = server.connect(database); Statement st = c.createStatement()) {
            st.execute("create extension pg_stat_statements");
            st.execute("grant usage on schema public to " + READER + ", " + NARROW);
            st.execute("alter default privileges in schema public grant select on tables to " + READER + ", "
                    + NARROW);
            st.execute("alter default privileges in schema public grant select on sequences to " + READER);
        }
    }

    /** The environment that configures target {@code name} as {@code database}, read as {@code role}. */
    static Map<String, String> environment(String name, PostgresServers.TestServer server, String database,
            String role) {
        return Map.of(TargetDatabase.variable(name, "URL"), "jdbc:postgresql://127.0.0.1:" + server.port() + "/"
                + database, TargetDatabase.variable(name, "USER"), role, TargetDatabase.variable(name, "PASSWORD"),
                PASSWORD);
    }

    /** A connection of the application (the superuser), autocommit. */
    static Connection app(PostgresServers.TestServer server, String database) throws SQLException {
        Connection c = server.connect(database);
        c.setAutoCommit(true);
        return c;
    }

    static Connection as(PostgresServers.TestServer server, String database, String role) throws SQLException {
        Properties p = new Properties();
        p.setProperty("user", role);
        p.setProperty("password", PASSWORD);
        return DriverManager.getConnection("jdbc:postgresql://127.0.0.1:" + server.port() + "/" + database, p);
    }

    /** Makes this session's statistics visible to others now (they flush at most once a second otherwise). */
    static void flushStatistics(Statement st) throws SQLException {
        st.execute("select pg_stat_force_next_flush()");
        st.execute("select 1");
    }
}
