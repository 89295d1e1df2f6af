package dev.backendteam.orchestrator.engine;

import dev.backendteam.contract.Artifact;
import dev.backendteam.contract.ArtifactKind;
import dev.backendteam.contract.Clarification;
import dev.backendteam.contract.Contract;
import dev.backendteam.contract.EventTypes;
import dev.backendteam.contract.FailureKind;
import dev.backendteam.contract.Finding;
import dev.backendteam.contract.Handoff;
import dev.backendteam.contract.JobAnswer;
import dev.backendteam.contract.JobCompleted;
import dev.backendteam.contract.JobStatus;
import dev.backendteam.contract.JobUpdate;
import dev.backendteam.contract.Json;
import dev.backendteam.contract.MessageLimits;
import dev.backendteam.contract.ResultEvent;
import dev.backendteam.contract.Role;
import dev.backendteam.contract.Specialist;
import dev.backendteam.contract.TaskEvent;
import dev.backendteam.contract.TaskKind;
import dev.backendteam.contract.Topics;
import dev.backendteam.contract.llm.ModelUsage;
import dev.backendteam.orchestrator.engine.plan.TaskPlanner;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

/**
 * The job state machine (BRIEF §2): routing, steps in flow order, handoffs with bounded depth, retries only for
 * timeouts, crashes and transient errors, questions, a security step for new exposed tables when the flow had none,
 * then the validation round. Plain Java: it changes a loaded {@link Job} and queues the messages to publish; storing
 * both atomically is the caller's business.
 */
public final class JobCoordinator {

    /**
     * @param stepDeadline     how long a step may take
     * @param serviceDeadlines what some services may take instead, by service id (query-optimizer generates data and
     *                         builds indexes), for their work and validate steps alike
     * @param jobTokenBudget   the model tokens one job may spend, its steps' and the orchestrator's own calls
     *                         together (0: no model call at all); null for no limit
     */
    public record Settings(Duration stepDeadline, Map<String, Duration> serviceDeadlines, int maxRetries,
            int maxHandoffDepth, Long jobTokenBudget) {

        public Settings {
            serviceDeadlines = serviceDeadlines == null ? Map.of() : Map.copyOf(serviceDeadlines);
            if (jobTokenBudget != null && jobTokenBudget < 0) {
                throw new IllegalArgumentException("backend-team.llm.job-token-budget (BACKEND_TEAM_LLM_JOB_TOKEN_"
                        + "BUDGET) is " + jobTokenBudget + "; it must be 0 (no model calls) or more");
            }
        }

        public Settings(Duration stepDeadline, Map<String, Duration> serviceDeadlines, int maxRetries,
                int maxHandoffDepth) {
            this(stepDeadline, serviceDeadlines, maxRetries, maxHandoffDepth, null);
        }

        public Settings(Duration stepDeadline, int maxRetries, int maxHandoffDepth) {
            this(stepDeadline, Map.of(), maxRetries, maxHandoffDepth);
        }

        public Duration deadline(Specialist service) {
            return serviceDeadlines.getOrDefault(service.id(), stepDeadline);
        }
    }

    /** What became of a result. */
    public enum Applied {
        APPLIED, STALE, JOB_FINISHED
    }

    /**
     * Whether the AI planner reads a job before it is routed. The planner's model call happens outside the job's
     * transaction: {@link #route} leaves the job in {@code routing}, and {@link #planned} applies the plan later.
     */
    public interface PlannerGate {
        boolean plans(Job job);
    }

    private final FlowCatalog catalog;
    private final Router router;
    private PlannerGate planner = job -> false;
    private final Settings settings;
    private final Clock clock;
    private final ReportBuilder reports = new ReportBuilder();

    public JobCoordinator(FlowCatalog catalog, Settings settings, Clock clock) {
        this(catalog, new Router(catalog), settings, clock);
    }

    /** @param router routes new jobs: keywords and inputs, and an example matcher where one is configured */
    public JobCoordinator(FlowCatalog catalog, Router router, Settings settings, Clock clock) {
        this.catalog = catalog;
        this.router = router;
        this.settings = settings;
        this.clock = clock;
    }

    public FlowCatalog catalog() {
        return catalog;
    }

