package dev.backendteam.orchestrator.engine;

import dev.backendteam.contract.Artifact;
import dev.backendteam.contract.Diagnosis;
import dev.backendteam.contract.Evidence;
import dev.backendteam.contract.FailureKind;
import dev.backendteam.contract.Finding;
import dev.backendteam.contract.Handoff;
import dev.backendteam.contract.JobAnswer;
import dev.backendteam.contract.JobCompleted;
import dev.backendteam.contract.JobInputs;
import dev.backendteam.contract.JobStatus;
import dev.backendteam.contract.Json;
import dev.backendteam.contract.QueryInput;
import dev.backendteam.contract.ResultEvent;
import dev.backendteam.contract.Severity;
import dev.backendteam.contract.Specialist;
import dev.backendteam.contract.StepOutcome;
import dev.backendteam.contract.TaskEvent;
import dev.backendteam.contract.TaskKind;
import dev.backendteam.contract.Topics;
import dev.backendteam.contract.llm.ModelCall;
import dev.backendteam.contract.llm.ModelUsage;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class JobCoordinatorTest {
    private final MutableClock clock = new MutableClock();
    private final JobCoordinator coordinator = new JobCoordinator(FlowCatalog.fromClasspath(),
            new JobCoordinator.Settings(Duration.ofSeconds(60), 2, 2), clock);

    private Job job(String task, String flow, JobInputs inputs) {
        Job job = Job.create(UUID.randomUUID(), "alice", task, inputs, flow, "corr-1", null, "h", clock.instant());
        coordinator.submit(job);
        return job;
    }

    private static List<TaskEvent> tasks(Job job) {
        return job.outgoing().stream().filter(o -> o.topic().startsWith(Topics.TASKS_PREFIX))
                .map(o -> Json.read(o.payload(), TaskEvent.class)).toList();
    }

    private static TaskEvent lastTask(Job job) {
        List<TaskEvent> t = tasks(job);
        return t.get(t.size() - 1);
    }

    private ResultEvent reply(TaskEvent task, StepOutcome outcome) {
        clock.advance(Duration.ofMillis(40));
        return ResultEvent.of(task, outcome, 40);
    }

    private static StepOutcome ok() {
        return StepOutcome.succeeded(null, null, null, null);
    }

    @Test
    void newFeatureRunsItsStepsInFlowOrderAndValidatesEveryParticipantRole() {
        Job job = job("add comments to posts", "new-feature", JobInputs.empty());
        assertEquals(JobStatus.RUNNING, job.status);
        assertEquals(Specialist.DB_ARCHITECT, lastTask(job).service());
        coordinator.apply(job, reply(lastTask(job), StepOutcome.succeeded(List.of(Artifact.migration(
                "create_comments", "create table comments(id bigint);", "drop table comments;",
                Specialist.DB_ARCHITECT)), null, null, null)));
        TaskEvent security = lastTask(job);
        assertEquals(Specialist.SECURITY, security.service());
        assertEquals(1, security.artifacts().size(), "each task carries all artifacts so far");
        coordinator.apply(job, reply(security, ok()));
        assertEquals(Specialist.QUERY_OPTIMIZER, lastTask(job).service());
        coordinator.apply(job, reply(lastTask(job), ok()));
        TaskEvent api = lastTask(job);
        assertEquals("db-architect:api-data", api.service().id() + ":" + api.role(), "a role of a service already seen");
        coordinator.apply(job, reply(api, ok()));
        TaskEvent functions = lastTask(job);
        assertEquals("ops:edge-functions", functions.service().id() + ":" + functions.role());
        coordinator.apply(job, reply(functions, ok()));

        assertEquals(JobStatus.VALIDATING, job.status);
        assertTrue(job.steps.stream().noneMatch(s -> s.status == StepStatus.SKIPPED), "every role is built");
        List<TaskEvent> validations = tasks(job).stream().filter(t -> t.kind() == TaskKind.VALIDATE).toList();
        assertEquals(List.of("db-architect:schema", "security:security", "query-optimizer:query-optimizer",
                        "db-architect:api-data", "ops:edge-functions"),
                validations.stream().map(t -> t.service().id() + ":" + t.role()).toList(),
                "each role re-runs its own proofs, two roles of db-architect included");
        for (TaskEvent v : validations) {
            assertEquals(1, v.artifacts().size(), "validation replays the whole bundle");
            coordinator.apply(job, reply(v, ok()));
        }
        assertEquals(JobStatus.COMPLETED, job.status);
        assertTrue(job.reason.contains("passed no check"), job.reason);
        assertFalse(job.proven(), "a validation round without a single passed check proves nothing");
        JobCompleted completed = job.outgoing().stream().filter(o -> o.topic().equals(Topics.JOBS_COMPLETED))
                .map(o -> Json.read(o.payload(), JobCompleted.class)).findFirst().orElseThrow();
        assertEquals("corr-1", completed.correlationId());
        assertEquals("001_create_comments.sql", completed.bundle().get(0).name());
        assertFalse(completed.proven());
        assertTrue(completed.reportMarkdown().contains("- **Proven:** no"), completed.reportMarkdown());
    }

    @Test
    void aValidationWithAPassedCheckProvesTheJob() {
        Job job = job("x", "security-review", JobInputs.empty());
        coordinator.apply(job, reply(lastTask(job), ok()));
        TaskEvent validate = lastTask(job);
        coordinator.apply(job, reply(validate, StepOutcome.succeeded(null, null,
                List.of(new Evidence("rls matrix", true, "16 cells", 12), Evidence.notRun("lints", "no sandbox")),
                null)));
        assertEquals(JobStatus.COMPLETED, job.status);
        assertEquals("validation round passed: 1 check(s) passed, 1 not run", job.reason);
        assertTrue(job.proven());
        JobCompleted completed = job.outgoing().stream().filter(o -> o.topic().equals(Topics.JOBS_COMPLETED))
                .map(o -> Json.read(o.payload(), JobCompleted.class)).findFirst().orElseThrow();
        assertTrue(completed.proven());
    }

    @Test
    void checksThatDidNotRunNeverProveAJob() {
        Job job = job("x", "security-review", JobInputs.empty());
        coordinator.apply(job, reply(lastTask(job), ok()));
        coordinator.apply(job, reply(lastTask(job), StepOutcome.succeeded(null, null,
                List.of(Evidence.notRun("rls matrix", "no sandbox is configured")), null)));
        assertEquals(JobStatus.COMPLETED, job.status);
        assertFalse(job.proven());
        assertTrue(job.reason.contains("passed no check (0 check(s) passed, 1 not run)"), job.reason);
    }

    @Test
    void eachRoleThatTookPartValidatesOnItsOwn() {
        Job job = job("deploy it", "deployment", JobInputs.empty());
        TaskEvent debugger = lastTask(job);
        assertEquals("debugger", debugger.role());
        coordinator.apply(job, reply(debugger, ok()));
        TaskEvent deployment = lastTask(job);
        assertEquals("deployment", deployment.role());
        coordinator.apply(job, reply(deployment, ok()));
        List<TaskEvent> validations = tasks(job).stream().filter(t -> t.kind() == TaskKind.VALIDATE).toList();
        assertEquals(List.of("ops:debugger", "ops:deployment"), validations.stream()
                .map(t -> t.service().id() + ":" + t.role()).toList(), "one validate task per role, not per service");
    }

    @Test
    void aFailedValidationFailsTheJob() {
        Job job = job("x", "security-review", JobInputs.empty());
        coordinator.apply(job, reply(lastTask(job), ok()));
        coordinator.apply(job, reply(lastTask(job), StepOutcome.failed(FailureKind.PROOF_FAILED,
                "down script leaves table t", null)));
        assertEquals(JobStatus.FAILED, job.status);
        assertTrue(job.reason.contains("validation by security failed"), job.reason);
    }

    @Test
    void handoffsInsertTheNamedSpecialistAndTheirDepthIsBounded() {
        Job job = job("error in prod", "bug", JobInputs.empty());
        TaskEvent debugger = lastTask(job);
        assertEquals("debugger", debugger.role());
        coordinator.apply(job, reply(debugger, StepOutcome.succeeded(null, null, null,
                new Handoff(Specialist.DB_ARCHITECT, null, "relation comments does not exist"))));
        TaskEvent architect = lastTask(job);
        assertEquals(Specialist.DB_ARCHITECT, architect.service());
        assertEquals("handoff", job.steps.get(1).origin);
        coordinator.apply(job, reply(architect, StepOutcome.succeeded(null, null, null,
                new Handoff(Specialist.SECURITY, null, "policies"))));
        TaskEvent security = lastTask(job);
        assertEquals(Specialist.SECURITY, security.service());
        coordinator.apply(job, reply(security, StepOutcome.succeeded(null, null, null,
                new Handoff(Specialist.QUERY_OPTIMIZER, null, "indexes"))));
        Step refused = job.steps.get(3);
        assertEquals(StepStatus.SKIPPED, refused.status);
        assertTrue(refused.reason.contains("depth limit (2)"), refused.reason);
        assertEquals(JobStatus.VALIDATING, job.status);
    }

    @Test
    void theHandoffsDiagnosisReachesTheReceiverInItsWorkAndValidateTasksAndNoOtherStep() {
        Job job = job("error in prod", "bug", JobInputs.empty());
        Diagnosis diagnosis = new Diagnosis("postgres.undefined-column", "42703", "comments.body",
                "insert into comments (post_id, body) values ($1, $2)", "column \"body\" does not exist", "data",
                "database", "critical", null);
        TaskEvent debugger = lastTask(job);
        assertNull(debugger.handoff(), "a flow step no handoff named carries none");
        coordinator.apply(job, reply(debugger, StepOutcome.succeeded(null, null, null,
                new Handoff(Specialist.DB_ARCHITECT, null, "the column is missing", diagnosis))));
        TaskEvent architect = lastTask(job);
        assertEquals(Specialist.DB_ARCHITECT, architect.service());
        assertEquals(diagnosis, architect.diagnosis().orElseThrow(), "the receiver gets the diagnosis intact");
        coordinator.apply(job, reply(architect, ok()));
        assertEquals(JobStatus.VALIDATING, job.status);
        TaskEvent validateArchitect = tasks(job).stream().filter(t -> t.kind() == TaskKind.VALIDATE
                && t.service() == Specialist.DB_ARCHITECT).findFirst().orElseThrow();
        assertEquals(diagnosis, validateArchitect.diagnosis().orElseThrow(), "validation replays what was asked");
        TaskEvent validateOps = tasks(job).stream().filter(t -> t.kind() == TaskKind.VALIDATE
                && t.service() == Specialist.OPS).findFirst().orElseThrow();
        assertNull(validateOps.handoff(), "the debugger was not asked by a handoff");
    }

    @Test
    void validationReplaysTheDiagnosedFixEvenWhenALaterHandoffToTheSameServiceCarriedNone() {
        Job job = job("error in prod", "bug", JobInputs.empty());
        Diagnosis missing = new Diagnosis("postgres.undefined-table", "42P01", "invoice",
                "select * from invoice where id = $1", "relation \"invoice\" does not exist", "data", "database",
                "critical", null);
        coordinator.apply(job, reply(lastTask(job), StepOutcome.succeeded(null, null, null,
                new Handoff(Specialist.DB_ARCHITECT, null, "the table is missing", missing))));
        coordinator.apply(job, reply(lastTask(job), migrates("create table public.invoice (id bigint primary key);")));
        TaskEvent security = lastTask(job);
        assertEquals(Specialist.SECURITY, security.service(), "appended for the new public table");
        assertNull(security.handoff(), "the appended step was asked by no handoff");
        coordinator.apply(job, reply(security, StepOutcome.succeeded(null, null, null,
                new Handoff(Specialist.DB_ARCHITECT, null, "a join table without a primary key"))));
        TaskEvent second = lastTask(job);
        assertEquals(Specialist.DB_ARCHITECT, second.service());
        assertNull(second.diagnosis().orElse(null), "the second turn gets the handoff that asked for it");
        coordinator.apply(job, reply(second, ok()));
        TaskEvent validate = tasks(job).stream().filter(t -> t.kind() == TaskKind.VALIDATE
                && t.service() == Specialist.DB_ARCHITECT).findFirst().orElseThrow();
        assertEquals(missing, validate.diagnosis().orElseThrow(),
                "the round replays what the debugger diagnosed, not the later handoff's nothing");
    }

    @Test
    void aHandoffMergedWithTheNextFlowStepStillHandsItsDiagnosisOver() {
        Job job = job("slow database", "performance", JobInputs.empty());
        Diagnosis slow = new Diagnosis("monitor.top-statements", null, null, null, null, "runtime", "database",
                "major", List.of(new QueryInput("pgss_1", "select * from orders where customer_id = $1", 600.0)));
        TaskEvent monitor = lastTask(job);
        assertEquals("monitor", monitor.role());
        coordinator.apply(job, reply(monitor, StepOutcome.succeeded(null, null, null,
                new Handoff(Specialist.QUERY_OPTIMIZER, null, "slow statements", slow))));
        TaskEvent optimizer = lastTask(job);
        assertEquals(Specialist.QUERY_OPTIMIZER, optimizer.service());
        assertEquals(slow, optimizer.diagnosis().orElseThrow());
        assertEquals(2, job.steps.size(), "merged into the flow's own query-optimizer step, not a second one");
    }

    private static StepOutcome migrates(String sql) {
        return StepOutcome.succeeded(List.of(Artifact.migration("create_tables", sql, null, Specialist.DB_ARCHITECT)),
                null, null, null);
    }

    /** A bug job whose debugger hands off to db-architect, which delivers a migration of {@code sql}. */
    private Job bugFixedByMigration(String sql) {
        Job job = job("error in prod", "bug", JobInputs.empty());
        coordinator.apply(job, reply(lastTask(job), StepOutcome.succeeded(null, null, null,
                new Handoff(Specialist.DB_ARCHITECT, null, "the schema must change"))));
        assertEquals(Specialist.DB_ARCHITECT, lastTask(job).service());
        coordinator.apply(job, reply(lastTask(job), migrates(sql)));
        return job;
    }

    @Test
    void tablesCreatedInAnExposedSchemaGetASecurityStepBeforeValidationWhenTheFlowHasNone() {
        Job job = bugFixedByMigration("""
                create table if not exists public.invoice (id bigint primary key);
                create table "Line_Item" (id bigint primary key);
                create table private.ledger (id bigint primary key);
                """);
        TaskEvent security = lastTask(job);
        assertEquals(Specialist.SECURITY, security.service());
        assertEquals(TaskKind.WORK, security.kind());
        assertEquals(JobStatus.RUNNING, job.status, "the validation round waits for the appended step");
        Step appended = job.steps.get(2);
        assertEquals(Step.APPENDED, appended.origin);
        String why = "db-architect created tables in an exposed schema: public.invoice, public.Line_Item; no bundle"
                + " ships tables without grants and policies";
        assertEquals(why, appended.cause);
        assertTrue(job.newEvents().stream().anyMatch(e -> e.type().equals("step.appended")
                && e.message().equals("security appended before the validation round: " + why)), "on the timeline");

        coordinator.apply(job, reply(security, ok()));
        assertEquals(JobStatus.VALIDATING, job.status);
        assertEquals(List.of("ops:debugger", "db-architect:schema", "security:security"), tasks(job).stream()
                .filter(t -> t.kind() == TaskKind.VALIDATE).map(t -> t.service().id() + ":" + t.role()).toList(),
                "the appended step validates like every other participant, and is appended once");
        JobReport report = new ReportBuilder().build(job);
        assertEquals(why, report.steps().get(2).cause());
        assertTrue(report.notes().contains("Step 3 (security) was appended by the orchestrator: " + why + "."),
                report.notes().toString());
        assertTrue(ReportRenderer.markdown(report).contains("| 3 | security(security) (appended) | succeeded | 1 |"),
                ReportRenderer.markdown(report));
    }

    @Test
    void noSecurityStepIsAppendedForTablesOutsideTheExposedSchemas() {
        Job job = bugFixedByMigration("""
                -- create table public.in_a_comment (id int);
                create table private.x (id bigint primary key);
                create temporary table scratch (id int);
                create function private.f() returns void language plpgsql as $$
                begin
                    create table public.in_a_body (id int);
                end $$;
                """);
        assertEquals(JobStatus.VALIDATING, job.status);
        assertTrue(job.steps.stream().noneMatch(s -> s.service == Specialist.SECURITY));
    }

    @Test
    void noSecurityStepIsAppendedWhenOneAlreadyRan() {
        Job job = job("error in prod", "bug", JobInputs.empty());
        coordinator.apply(job, reply(lastTask(job), StepOutcome.succeeded(null, null, null,
                new Handoff(Specialist.SECURITY, null, "permission denied for table invoice"))));
        coordinator.apply(job, reply(lastTask(job), StepOutcome.succeeded(null, null, null,
                new Handoff(Specialist.DB_ARCHITECT, null, "a primary key is missing"))));
        coordinator.apply(job, reply(lastTask(job), migrates("create table public.invoice (id bigint primary key);")));
        assertEquals(JobStatus.VALIDATING, job.status);
        assertEquals(1, job.steps.stream().filter(s -> s.kind == TaskKind.WORK
                && s.service == Specialist.SECURITY).count());
    }

    @Test
    void handoverFindingsOfEarlierSucceededStepsTravelWithLaterTasks() {
        Finding columns = new Finding("handover.policy-columns", Severity.INFO, "public.comment", "the policies of"
                + " public.comment filter on post_id, user_id", "post_id,user_id", null);
        Job job = job("add comments to posts", "new-feature", JobInputs.empty());
        assertTrue(lastTask(job).handover().isEmpty());
        coordinator.apply(job, reply(lastTask(job), ok()));
        TaskEvent security = lastTask(job);
        assertTrue(security.handover().isEmpty(), "db-architect handed nothing over");
        coordinator.apply(job, reply(security, StepOutcome.succeeded(null, List.of(columns,
                Finding.info("security.assumption", "public.comment", "user_id is the owner")), null, null)));
        TaskEvent optimizer = lastTask(job);
        assertEquals(Specialist.QUERY_OPTIMIZER, optimizer.service());
        assertEquals(List.of(columns), optimizer.handover(), "only handover.* findings are handed over");
        coordinator.apply(job, reply(optimizer, ok()));
        TaskEvent api = lastTask(job);
        assertEquals(List.of(columns), api.handover(), "every later step gets them");
        coordinator.apply(job, reply(api, ok()));
        coordinator.apply(job, reply(lastTask(job), ok()));
        List<TaskEvent> validations = tasks(job).stream().filter(t -> t.kind() == TaskKind.VALIDATE).toList();
        assertEquals(5, validations.size());
        assertTrue(validations.stream().allMatch(v -> v.handover().equals(List.of(columns))), "the round gets them");
    }

    @Test
    void aFailedStepHandsNothingOver() {
        Finding columns = new Finding("handover.policy-columns", Severity.INFO, "public.t", "m", "a", null);
        Job job = job("x", "security-review", JobInputs.empty());
        coordinator.apply(job, reply(lastTask(job), StepOutcome.failed(FailureKind.CRASH, "boom", List.of(columns))));
        TaskEvent retry = lastTask(job);
        assertEquals(2, retry.attempt());
        assertTrue(retry.handover().isEmpty(), "a step hands over only what it found in a run that succeeded");
    }

    @Test
    void aHandoffToAnotherRoleOfTheSameServiceIsSentWithThatRole() {
        Job job = job("error", "bug", JobInputs.empty());
        coordinator.apply(job, reply(lastTask(job), StepOutcome.succeeded(null, null, null,
                new Handoff(Specialist.OPS, "edge-functions", "deno error"))));
        TaskEvent handed = lastTask(job);
        assertEquals("ops:edge-functions", handed.service().id() + ":" + handed.role());
        assertEquals("handoff", job.steps.get(1).origin);
    }

    @Test
    void aHandoffToNoRoleOfItsServiceIsRefused() {
        Job job = job("error", "bug", JobInputs.empty());
        coordinator.apply(job, reply(lastTask(job), StepOutcome.succeeded(null, null, null,
                new Handoff(Specialist.OPS, null, "look at the deploy"))));
        assertEquals(StepStatus.SKIPPED, job.steps.get(1).status);
        assertTrue(job.steps.get(1).reason.contains("refused: ops needs a role"), job.steps.get(1).reason);
    }

    @Test
    void crashesAndTimeoutsAreRetriedTwiceThenFailTheJob() {
        Job job = job("x", "security-review", JobInputs.empty());
        TaskEvent first = lastTask(job);
        coordinator.apply(job, reply(first, StepOutcome.failed(FailureKind.CRASH, "boom", null)));
        TaskEvent second = lastTask(job);
        assertEquals(2, second.attempt());
        assertEquals(JobStatus.RUNNING, job.status);
        clock.advance(Duration.ofSeconds(61));
        assertTrue(coordinator.timeOut(job, second.step()));
        TaskEvent third = lastTask(job);
        assertEquals(3, third.attempt());
        assertFalse(coordinator.timeOut(job, third.step()), "not overdue yet");
        coordinator.apply(job, reply(third, StepOutcome.failed(FailureKind.TRANSIENT, "sandbox busy", null)));
        assertEquals(JobStatus.FAILED, job.status);
        assertTrue(job.reason.contains("after 2 retries"), job.reason);
    }

    @Test
    void aServiceWithItsOwnDeadlineGetsItForWorkAndValidationOthersTheGeneralOne() {
        JobCoordinator coordinator = new JobCoordinator(FlowCatalog.fromClasspath(), new JobCoordinator.Settings(
                Duration.ofSeconds(60), Map.of("query-optimizer", Duration.ofSeconds(300)), 2, 2), clock);
        Job job = Job.create(UUID.randomUUID(), "alice", "slow", JobInputs.empty(), "performance", null, null, "h",
                clock.instant());
        coordinator.submit(job);
        TaskEvent monitor = lastTask(job);
        assertEquals(Specialist.OPS, monitor.service());
        assertEquals(monitor.deadline(), job.steps.get(0).startedAt.plusSeconds(60));
        coordinator.apply(job, reply(monitor, ok()));
        TaskEvent optimizer = lastTask(job);
        assertEquals(Specialist.QUERY_OPTIMIZER, optimizer.service());
        assertEquals(optimizer.deadline(), job.steps.get(1).startedAt.plusSeconds(300), "the task says it too");

        clock.advance(Duration.ofSeconds(61));
        assertFalse(coordinator.timeOut(job, optimizer.step()), "past the general deadline, not its own");
        clock.advance(Duration.ofSeconds(240));
        assertTrue(coordinator.timeOut(job, optimizer.step()));
        assertTrue(job.steps.get(1).reason.contains("no result within 300 s"), job.steps.get(1).reason);
        TaskEvent retry = lastTask(job);
        assertEquals(2, retry.attempt());
        assertEquals(retry.deadline(), clock.instant().plusSeconds(300), "a retry gets the service's deadline again");

        coordinator.apply(job, reply(retry, ok()));
        assertEquals(JobStatus.VALIDATING, job.status);
        for (Step step : job.steps) {
            if (step.kind == TaskKind.VALIDATE) {
                assertEquals(step.startedAt.plusSeconds(step.service == Specialist.QUERY_OPTIMIZER ? 300 : 60),
                        step.deadline, step.label());
            }
        }
        assertEquals(2, job.steps.stream().filter(s -> s.kind == TaskKind.VALIDATE).count());
    }

    @Test
    void aFailureOnItsMeritsFailsAtOnce() {
        Job job = job("x", "security-review", JobInputs.empty());
        coordinator.apply(job, reply(lastTask(job), StepOutcome.failed(FailureKind.INVALID_INPUT, "bad SQL", null)));
        assertEquals(JobStatus.FAILED, job.status);
        assertEquals(1, tasks(job).size(), "no retry");
    }

    @Test
    void staleAndLateResultsAreNotApplied() {
        Job job = job("x", "security-review", JobInputs.empty());
        TaskEvent first = lastTask(job);
        coordinator.apply(job, reply(first, StepOutcome.failed(FailureKind.CRASH, "boom", null)));
        assertEquals(JobCoordinator.Applied.STALE, coordinator.apply(job, reply(first, ok())),
                "the first attempt's late answer");
        coordinator.cancel(job, "bye");
        assertEquals(JobCoordinator.Applied.JOB_FINISHED, coordinator.apply(job, reply(lastTask(job), ok())));
    }

    @Test
    void anUnclearTaskAsksAndTheAnswerRoutesIt() {
        Job job = job("hello there", null, JobInputs.empty());
        assertEquals(JobStatus.NEEDS_INPUT, job.status);
        assertNotNull(job.question);
        assertTrue(tasks(job).isEmpty());
        coordinator.answer(job, new JobAnswer(null, "performance", null, null, null, null, null, null, null, null, null));
        assertEquals(JobStatus.RUNNING, job.status);
        assertEquals("performance", job.flow);
        assertEquals("monitor", lastTask(job).role());
        assertEquals("performance", lastTask(job).inputs().clarifications().get(0).answer());
        assertThrows(IllegalStateException.class, () -> coordinator.answer(job, new JobAnswer(null, "again", null,
                null, null, null, null, null, null, null, null)));
    }

    @Test
    void aSpecialistQuestionPausesTheJobAndTheAnswerReissuesTheStepWithTheNewInputs() {
        Job job = job("the app crashes", "bug", JobInputs.empty());
        coordinator.apply(job, reply(lastTask(job), StepOutcome.needsInput("Paste the log", null)));
        assertEquals(JobStatus.NEEDS_INPUT, job.status);
        assertEquals("Paste the log", job.question);
        coordinator.answer(job, new JobAnswer(null, "here", null, null, null, null, null,
                "ERROR: relation \"x\" does not exist", null, null, null));
        TaskEvent again = lastTask(job);
        assertEquals(2, again.attempt());
        assertEquals("ERROR: relation \"x\" does not exist", again.inputs().logs());
        assertEquals(0, job.steps.get(0).retries, "answering is not a retry");
    }

    @Test
    void everyChangeIsAnUpdateEventWithTheCorrelationId() {
        Job job = job("x", "security-review", JobInputs.empty());
        long updates = job.outgoing().stream().filter(o -> o.topic().equals(Topics.JOBS_UPDATES)).count();
        assertEquals(job.newEvents().size(), updates);
        assertTrue(job.outgoing().stream().filter(o -> o.topic().equals(Topics.JOBS_UPDATES))
                .allMatch(o -> o.payload().contains("\"correlationId\":\"corr-1\"")));
    }

    private JobCoordinator budgeted(long budget) {
        return new JobCoordinator(FlowCatalog.fromClasspath(), new JobCoordinator.Settings(Duration.ofSeconds(60),
                Map.of(), 2, 2, budget), clock);
    }

    /** A security-review job, submitted to {@code coordinator}. */
    private Job securityReview(JobCoordinator coordinator) {
        Job job = Job.create(UUID.randomUUID(), "alice", "x", JobInputs.empty(), "security-review", null, null, "h",
                clock.instant());
        coordinator.submit(job);
        return job;
    }

    private static ModelUsage usage(ModelCall... calls) {
        return new ModelUsage(List.of(calls));
    }

    private static ModelCall call(long in, long out) {
        return new ModelCall("openai", "gpt-4o-mini", "draft", in, out, 300, 0, 0, null);
    }

    private ResultEvent reply(TaskEvent task, StepOutcome outcome, ModelUsage usage) {
        clock.advance(Duration.ofMillis(40));
        return ResultEvent.of(task, outcome, 40, usage);
    }

    @Test
    void modelUsageIsSummedOverStepsAndAttemptsAndALateAttemptStillCounts() {
        JobCoordinator coordinator = budgeted(100_000);
        Job job = securityReview(coordinator);
        TaskEvent first = lastTask(job);
        coordinator.apply(job, reply(first, StepOutcome.failed(FailureKind.CRASH, "boom", null), usage(call(100, 20))));
        TaskEvent second = lastTask(job);
        clock.advance(Duration.ofSeconds(61));
        assertTrue(coordinator.timeOut(job, second.step()));
        assertEquals(JobCoordinator.Applied.STALE, coordinator.apply(job, reply(second, ok(), usage(call(50, 10)))),
                "the timed-out attempt answers late: nothing of it is applied but what it spent");
        TaskEvent third = lastTask(job);
        assertEquals(3, third.attempt());
        assertEquals(99_880L, third.tokenBudget(), "sent at the timeout, before the second attempt answered");
        coordinator.apply(job, reply(third, ok(), usage(call(200, 40),
                new ModelCall("ollama", "llama3.1", "repair", 30, 5, 100, 1, 2, null))));
        TaskEvent validate = lastTask(job);
        assertEquals(100_000L - 455, validate.tokenBudget(), "all three attempts spent from the budget");
        coordinator.apply(job, reply(validate, StepOutcome.succeeded(null, null,
                List.of(new Evidence("rls matrix", true, "16 cells", 12)), null), usage(call(10, 5))));
        assertEquals(JobStatus.COMPLETED, job.status);

        Step work = job.steps.get(0);
        assertEquals(4, work.usage.calls().size(), "the calls of all three attempts");
        assertEquals(455, work.usage.tokens());
        assertEquals(275, work.result.usage().tokens(), "the result itself is the last attempt's");
        assertEquals(470, job.usage().tokens());
        assertEquals(List.of("security", "security", "security", "security"),
                job.newSpending().stream().map(Job.Spending::service).toList(), "one entry per result taken in");

        UsageSummary total = UsageSummary.of(job.usage());
        assertEquals(5, total.calls());
        assertEquals(390, total.tokensIn());
        assertEquals(80, total.tokensOut());
        assertEquals(1, total.retries());
        assertEquals(2, total.toolCalls());
        assertEquals(1300, total.latencyMs());
        assertEquals(List.of("openai gpt-4o-mini 4 435", "ollama llama3.1 1 35"), total.byModel().stream()
                .map(m -> m.provider() + " " + m.model() + " " + m.calls() + " " + m.tokens()).toList());

        JobReport report = new ReportBuilder().build(job);
        assertEquals(470, report.usage().tokens());
        assertEquals(455, report.steps().get(0).usage().tokens());
        assertEquals(4, report.steps().get(0).modelCalls().size());
        String md = ReportRenderer.markdown(report);
        assertTrue(md.contains("\n## Model usage\n"), md);
        assertTrue(md.contains("| 1 | security(security) | openai | gpt-4o-mini | 3 | 350 | 70 | 900 ms | 0 | 0 |"),
                md);
        assertTrue(md.contains("| 1 | security(security) | ollama | llama3.1 | 1 | 30 | 5 | 100 ms | 1 | 2 |"), md);
        assertTrue(md.contains("| 2 (validate) | security(security) | openai | gpt-4o-mini | 1 | 10 | 5 | 300 ms |"),
                md);
        assertTrue(md.contains("| **total** |  |  |  | 5 | 390 | 80 | 1300 ms | 1 | 2 |"), md);
    }

    @Test
    void aResultThatIsNoEarlierAttemptOfItsStepChargesNothing() {
        JobCoordinator coordinator = budgeted(1_000);
        Job job = securityReview(coordinator);
        TaskEvent task = lastTask(job);
        ResultEvent wrongService = new ResultEvent(1, task.taskId(), task.jobId(), 1, 1, Specialist.OPS, "debugger",
                TaskKind.WORK, dev.backendteam.contract.ResultStatus.SUCCEEDED, null, null, null, null, null, null, null,
                5, usage(call(100, 0)));
        assertEquals(JobCoordinator.Applied.STALE, coordinator.apply(job, wrongService));
        ResultEvent laterAttempt = ResultEvent.of(new TaskEvent(1, task.taskId(), task.jobId(), 1, 2, task.service(),
                task.role(), task.kind(), task.task(), task.inputs(), task.artifacts(), 0, task.deadline()), ok(), 5,
                usage(call(100, 0)));
        assertEquals(JobCoordinator.Applied.STALE, coordinator.apply(job, laterAttempt), "no attempt 2 was sent");
        assertEquals(0, job.tokensSpent());
        assertTrue(job.newSpending().isEmpty());
    }

    @Test
    void everyTaskCarriesWhatIsLeftOfTheJobsBudgetAndNeverLessThanNothing() {
        JobCoordinator coordinator = budgeted(1_000);
        Job job = Job.create(UUID.randomUUID(), "alice", "x", JobInputs.empty(), "security-review", null, null, "h",
                clock.instant());
        job.addOrchestratorUsage(new ModelUsage(List.of(new ModelCall("openai", "gpt-4o-mini", "plan", 80, 20, 200,
                0, 0, null))));
        coordinator.submit(job);
        TaskEvent first = lastTask(job);
        assertEquals(900L, first.tokenBudget(), "the orchestrator's own calls count against the job's budget");
        coordinator.apply(job, reply(first, StepOutcome.failed(FailureKind.TRANSIENT, "sandbox busy", null),
                usage(call(250, 50))));
        TaskEvent retry = lastTask(job);
        assertEquals(2, retry.attempt());
        assertEquals(600L, retry.tokenBudget(), "a retry gets what the failed attempt left");
        coordinator.apply(job, reply(retry, ok(), usage(call(600, 100))));
        TaskEvent validate = lastTask(job);
        assertEquals(TaskKind.VALIDATE, validate.kind());
        assertEquals(0L, validate.tokenBudget(), "700 spent of 600 left: nothing is left, not a negative budget");
        assertEquals(1_100, job.tokensSpent());
        assertEquals(List.of("orchestrator", "security", "security"),
                job.newSpending().stream().map(Job.Spending::service).toList());
    }

    @Test
    void aBudgetOfNothingSendsZeroAndNoBudgetSendsNone() {
        JobCoordinator coordinator = budgeted(0);
        Job job = securityReview(coordinator);
        assertEquals(0L, lastTask(job).tokenBudget());
        assertNull(lastTask(job("x", "security-review", JobInputs.empty())).tokenBudget(),
                "without a budget setting the task says: no limit");
        assertThrows(IllegalArgumentException.class, () -> budgeted(-1));
    }

    @Test
    void aStepStoppedByItsBudgetOrByItsModelFailsTheJobAtOnceWithTheReason() {
        for (FailureKind kind : List.of(FailureKind.BUDGET, FailureKind.MODEL)) {
            JobCoordinator coordinator = budgeted(1_000);
            Job job = securityReview(coordinator);
            String why = kind == FailureKind.BUDGET
                    ? "the job's token budget would be exceeded: draft needs about 900 tokens, 400 of the step's 1000 "
                            + "remain (setting backend-team.llm.job-token-budget)"
                    : "the model (openai gpt-4o-mini) failed on draft after 3 tries: HTTP 503";
            ModelCall failed = new ModelCall("openai", "gpt-4o-mini", "draft", 0, 0, 900, 2, 0, "HTTP 503");
            coordinator.apply(job, reply(lastTask(job), StepOutcome.failed(kind, why, null),
                    usage(call(500, 100), failed)));
            assertEquals(JobStatus.FAILED, job.status, kind.wire());
            assertEquals(1, tasks(job).size(), kind.wire() + ": no retry");
            assertEquals(0, job.steps.get(0).retries);
            assertEquals("security failed: " + kind.wire() + ": " + why, job.reason);
            assertEquals(600, job.tokensSpent(), "what the step spent before it stopped is still accounted");
            String md = ReportRenderer.markdown(new ReportBuilder().build(job));
            assertTrue(md.contains("- **Status:** failed — security failed: " + kind.wire() + ": " + why), md);
            assertTrue(md.contains("600 tokens in all; 1 of 2 calls failed."), md);
        }
    }

    @Test
    void aReportOfAJobThatCalledNoModelSaysNothingAboutModels() {
        Job job = job("x", "security-review", JobInputs.empty());
        coordinator.apply(job, reply(lastTask(job), ok()));
        coordinator.apply(job, reply(lastTask(job), ok()));
        assertEquals(JobStatus.COMPLETED, job.status);
        JobReport report = new ReportBuilder().build(job);
        assertEquals(0, report.usage().calls());
        assertNull(report.steps().get(0).usage());
        assertNull(report.orchestratorUsage());
        String md = ReportRenderer.markdown(report);
        assertFalse(md.toLowerCase(java.util.Locale.ROOT).contains("model"), md);
        assertFalse(md.contains("token"), md);
    }

    static final class MutableClock extends Clock {
        private Instant now = Instant.parse("2026-11-24T10:00:00Z");

        void advance(Duration d) {
            now = now.plus(d);
        }

        @Override
        public ZoneOffset getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }
}
