package dev.backendteam.ops.debugger;

import dev.backendteam.contract.Clarification;
import dev.backendteam.contract.Contract;
import dev.backendteam.contract.Diagnosis;
import dev.backendteam.contract.FileInput;
import dev.backendteam.contract.Finding;
import dev.backendteam.contract.Json;
import dev.backendteam.contract.JobInputs;
import dev.backendteam.contract.ResultStatus;
import dev.backendteam.contract.Severity;
import dev.backendteam.contract.Specialist;
import dev.backendteam.contract.StepOutcome;
import dev.backendteam.contract.TaskEvent;
import dev.backendteam.contract.TaskKind;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The debugger against realistic logs: the diagnosis its handoff carries, its questions, the deployment flow. */
class DebuggerEngineTest {
    private final DebuggerEngine engine = new DebuggerEngine(DebuggerPatterns.bundled());

    private static TaskEvent task(TaskKind kind, JobInputs inputs) {
        return new TaskEvent(Contract.VERSION, "t-1", "job-1", 1, 1, Specialist.OPS, "debugger", kind, "fix it", inputs,
                List.of(), 0, null);
    }

    private static JobInputs inputs(String logs, List<FileInput> files, List<Clarification> answers) {
        return new JobInputs(null, null, null, null, logs, files, null, answers);
    }

    private StepOutcome debug(String logs) {
        return engine.work(task(TaskKind.WORK, inputs(logs, null, null)));
    }

    private static Finding finding(StepOutcome outcome, String ruleId) {
        return outcome.findings().stream().filter(f -> f.ruleId().equals(ruleId)).findFirst()
                .orElseThrow(() -> new AssertionError("no " + ruleId + " in " + outcome.findings()));
    }

    private static boolean has(StepOutcome outcome, String ruleId) {
        return outcome.findings().stream().anyMatch(f -> f.ruleId().equals(ruleId));
    }

    @Test
    void aMissingTableHandsOffToDbArchitectWithTheStatementAndItsSqlstate() {
        StepOutcome outcome = debug("""
                2026-11-20 09:14:07.532 ERROR [io.qu.ve.ht.ru.QuarkusErrorHandler] HTTP Request to /posts/42/comments failed
                org.postgresql.util.PSQLException: ERROR: relation "comments" does not exist
                  Position: 15
                \tat org.postgresql.core.v3.QueryExecutorImpl.receiveErrorResponse(QueryExecutorImpl.java:2725)
                2026-11-20 09:14:07.533 UTC [2211] ERROR:  relation "comments" does not exist at character 15
                2026-11-20 09:14:07.533 UTC [2211] STATEMENT:  select * from comments where post_id = $1 order by created_at desc limit 20
                """);
        assertEquals(ResultStatus.SUCCEEDED, outcome.status());
        assertEquals(Specialist.DB_ARCHITECT, outcome.handoff().service());
        assertNull(outcome.handoff().role());
        Diagnosis d = outcome.handoff().diagnosis();
        assertEquals("postgres.undefined-table", d.rule());
        assertEquals("42P01", d.sqlstate());
        assertEquals("comments", d.object());
        assertEquals("select * from comments where post_id = $1 order by created_at desc limit 20", d.statement());
        assertEquals("org.postgresql.util.PSQLException: ERROR: relation \"comments\" does not exist", d.error());
        assertEquals(List.of("runtime", "database", "critical"), List.of(d.category(), d.layer(), d.severity()));
        Finding root = finding(outcome, "postgres.undefined-table");
        assertEquals(Severity.ERROR, root.severity());
        assertEquals(2, root.line());
        assertTrue(root.fix().contains("Immediate:") && root.fix().contains("Proper:")
                && root.fix().contains("Preventive:"), root.fix());
        for (String part : List.of("diagnosis.classification", "diagnosis.root-cause", "diagnosis.fix.immediate",
                "diagnosis.fix.proper", "diagnosis.fix.preventive", "diagnosis.verify", "diagnosis.statement",
                "diagnosis.owner")) {
            assertTrue(has(outcome, part), part);
        }
        assertTrue(finding(outcome, "diagnosis.root-cause").message().contains("comments"));
        assertTrue(outcome.artifacts().isEmpty());
        assertTrue(outcome.evidence().isEmpty());
        Diagnosis overTheWire = Json.read(Json.write(outcome.handoff()), dev.backendteam.contract.Handoff.class)
                .diagnosis();
        assertEquals(d, overTheWire);
    }