    /** Lets the AI planner read the jobs {@code gate} names before they are routed. */
    public JobCoordinator withPlanner(PlannerGate gate) {
        this.planner = gate;
        return this;
    }

    /** The tokens the job may still spend on models (null: no limit). */
    public Long tokenBudgetLeft(Job job) {
        return remainingBudget(job);
    }

    /** A new job: announce it and route it. */
    public void submit(Job job) {
        event(job, "job.queued", null, "job queued", null);
        route(job);
    }

    private void route(Job job) {
        status(job, JobStatus.ROUTING);
        if (planner.plans(job)) {
            event(job, "job.planning", null, "the planner reads the task", null);
            return;
        }
        routeNow(job, null);
    }

    /**
     * Applies the planner's plan to a job it was reading: the inputs it lifted (where the user gave none of that kind),
     * then its flow, or its question. Without a usable plan (the model failed, or its plans failed their checks) the job
     * is routed as without a model, and the reason is on its timeline.
     */
    public void planned(Job job, TaskPlanner.Outcome outcome, ModelUsage usage) {
        if (job.status != JobStatus.ROUTING) {
            throw new IllegalStateException("job " + job.id + " is " + job.status.wire() + ", not being planned");
        }
        job.addOrchestratorUsage(usage);
        if (outcome.plan() == null) {
            event(job, "job.planned", null, "the planner gave no usable plan (" + outcome.failure() + "); routed"
                    + " without it", null);
            routeNow(job, null);
            return;
        }
        TaskPlanner.Plan plan = outcome.plan();
        List<String> lifted = plan.lifted(job.inputs);
        job.inputs = plan.into(job.inputs);
        if (plan.flow() == null) {
            ask(job, null, plan.question(), "the planner found the task ambiguous");
            return;
        }
        event(job, "job.planned", null, "the planner chose flow " + plan.flow() + (plan.summary() == null ? ""
                : ": " + plan.summary()) + (lifted.isEmpty() ? "" : " (read from the words: "
                + String.join(", ", lifted) + ")"), null);
        routeNow(job, plan.flow());
    }

    private void routeNow(Job job, String plannedFlow) {
        Router.Routing routing = plannedFlow != null
                ? new Router.Routed(plannedFlow, "the planner chose it")
                : router.route(job.task, job.inputs, job.flow);
        if (routing instanceof Router.Unclear unclear) {
            ask(job, null, unclear.question(), "the task is unclear: " + unclear.reason());
            return;
        }
        Router.Routed routed = (Router.Routed) routing;
        job.flow = routed.flow();
        job.plan.clear();
        job.plan.addAll(catalog.flows().get(routed.flow()).steps());
        status(job, JobStatus.RUNNING);
        event(job, "job.routed", null, "flow " + routed.flow() + ": " + routed.reason(), null);
        advance(job);
    }

    /**
     * Start the next planned step; then a security step if the job's tables need one and none ran; then the
     * validation round.
     */
    private void advance(Job job) {
        if (!job.plan.isEmpty()) {
            FlowStep next = job.plan.remove(0);
            start(job, TaskKind.WORK, next.service(), next.role(), next.originOrFlow(), null);
            return;
        }
        Optional<String> unsecured = unsecuredTables(job);
        if (unsecured.isPresent()) {
            FlowStep security = new FlowStep(Specialist.SECURITY, null, Step.APPENDED);
            event(job, "step.appended", null, security.label() + " appended before the validation round: "
                    + unsecured.get(), null);
            start(job, TaskKind.WORK, security.service(), security.role(), Step.APPENDED, unsecured.get());
            return;
        }
        startValidation(job);
    }

