package dev.backendteam.ops.config;

import dev.backendteam.contract.SpecialistEngine;
import dev.backendteam.ops.debugger.DebuggerEngine;
import dev.backendteam.ops.debugger.DebuggerPatterns;
import dev.backendteam.ops.engine.DeploymentEngine;
import dev.backendteam.ops.engine.MonitorEngine;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

/**
 * The service's roles, one engine each, handed to the specialist runtime, which dispatches every task by its role.
 * The debugger's catalogue is read once, at start-up, so a broken one fails fast.
 */
public class OpsEngines {

    @Produces
    @Singleton
    SpecialistEngine deployment() {
        return new DeploymentEngine();
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