    @Test
    void aMissingColumnNamesItsRelationAlsoThroughTheStatementsAlias() {
        Diagnosis insert = debug("ERROR:  column \"author_id\" of relation \"comments\" does not exist\n"
                + "STATEMENT:  insert into comments (author_id, body) values ($1, $2)").handoff().diagnosis();
        assertEquals("postgres.undefined-column", insert.rule());
        assertEquals("comments.author_id", insert.object());
        assertEquals("42703", insert.sqlstate());
        assertEquals("insert into comments (author_id, body) values ($1, $2)", insert.statement());

        Diagnosis aliased = debug("""
                error: column c.body does not exist
                    at /app/node_modules/pg/lib/client.js:526:17 {
                  severity: 'ERROR',
                  code: '42703',
                  query: 'select c.body from public.comments c where c.post_id = $1'
                }
                """).handoff().diagnosis();
        assertEquals("public.comments.body", aliased.object());
        assertEquals("select c.body from public.comments c where c.post_id = $1", aliased.statement());

        Diagnosis bare = debug("ERROR: column \"body\" does not exist at character 8\nSTATEMENT:  select body from posts")
                .handoff().diagnosis();
        assertEquals("posts.body", bare.object(), "one relation in the statement: the column is its");
        Diagnosis ambiguous = debug("ERROR: column \"body\" does not exist\nSTATEMENT:  select body from posts p join"
                + " comments c on c.post_id = p.id").handoff().diagnosis();
        assertEquals("body", ambiguous.object(), "two relations: left as the error names it");
    }

    @Test
    void anRlsViolationOnInsertHandsOffToSecurityWithTheInsert() {
        StepOutcome outcome = debug("""
                2026-11-20 15:02:11.771 UTC [3310] authenticator@postgres ERROR:  new row violates row-level security policy for table "tasks"
                2026-11-20 15:02:11.771 UTC [3310] authenticator@postgres STATEMENT:  insert into public.tasks (title, project_id) values ($1, $2) returning *
                """);
        assertEquals(Specialist.SECURITY, outcome.handoff().service());
        Diagnosis d = outcome.handoff().diagnosis();
        assertEquals("postgres.rls-violation", d.rule());
        assertEquals("42501", d.sqlstate());
        assertEquals("tasks", d.object());
        assertEquals("insert into public.tasks (title, project_id) values ($1, $2) returning *", d.statement());
        assertEquals(1, outcome.findings().stream().filter(f -> f.severity() == Severity.ERROR).count(),
                "one error: " + outcome.findings());
    }

    @Test
    void aPostgrestRlsErrorReadsItsJsonMessageAndCode() {
        Diagnosis d = debug("{\"code\":\"42501\",\"details\":null,\"hint\":null,\"message\":\"new row violates"
                + " row-level security policy for table \\\"comments\\\"\"}").handoff().diagnosis();
        assertEquals("comments", d.object());
        assertEquals("42501", d.sqlstate());
        assertEquals("new row violates row-level security policy for table \"comments\"", d.error());
    }

    @Test
    void aPermissionDeniedHandsOffToSecurityNamingTheTable() {
        StepOutcome outcome = debug("""
                2026-11-20 16:05:12.001 UTC [771] authenticated@postgres ERROR:  permission denied for table orders
                2026-11-20 16:05:12.001 UTC [771] authenticated@postgres STATEMENT:  select id, total from public.orders where user_id = $1
                """);
        assertEquals(Specialist.SECURITY, outcome.handoff().service());
        Diagnosis d = outcome.handoff().diagnosis();
        assertEquals("postgres.insufficient-privilege", d.rule());
        assertEquals("42501", d.sqlstate());
        assertEquals("orders", d.object());
        assertEquals("select id, total from public.orders where user_id = $1", d.statement());
    }

