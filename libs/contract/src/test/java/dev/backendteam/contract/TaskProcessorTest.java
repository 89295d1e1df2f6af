package dev.backendteam.contract;

import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class TaskProcessorTest {

    private static TaskEvent task(Specialist service, String role, TaskKind kind) {
        return new TaskEvent(Contract.VERSION, "t-1", "job-1", 2, 1, service, role, kind, "add comments",
                JobInputs.empty(), List.of(), 0, Instant.parse("2026-01-01T00:00:00Z"));
    }

    private static TaskEvent task(Specialist service, TaskKind kind) {
        return task(service, null, kind);
    }

    /** An engine that says which role ran, or throws {@code boom}. */
    private static SpecialistEngine engine(Role role, StepOutcome work, RuntimeException boom) {
        return new SpecialistEngine() {
            public Role role() {
                return role;
            }

            public StepOutcome work(TaskEvent task) {
                if (boom != null) {
                    throw boom;
                }
                return work != null ? work : StepOutcome.succeeded(null, List.of(Finding.info("ran", null,
                        role.id())), null, null);
            }

            public StepOutcome validate(TaskEvent task) {
                return StepOutcome.succeeded(null, List.of(Finding.info("v", null, "validated by " + role.id())),
                        null, null);
            }
        };
    }

    private static SpecialistEngine engine(StepOutcome work, RuntimeException boom) {
        return engine(Role.SECURITY, work, boom);
    }

    @Test
    void taskRoundTripsThroughJsonAndResultEchoesItsIdentity() {
        TaskProcessor processor = new TaskProcessor(engine(StepOutcome.succeeded(
                List.of(Artifact.file("Dockerfile", "FROM x", Specialist.SECURITY)), null, null, null), null));
        TaskEvent parsed = processor.parse(Json.write(task(Specialist.SECURITY, TaskKind.WORK)));
        ResultEvent result = processor.process(parsed);
        assertEquals("job-1", result.jobId());
        assertEquals(2, result.step());
        assertEquals(1, result.attempt());
        assertEquals(ResultStatus.SUCCEEDED, result.status());
        assertEquals("Dockerfile", result.artifacts().get(0).name());
        ResultEvent back = Json.read(Json.write(result), ResultEvent.class);
        assertEquals(result, back);
    }

    @Test
    void validateTasksGoToTheValidationPath() {
        TaskProcessor processor = new TaskProcessor(engine(null, null));
        ResultEvent result = processor.process(task(Specialist.SECURITY, TaskKind.VALIDATE));
        assertEquals(TaskKind.VALIDATE, result.kind());
        assertEquals("validated by security", result.findings().get(0).message());
    }

    @Test
    void eachTaskRunsTheEngineOfItsRole() {
        TaskProcessor ops = new TaskProcessor(Specialist.OPS, List.of(engine(Role.DEPLOYMENT, null, null),
                engine(Role.DEBUGGER, null, null), engine(Role.MONITOR, null, null)));
        for (String role : List.of("deployment", "debugger", "monitor")) {
            ResultEvent result = ops.process(task(Specialist.OPS, role, TaskKind.WORK));
            assertEquals(role, result.findings().get(0).message());
            assertEquals(role, result.role(), "the result names the role it answers for");
            assertEquals("validated by " + role, ops.process(task(Specialist.OPS, role, TaskKind.VALIDATE))
                    .findings().get(0).message());
        }
    }

    @Test
    void aTaskWithoutRoleRunsTheServicesDefaultRole() {
        TaskProcessor db = new TaskProcessor(Specialist.DB_ARCHITECT, List.of(engine(Role.SCHEMA, null, null)));
        assertEquals("schema", db.process(task(Specialist.DB_ARCHITECT, TaskKind.WORK)).findings().get(0)
                .message());
        assertEquals("schema", db.process(task(Specialist.DB_ARCHITECT, "schema", TaskKind.WORK)).findings().get(0)
                .message());
    }

    @Test
    void aRoleTheServiceDoesNotHostFailsOnItsMeritsWithTheHostedRoles() {
        TaskProcessor ops = new TaskProcessor(Specialist.OPS, List.of(engine(Role.DEPLOYMENT, null, null),
                engine(Role.DEBUGGER, null, null)));
        ResultEvent none = ops.process(task(Specialist.OPS, null, TaskKind.WORK));
        assertEquals(FailureKind.INVALID_INPUT, none.failureKind());
        assertTrue(none.reason().contains("ops needs a role"), none.reason());
        ResultEvent unknown = ops.process(task(Specialist.OPS, "janitor", TaskKind.WORK));
        assertEquals(FailureKind.INVALID_INPUT, unknown.failureKind());
        assertTrue(unknown.reason().contains("no role 'janitor'"), unknown.reason());
        ResultEvent notHosted = ops.process(task(Specialist.OPS, "edge-functions", TaskKind.WORK));
        assertEquals(FailureKind.INVALID_INPUT, notHosted.failureKind());
        assertTrue(notHosted.reason().contains("does not host role 'edge-functions'")
                && notHosted.reason().contains("deployment, debugger"), notHosted.reason());
    }

    @Test
    void engineSetsThatCannotServeAreRefusedAtStart() {
        assertThrows(IllegalArgumentException.class, () -> new TaskProcessor(Specialist.OPS, List.of()));
        assertThrows(IllegalArgumentException.class, () -> new TaskProcessor(Specialist.OPS,
                List.of(engine(Role.SCHEMA, null, null))));
        assertThrows(IllegalArgumentException.class, () -> new TaskProcessor(Specialist.OPS,
                List.of(engine(Role.DEBUGGER, null, null), engine(Role.DEBUGGER, null, null))));
    }

    @Test
    void anEngineExceptionIsAReportedRetryableCrash() {
        TaskProcessor processor = new TaskProcessor(engine(null, new IllegalStateException("disk on fire")));
        ResultEvent result = processor.process(task(Specialist.SECURITY, TaskKind.WORK));
        assertEquals(ResultStatus.FAILED, result.status());
        assertEquals(FailureKind.CRASH, result.failureKind());
        assertTrue(result.failureKind().retryable());
        assertTrue(result.reason().contains("disk on fire"));
    }

    @Test
    void anOversizedResultBecomesAFailureNotAnUnsendableRecord() {
        String huge = "x".repeat(MessageLimits.MAX_PAYLOAD_BYTES + 1);
        TaskProcessor processor = new TaskProcessor(engine(StepOutcome.succeeded(
                List.of(Artifact.file("big.txt", huge, Specialist.SECURITY)), null, null, null), null));
        ResultEvent result = processor.process(task(Specialist.SECURITY, TaskKind.WORK));
        assertEquals(FailureKind.TOO_LARGE, result.failureKind());
        assertTrue(result.artifacts().isEmpty());
        assertTrue(Json.utf8Length(Json.write(result)) < MessageLimits.MAX_PAYLOAD_BYTES);
    }

    @Test
    void poisonPayloadsAreRejectedWithAReason() {
        TaskProcessor processor = new TaskProcessor(engine(null, null));
        assertThrows(PoisonMessageException.class, () -> processor.parse("{not json"));
        assertThrows(PoisonMessageException.class, () -> processor.parse("{\"jobId\":\"j\"}"));
        PoisonMessageException wrongService = assertThrows(PoisonMessageException.class,
                () -> processor.parse(Json.write(task(Specialist.OPS, TaskKind.WORK))));
        assertTrue(wrongService.getMessage().contains("reached 'security'"));
    }

    @Test
    void strictReadingRefusesUnknownRequestFields() {
        assertThrows(Exception.class, () -> Json.strict().readValue("{\"task\":\"x\",\"flwo\":\"bug\"}",
                JobRequest.class));
    }

    @Test
    void mergingAnswersKeepsEarlierInputsAndRecordsTheClarification() {
        JobInputs first = new JobInputs(null, "create table a(id int);", List.of(new QueryInput("q", "select 1")),
                null, null, null, null, null);
        JobInputs more = new JobInputs(null, null, List.of(new QueryInput("q2", "select 2")), null, "ERROR: x",
                null, null, null, "legacy");
        JobInputs merged = first.merge(more, new Clarification("Which flow?", "bug"));
        assertEquals("create table a(id int);", merged.sql());
        assertEquals(2, merged.queries().size());
        assertEquals("ERROR: x", merged.logs());
        assertEquals("legacy", merged.grants());
        assertEquals("bug", merged.clarifications().get(0).answer());
    }

    @Test
    void deadLetterTopicsFollowTheChannelName() {
        assertEquals("backend-team.dlq.tasks.ops", Topics.deadLetters(Topics.tasks(Specialist.OPS)));
        assertEquals("backend-team.dlq.results", Topics.deadLetters(Topics.RESULTS));
    }
}
