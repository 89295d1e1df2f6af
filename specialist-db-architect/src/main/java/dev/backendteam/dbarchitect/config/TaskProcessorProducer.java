package dev.backendteam.dbarchitect.config;

import dev.backendteam.contract.TaskProcessor;
import dev.backendteam.dbarchitect.engine.DbArchitectEngine;
import dev.backendteam.dbarchitect.engine.proof.MigrationProver;
import dev.backendteam.dbarchitect.engine.proof.NoSandboxProver;
import dev.backendteam.dbarchitect.engine.proof.SandboxMigrationProver;
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
 * Wires the plain-Java engine and its prover into CDI. The sandbox is configured by the environment variables of
 * {@code libs/sandbox} ({@code BACKEND_TEAM_SANDBOX_ADMIN_URL}, …, see its README); without an admin URL the service
 * runs with {@link NoSandboxProver}, which proves nothing and says so in every result.
 */
public class TaskProcessorProducer {
    static final String ADMIN_URL = SandboxSettings.ENV_PREFIX + "ADMIN_URL";
    private static final Duration SWEEP_PERIOD = Duration.ofMinutes(10);
    private static final Logger LOG = Logger.getLogger(TaskProcessorProducer.class);

    @Produces
    @Singleton
    Optional<Sandbox> sandbox() {
        Map<String, String> env = System.getenv();
        String url = env.get(ADMIN_URL);
        if (url == null || url.isBlank()) {
            LOG.warnf("%s is not set: no sandbox, so migrations are linted but not applied, and results say so",
                    ADMIN_URL);
            return Optional.empty();
        }
        // The server is prepared on first use, so that an unreachable sandbox fails a step (retryably), not startup.
        Sandbox sandbox = new Sandbox(SandboxSettings.fromEnvironment(env));
        sandbox.scheduleSweeps(SWEEP_PERIOD);
        return Optional.of(sandbox);
    }

    void close(@Disposes Optional<Sandbox> sandbox) {
        sandbox.ifPresent(Sandbox::close);
    }

    @Produces
    @Singleton
    MigrationProver migrationProver(Optional<Sandbox> sandbox) {
        return sandbox.<MigrationProver>map(SandboxMigrationProver::new).orElseGet(NoSandboxProver::new);
    }

    @Produces
    @Singleton
    TaskProcessor taskProcessor(MigrationProver prover) {
        return new TaskProcessor(new DbArchitectEngine(prover));
    }
}
