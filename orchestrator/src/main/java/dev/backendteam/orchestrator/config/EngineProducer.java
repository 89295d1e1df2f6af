package dev.backendteam.orchestrator.config;

import dev.backendteam.contract.Specialist;
import dev.backendteam.orchestrator.engine.FlowCatalog;
import dev.backendteam.contract.JobInputs;
import dev.backendteam.orchestrator.engine.Job;
import dev.backendteam.orchestrator.engine.JobCoordinator;
import dev.backendteam.orchestrator.engine.plan.TaskPlanner;
import dev.backendteam.orchestrator.service.RequestReader;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import org.eclipse.microprofile.config.ConfigProvider;

import java.time.Clock;
import java.util.Optional;

/** Wires the plain-Java engine (flows, router, coordinator) and the request reader into CDI. */
public class EngineProducer {

    @Produces
    @Singleton
    FlowCatalog flowCatalog() {
        return FlowCatalog.fromClasspath();
    }

    @Produces
    @Singleton
    JobCoordinator coordinator(FlowCatalog catalog, OrchestratorConfig config, Optional<TaskPlanner> planner) {
        JobCoordinator coordinator = new JobCoordinator(catalog, settings(config), Clock.systemUTC());
        return planner.isEmpty() ? coordinator : coordinator.withPlanner(EngineProducer::needsPlanner);
    }

    /**
     * The planner reads a job whose flow the user did not choose, or whose only input is its words: a job with a chosen
     * flow and structured inputs is the deterministic path's, model or not.
     */
    static boolean needsPlanner(Job job) {
        JobInputs in = job.inputs;
        boolean structured = in.hasSpec() || in.hasSql() || in.hasQueries() || in.hasLogs() || in.hasFiles()
                || in.hasExplain();
        return job.flow == null || !structured;
    }

    /**
     * The coordinator's settings; a step deadline for a service that does not exist is a typo, and a negative token
     * budget a mistake, both refused at start.
     */
    static JobCoordinator.Settings settings(OrchestratorConfig config) {
        config.stepDeadlines().keySet().forEach(Specialist::of);
        return new JobCoordinator.Settings(config.stepDeadline(), config.stepDeadlines(), config.maxRetries(),
                config.maxHandoffDepth(), config.llm().jobTokenBudget());
    }

    @Produces
    @Singleton
    ApiKeys apiKeys(OrchestratorConfig config) {
        return new ApiKeys(config.apiKeys());
    }

    @Produces
    @Singleton
    TargetRegistry targets() {
        return new TargetRegistry(ConfigProvider.getConfig().getPropertyNames());
    }

    @Produces
    @Singleton
    RequestReader requestReader(FlowCatalog catalog, TargetRegistry targets, OrchestratorConfig config) {
        return new RequestReader(catalog, targets, config.maxRequestBytes());
    }
}
