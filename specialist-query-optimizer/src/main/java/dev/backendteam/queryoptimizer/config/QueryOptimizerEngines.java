package dev.backendteam.queryoptimizer.config;

import dev.backendteam.contract.SpecialistEngine;
import dev.backendteam.queryoptimizer.engine.QueryOptimizerEngine;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

/** The service's one role, handed to the specialist runtime, which consumes the topic and dispatches by role. */
public class QueryOptimizerEngines {

    @Produces
    @Singleton
    SpecialistEngine queryOptimizer() {
        return new QueryOptimizerEngine();
    }
}
