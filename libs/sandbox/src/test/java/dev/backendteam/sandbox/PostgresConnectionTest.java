package dev.backendteam.sandbox;

import org.junit.jupiter.api.Test;

import java.util.Map;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class PostgresConnectionTest {

    @Test
    void railwaysDatabaseUrlBecomesJdbcUrlUserAndPassword() {
        PostgresConnection c = PostgresConnection.parse(
                "postgresql://postgres:AbC123@containers-us-west-1.railway.app:6543/railway?sslmode=require", "DATABASE_URL");
        assertEquals("jdbc:postgresql://containers-us-west-1.railway.app:6543/railway?sslmode=require", c.jdbcUrl());
        assertEquals("postgres", c.user());
        assertEquals("AbC123", c.password());
        assertFalse(c.toString().contains("AbC123"), c.toString());
    }

    @Test
    void postgresSchemeNoPortAndLibpqParameterNames() {
        PostgresConnection c = PostgresConnection.parse("postgres://neondb_owner:npg@ep-cool-1.eu-central-1.aws.neon.tech"
                + "/neondb?sslmode=require&channel_binding=require&connect_timeout=10&application_name=backend%20team", "DATABASE_URL");
        assertEquals("jdbc:postgresql://ep-cool-1.eu-central-1.aws.neon.tech/neondb?sslmode=require"
                + "&channelBinding=require&connectTimeout=10&ApplicationName=backend+team", c.jdbcUrl());
    }

    @Test
    void supabasePoolerUserWithADotAndAPercentEncodedPassword() {
        PostgresConnection c = PostgresConnection.parse("postgresql://postgres.abcdefgh:p%40ss%3Aw%2Frd%25+x"
                + "@aws-0-eu-central-1.pooler.supabase.com:5432/postgres", "DATABASE_URL");
        assertEquals("postgres.abcdefgh", c.user());
        assertEquals("p@ss:w/rd%+x", c.password(), "percent-decoded, and + stays a plus");
        assertEquals("jdbc:postgresql://aws-0-eu-central-1.pooler.supabase.com:5432/postgres", c.jdbcUrl());
    }

    @Test
    void unencodedAtSlashAndQuestionMarkInThePasswordStillParse() {
        PostgresConnection c = PostgresConnection.parse("postgresql://u:a@b/c?d@db.example.com/app", "DATABASE_URL");
        assertEquals("a@b/c?d", c.password());
        assertEquals("jdbc:postgresql://db.example.com/app", c.jdbcUrl());
    }

    @Test
    void ipv6HostsMultipleHostsAndAnEncodedDatabase() {
        assertEquals("jdbc:postgresql://[::1]:5433/my+db", PostgresConnection.parse("postgresql://u@[::1]:5433/my%20db",
                "DATABASE_URL").jdbcUrl());
        assertEquals("jdbc:postgresql://[2001:db8::2]/app",
                PostgresConnection.parse("postgresql://[2001:db8::2]/app?user=me&password=pw", "X").jdbcUrl());
        PostgresConnection q = PostgresConnection.parse("postgresql://[2001:db8::2]/app?user=me&password=pw", "X");
        assertEquals("me", q.user());
        assertEquals("pw", q.password());
        assertEquals("jdbc:postgresql://h1:5432,h2:5433/app?target_session_attrs=x".replace("target_session_attrs", "targetServerType"),
                PostgresConnection.parse("postgresql://h1:5432,h2:5433/app?target_session_attrs=x", "X").jdbcUrl());
    }

    @Test
    void badValuesAreRefusedWithTheVariableAndNeverThePassword() {
        assertRefused("mysql://u:hunter2@h/db", "DATABASE_URL=mysql://u:***@h/db must start with postgresql://");
        assertRefused("postgresql://u:hunter2@/db", "names no host");
        assertRefused("postgresql://u:hunter2@h:99999/db", "invalid port '99999'");
        assertRefused("postgresql://u:hunter2@h:54x/db", "invalid port '54x'");
        assertRefused("postgresql://u:hunter2@h:5432", "names no database");
        assertRefused("postgresql://u:hunter2@::1/db", "IPv6 host without brackets");
        assertRefused("postgresql://u:hunter2@[::1/db", "without its closing ]");
        assertRefused("postgresql://u:hunter2%zz@h/db", "broken percent-escape in the password");
        assertRefused("postgresql://u:hunter2@h%/db", "invalid host");
        assertRefused("postgresql://u:hunter2@h/db?password=hunter2&sslmode=%", "broken percent-escape");
    }

    @Test
    void maskedHidesUserInfoAndPasswordParameters() {
        assertEquals("postgresql://u:***@h/db?sslmode=require&password=***",
                PostgresConnection.masked("postgresql://u:s3@cr/et@h/db?sslmode=require&password=x"));
        assertEquals("jdbc:postgresql://h/db", PostgresConnection.masked("jdbc:postgresql://h/db"));
    }

    @Test
    void environmentPrefersDatabaseUrlOverThePgVariables() {
        Map<String, String> env = Map.of("DATABASE_URL", "postgresql://a:b@url-host/urldb",
                "PGHOST", "pg-host", "PGUSER", "pguser", "PGDATABASE", "pgdb");
        assertEquals("jdbc:postgresql://url-host/urldb", PostgresConnection.fromEnvironment(env).orElseThrow().jdbcUrl());
    }

    @Test
    void pgVariablesAsLibpqReadsThem() {
        PostgresConnection c = PostgresConnection.fromEnvironment(Map.of("PGHOST", "db.internal", "PGPORT", "6432",
                "PGDATABASE", "jobs", "PGUSER", "svc", "PGPASSWORD", "pw", "PGSSLMODE", "verify-full")).orElseThrow();
        assertEquals("jdbc:postgresql://db.internal:6432/jobs?sslmode=verify-full", c.jdbcUrl());
        assertEquals("svc", c.user());
        assertEquals("pw", c.password());
        PostgresConnection v6 = PostgresConnection.fromEnvironment(Map.of("PGHOST", "fd00::5", "PGUSER", "svc"))
                .orElseThrow();
        assertEquals("jdbc:postgresql://[fd00::5]/svc", v6.jdbcUrl(), "PGDATABASE defaults to PGUSER");
        assertNull(v6.password());
        assertEquals(Optional.empty(), PostgresConnection.fromEnvironment(Map.of("PGUSER", "only")));
        assertThrows(IllegalArgumentException.class, () -> PostgresConnection.fromEnvironment(Map.of("PGHOST", "h")));
    }

    @Test
    void theSandboxAdminUrlAcceptsTheLibpqForm() {
        SandboxSettings s = SandboxSettings.fromEnvironment(Map.of("BACKEND_TEAM_SANDBOX_ADMIN_URL",
                "postgresql://supa:pw%21@db.abc.supabase.co:5432/postgres?sslmode=require"));
        assertEquals("jdbc:postgresql://db.abc.supabase.co:5432/postgres?sslmode=require", s.adminUrl());
        assertEquals("supa", s.adminUser());
        assertEquals("pw!", s.adminPassword());
        SandboxSettings explicit = SandboxSettings.fromEnvironment(Map.of(
                "BACKEND_TEAM_SANDBOX_PG15_ADMIN_URL", "postgres://supa:pw@h15/postgres",
                "BACKEND_TEAM_SANDBOX_ADMIN_USER", "admin", "BACKEND_TEAM_SANDBOX_ADMIN_PASSWORD", "other"), 15);
        assertEquals("jdbc:postgresql://h15/postgres", explicit.adminUrl());
        assertEquals("admin", explicit.adminUser());
        assertEquals("other", explicit.adminPassword());
        IllegalArgumentException bad = assertThrows(IllegalArgumentException.class, () -> SandboxSettings.fromEnvironment(
                Map.of("BACKEND_TEAM_SANDBOX_PG15_ADMIN_URL", "postgres://supa:hunter2@h15:0/postgres"), 15));
        assertTrue(bad.getMessage().startsWith("BACKEND_TEAM_SANDBOX_PG15_ADMIN_URL=postgres://supa:***@h15:0/postgres"),
                bad.getMessage());
        assertFalse(bad.getMessage().contains("hunter2"));
    }

    private static void assertRefused(String url, String expected) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> PostgresConnection.parse(url, "DATABASE_URL"));
        assertTrue(e.getMessage().contains(expected), e.getMessage());
        assertFalse(e.getMessage().contains("hunter2"), e.getMessage());
    }
}
