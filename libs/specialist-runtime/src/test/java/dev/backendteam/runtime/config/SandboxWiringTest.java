package dev.backendteam.runtime.config;

import dev.backendteam.sandbox.SandboxSettings;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Map;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** A service's sandbox defaults sit under the environment: a variable that is set always wins. */
class SandboxWiringTest {
    private static final String URL = "jdbc:postgresql://127.0.0.1:5432/postgres";

    private static SandboxSettings settings(Map<String, String> env, String stepBudget, String statementTimeout) {
        return SandboxSettings.fromEnvironment(SandboxWiring.environment(env, Optional.ofNullable(stepBudget),
                Optional.ofNullable(statementTimeout)));
    }

    @Test
    void theServicesDefaultsApplyWhenTheEnvironmentSaysNothing() {
        SandboxSettings s = settings(Map.of(SandboxWiring.ADMIN_URL, URL), "240s", "30s");
        assertEquals(Duration.ofSeconds(240), s.stepBudget());
        assertEquals(Duration.ofSeconds(30), s.statementTimeout());
    }

    @Test
    void theEnvironmentWinsOverTheServicesDefaults() {
        SandboxSettings s = settings(Map.of(SandboxWiring.ADMIN_URL, URL,
                "BACKEND_TEAM_SANDBOX_STEP_BUDGET", "90s", "BACKEND_TEAM_SANDBOX_STATEMENT_TIMEOUT", "5s"), "240s", "30s");
        assertEquals(Duration.ofSeconds(90), s.stepBudget());
        assertEquals(Duration.ofSeconds(5), s.statementTimeout());
        SandboxSettings pg15 = SandboxSettings.fromEnvironment(SandboxWiring.environment(Map.of(
                "BACKEND_TEAM_SANDBOX_PG15_ADMIN_URL", URL, "BACKEND_TEAM_SANDBOX_PG15_STEP_BUDGET", "60s"),
                Optional.of("240s"), Optional.empty()), 15);
        assertEquals(Duration.ofSeconds(60), pg15.stepBudget(), "a version's own variable wins too");
    }

    @Test
    void withoutDefaultsOrVariablesTheSandboxKeepsItsOwn() {
        SandboxSettings builtIn = SandboxSettings.builder(URL, "postgres", "").build();
        SandboxSettings s = settings(Map.of(SandboxWiring.ADMIN_URL, URL), null, null);
        assertEquals(builtIn.stepBudget(), s.stepBudget());
        assertEquals(builtIn.statementTimeout(), s.statementTimeout());
        assertEquals(Duration.ofSeconds(240), settings(Map.of(SandboxWiring.ADMIN_URL, URL), "240s", null)
                .stepBudget());
        assertEquals(builtIn.statementTimeout(), settings(Map.of(SandboxWiring.ADMIN_URL, URL), "240s", null)
                .statementTimeout(), "one default leaves the other setting alone");
    }
}