    /**
     * Why the job needs a security step it has not had: db-architect created tables in an exposed schema, the flow has
     * no security step and none ran (nor was appended already). Empty when it needs none.
     */
    private Optional<String> unsecuredTables(Job job) {
        FlowCatalog.Flow flow = job.flow == null ? null : catalog.flows().get(job.flow);
        boolean planned = flow != null && flow.steps().stream().anyMatch(s -> s.service() == Specialist.SECURITY);
        boolean had = job.steps.stream().anyMatch(s -> s.kind == TaskKind.WORK && s.service == Specialist.SECURITY
                && (s.status != StepStatus.SKIPPED || Step.APPENDED.equals(s.origin)));
        if (planned || had) {
            return Optional.empty();
        }
        Set<Integer> architects = job.steps.stream().filter(s -> s.kind == TaskKind.WORK
                && s.service == Specialist.DB_ARCHITECT && s.status == StepStatus.SUCCEEDED).map(s -> s.seq)
                .collect(java.util.stream.Collectors.toSet());
        List<String> migrations = job.artifacts.stream().filter(a -> architects.contains(a.stepSeq())
                && a.artifact().kind() == ArtifactKind.MIGRATION && a.artifact().content() != null)
                .map(a -> a.artifact().content()).toList();
        List<String> tables = ExposedTables.created(migrations, Set.copyOf(catalog.exposedSchemas()));
        return tables.isEmpty() ? Optional.empty() : Optional.of("db-architect created tables in an exposed schema: "
                + String.join(", ", tables) + "; no bundle ships tables without grants and policies");
    }

    /** One validate task per (service, role) that took part, so that each role re-runs its own proofs. */
    private void startValidation(Job job) {
        Set<String> participants = new LinkedHashSet<>();
        List<Step> work = job.steps.stream().filter(s -> s.kind == TaskKind.WORK && s.status == StepStatus.SUCCEEDED)
                .toList();
        status(job, JobStatus.VALIDATING);
        for (Step s : work) {
            if (participants.add(s.label())) {
                start(job, TaskKind.VALIDATE, s.service, s.roleId(), "validation", null);
            }
        }
        if (participants.isEmpty()) {
            finish(job, JobStatus.COMPLETED, null, "no specialist ran, so there was nothing to validate");
        } else {
            event(job, "validation.started", null, "validation round: " + String.join(", ", participants), null);
        }
    }

    private Step start(Job job, TaskKind kind, Specialist service, String role, String origin, String cause) {
        Instant now = clock.instant();
        Step step = job.addStep(new Step(job.steps.size() + 1, kind, service, role, origin, StepStatus.RUNNING, 1, 0,
                now, null, now.plus(settings.deadline(service)), null, null, cause));
        dispatch(job, step);
        return step;
    }

    private void dispatch(Job job, Step step) {
        TaskEvent task = new TaskEvent(Contract.VERSION, job.id + ":" + step.seq + ":" + step.attempt,
                job.id.toString(), step.seq, step.attempt, step.service, step.role, step.kind, job.task, job.inputs,
                job.artifactList(), job.handoffDepth, step.deadline, handover(job, step), handoffTo(job, step),
                remainingBudget(job));
        String payload = Json.write(task);
        int size = Json.utf8Length(payload);
        if (size > MessageLimits.MAX_PAYLOAD_BYTES) {
            step.status = StepStatus.FAILED;
            step.finishedAt = clock.instant();
            step.reason = "task of " + size + " bytes exceeds the message limit";
            job.touch(step);
            finish(job, JobStatus.FAILED, step, "the job's bundle (" + size + " bytes) exceeds the message limit of "
                    + MessageLimits.MAX_PAYLOAD_BYTES + " bytes; split the job");
            return;
        }
        job.send(new Job.Outgoing(Topics.tasks(step.service), job.id.toString(), EventTypes.TASK, payload));
        event(job, step.attempt == 1 ? "step.started" : "step.reissued", step,
                (step.kind == TaskKind.VALIDATE ? "validate " : "") + step.label() + " started"
                        + (step.attempt > 1 ? " (attempt " + step.attempt + ")" : ""), null);
    }

    /**
     * What the job may still spend on models: the budget less every token its steps (all attempts) and the orchestrator
     * spent so far, never below 0; null without a limit. Tasks sent together (the validation round) each get all of it.
     */
    private Long remainingBudget(Job job) {
        return settings.jobTokenBudget() == null ? null : Math.max(0, settings.jobTokenBudget() - job.tokensSpent());
    }