    @Test
    void aStatementTimeoutHandsTheSlowSelectToQueryOptimizer() {
        StepOutcome outcome = debug("""
                2026-11-20 19:00:30.004 UTC [8812] api@app ERROR:  canceling statement due to statement timeout
                2026-11-20 19:00:30.004 UTC [8812] api@app STATEMENT:  select id, title from task
                \twhere project_id = $1 and status <> 'done'
                \torder by due_at
                2026-11-20 19:00:31.000 UTC [8812] api@app LOG:  disconnection: session time: 0:00:31.002
                """);
        assertEquals(Specialist.QUERY_OPTIMIZER, outcome.handoff().service());
        Diagnosis d = outcome.handoff().diagnosis();
        assertEquals("postgres.statement-timeout", d.rule());
        assertEquals("57014", d.sqlstate());
        assertEquals("select id, title from task\nwhere project_id = $1 and status <> 'done'\norder by due_at",
                d.statement());
        assertTrue(d.hasStatement());
    }

    @Test
    void aHibernateStatementPrecedesItsErrorAndASpringOneSitsOnItsLine() {
        Diagnosis hibernate = debug("""
                DEBUG [org.hibernate.SQL] (executor-thread-3) select o.id from orders o where o.closed_at is null
                ERROR [org.hib.eng.jdb.spi.SqlExceptionHelper] ERROR: column o.closed_at does not exist
                DEBUG [org.hibernate.SQL] (executor-thread-4) select 1
                """).handoff().diagnosis();
        assertEquals("select o.id from orders o where o.closed_at is null", hibernate.statement());
        assertEquals("orders.closed_at", hibernate.object());
        Diagnosis spring = debug("org.springframework.jdbc.BadSqlGrammarException: PreparedStatementCallback; bad SQL"
                + " grammar [select * from invoices where id = ?]; nested exception is"
                + " org.postgresql.util.PSQLException: ERROR: relation \"invoices\" does not exist").handoff().diagnosis();
        assertEquals("select * from invoices where id = ?", spring.statement());
    }

    @Test
    void aFixInTheUsersOwnCodeHandsOffToNobodyAndSaysSo() {
        StepOutcome outcome = debug("ERROR: duplicate key value violates unique constraint \"users_email_key\"\n"
                + "DETAIL:  Key (email)=(ada@example.test) already exists.");
        assertNull(outcome.handoff());
        assertEquals("users_email_key", finding(outcome, "postgres.unique-violation").object());
        assertTrue(finding(outcome, "diagnosis.owner").message().contains("your own application code"));
        assertTrue(finding(outcome, "diagnosis.error").message().contains("Key (email)=(ada@example.test)"));
    }

    @Test
    void opsOwnedFixesHandOffToTheDeploymentRole() {
        StepOutcome outcome = debug("SRCFG00014: The config property quarkus.datasource.jdbc.url is required but it"
                + " could not be found in any config source");
        assertEquals(Specialist.OPS, outcome.handoff().service());
        assertEquals("deployment", outcome.handoff().role());
        assertEquals("quarkus.datasource.jdbc.url", outcome.handoff().diagnosis().object());
        assertNull(outcome.handoff().diagnosis().sqlstate());
    }

    @Test
    void everyOtherErrorIsReportedBesideTheRoot() {
        StepOutcome outcome = debug("""
                ERROR: new row violates row-level security policy for table "comments"
                ERROR: relation "comment_likes" does not exist
                ERROR: relation "comment_likes" does not exist
                """);
        assertEquals(Specialist.SECURITY, outcome.handoff().service());
        Finding other = finding(outcome, "postgres.undefined-table");
        assertEquals(2, other.line());
        assertTrue(other.message().contains("also in the log"), other.message());
        assertEquals(1, outcome.findings().stream().filter(f -> f.ruleId().equals("postgres.undefined-table")).count());
    }

