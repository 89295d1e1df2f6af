package dev.backendteam.orchestrator.config;

import dev.backendteam.contract.Specialist;
import dev.backendteam.orchestrator.engine.FlowCatalog;
import dev.backendteam.contract.JobInputs;
import dev.backendteam.orchestrator.engine.FlowExamples;
import dev.backendteam.orchestrator.engine.Job;
import dev.backendteam.orchestrator.engine.JobCoordinator;
import dev.backendteam.orchestrator.engine.Router;
import dev.backendteam.orchestrator.engine.TaskMatcher;
import dev.backendteam.orchestrator.engine.plan.TaskPlanner;
import dev.backendteam.orchestrator.rest.SubmissionGate;
import dev.backendteam.orchestrator.rest.SubmissionLimiter;
import dev.backendteam.orchestrator.service.RequestReader;
import io.quarkus.runtime.Startup;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import org.eclipse.microprofile.config.ConfigProvider;
import org.jboss.logging.Logger;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/** Wires the plain-Java engine (flows, router and its matcher, coordinator) and the request reader into CDI. */
public class EngineProducer {

    private static final Logger LOG = Logger.getLogger(EngineProducer.class);

    @Produces
    @Singleton
    FlowCatalog flowCatalog() {
        return FlowCatalog.fromClasspath();
    }

    @Produces
    @Singleton
    JobCoordinator coordinator(FlowCatalog catalog, Router router, OrchestratorConfig config,
            Optional<TaskPlanner> planner) {
        JobCoordinator coordinator = new JobCoordinator(catalog, router, settings(config), Clock.systemUTC());
        return planner.isEmpty() ? coordinator : coordinator.withPlanner(EngineProducer::needsPlanner);
    }

    /** At start, so that the log says how tasks are routed (the model itself loads when a task needs it). */
    @Produces
    @Singleton
    @Startup
    Router router(FlowCatalog catalog, OrchestratorConfig config, Optional<TaskPlanner> planner) {
        if (planner.isPresent()) {
            LOG.infof("routing: the planner (%s) reads the tasks; keywords and inputs of flows.yaml route a job only"
                    + " when the planner gives no usable plan, so the example matcher is not loaded", planner.get()
                    .provider());
            return new Router(catalog, null);
        }
        Path workDirectory = config.routing().workDirectory().map(Path::of)
                .orElseGet(() -> Path.of(System.getProperty("java.io.tmpdir"), "backend-team-routing"));
        Duration keepAlive = config.routing().modelKeepAlive();
        Optional<TaskMatcher> matcher = matcher(config.routing().embeddings(), TaskMatcher.Provider.installed(),
                catalog, workDirectory, keepAlive);
        if (matcher.isPresent()) {
            LOG.infof("routing: keywords and inputs of flows.yaml, and example phrasings matched by %s, loaded from "
                    + "%s when a task first needs it and released %s s after the last one "
                    + "(backend-team.routing.model-keep-alive; backend-team.routing.embeddings=false turns it off)",
                    matcher.get().describe(), workDirectory, keepAlive.toSeconds());
        } else if (config.routing().embeddings()) {
            LOG.info("routing: keywords and inputs of flows.yaml only; this build carries no example matcher (built "
                    + "with -Dnative, or without the embeddings profile)");
        } else {
            LOG.info("routing: keywords and inputs of flows.yaml only (backend-team.routing.embeddings=false)");
        }
        return new Router(catalog, matcher.orElse(null));
    }

    /**
     * The first installed matcher over flow-examples.yaml, if routing by example is on and the build has one; a
     * negative keep-alive is a mistake, refused at start either way.
     */
    static Optional<TaskMatcher> matcher(boolean enabled, List<TaskMatcher.Provider> installed, FlowCatalog catalog,
            Path workDirectory, Duration keepAlive) {
        if (keepAlive.isNegative()) {
            throw new IllegalArgumentException("backend-team.routing.model-keep-alive (BACKEND_TEAM_ROUTING_MODEL_"
                    + "KEEP_ALIVE) cannot be negative: " + keepAlive);
        }
        if (!enabled || installed.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(installed.get(0).create(FlowExamples.fromClasspath().checkedAgainst(catalog),
                workDirectory, keepAlive));
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

    /** Who owns a job from an event; a malformed rule is refused at start. */
    @Produces
    @Singleton
    EventOwners eventOwners(OrchestratorConfig config) {
        return new EventOwners(config.eventsOwners(), config.eventsOwner());
    }

    /** The submission budget per owner; a negative setting is refused at start. */
    @Produces
    @Singleton
    SubmissionLimiter submissionLimiter(OrchestratorConfig config) {
        return new SubmissionLimiter(config.submissionsPerMinute(), System::nanoTime);
    }

    /** The bound on submissions in flight on this replica; a negative setting is refused at start. */
    @Produces
    @Singleton
    SubmissionGate submissionGate(OrchestratorConfig config) {
        return new SubmissionGate(config.submissionsInFlight());
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
