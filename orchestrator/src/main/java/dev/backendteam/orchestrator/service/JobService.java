package dev.backendteam.orchestrator.service;

import dev.backendteam.contract.JobAnswer;
import dev.backendteam.contract.JobRequest;
import dev.backendteam.contract.JobStatus;
import dev.backendteam.contract.ResultEvent;
import dev.backendteam.orchestrator.engine.Job;
import dev.backendteam.orchestrator.engine.JobCoordinator;
import dev.backendteam.orchestrator.repository.Database;
import dev.backendteam.orchestrator.repository.JobRepository;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.enterprise.context.ApplicationScoped;
import org.jboss.logging.Logger;
import org.jboss.logging.MDC;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import dev.backendteam.contract.llm.ModelUsage;
import dev.backendteam.orchestrator.engine.plan.TaskPlanner;

/**
 * Every change to a job: load it locked, let the coordinator decide, store the change with its timeline and
 * outgoing messages in the same transaction, then wake the outbox relay.
 */
@ApplicationScoped
public class JobService {
    private static final Logger LOG = Logger.getLogger(JobService.class);

    public record Submitted(Job job, boolean created) {
    }

    public enum ResultOutcome {
        APPLIED, DUPLICATE, STALE, JOB_FINISHED, UNKNOWN_JOB
    }

    private final Database db;
    private final JobRepository repo;
    private final JobCoordinator coordinator;
    private final OutboxRelay relay;
    private final MeterRegistry metrics;
    private final ModelMetrics modelMetrics;

    public JobService(Database db, JobRepository repo, JobCoordinator coordinator, OutboxRelay relay,
            MeterRegistry metrics) {
        this.db = db;
        this.repo = repo;
        this.coordinator = coordinator;
        this.relay = relay;
        this.metrics = metrics;
        this.modelMetrics = new ModelMetrics(metrics);
    }

    /** Creates and routes a job; with an idempotency key, the same request returns the job it created before. */
    public Submitted submit(String owner, JobRequest request, String idempotencyKey) {
        String hash = RequestReader.fingerprint(request);
        Optional<Submitted> earlier = idempotencyKey == null ? Optional.empty() : replay(owner, idempotencyKey, hash);
        if (earlier.isPresent()) {
            return earlier.get();
        }
        Job job = Job.create(JobCoordinator.newJobId(), owner, request.task(), request.inputs(), request.flow(),
                request.correlationId(), idempotencyKey, hash, Instant.now());
        try {
            MDC.put("jobId", job.id.toString());
            db.inTransaction(c -> {
                coordinator.submit(job);
                repo.save(c, job);
                return null;
            });
            metrics.counter("backend_team_jobs_submitted_total").increment();
            modelMetrics.record(job.newSpending());
            LOG.infof("job %s submitted by %s: flow %s, status %s", job.id, owner, job.flow, job.status.wire());
            finished(job);
        } catch (Database.StoreException e) {
            if (idempotencyKey != null && e.getCause() instanceof SQLException s && "23505".equals(s.getSQLState())) {
                return replay(owner, idempotencyKey, hash).orElseThrow(() -> e);
            }
            throw e;
        } finally {
            MDC.remove("jobId");
        }
        relay.wakeUp();
        return new Submitted(job, true);
    }

    private Optional<Submitted> replay(String owner, String key, String hash) {
        return db.read(c -> {
            Optional<JobRepository.Idempotent> found = repo.byIdempotencyKey(c, owner, key);
            if (found.isEmpty()) {
                return Optional.empty();
            }
            if (!found.get().requestHash().equals(hash)) {
                throw new JobConflictException("idempotency-key-reused", "Idempotency-Key '" + key
                        + "' was used for job " + found.get().id() + " with a different request body");
            }
            return Optional.of(new Submitted(repo.find(c, found.get().id(), owner).orElseThrow(), false));
        });
    }

    /**
     * Applies a result once. A stale one may still change the job: the model calls of an earlier attempt that answers
     * late are charged to its step. A result for a job that has finished changes nothing, but its model calls are
     * counted in the metrics (the provider was called all the same).
     */
    public ResultOutcome applyResult(ResultEvent result) {
        UUID jobId = parseId(result.jobId());
        if (jobId == null) {
            return ResultOutcome.UNKNOWN_JOB;
        }
        try {
            MDC.put("jobId", jobId.toString());
            List<Job.Spending> spent = new ArrayList<>();
            ResultOutcome outcome = db.inTransaction(c -> {
                spent.clear();
                Optional<Job> locked = repo.lock(c, jobId);
                if (locked.isEmpty()) {
                    return ResultOutcome.UNKNOWN_JOB;
                }
                if (!repo.markProcessed(c, jobId, result.step(), result.attempt())) {
                    return ResultOutcome.DUPLICATE;
                }
                Job job = locked.get();
                JobCoordinator.Applied applied = coordinator.apply(job, result);
                if (applied == JobCoordinator.Applied.JOB_FINISHED) {
                    spent.add(new Job.Spending(result.service().id(), result.usage()));
                    return ResultOutcome.JOB_FINISHED;
                }
                spent.addAll(job.newSpending());
                if (applied == JobCoordinator.Applied.STALE) {
                    if (!job.changedSteps().isEmpty()) {
                        repo.save(c, job);
                    }
                    return ResultOutcome.STALE;
                }
                repo.save(c, job);
                finished(job);
                return ResultOutcome.APPLIED;
            });
            modelMetrics.record(spent);
            metrics.counter("backend_team_results_total", "outcome", outcome.name().toLowerCase()).increment();
            if (outcome == ResultOutcome.APPLIED) {
                relay.wakeUp();
                LOG.infof("result of step %d attempt %d from %s applied: %s", result.step(), result.attempt(),
                        result.service().id(), result.status().wire());
            } else {
                LOG.infof("result of step %d attempt %d from %s ignored: %s", result.step(), result.attempt(),
                        result.service() == null ? "?" : result.service().id(), outcome.name().toLowerCase());
            }
            return outcome;
        } finally {
            MDC.remove("jobId");
        }
    }