    @Test
    void anUnclassifiedLogInABugJobAsksForWhatWouldHelpOnceAndHandsOffToNobody() {
        String log = "ERROR [dev.ex.InvoiceService] failed\ndev.example.InvoiceRenderException: no slot\n"
                + "    at dev.example.InvoiceService.render(InvoiceService.java:88)";
        StepOutcome outcome = debug(log);
        assertEquals(ResultStatus.NEEDS_INPUT, outcome.status());
        assertNull(outcome.handoff());
        assertTrue(has(outcome, "debugger.unclassified"));
        assertTrue(outcome.question().contains("Caused by:"), outcome.question());
        assertTrue(debug("ERROR:  some new failure").question().contains("SQLSTATE"));

        StepOutcome stillUnknown = engine.work(task(TaskKind.WORK, inputs(log, null,
                List.of(new Clarification(outcome.question(), "that is all there is")))));
        assertEquals(ResultStatus.SUCCEEDED, stillUnknown.status(), "asked once: the job goes on");
        assertNull(stillUnknown.handoff());
        assertTrue(has(stillUnknown, "debugger.unclassified"));

        StepOutcome answered = engine.work(task(TaskKind.WORK, inputs(log, null, List.of(new Clarification(
                outcome.question(), log + "\nCaused by: org.postgresql.util.PSQLException: ERROR: permission denied"
                + " for table invoices")))));
        assertEquals(Specialist.SECURITY, answered.handoff().service(), "the answer is read as more of the log");
    }

    @Test
    void withoutLogsItAsksOnlyWhenTheJobHasNoFilesEither() {
        StepOutcome nothing = engine.work(task(TaskKind.WORK, JobInputs.empty()));
        assertEquals(ResultStatus.NEEDS_INPUT, nothing.status());
        assertTrue(nothing.question().startsWith("Paste the error log or stack trace"));
        assertEquals(ResultStatus.NEEDS_INPUT, debug("   \n ").status());

        StepOutcome files = engine.work(task(TaskKind.WORK, inputs(null, List.of(new FileInput("pom.xml", "<project/>")),
                null)));
        assertEquals(ResultStatus.SUCCEEDED, files.status());
        assertNull(files.handoff());
        assertTrue(has(files, "debugger.no-logs"));
    }

    @Test
    void aDeploymentJobIsNotHeldUpByASuccessfulBuildOrAnUnknownLog() {
        StepOutcome success = debug("[INFO] Scanning for projects...\n[INFO] BUILD SUCCESS\n[INFO] Total time:  14.532 s");
        assertEquals(ResultStatus.SUCCEEDED, success.status());
        assertNull(success.handoff());
        assertTrue(has(success, "debugger.no-failure"));

        List<FileInput> files = List.of(new FileInput("package.json", "{}"));
        StepOutcome unknown = engine.work(task(TaskKind.WORK, inputs("npm WARN something odd", files, null)));
        assertEquals(ResultStatus.SUCCEEDED, unknown.status(), "a job shipping its build files goes on to deployment");
        assertTrue(has(unknown, "debugger.unclassified"));

        StepOutcome schemaOnly = engine.work(task(TaskKind.WORK, inputs("npm WARN something odd",
                List.of(new FileInput("supabase/migrations/001_init.sql", "create table t (id int);")), null)));
        assertEquals(ResultStatus.NEEDS_INPUT, schemaOnly.status(), "a bug job with its schema still asks");

        StepOutcome failing = engine.work(task(TaskKind.WORK, inputs("[ERROR] Fatal error compiling: error: release"
                + " version 21 not supported", files, null)));
        assertEquals(Specialist.OPS, failing.handoff().service());
        assertEquals("deployment", failing.handoff().role());
    }

    @Test
    void aLogPastedAsThePlainAnswerToItsQuestionIsRead() {
        String question = engine.work(task(TaskKind.WORK, JobInputs.empty())).question();
        StepOutcome outcome = engine.work(task(TaskKind.WORK, inputs(null, null,
                List.of(new Clarification(question, "ERROR: relation \"comments\" does not exist")))));
        assertEquals(ResultStatus.SUCCEEDED, outcome.status());
        assertEquals(Specialist.DB_ARCHITECT, outcome.handoff().service());
        StepOutcome other = engine.work(task(TaskKind.WORK, inputs(null, null,
                List.of(new Clarification("Which flow?", "ERROR: relation \"x\" does not exist")))));
        assertEquals(ResultStatus.NEEDS_INPUT, other.status(), "only an answer to its own question counts as logs");
    }