    /**
     * The findings earlier work steps that succeeded addressed to later ones (rule ids {@code handover.*}), in step
     * order. Findings of the validation round are left out: a validate task gets what the work steps handed over,
     * the same on every attempt.
     */
    private static List<Finding> handover(Job job, Step step) {
        return job.steps.stream().filter(s -> s.seq < step.seq && s.kind == TaskKind.WORK
                        && s.status == StepStatus.SUCCEEDED && s.result != null)
                .flatMap(s -> s.result.findings().stream())
                .filter(f -> f.ruleId() != null && f.ruleId().startsWith(TaskEvent.HANDOVER_PREFIX)).toList();
    }

    /**
     * The handoff that asked for this step's service and role, with its diagnosis. A work step gets the latest one an
     * earlier work step made (also when it merged with a step the flow had next): the one that put it in the plan. A
     * validate step gets what its service's work steps were handed, the latest that carried a diagnosis first, so the
     * round replays what was diagnosed even when a later handoff to the same service had none. Null when no handoff
     * named this turn.
     */
    private static Handoff handoffTo(Job job, Step step) {
        if (step.kind == TaskKind.WORK) {
            return handoffBefore(job, step);
        }
        Handoff latest = null;
        Handoff diagnosed = null;
        for (Step s : job.steps) {
            if (s.kind == TaskKind.WORK && s.service == step.service && Objects.equals(s.roleId(), step.roleId())
                    && s.seq < step.seq) {
                Handoff h = handoffBefore(job, s);
                if (h != null) {
                    latest = h;
                    diagnosed = h.diagnosis() != null ? h : diagnosed;
                }
            }
        }
        return diagnosed != null ? diagnosed : latest;
    }

    /** The latest handoff to {@code step}'s service and role that a work step before it made. */
    private static Handoff handoffBefore(Job job, Step step) {
        Handoff found = null;
        for (Step s : job.steps) {
            if (s.seq < step.seq && s.kind == TaskKind.WORK && s.status == StepStatus.SUCCEEDED && s.result != null
                    && s.result.handoff() != null && s.result.handoff().targets(step.service, step.role)) {
                found = s.result.handoff();
            }
        }
        return found;
    }

    private void skip(Job job, FlowStep planned, String origin, String why) {
        Instant now = clock.instant();
        Step step = job.addStep(new Step(job.steps.size() + 1, TaskKind.WORK, planned.service(), planned.role(),
                origin, StepStatus.SKIPPED, 0, 0, now, now, null, why, null));
        event(job, "step.skipped", step, why, null);
    }

    /**
     * Applies a specialist's result unless it is stale (an old attempt, a finished step, a finished job). The caller
     * has dropped duplicates (the processed-result key), so the result of an earlier attempt that still arrives was
     * never applied: its model calls were made for this job all the same, and are charged to the step (a timed-out
     * attempt that answers late spends the budget too) although nothing else of it is applied.
     */
    public Applied apply(Job job, ResultEvent result) {
        if (job.status.terminal()) {
            return Applied.JOB_FINISHED;
        }
        Step step = job.step(result.step()).orElse(null);
        if (step == null || step.service != result.service()) {
            return Applied.STALE;
        }
        if (step.status != StepStatus.RUNNING || step.attempt != result.attempt()) {
            if (result.attempt() < step.attempt) {
                job.addStepUsage(step, result.usage());
            }
            return Applied.STALE;
        }
        Instant now = clock.instant();
        step.finishedAt = now;
        step.result = result;
        job.addStepUsage(step, result.usage());
        job.touch(step);
        switch (result.status()) {
            case SUCCEEDED -> succeeded(job, step, result);
            case NEEDS_INPUT -> {
                if (step.kind == TaskKind.VALIDATE) {
                    failStep(job, step, "validation cannot ask questions, but " + step.label() + " asked: "
                            + result.question());
                } else {
                    step.status = StepStatus.NEEDS_INPUT;
                    ask(job, step, result.question(), step.label() + " needs input");
                }
            }
            case FAILED -> retryOrFail(job, step, result.failureKind() == null ? FailureKind.CRASH
                    : result.failureKind(), result.reason() == null ? "no reason given" : result.reason());
        }
        return Applied.APPLIED;
    }

