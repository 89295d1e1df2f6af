package dev.backendteam.sandbox;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SandboxSettingsTest {

    @Test
    void defaultsFollowTheBrief() {
        SandboxSettings s = SandboxSettings.builder("jdbc:postgresql://db:5432/postgres", "admin", "secret").build();
        assertEquals(17, s.pgVersion());
        assertEquals(Duration.ofSeconds(15), s.statementTimeout());
        assertEquals(Duration.ofSeconds(5), s.lockTimeout());
        assertEquals(Duration.ofSeconds(30), s.idleInTransactionTimeout());
        assertEquals(Duration.ofSeconds(60), s.stepBudget());
        assertEquals("256MB", s.tempFileLimit());
        assertEquals(10, s.connectionLimit());
        assertEquals("sandbox_template", s.templateName());
        assertEquals(Duration.ofHours(1), s.janitorBound());
        assertTrue(s.allowedExtensions().containsAll(List.of("pgcrypto", "uuid-ossp", "pg_trgm", "citext", "moddatetime")));
        assertFalse(s.allowedExtensions().contains("dblink"));
        assertTrue(s.revokeConnectFromPublic());
    }

    @Test
    void theEnvironmentOverridesDefaultsAndAVersionSpecificServerWins() {
        Map<String, String> env = Map.of(
                "BACKEND_TEAM_SANDBOX_ADMIN_URL", "jdbc:postgresql://pg17:5432/postgres",
                "BACKEND_TEAM_SANDBOX_PG15_ADMIN_URL", "jdbc:postgresql://pg15:5432/postgres",
                "BACKEND_TEAM_SANDBOX_ADMIN_USER", "sandbox_admin",
                "BACKEND_TEAM_SANDBOX_STATEMENT_TIMEOUT", "10s",
                "BACKEND_TEAM_SANDBOX_STEP_BUDGET", "PT2M",
                "BACKEND_TEAM_SANDBOX_ALLOWED_EXTENSIONS", "pgcrypto, citext");
        SandboxSettings latest = SandboxSettings.fromEnvironment(env);
        assertEquals(17, latest.pgVersion());
        assertEquals("jdbc:postgresql://pg17:5432/postgres", latest.adminUrl());
        assertEquals("sandbox_admin", latest.adminUser());
        assertEquals(Duration.ofSeconds(10), latest.statementTimeout());
        assertEquals(Duration.ofMinutes(2), latest.stepBudget());
        assertEquals(List.of("pgcrypto", "citext"), latest.allowedExtensions());
        SandboxSettings fifteen = SandboxSettings.fromEnvironment(env, 15);
        assertEquals(15, fifteen.pgVersion());
        assertEquals("jdbc:postgresql://pg15:5432/postgres", fifteen.adminUrl());
    }

    @Test
    void refusesWhatWouldWeakenOrBreakTheSandbox() {
        var b = SandboxSettings.builder("jdbc:postgresql://db/postgres", "admin", "x");
        assertThrows(IllegalArgumentException.class, () -> b.pgVersion(12).build());
        assertThrows(IllegalArgumentException.class, () -> b.pgVersion(17).statementTimeout(Duration.ZERO).build());
        assertThrows(IllegalArgumentException.class, () -> b.statementTimeout(Duration.ofSeconds(1)).templateName("sbx_tpl").build());
        assertThrows(IllegalArgumentException.class, () -> b.templateName("Bad Name").build());
        assertThrows(IllegalArgumentException.class, () -> b.templateName("sandbox_template").tempFileLimit("lots").build());
        assertThrows(IllegalArgumentException.class, () -> SandboxSettings.fromEnvironment(Map.of()));
        assertThrows(IllegalArgumentException.class,
                () -> SandboxSettings.builder("postgres://db/postgres", "admin", "x").build());
    }

    @Test
    void thePasswordStaysOutOfToString() {
        String text = SandboxSettings.builder("jdbc:postgresql://db/postgres?password=hunter2", "admin", "hunter3").build().toString();
        assertFalse(text.contains("hunter2"));
        assertFalse(text.contains("hunter3"));
    }

    @Test
    void durationsInShortForm() {
        assertEquals(Duration.ofMillis(500), SandboxSettings.parseDuration("500ms"));
        assertEquals(Duration.ofMinutes(3), SandboxSettings.parseDuration("3m"));
        assertEquals(Duration.ofHours(1), SandboxSettings.parseDuration("1h"));
        assertEquals(Duration.ofSeconds(15), SandboxSettings.parseDuration("PT15S"));
    }

    @Test
    void runnerUrlsKeepTransportParametersOnly() {
        JdbcUrl url = JdbcUrl.parse("jdbc:postgresql://h1:5432,h2:5433/postgres?user=admin&password=p&sslmode=require"
                + "&options=-c%20statement_timeout%3D0&connectTimeout=5");
        assertEquals("postgres", url.database());
        assertEquals("jdbc:postgresql://h1:5432,h2:5433/sbx_a?sslmode=require&connectTimeout=5", url.forRunner("sbx_a"));
        assertTrue(url.forAdmin("tpl").contains("user=admin"));
    }
}