    @Test
    void secretsInTheLogAppearInNothingItEmits() {
        String log = """
                Starting with DATABASE_URL=postgresql://app:Sup3rS3cret@db.internal:5432/app?sslmode=require
                jdbc:postgresql://db.internal:5432/app?user=app&password=Hunter2Pass
                Authorization: Bearer abcdEFGH1234ijklMNOP5678
                PGPASSWORD=Sup3rS3cret api_key="sk-live-0123456789abcdefghij"
                org.postgresql.util.PSQLException: FATAL: password authentication failed for user "app" password=Sup3rS3cret
                STATEMENT:  select * from users where token = 'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjMifQ.c2lnbmF0dXJlX2hlcmU'
                """;
        StepOutcome outcome = debug(log);
        String emitted = Json.write(outcome);
        for (String secret : List.of("Sup3rS3cret", "Hunter2Pass", "abcdEFGH1234ijklMNOP5678", "sk-live-0123456789",
                "eyJhbGciOiJIUzI1NiJ9")) {
            assertFalse(emitted.contains(secret), secret + " leaked: " + emitted);
        }
        assertEquals("app", outcome.handoff().diagnosis().object());
        assertTrue(outcome.handoff().diagnosis().error().contains("password=***"), outcome.handoff().diagnosis().error());

        StepOutcome unclassified = debug("connecting with password=TopSecret99 failed somehow");
        assertFalse(Json.write(unclassified).contains("TopSecret99"));
    }

    @Test
    void aHugeLogIsBoundedAndTheReportSaysSo() {
        DebuggerEngine small = new DebuggerEngine(DebuggerPatterns.bundled(), 10_000);
        String noise = "INFO all good\n".repeat(5_000);
        StepOutcome outcome = small.work(task(TaskKind.WORK, inputs(noise + "ERROR: relation \"late\" does not exist\n",
                null, null)));
        assertTrue(has(outcome, "input.logs-truncated"));
        Finding root = finding(outcome, "postgres.undefined-table");
        assertEquals(5_001, root.line(), "lines count as in the submitted log");
        // Long runs of word characters (a base64 blob, a minified bundle) are where a careless regex backtracks.
        String blob = "QUJD".repeat(25_000);
        long start = System.nanoTime();
        StepOutcome blobs = engine.work(task(TaskKind.WORK, inputs(blob + " password=" + blob + "\nERROR: relation \""
                + "t\" does not exist " + blob + "\nSTATEMENT:  select " + blob + " - " + blob, null, null)));
        long millis = (System.nanoTime() - start) / 1_000_000;
        assertEquals("postgres.undefined-table", blobs.handoff().diagnosis().rule());
        assertTrue(millis < 10_000, "diagnosed in " + millis + " ms");
        StepOutcome garbage = small.work(task(TaskKind.WORK, inputs("\u0000\u0001\uFFFF\u0000".repeat(50_000), null,
                null)));
        assertNotNull(garbage.status());
    }

    @Test
    void theShippedBugExampleHandsTheMissingTableAndItsStatementToDbArchitect() throws java.io.IOException {
        // The module's tests run from its directory; the example sits in the repository's deploy/examples.
        com.fasterxml.jackson.databind.JsonNode example = new com.fasterxml.jackson.databind.ObjectMapper()
                .readTree(java.nio.file.Files.readString(java.nio.file.Path.of("..", "deploy", "examples", "bug.json")));
        Diagnosis d = debug(example.path("logs").asText()).handoff().diagnosis();
        assertEquals("postgres.undefined-table", d.rule());
        assertEquals("comments", d.object());
        assertEquals("42P01", d.sqlstate());
        assertEquals("select * from comments where post_id = $1 order by created_at desc limit 20", d.statement());
    }

    @Test
    void itsValidationHasNothingToReplayAndClaimsNoProof() {
        StepOutcome outcome = engine.validate(task(TaskKind.VALIDATE, JobInputs.empty()));
        assertEquals(ResultStatus.SUCCEEDED, outcome.status());
        assertTrue(outcome.evidence().isEmpty());
        assertEquals(List.of("validation.nothing-to-replay"), outcome.findings().stream().map(Finding::ruleId).toList());
    }
}