    /** Answers a job's question; {@code owner} null means any owner (answers arriving by event). */
    public Job answer(UUID id, String owner, JobAnswer answer) {
        return change(id, owner, job -> {
            if (job.status != JobStatus.NEEDS_INPUT) {
                throw new JobConflictException("nothing-asked", "job " + id + " is " + job.status.wire()
                        + " and is not waiting for an answer");
            }
            coordinator.answer(job, answer);
        });
    }

    public Job cancel(UUID id, String owner) {
        return change(id, owner, job -> {
            if (job.status.terminal()) {
                throw new JobConflictException("already-finished", "job " + id + " is already "
                        + job.status.wire());
            }
            coordinator.cancel(job, "cancelled by the caller");
        });
    }

    private Job change(UUID id, String owner, java.util.function.Consumer<Job> change) {
        try {
            MDC.put("jobId", id.toString());
            Job job = db.inTransaction(c -> {
                Job locked = repo.lock(c, id).filter(j -> owner == null || j.owner.equals(owner))
                        .orElseThrow(() -> new JobNotFoundException(id));
                change.accept(locked);
                repo.save(c, locked);
                return locked;
            });
            modelMetrics.record(job.newSpending());
            finished(job);
            relay.wakeUp();
            return job;
        } finally {
            MDC.remove("jobId");
        }
    }

    /** Jobs waiting for the planner, oldest first. */
    public List<UUID> awaitingPlan(int limit) {
        return db.read(c -> repo.routing(c, limit));
    }

    /** A job as stored, for the planner to read. */
    public Optional<Job> load(UUID id) {
        return db.read(c -> repo.load(c, id));
    }

    /** Claims a job for this planner for {@code lease}; false when it is not waiting or another planner has it. */
    public boolean claimForPlanning(UUID id, java.time.Duration lease) {
        return db.inTransaction(c -> repo.claimForPlanning(c, id, lease));
    }

    /**
     * Applies the planner's outcome to the job it read, if the job has not moved on since ({@code readAt}: its last
     * event then; an answer or a cancel in between makes the plan stale). The model's calls are charged to the job
     * either way.
     */
    public void applyPlan(UUID id, int readAt, TaskPlanner.Outcome outcome, ModelUsage usage) {
        try {
            MDC.put("jobId", id.toString());
            Job job = db.inTransaction(c -> {
                Optional<Job> locked = repo.lock(c, id);
                if (locked.isEmpty()) {
                    return null;
                }
                Job j = locked.get();
                repo.releasePlanning(c, id);
                if (j.status == JobStatus.ROUTING && j.lastEvent == readAt) {
                    coordinator.planned(j, outcome, usage);
                } else {
                    j.addOrchestratorUsage(usage);
                    LOG.infof("plan of job %s discarded: the job moved on while it was planned", id);
                }
                repo.save(c, j);
                return j;
            });
            if (job != null) {
                modelMetrics.record(job.newSpending());
                LOG.infof("job %s planned: flow %s, status %s", id, job.flow, job.status.wire());
                finished(job);
                relay.wakeUp();
            }
        } finally {
            MDC.remove("jobId");
        }
    }

    /** Fails or retries every step past its deadline; returns how many were handled. */
    public int timeOutOverdue() {
        List<JobRepository.Overdue> overdue = db.read(c -> repo.overdue(c, Instant.now(), 100));
        int handled = 0;
        for (JobRepository.Overdue o : overdue) {
            try {
                MDC.put("jobId", o.jobId().toString());
                Job job = db.inTransaction(c -> {
                    Optional<Job> locked = repo.lock(c, o.jobId());
                    if (locked.isEmpty() || !coordinator.timeOut(locked.get(), o.seq())) {
                        return null;
                    }
                    repo.save(c, locked.get());
                    return locked.get();
                });
                if (job != null) {
                    handled++;
                    LOG.warnf("step %d of job %s passed its deadline", o.seq(), o.jobId());
                    finished(job);
                }
            } finally {
                MDC.remove("jobId");
            }
        }
        if (handled > 0) {
            relay.wakeUp();
        }
        return handled;
    }

    public Job get(UUID id, String owner) {
        return db.read(c -> repo.find(c, id, owner)).orElseThrow(() -> new JobNotFoundException(id));
    }

    public List<JobRepository.Summary> list(String owner, Instant beforeCreated, UUID beforeId, int limit) {
        return db.read(c -> repo.page(c, owner, beforeCreated, beforeId, limit));
    }

    /**
     * Events after {@code afterSeq} of a job the caller owns (none for anyone else's). Polled by every open event
     * stream, so it reads the timeline only, never the job's steps and artifacts.
     */
    public List<Job.Event> events(UUID id, String owner, int afterSeq) {
        return db.read((Connection c) -> repo.events(c, id, owner, afterSeq));
    }

    private void finished(Job job) {
        if (job.status.terminal() && job.newEvents().stream().anyMatch(e -> e.type().equals("job." + job.status.wire()))) {
            metrics.counter("backend_team_jobs_finished_total", "status", job.status.wire()).increment();
            LOG.infof("job %s %s: %s", job.id, job.status.wire(), job.reason);
        }
    }

    public static UUID parseId(String id) {
        try {
            return id == null ? null : UUID.fromString(id);
        } catch (IllegalArgumentException e) {
            return null;
        }
    }
}
