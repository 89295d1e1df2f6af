package dev.backendteam.queryoptimizer.config;

import dev.backendteam.contract.SpecialistEngine;
import dev.backendteam.contract.llm.ModelSession;
import dev.backendteam.queryoptimizer.engine.OptimizerSettings;
import dev.backendteam.queryoptimizer.engine.QueryOptimizerEngine;
import dev.backendteam.queryoptimizer.engine.TargetAccess;
import dev.backendteam.sandbox.Sandbox;
import dev.backendteam.sandbox.targetdb.TargetDatabase;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import org.eclipse.microprofile.config.inject.ConfigProperty;

import java.time.Duration;
import java.util.Optional;

/**
 * The service's one role, handed to the specialist runtime, which consumes the topic and dispatches by role. With a
 * model configured (the runtime's ModelWiring) a job that names no query gets its workload drafted from its words.
 */
public class QueryOptimizerEngines {

    @Produces
    @Singleton
    SpecialistEngine queryOptimizer(Optional<Sandbox> sandbox, Optional<ModelSession> model,
            @ConfigProperty(name = "backend-team.optimizer.row-budget", defaultValue = "250000") long rowBudget,
            @ConfigProperty(name = "backend-team.optimizer.max-indexes", defaultValue = "10") int maxIndexes,
            @ConfigProperty(name = "backend-team.optimizer.threshold", defaultValue = "0.2") double threshold) {
        OptimizerSettings d = OptimizerSettings.defaults();
        // a job's target (BACKEND_TEAM_TARGET_<NAME>_URL) is read, never written
        return new QueryOptimizerEngine(sandbox, new OptimizerSettings(rowBudget, maxIndexes, threshold, d.tolerance()),
                new TargetAccess(name -> TargetDatabase.open(name, System.getenv(), Duration.ofSeconds(15))), model);
    }
}
