package dev.backendteam.ops.config;

import dev.backendteam.contract.SpecialistEngine;
import dev.backendteam.contract.llm.ModelSession;
import dev.backendteam.ops.debugger.DebuggerEngine;
import dev.backendteam.ops.debugger.DebuggerPatterns;
import dev.backendteam.ops.deployment.DeploymentEngine;
import dev.backendteam.ops.deployment.check.Toolchain;
import dev.backendteam.ops.functions.DenoToolchain;
import dev.backendteam.ops.functions.EdgeFunctionsEngine;
import dev.backendteam.ops.monitor.MonitorCatalogue;
import dev.backendteam.ops.monitor.MonitorEngine;
import dev.backendteam.ops.monitor.MonitorSettings;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import org.eclipse.microprofile.config.Config;
import org.eclipse.microprofile.config.inject.ConfigProperty;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The service's roles, one engine each, handed to the specialist runtime, which dispatches every task by its role.
 * The debugger's and the monitor's catalogues are read once, at start-up, so a broken one fails fast. The deployment
 * role's checkers live in the toolchain folder ({@code backend-team.ops.toolchain}); a missing one makes its checks
 * {@code not_run}. With a model configured (the runtime's ModelWiring) the debugger classifies, through it, a log no
 * pattern recognises, and the deployment role has it describe the services of files the stack detector cannot read.
 */
public class OpsEngines {

    @Produces
    @Singleton
    SpecialistEngine deployment(@ConfigProperty(name = "backend-team.ops.toolchain") Optional<String> toolchain,
            @ConfigProperty(name = "backend-team.ops.check-timeout", defaultValue = "60s") Duration checkTimeout,
            Optional<ModelSession> model) {
        return new DeploymentEngine(Toolchain.locate(toolchain, checkTimeout), model);
    }

    /** Edge functions: Deno and its module cache live in the same toolchain folder; missing, the checks are not_run. */
    @Produces
    @Singleton
    SpecialistEngine edgeFunctions(@ConfigProperty(name = "backend-team.ops.toolchain") Optional<String> toolchain,
            @ConfigProperty(name = "backend-team.ops.check-timeout", defaultValue = "60s") Duration checkTimeout) {
        return new EdgeFunctionsEngine(DenoToolchain.at(Toolchain.locate(toolchain, checkTimeout).dir(), checkTimeout));
    }

    @Produces
    @Singleton
    SpecialistEngine debugger(DebuggerConfig config, Optional<ModelSession> model) {
        return new DebuggerEngine(DebuggerPatterns.bundled(), config.maxLogChars(), model);
    }

    /**
     * Each threshold of the catalogue is {@code backend-team.monitor.<name>} (application.properties, or the
     * environment's {@code BACKEND_TEAM_MONITOR_<NAME>}); a job's target is read from the process environment.
     */
    @Produces
    @Singleton
    SpecialistEngine monitor(Config config, Optional<ModelSession> model) {
        MonitorCatalogue catalogue = MonitorCatalogue.bundled();
        Map<String, Double> thresholds = new LinkedHashMap<>();
        catalogue.defaults().forEach((name, value) -> thresholds.put(name,
                config.getOptionalValue(MonitorSettings.PREFIX + name, Double.class).orElse(value)));
        Duration timeout = config.getOptionalValue(MonitorSettings.PREFIX + "statement-timeout", Duration.class)
                .orElse(MonitorSettings.DEFAULT_STATEMENT_TIMEOUT);
        return new MonitorEngine(catalogue, new MonitorSettings(thresholds, timeout), System.getenv(), model);
    }
}
