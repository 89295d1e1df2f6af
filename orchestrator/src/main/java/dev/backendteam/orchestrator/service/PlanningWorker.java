package dev.backendteam.orchestrator.service;

import dev.backendteam.contract.llm.BudgetExceededException;
import dev.backendteam.contract.llm.ModelFailedException;
import dev.backendteam.contract.llm.ModelUsage;
import dev.backendteam.contract.llm.UsageLedger;
import dev.backendteam.orchestrator.engine.Job;
import dev.backendteam.orchestrator.engine.JobCoordinator;
import dev.backendteam.orchestrator.engine.plan.TaskPlanner;
import io.quarkus.scheduler.Scheduled;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import org.jboss.logging.Logger;
import org.jboss.logging.MDC;

import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * Plans the jobs waiting in {@code routing} (the AI planner's turn), outside any transaction: the model's call takes
 * seconds and must not hold a job's row. At most {@value #PARALLEL} jobs are planned at once per instance; a job
 * already being planned is not taken twice, and a job is claimed in the job store (a lease) before the model is
 * called, so several orchestrators never plan it at once; a plan made while the job moved on (an answer, a cancel) is
 * discarded, its calls still charged. The job's own token budget bounds the planner's calls, and a model that fails
 * or a plan that cannot be stored leaves the job routed as without a model, never stuck. Jobs left in {@code routing} by a crash, or after the
 * model was unconfigured, are found by the same scan.
 */
@ApplicationScoped
public class PlanningWorker {
    static final int PARALLEL = 4;
    /**
     * How long a claim on a job holds: longer than a plan can take (three drafts of bounded calls), so a replica that
     * died mid-plan leaves the job to another after it.
     */
    static final java.time.Duration LEASE = java.time.Duration.ofMinutes(15);
    private static final Logger LOG = Logger.getLogger(PlanningWorker.class);

    private final JobService jobs;
    private final JobCoordinator coordinator;
    private final Optional<TaskPlanner> planner;
    private final Set<UUID> planning = ConcurrentHashMap.newKeySet();
    private final ExecutorService pool = Executors.newFixedThreadPool(PARALLEL, r -> {
        Thread t = new Thread(r, "planner");
        t.setDaemon(true);
        return t;
    });

    public PlanningWorker(JobService jobs, JobCoordinator coordinator, Optional<TaskPlanner> planner) {
        this.jobs = jobs;
        this.coordinator = coordinator;
        this.planner = planner;
    }

    @Scheduled(every = "${backend-team.planner-scan:1s}", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void scan() {
        for (UUID id : jobs.awaitingPlan(PARALLEL * 4)) {
            if (planning.add(id)) {
                pool.submit(() -> {
                    try {
                        plan(id);
                    } catch (RuntimeException e) {
                        LOG.errorf(e, "planning job %s failed; it is tried again on the next scan", id);
                    } finally {
                        planning.remove(id);
                    }
                });
            }
        }
    }

    private void plan(UUID id) {
        if (!jobs.claimForPlanning(id, LEASE)) {
            return;
        }
        Optional<Job> found = jobs.load(id);
        if (found.isEmpty()) {
            return;
        }
        Job job = found.get();
        MDC.put("jobId", id.toString());
        try {
            if (planner.isEmpty()) {
                jobs.applyPlan(id, job.lastEvent, new TaskPlanner.Outcome(null, "no model is configured", 0),
                        ModelUsage.NONE);
                return;
            }
            UsageLedger ledger = new UsageLedger(coordinator.tokenBudgetLeft(job));
            TaskPlanner.Outcome outcome;
            try (UsageLedger.Scope bound = UsageLedger.bind(ledger)) {
                outcome = planner.get().plan(job.task, job.inputs, job.flow);
            } catch (BudgetExceededException | ModelFailedException e) {
                outcome = new TaskPlanner.Outcome(null, e.getMessage(), 0);
            } catch (RuntimeException e) {
                LOG.errorf(e, "the planner failed on job %s", id);
                outcome = new TaskPlanner.Outcome(null, "the planner failed: " + e.getClass().getSimpleName(), 0);
            }
            try {
                jobs.applyPlan(id, job.lastEvent, outcome, ledger.usage());
            } catch (RuntimeException e) {
                // The plan could not be stored (the job store refused something in it): route without it, never
                // plan again in a loop.
                LOG.errorf(e, "the plan of job %s could not be stored; it is routed without it", id);
                jobs.applyPlan(id, job.lastEvent, new TaskPlanner.Outcome(null, "the plan could not be stored", 0),
                        ledger.usage());
            }
        } finally {
            MDC.remove("jobId");
        }
    }

    @PreDestroy
    void stop() {
        pool.shutdownNow();
    }
}
