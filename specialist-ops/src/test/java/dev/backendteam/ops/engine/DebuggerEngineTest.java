package dev.backendteam.ops.engine;

import dev.backendteam.contract.Contract;
import dev.backendteam.contract.Finding;
import dev.backendteam.contract.JobInputs;
import dev.backendteam.contract.ResultStatus;
import dev.backendteam.contract.Severity;
import dev.backendteam.contract.Specialist;
import dev.backendteam.contract.StepOutcome;
import dev.backendteam.contract.TaskEvent;
import dev.backendteam.contract.TaskKind;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The debugger against realistic logs: its catalogue, the handoff, its question. */
class DebuggerEngineTest {
    private final DebuggerEngine engine = new DebuggerEngine(DebuggerPatterns.bundled());

    private static TaskEvent task(String role, TaskKind kind, JobInputs inputs) {
        return new TaskEvent(Contract.VERSION, "t-1", "job-1", 1, 1, Specialist.OPS, role, kind, "fix it", inputs,
                List.of(), 0, null);
    }

    private static JobInputs logs(String logs) {
        return new JobInputs(null, null, null, null, logs, null, null, null);
    }

    private StepOutcome debug(String logs) {
        return engine.work(task("debugger", TaskKind.WORK, logs(logs)));
    }

    private static List<Finding> errors(StepOutcome outcome) {
        return outcome.findings().stream().filter(f -> f.severity() == Severity.ERROR).toList();
    }

    private static boolean has(StepOutcome outcome, String ruleId) {
        return outcome.findings().stream().anyMatch(f -> f.ruleId().equals(ruleId));
    }

    @Test
    void undefinedTableHandsOffToDbArchitectNamingTheRelation() {
        StepOutcome outcome = debug("""
                2026-11-24 INFO starting
                org.postgresql.util.PSQLException: ERROR: relation "comments" does not exist
                  Position: 15
                """);
        assertEquals(ResultStatus.SUCCEEDED, outcome.status());
        assertEquals(Specialist.DB_ARCHITECT, outcome.handoff().service());
        assertNull(outcome.handoff().role());
        assertTrue(outcome.handoff().reason().contains("comments"), outcome.handoff().reason());
        Finding error = errors(outcome).get(0);
        assertEquals("postgres.undefined-table", error.ruleId());
        assertEquals("comments", error.object());
        assertEquals(2, error.line());
        assertTrue(error.fix() != null && !error.fix().isBlank());
        assertTrue(outcome.artifacts().isEmpty());
        assertTrue(outcome.evidence().isEmpty());
    }