    private void succeeded(Job job, Step step, ResultEvent result) {
        step.status = StepStatus.SUCCEEDED;
        step.reason = null;
        if (step.kind == TaskKind.WORK) {
            for (Artifact artifact : result.artifacts()) {
                job.addArtifact(step.seq, artifact);
            }
        }
        event(job, "step.succeeded", step, (step.kind == TaskKind.VALIDATE ? "validate " : "") + step.label()
                + " succeeded in " + step.durationMs() + " ms"
                + (result.artifacts().isEmpty() ? "" : " with " + result.artifacts().size() + " artifact(s)"), null);
        if (step.kind == TaskKind.VALIDATE) {
            validationProgress(job);
            return;
        }
        if (result.handoff() != null) {
            handoff(job, step, result.handoff());
        }
        advance(job);
    }

    private void handoff(Job job, Step from, Handoff handoff) {
        FlowStep next = new FlowStep(handoff.service(), handoff.role(), "handoff");
        String reason = handoff.reason() == null ? "" : ": " + handoff.reason();
        if (next.resolved().isEmpty()) {
            skip(job, next, "handoff", from.label() + " handed off to " + next.label() + reason + ", refused: "
                    + Role.unknown(next.service(), next.role()));
        } else if (job.handoffDepth >= settings.maxHandoffDepth()) {
            skip(job, next, "handoff", from.label() + " handed off to " + next.label() + reason
                    + ", refused: the handoff depth limit (" + settings.maxHandoffDepth() + ") is reached");
        } else if (!job.plan.isEmpty() && job.plan.get(0).sameTurn(next)) {
            event(job, "handoff.merged", from, next.label() + " is already next in the flow" + reason, null);
        } else {
            job.handoffDepth++;
            job.plan.add(0, next);
            event(job, "handoff", from, from.label() + " handed off to " + next.label() + reason, null);
        }
    }

    private void validationProgress(Job job) {
        List<Step> validations = job.steps.stream().filter(s -> s.kind == TaskKind.VALIDATE).toList();
        if (validations.stream().allMatch(s -> s.status == StepStatus.SUCCEEDED)) {
            Job.Tally checks = job.validationTally();
            String counts = checks.passed() + " check(s) passed"
                    + (checks.failed() > 0 ? ", " + checks.failed() + " failed" : "")
                    + (checks.notRun() > 0 ? ", " + checks.notRun() + " not run" : "");
            finish(job, JobStatus.COMPLETED, null, checks.passed() == 0
                    ? "validation round passed no check (" + counts + "): nothing in this job is proven"
                    : "validation round passed: " + counts);
        }
    }

    private void retryOrFail(Job job, Step step, FailureKind kind, String reason) {
        if (kind.retryable() && step.retries < settings.maxRetries()) {
            step.retries++;
            step.attempt++;
            step.status = StepStatus.RUNNING;
            step.reason = kind.wire() + ": " + reason;
            step.startedAt = clock.instant();
            step.finishedAt = null;
            step.deadline = step.startedAt.plus(settings.deadline(step.service));
            event(job, "step.retry", step, step.label() + " " + kind.wire() + " (" + reason + "); retry "
                    + step.retries + " of " + settings.maxRetries(), null);
            dispatch(job, step);
            return;
        }
        String why = kind.retryable() ? kind.wire() + " after " + step.retries + " retries: " + reason
                : kind.wire() + ": " + reason;
        failStep(job, step, why);
    }

    private void failStep(Job job, Step step, String why) {
        step.status = StepStatus.FAILED;
        step.reason = why;
        step.finishedAt = clock.instant();
        job.touch(step);
        event(job, "step.failed", step, step.label() + " failed: " + why, null);
        for (Step other : job.steps) {
            if (other.status == StepStatus.RUNNING) {
                other.status = StepStatus.CANCELLED;
                other.finishedAt = clock.instant();
                other.reason = "cancelled: step " + step.seq + " failed";
                job.touch(other);
            }
        }
        finish(job, JobStatus.FAILED, step, (step.kind == TaskKind.VALIDATE ? "validation by " : "")
                + step.label() + " failed: " + why);
    }

