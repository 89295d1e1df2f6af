package dev.backendteam.contract;

import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class TaskProcessorTest {

    private static TaskEvent task(Specialist service, TaskKind kind) {
        return new TaskEvent(Contract.VERSION, "t-1", "job-1", 2, 1, service, null, kind, "add comments",
                JobInputs.empty(), List.of(), 0, Instant.parse("2026-01-01T00:00:00Z"));
    }

    private static SpecialistEngine engine(StepOutcome work, RuntimeException boom) {
        return new SpecialistEngine() {
            public Specialist specialist() {
                return Specialist.SECURITY;
            }

            public StepOutcome work(TaskEvent task) {
                if (boom != null) {
                    throw boom;
                }
                return work;
            }

            public StepOutcome validate(TaskEvent task) {
                return StepOutcome.succeeded(null, List.of(Finding.info("v", null, "validated")), null, null);
            }
        };
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
        assertEquals("validated", result.findings().get(0).message());
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
                null, null, null);
        JobInputs merged = first.merge(more, new Clarification("Which flow?", "bug"));
        assertEquals("create table a(id int);", merged.sql());
        assertEquals(2, merged.queries().size());
        assertEquals("ERROR: x", merged.logs());
        assertEquals("bug", merged.clarifications().get(0).answer());
    }

    @Test
    void deadLetterTopicsFollowTheChannelName() {
        assertEquals("backend-team.dlq.tasks.ops", Topics.deadLetters(Topics.tasks(Specialist.OPS)));
        assertEquals("backend-team.dlq.results", Topics.deadLetters(Topics.RESULTS));
    }
}
