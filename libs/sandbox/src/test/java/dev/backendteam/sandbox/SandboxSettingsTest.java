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
        assertEquals(GrantModel.EXPLICIT, s.grants());
        assertEquals("sandbox_template_explicit", s.templateDatabase(GrantModel.EXPLICIT));
        assertEquals("sandbox_template_legacy", s.templateDatabase(GrantModel.LEGACY));
        assertEquals(32L * 1024 * 1024, s.maxResultBytes());
        assertEquals(1024L * 1024, s.maxMessageBytes());
        assertEquals(64L * 1024 * 1024, s.maxOutputBytes());
        assertEquals(50, s.maxNotices());
        assertEquals(8, s.maxConcurrentSteps());
    }

    @Test
    void grantModelsByTheirWireNames() {
        assertEquals(GrantModel.EXPLICIT, GrantModel.of("explicit"));
        assertEquals(GrantModel.LEGACY, GrantModel.of(" LEGACY "));
        assertEquals("legacy", GrantModel.LEGACY.wire());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> GrantModel.of("auto"));
        assertEquals("unknown grant model 'auto': expected one of explicit, legacy", e.getMessage());
    }

    @Test
    void grantsAndOutputBoundsFromTheEnvironmentPerVersion() {
        Map<String, String> env = Map.of(
                "BACKEND_TEAM_SANDBOX_ADMIN_URL", "jdbc:postgresql://pg:5432/postgres",
                "BACKEND_TEAM_SANDBOX_GRANTS", "Legacy",
                "BACKEND_TEAM_SANDBOX_PG15_GRANTS", "explicit",
                "BACKEND_TEAM_SANDBOX_MAX_RESULT_BYTES", "8MB",
                "BACKEND_TEAM_SANDBOX_MAX_MESSAGE_BYTES", "512kB",
                "BACKEND_TEAM_SANDBOX_MAX_OUTPUT_BYTES", "16777216",
                "BACKEND_TEAM_SANDBOX_MAX_NOTICES", "20",
                "BACKEND_TEAM_SANDBOX_MAX_CONCURRENT_STEPS", "3");
        SandboxSettings latest = SandboxSettings.fromEnvironment(env);
        assertEquals(GrantModel.LEGACY, latest.grants());
        assertEquals(8L * 1024 * 1024, latest.maxResultBytes());
        assertEquals(512L * 1024, latest.maxMessageBytes());
        assertEquals(16L * 1024 * 1024, latest.maxOutputBytes());
        assertEquals(20, latest.maxNotices());
        assertEquals(3, latest.maxConcurrentSteps());
        assertEquals(GrantModel.EXPLICIT, SandboxSettings.fromEnvironment(env, 15).grants());
    }

    @Test
    void anInvalidValueNamesItsVariable() {
        Map<String, String> env = new java.util.HashMap<>(Map.of("BACKEND_TEAM_SANDBOX_ADMIN_URL", "jdbc:postgresql://pg/postgres",
                "BACKEND_TEAM_SANDBOX_PG15_GRANTS", "automatic"));
        IllegalArgumentException grants = assertThrows(IllegalArgumentException.class, () -> SandboxSettings.fromEnvironment(env, 15));
        assertTrue(grants.getMessage().startsWith("BACKEND_TEAM_SANDBOX_PG15_GRANTS=automatic is invalid"), grants.getMessage());
        assertTrue(grants.getMessage().contains("explicit, legacy"), grants.getMessage());
        env.remove("BACKEND_TEAM_SANDBOX_PG15_GRANTS");
        env.put("BACKEND_TEAM_SANDBOX_MAX_RESULT_BYTES", "a lot");
        IllegalArgumentException bytes = assertThrows(IllegalArgumentException.class, () -> SandboxSettings.fromEnvironment(env));
        assertTrue(bytes.getMessage().startsWith("BACKEND_TEAM_SANDBOX_MAX_RESULT_BYTES=a lot is invalid"), bytes.getMessage());
        env.put("BACKEND_TEAM_SANDBOX_MAX_RESULT_BYTES", "1kB");
        IllegalArgumentException small = assertThrows(IllegalArgumentException.class, () -> SandboxSettings.fromEnvironment(env));
        assertTrue(small.getMessage().startsWith("maxResultBytes must be at least 65536 bytes"), small.getMessage());
        env.remove("BACKEND_TEAM_SANDBOX_MAX_RESULT_BYTES");
        env.put("BACKEND_TEAM_SANDBOX_STATEMENT_TIMEOUT", "soon");
        IllegalArgumentException duration = assertThrows(IllegalArgumentException.class, () -> SandboxSettings.fromEnvironment(env));
        assertTrue(duration.getMessage().startsWith("BACKEND_TEAM_SANDBOX_STATEMENT_TIMEOUT=soon is invalid"), duration.getMessage());
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
        // the grant model's suffix must fit in PostgreSQL's 63 characters
        assertThrows(IllegalArgumentException.class, () -> b.tempFileLimit("256MB").templateName("t".repeat(55)).build());
        assertEquals("t".repeat(54) + "_explicit", b.templateName("t".repeat(54)).build().templateDatabase(GrantModel.EXPLICIT));
        var ok = b.templateName("sandbox_template");
        assertThrows(IllegalArgumentException.class, () -> ok.maxOutputBytes(1024 * 1024).build(), "below maxResultBytes");
        assertThrows(IllegalArgumentException.class, () -> ok.maxOutputBytes(64L * 1024 * 1024).maxNotices(-1).build());
        assertThrows(IllegalArgumentException.class, () -> ok.maxNotices(50).maxConcurrentSteps(0).build());
    }

    @Test
    void thePasswordStaysOutOfToString() {
        String text = SandboxSettings.builder("jdbc:postgresql://db/postgres?password=hunter2", "admin", "hunter3").build().toString();
        assertFalse(text.contains("hunter2"));
        assertFalse(text.contains("hunter3"));
    }

    @Test
    void sizesInBinaryMultiples() {
        assertEquals(1024, SandboxSettings.parseBytes("1kB"));
        assertEquals(32L * 1024 * 1024, SandboxSettings.parseBytes("32MB"));
        assertEquals(32L * 1024 * 1024, SandboxSettings.parseBytes("32 MiB"));
        assertEquals(1024L * 1024 * 1024, SandboxSettings.parseBytes("1GiB"));
        assertEquals(12345, SandboxSettings.parseBytes("12345"));
        assertThrows(IllegalArgumentException.class, () -> SandboxSettings.parseBytes("1TB"));
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

        // a socket factory is not inherited as a URL parameter (it would win over the sandbox's own one): the
        // sandbox's factory makes the runner's sockets through it
        JdbcUrl withFactory = JdbcUrl.parse("jdbc:postgresql://h/postgres?socketFactory=a.B&socketFactoryArg=x%3Dy&tcpKeepAlive=true");
        assertEquals("jdbc:postgresql://h/sbx_a?tcpKeepAlive=true", withFactory.forRunner("sbx_a"));
        assertEquals("a.B", withFactory.parameter("socketfactory"));
        assertEquals("x=y", withFactory.parameter("socketFactoryArg"));
        assertEquals(null, withFactory.parameter("sslmode"));
    }
}
