package dev.backendteam.ops.config;

import dev.backendteam.contract.SpecialistEngine;
import dev.backendteam.ops.debugger.DebuggerEngine;
import dev.backendteam.ops.debugger.DebuggerPatterns;
import dev.backendteam.ops.deployment.DeploymentEngine;
import dev.backendteam.ops.deployment.check.Toolchain;
import dev.backendteam.ops.engine.MonitorEngine;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import org.eclipse.microprofile.config.inject.ConfigProperty;

import java.time.Duration;
import java.util.Optional;

/**
 * The service's roles, one engine each, handed to the specialist runtime, which dispatches every task by its role.
 * The debugger's catalogue is read once, at start-up, so a broken one fails fast. The deployment role's checkers
 * live in the toolchain folder ({@code backend-team.ops.toolchain}); a missing one makes its checks {@code not_run}.
 */
public class OpsEngines {

    @Produces
    @Singleton
    SpecialistEngine deployment(@ConfigProperty(name = "backend-team.ops.toolchain") Optional<String> toolchain,
            @ConfigProperty(name = "backend-team.ops.check-timeout", defaultValue = "60s") Duration checkTimeout) {
        return new DeploymentEngine(Toolchain.locate(toolchain, checkTimeout));
    }

    @Produces
    @Singleton
    SpecialistEngine debugger(DebuggerConfig config) {
        return new DebuggerEngine(DebuggerPatterns.bundled(), config.maxLogChars());
    }

    @Produces
    @Singleton
    SpecialistEngine monitor() {
        return new MonitorEngine();
    }
}