    /** A running step passed its deadline: a timeout, retried like a crash. */
    public boolean timeOut(Job job, int seq) {
        Step step = job.step(seq).orElse(null);
        Instant now = clock.instant();
        if (job.status.terminal() || step == null || step.status != StepStatus.RUNNING || step.deadline == null
                || step.deadline.isAfter(now)) {
            return false;
        }
        job.touch(step);
        retryOrFail(job, step, FailureKind.TIMEOUT, "no result within "
                + settings.deadline(step.service).toSeconds() + " s");
        return true;
    }

    /** Merges an answer into the job's inputs and resumes it: the waiting step again, or routing. */
    public void answer(Job job, JobAnswer answer) {
        if (job.status != JobStatus.NEEDS_INPUT) {
            throw new IllegalStateException("job " + job.id + " is " + job.status.wire() + " and asks nothing");
        }
        job.inputs = job.inputs.merge(answer.inputs(), new Clarification(job.question, answer.answer()));
        String question = job.question;
        job.question = null;
        event(job, "job.answered", null, "answer to \"" + question + "\" received", null);
        Step waiting = job.steps.stream().filter(s -> s.status == StepStatus.NEEDS_INPUT).findFirst().orElse(null);
        if (answer.flow() != null) {
            job.flow = answer.flow();
        }
        if (waiting == null) {
            route(job);
            return;
        }
        status(job, JobStatus.RUNNING);
        waiting.attempt++;
        waiting.status = StepStatus.RUNNING;
        waiting.startedAt = clock.instant();
        waiting.finishedAt = null;
        waiting.deadline = waiting.startedAt.plus(settings.deadline(waiting.service));
        job.touch(waiting);
        dispatch(job, waiting);
    }

    public void cancel(Job job, String why) {
        if (job.status.terminal()) {
            throw new IllegalStateException("job " + job.id + " is already " + job.status.wire());
        }
        for (Step step : job.steps) {
            if (step.status == StepStatus.RUNNING || step.status == StepStatus.NEEDS_INPUT) {
                step.status = StepStatus.CANCELLED;
                step.finishedAt = clock.instant();
                step.reason = why;
                job.touch(step);
            }
        }
        job.plan.clear();
        finish(job, JobStatus.CANCELLED, null, why);
    }

    private void ask(Job job, Step step, String question, String why) {
        job.question = question;
        status(job, JobStatus.NEEDS_INPUT);
        event(job, "job.question", step, why, question);
    }

    private void finish(Job job, JobStatus terminal, Step step, String why) {
        job.plan.clear();
        job.question = null;
        job.reason = why;
        job.finishedAt = clock.instant();
        status(job, terminal);
        event(job, "job." + terminal.wire(), step, why, null);
        JobReport report = reports.build(job);
        JobCompleted completed = new JobCompleted(Contract.VERSION, job.id.toString(), job.correlationId, terminal,
                why, Json.events().valueToTree(report), ReportRenderer.markdown(report), report.bundle(),
                job.finishedAt, job.proven());
        String payload = Json.write(completed);
        if (Json.utf8Length(payload) > MessageLimits.MAX_PAYLOAD_BYTES) {
            payload = Json.write(new JobCompleted(Contract.VERSION, job.id.toString(), job.correlationId, terminal,
                    why + " (report and bundle too large for the event: GET /jobs/" + job.id + "/bundle)", null,
                    null, null, job.finishedAt, job.proven()));
        }
        job.send(new Job.Outgoing(Topics.JOBS_COMPLETED, job.id.toString(), EventTypes.JOB_COMPLETED, payload));
    }

    private void status(Job job, JobStatus next) {
        job.status = next;
        job.updatedAt = clock.instant();
    }

    private void event(Job job, String type, Step step, String message, String question) {
        Job.Event e = job.record(type, step, message, question, clock.instant());
        JobUpdate update = new JobUpdate(Contract.VERSION, job.id.toString(), job.correlationId, e.seq(), type,
                job.status, e.step(), e.service(), e.role(), message, question, e.at());
        job.send(new Job.Outgoing(Topics.JOBS_UPDATES, job.id.toString(), EventTypes.JOB_UPDATE, Json.write(update)));
    }

    public static UUID newJobId() {
        return UUID.randomUUID();
    }
}
