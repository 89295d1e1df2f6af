package dev.backendteam.stack.cli;

import dev.backendteam.contract.JobStatus;
import dev.backendteam.contract.JobUpdate;
import dev.backendteam.contract.Specialist;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

class ProgressFormatterTest {
    private static final Instant T0 = Instant.parse("2025-11-24T10:00:00Z");

    private static JobUpdate update(long ms, String type, JobStatus status, Integer step, Specialist service,
            String message, String question) {
        return new JobUpdate(1, "job-1", null, 1, type, status, step, service, null, message, question,
                T0.plusMillis(ms));
    }

    @Test
    void stepsShowTheTimeSinceTheJobWasCreatedAndTheOrchestratorsWords() {
        ProgressFormatter f = new ProgressFormatter(T0);
        assertEquals(List.of("[   0.0s] job queued"),
                f.lines(update(12, "job.queued", JobStatus.QUEUED, null, null, "job queued", null)));
        assertEquals(List.of("[   0.3s] step 1  db-architect started"), f.lines(update(250, "step.started",
                JobStatus.RUNNING, 1, Specialist.DB_ARCHITECT, "db-architect started", null)));
        assertEquals(List.of("[   1.0s] step 1  db-architect succeeded in 702 ms with 2 artifact(s)"),
                f.lines(update(952, "step.succeeded", JobStatus.RUNNING, 1, Specialist.DB_ARCHITECT,
                        "db-architect succeeded in 702 ms with 2 artifact(s)", null)));
        assertEquals(List.of("[ 123.5s] step 12 validate security started"), f.lines(update(123_456, "step.started",
                JobStatus.VALIDATING, 12, Specialist.SECURITY, "validate security started", null)));
        assertEquals(List.of("[ 123.6s] step 12 validate security succeeded in 116 ms"), f.lines(update(123_572,
                "step.succeeded", JobStatus.VALIDATING, 12, Specialist.SECURITY, "security succeeded in 116 ms", null)),
                "a validation step's end says so, as its start does");
    }

    @Test
    void aFailedStepGetsItsDurationAndTheEndSaysHowTheJobEnded() {
        ProgressFormatter f = new ProgressFormatter(T0);
        f.lines(update(1000, "step.started", JobStatus.RUNNING, 2, Specialist.SECURITY, "security started", null));
        assertEquals(List.of("[   4.5s] step 2  security failed: invalid_input: no SQL (after 3.5 s)"),
                f.lines(update(4500, "step.failed", JobStatus.FAILED, 2, Specialist.SECURITY,
                        "security failed: invalid_input: no SQL", null)));
        assertEquals(List.of("[   4.5s] step 2  job failed: security failed: invalid_input: no SQL"),
                f.lines(update(4500, "job.failed", JobStatus.FAILED, 2, Specialist.SECURITY,
                        "security failed: invalid_input: no SQL", null)));
        assertEquals(List.of("[   9.0s] job completed: validation round passed: 3 proof(s)"),
                f.lines(update(9000, "job.completed", JobStatus.COMPLETED, null, null,
                        "validation round passed: 3 proof(s)", null)));
    }

    @Test
    void aQuestionGetsALineOfItsOwn() {
        List<String> lines = new ProgressFormatter(T0).lines(update(300, "job.question", JobStatus.NEEDS_INPUT, null,
                null, "the task is unclear: no keyword matched", "Which kind of job is this?"));
        assertEquals(List.of("[   0.3s] job needs input: the task is unclear: no keyword matched",
                "          question: Which kind of job is this?"), lines);
    }

    @Test
    void unknownEventsStillShowAndMissingTimesDoNotBreakTheLine() {
        ProgressFormatter f = new ProgressFormatter(T0);
        assertEquals(List.of("[   2.0s] something.new"),
                f.lines(update(2000, "something.new", JobStatus.RUNNING, null, null, null, null)));
        assertEquals(List.of("[       ] step 3  db-architect(api-data) is not built yet; this step was not run"),
                f.lines(new JobUpdate(1, "j", null, 5, "step.skipped", JobStatus.RUNNING, 3, Specialist.DB_ARCHITECT,
                        "api-data", "db-architect(api-data) is not built yet; this step was not run", null, null)));
        assertEquals("[   0.0s]", f.elapsed(T0.minusSeconds(1)), "clock skew never shows negative time");
    }

    @Test
    void durationsReadNaturally() {
        assertEquals("702 ms", ProgressFormatter.seconds(Duration.ofMillis(702)));
        assertEquals("3.4 s", ProgressFormatter.seconds(Duration.ofMillis(3420)));
        assertEquals("2 min 5 s", ProgressFormatter.seconds(Duration.ofSeconds(125)));
    }
}
