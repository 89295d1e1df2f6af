package dev.backendteam.runtime.config;

import dev.backendteam.sandbox.Sandbox;
import dev.backendteam.sandbox.SandboxSettings;
import jakarta.enterprise.inject.Disposes;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import org.jboss.logging.Logger;

import java.time.Duration;
import java.util.Map;
import java.util.Optional;

/**
 * The PostgreSQL sandbox of {@code libs/sandbox}, configured by its environment variables
 * ({@code BACKEND_TEAM_SANDBOX_ADMIN_URL}, …, see its README). Without an admin URL there is none: engines then run no
 * proof and say so in their evidence ({@code not_run}). The bean is made on first injection (ops's engines never
 * ask for it, so ops runs no janitor) and the server is prepared on first use, so that an unreachable sandbox fails
 * a step (retryably), not the service's start.
 */
public class SandboxWiring {
    public static final String ADMIN_URL = SandboxSettings.ENV_PREFIX + "ADMIN_URL";
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

    @Produces
    @Singleton
    Optional<Sandbox> sandbox() {
        Map<String, String> env = System.getenv();
        if (!configured()) {
            LOG.warnf("%s is not set: no sandbox, so no proof runs, and every result says so", ADMIN_URL);
            return Optional.empty();
        }
        Sandbox sandbox = new Sandbox(SandboxSettings.fromEnvironment(env));
        sandbox.scheduleSweeps(SWEEP_PERIOD);
        return Optional.of(sandbox);
    }

    void close(@Disposes Optional<Sandbox> sandbox) {
        sandbox.ifPresent(Sandbox::close);
    }
}
