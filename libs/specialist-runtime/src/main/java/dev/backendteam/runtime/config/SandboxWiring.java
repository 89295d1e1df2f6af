package dev.backendteam.runtime.config;

import dev.backendteam.sandbox.Sandbox;
import dev.backendteam.sandbox.SandboxSettings;
import jakarta.enterprise.inject.Disposes;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The PostgreSQL sandbox of {@code libs/sandbox}, configured by its environment variables
 * ({@code BACKEND_TEAM_SANDBOX_ADMIN_URL}, …, see its README). Without an admin URL there is none: engines then run no
 * proof and say so in their evidence ({@code not_run}). The bean is made on first injection (ops's engines never
 * ask for it, so ops runs no janitor) and the server is prepared on first use, so that an unreachable sandbox fails
 * a step (retryably), not the service's start. A service may set its own defaults for the step budget and the
 * statement timeout in its application.properties ({@code backend-team.sandbox.step-budget},
 * {@code backend-team.sandbox.statement-timeout}: query-optimizer builds indexes on generated data); the environment
 * variables still win.
 */
public class SandboxWiring {
    public static final String ADMIN_URL = SandboxSettings.ENV_PREFIX + "ADMIN_URL";
    public static final String STEP_BUDGET = "backend-team.sandbox.step-budget";
    public static final String STATEMENT_TIMEOUT = "backend-team.sandbox.statement-timeout";
    private static final Duration SWEEP_PERIOD = Duration.ofMinutes(10);
    private static final Logger LOG = Logger.getLogger(SandboxWiring.class);

    /**
     * Whether the environment configures a sandbox, without building one: the sandbox itself (and its janitor) is
     * only made for a service whose engines inject it.
     */
    public static boolean configured() {
        String url = System.getenv(ADMIN_URL);
        return url != null && !url.isBlank();
    }

    /**
     * The sandbox's variables with the service's defaults under them: a default only fills a variable the
     * environment does not set (a {@code _PG<v>_} variable, which overrides the plain one, still does).
     */
    static Map<String, String> environment(Map<String, String> env, Optional<String> stepBudget,
            Optional<String> statementTimeout) {
        Map<String, String> merged = new HashMap<>();
        stepBudget.ifPresent(v -> merged.put(SandboxSettings.ENV_PREFIX + "STEP_BUDGET", v));
        statementTimeout.ifPresent(v -> merged.put(SandboxSettings.ENV_PREFIX + "STATEMENT_TIMEOUT", v));
        merged.putAll(env);
        return merged;
    }

    @Produces
    @Singleton
    Optional<Sandbox> sandbox(@ConfigProperty(name = STEP_BUDGET) Optional<String> stepBudget,
            @ConfigProperty(name = STATEMENT_TIMEOUT) Optional<String> statementTimeout) {
        if (!configured()) {
            LOG.warnf("%s is not set: no sandbox, so no proof runs, and every result says so", ADMIN_URL);
            return Optional.empty();
        }
        Map<String, String> env = environment(System.getenv(), stepBudget, statementTimeout);
        Sandbox sandbox = new Sandbox(SandboxSettings.fromEnvironment(env));
        sandbox.scheduleSweeps(SWEEP_PERIOD);
        return Optional.of(sandbox);
    }

    void close(@Disposes Optional<Sandbox> sandbox) {
        sandbox.ifPresent(Sandbox::close);
    }
}