    @Test
    void undefinedColumnOfARelationIsAColumnNotAMissingTable() {
        StepOutcome outcome = debug("ERROR:  column \"author_id\" of relation \"comments\" does not exist");
        assertEquals(Specialist.DB_ARCHITECT, outcome.handoff().service());
        assertEquals(1, errors(outcome).size(), outcome.findings().toString());
        assertEquals("postgres.undefined-column", errors(outcome).get(0).ruleId());
        assertEquals("comments.author_id", errors(outcome).get(0).object());
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "ERROR: column \"body\" does not exist at character 8",
            "ERROR: column c.body does not exist\nLINE 1: select c.body from comments c",
            "error: something failed { code: '42703', severity: 'ERROR' }",
            "ERROR: undefined column (SQLSTATE 42703)" })
    void undefinedColumnInItsUsualShapesHandsOffToDbArchitect(String log) {
        StepOutcome outcome = debug(log);
        assertEquals(Specialist.DB_ARCHITECT, outcome.handoff().service(), log);
        assertEquals("postgres.undefined-column", errors(outcome).get(0).ruleId());
    }

    @Test
    void aBareSqlstateStillHandsOffButNamesNothing() {
        StepOutcome outcome = debug("pq: query failed, SQLSTATE 42P01");
        assertEquals(Specialist.DB_ARCHITECT, outcome.handoff().service());
        assertEquals("postgres.undefined-table", errors(outcome).get(0).ruleId());
        assertNull(errors(outcome).get(0).object());
    }

    @Test
    void rowLevelSecurityViolationHandsOffToSecurity() {
        StepOutcome outcome = debug("""
                {"code":"42501","message":"new row violates row-level security policy for table \\"comments\\""}
                """);
        assertEquals(Specialist.SECURITY, outcome.handoff().service());
        List<Finding> errors = errors(outcome);
        assertEquals(1, errors.size(), "the bare 42501 names the same error: " + errors);
        assertEquals("postgres.rls-violation", errors.get(0).ruleId());
        assertEquals("comments", errors.get(0).object());
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "ERROR: permission denied for table comments",
            "ERROR: permission denied for relation profiles",
            "org.postgresql.util.PSQLException: insufficient privilege, SQL State: 42501" })
    void missingPrivilegeHandsOffToSecurity(String log) {
        StepOutcome outcome = debug(log);
        assertEquals(Specialist.SECURITY, outcome.handoff().service(), log);
        assertEquals("postgres.insufficient-privilege", errors(outcome).get(0).ruleId());
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "ERROR: duplicate key value violates unique constraint \"users_email_key\" (SQLSTATE 23505)",
            "ERROR: deadlock detected",
            "java.net.ConnectException: Connection refused: localhost/127.0.0.1:42501",
            "processed 42703 rows; table comments does not exist in cache, loading",
            "relation \"comments\" already exists",
            "Started in 1.2s. Listening on: http://0.0.0.0:8084" })
    void logsWithoutACataloguedErrorHandOffToNobody(String log) {
        StepOutcome outcome = debug(log);
        assertEquals(ResultStatus.SUCCEEDED, outcome.status());
        assertNull(outcome.handoff(), log);
        assertTrue(errors(outcome).isEmpty(), outcome.findings().toString());
        assertTrue(has(outcome, "debugger.no-known-pattern"));
        assertTrue(has(outcome, "capability.not-built"));
    }

    @Test
    void theEarliestErrorInTheLogDecidesTheHandoffAndEveryErrorIsReported() {
        StepOutcome outcome = debug("""
                ERROR: new row violates row-level security policy for table "comments"
                ERROR: relation "comment_likes" does not exist
                ERROR: relation "comment_likes" does not exist
                """);
        assertEquals(Specialist.SECURITY, outcome.handoff().service());
        List<Finding> errors = errors(outcome);
        assertEquals(2, errors.size(), "a repeated error is reported once: " + errors);
        assertEquals("postgres.undefined-table", errors.get(1).ruleId());
        assertEquals(2, errors.get(1).line());

        StepOutcome reversed = debug("ERROR: relation \"t\" does not exist\nERROR: permission denied for table t");
        assertEquals(Specialist.DB_ARCHITECT, reversed.handoff().service());
    }

    @Test
    void debuggerWithoutLogsAsksForThem() {
        StepOutcome outcome = engine.work(task("debugger", TaskKind.WORK, JobInputs.empty()));
        assertEquals(ResultStatus.NEEDS_INPUT, outcome.status());
        assertTrue(outcome.question().startsWith("Paste the error log or stack trace"));
        assertEquals(ResultStatus.NEEDS_INPUT, debug("   \n ").status());
    }

    @Test
    void aLogPastedAsThePlainAnswerToItsQuestionIsRead() {
        String question = engine.work(task("debugger", TaskKind.WORK, JobInputs.empty())).question();
        JobInputs answered = new JobInputs(null, null, null, null, null, null, null, java.util.List.of(
                new dev.backendteam.contract.Clarification(question, "ERROR: relation \"comments\" does not exist")));
        StepOutcome outcome = engine.work(task("debugger", TaskKind.WORK, answered));
        assertEquals(ResultStatus.SUCCEEDED, outcome.status());
        assertEquals(Specialist.DB_ARCHITECT, outcome.handoff().service());
        JobInputs otherQuestion = new JobInputs(null, null, null, null, null, null, null, java.util.List.of(
                new dev.backendteam.contract.Clarification("Which flow?", "ERROR: relation \"x\" does not exist")));
        assertEquals(ResultStatus.NEEDS_INPUT, engine.work(task("debugger", TaskKind.WORK, otherQuestion)).status(),
                "only an answer to its own question counts as logs");
    }

    @Test
    void debuggerReportsWhatItRead() {
        StepOutcome outcome = debug("line one\nline two\nline three");
        Finding input = outcome.findings().stream().filter(f -> f.ruleId().equals("input.logs")).findFirst()
                .orElseThrow();
        assertTrue(input.message().contains("3 line(s)"), input.message());
    }

    @Test
    void itsValidationHasNothingToReplayAndClaimsNoProof() {
        StepOutcome outcome = engine.validate(task("debugger", TaskKind.VALIDATE, JobInputs.empty()));
        assertEquals(ResultStatus.SUCCEEDED, outcome.status());
        assertTrue(outcome.evidence().isEmpty());
        assertEquals(List.of("validation.nothing-to-replay"), outcome.findings().stream().map(Finding::ruleId)
                .toList());
    }
}
