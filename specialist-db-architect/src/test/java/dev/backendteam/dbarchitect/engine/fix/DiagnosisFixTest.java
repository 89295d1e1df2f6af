package dev.backendteam.dbarchitect.engine.fix;

import dev.backendteam.contract.Artifact;
import dev.backendteam.contract.Contract;
import dev.backendteam.contract.Diagnosis;
import dev.backendteam.contract.Evidence;
import dev.backendteam.contract.FailureKind;
import dev.backendteam.contract.FileInput;
import dev.backendteam.contract.Finding;
import dev.backendteam.contract.Handoff;
import dev.backendteam.contract.JobInputs;
import dev.backendteam.contract.ResultStatus;
import dev.backendteam.contract.Specialist;
import dev.backendteam.contract.StepOutcome;
import dev.backendteam.contract.TaskEvent;
import dev.backendteam.contract.TaskKind;
import dev.backendteam.dbarchitect.engine.DbArchitectEngine;
import dev.backendteam.dbarchitect.engine.Migration;
import dev.backendteam.dbarchitect.engine.design.ExistingSchema;
import dev.backendteam.dbarchitect.engine.proof.CatalogObject;
import dev.backendteam.dbarchitect.engine.proof.MigrationProver;
import dev.backendteam.dbarchitect.engine.proof.Proof;
import dev.backendteam.dbarchitect.engine.proof.ProofPlan;
import dev.backendteam.dbarchitect.engine.proof.SandboxMigrationProver;
import dev.backendteam.dbarchitect.engine.spec.DomainSpecReader;
import dev.backendteam.sandbox.PostgresServers;
import dev.backendteam.sandbox.TestSandboxes;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A bug job's diagnosis, handed from the debugger to db-architect, fixed for real: each case's schema is applied in
 * the sandbox on an embedded PostgreSQL 17, the failing statement replayed before and after the fix, the fix rolled
 * back and applied again; the validation round replays it with the bundle.
 */
@ExtendWith(PostgresServers.class)
class DiagnosisFixTest {
    private static final String POSTS = "create table public.posts (\n  id uuid primary key default gen_random_uuid(),\n"
            + "  title text not null\n);\n";
    private static SandboxMigrationProver prover;
    private static DbArchitectEngine engine;

    @BeforeAll
    static void start(PostgresServers.Servers servers) {
        prover = new SandboxMigrationProver(TestSandboxes.on(servers.pg17()));
        engine = new DbArchitectEngine(prover);
    }

    private static Diagnosis diagnosis(String rule, String sqlstate, String object, String statement, String error) {
        return new Diagnosis(rule, sqlstate, object, statement, error, "data", "database", "major", null);
    }

    private static TaskEvent task(TaskKind kind, JobInputs inputs, Diagnosis d, List<Artifact> artifacts) {
        return new TaskEvent(Contract.VERSION, "t-1", "job-bug", 2, 1, Specialist.DB_ARCHITECT, null, kind,
                "fix what the debugger found", inputs, artifacts, 1, null, List.of(),
                new Handoff(Specialist.DB_ARCHITECT, null, "the table or column is missing", d));
    }

    private static JobInputs inputs(String spec, String sql, String logs, List<FileInput> files) {
        return new JobInputs(spec == null ? null : DomainSpecReader.read(spec), sql, null, null, logs, files, null,
                null);
    }

    private static StepOutcome work(JobInputs inputs, Diagnosis d) {
        return engine.work(task(TaskKind.WORK, inputs, d, List.of()));
    }

    /** The validation round on the bundle the step delivered. */
    private static StepOutcome validate(JobInputs inputs, Diagnosis d, StepOutcome step) {
        return engine.validate(task(TaskKind.VALIDATE, inputs, d, step.artifacts()));
    }

    private static Evidence evidence(StepOutcome outcome, String check) {
        return outcome.evidence().stream().filter(e -> e.check().startsWith(check)).findFirst()
                .orElseThrow(() -> new AssertionError("no evidence " + check + " in " + outcome.evidence()));
    }

    private static Optional<Finding> finding(StepOutcome outcome, String rule) {
        return outcome.findings().stream().filter(f -> f.ruleId().equals(rule)).findFirst();
    }

    private static String up(StepOutcome outcome, String name) {
        return outcome.artifacts().stream().filter(a -> a.name().equals(name)).findFirst()
                .orElseThrow(() -> new AssertionError("no migration " + name + " in " + outcome.artifacts().stream()
                        .map(Artifact::name).toList())).content();
    }

    private static void assertProvenFix(StepOutcome outcome) {
        assertEquals(ResultStatus.SUCCEEDED, outcome.status(), () -> outcome.reason() + " " + outcome.evidence());
        for (String check : List.of(MigrationProver.REPLAY_BEFORE, MigrationProver.REPLAY_AFTER, MigrationProver.APPLY,
                MigrationProver.DOWN, MigrationProver.UP_AGAIN)) {
            assertTrue(evidence(outcome, check).passed(), () -> check + ": " + evidence(outcome, check).details());
        }
    }

    @Test
    void aQuarkusLogsMissingTableIsBuiltFromTheInsertWithAKeyToPosts() {
        String log = """
                2026-11-30 10:12:01,338 ERROR [io.qua.ver.htt.run.QuarkusErrorHandler] (executor-thread-1) HTTP Request to /posts/7/comments failed, error id: 9c1
                org.postgresql.util.PSQLException: ERROR: relation "comments" does not exist
                  Position: 13
                	at org.postgresql.core.v3.QueryExecutorImpl.receiveErrorResponse(QueryExecutorImpl.java:2733)
                	at io.agroal.pool.wrapper.PreparedStatementWrapper.executeUpdate(PreparedStatementWrapper.java:88)
                """;
        Diagnosis d = diagnosis("postgres.undefined-table", "42P01", "comments",
                "insert into comments (post_id, body) values ($1, $2)", "ERROR: relation \"comments\" does not exist");
        JobInputs in = inputs(null, POSTS, log, null);
        StepOutcome outcome = work(in, d);
        assertProvenFix(outcome);
        String up = up(outcome, "create_comments");
        assertTrue(up.contains("post_id uuid not null constraint comments_post_id_fkey references public.posts (id)"
                + " on delete cascade"), up);
        assertTrue(up.contains("body text"), up);
        assertTrue(up.contains("idx_comments_post_id"), up);
        assertTrue(up.contains("enable row level security"), up);
        assertEquals("create_set_updated_at_function", outcome.artifacts().get(0).name());
        assertTrue(finding(outcome, "infer.key").isPresent());
        assertTrue(finding(outcome, "infer.default-text").orElseThrow().message().contains("body"));
        assertTrue(evidence(outcome, MigrationProver.REPLAY_BEFORE).details().contains("42P01"));

        StepOutcome validation = validate(in, d, outcome);
        assertEquals(ResultStatus.SUCCEEDED, validation.status(), validation::reason);
        assertTrue(evidence(validation, MigrationProver.REPLAY_BEFORE).passed());
        assertTrue(evidence(validation, MigrationProver.REPLAY_AFTER).passed());
    }

    @Test
    void aPostgrestTypoIsTheApplicationsToFixAndTheCorrectedStatementIsProven() {
        String error = "{\"code\":\"42703\",\"details\":null,\"hint\":\"Perhaps you meant to reference the column"
                + " \\\"comments.body\\\".\",\"message\":\"column comments.bdy does not exist\"}";
        String sql = POSTS + "create table public.comments (id uuid primary key default gen_random_uuid(),"
                + " post_id uuid not null references public.posts (id) on delete cascade, body text not null);\n";
        Diagnosis d = diagnosis("postgres.undefined-column", "42703", "comments.bdy",
                "select id, bdy from comments where post_id = $1", error);
        StepOutcome outcome = work(inputs(null, sql, error, null), d);
        assertEquals(ResultStatus.SUCCEEDED, outcome.status(), outcome::reason);
        assertTrue(outcome.artifacts().isEmpty(), "no migration for a typo");
        Finding f = finding(outcome, DiagnosisFix.APPLICATION).orElseThrow();
        assertEquals("select id, body from comments where post_id = $1", f.fix().substring("Use: ".length()));
        assertTrue(evidence(outcome, DiagnosisFix.REPLAY_CORRECTED).passed());
    }

    @Test
    void aColumnTakenFromTheWrongTableOfAJoinIsTheApplicationsToFix() {
        String sql = POSTS + "create table public.comments (id uuid primary key default gen_random_uuid(),"
                + " post_id uuid not null references public.posts (id) on delete cascade, body text);\n";
        Diagnosis d = diagnosis("postgres.undefined-column", "42703", "c.title",
                "select c.id, c.title, c.body from comments c join posts p on p.id = c.post_id where c.post_id = $1",
                "org.postgresql.util.PSQLException: ERROR: column c.title does not exist");
        StepOutcome outcome = work(inputs(null, sql, d.error(), null), d);
        assertEquals(ResultStatus.SUCCEEDED, outcome.status(), outcome::reason);
        assertTrue(outcome.artifacts().isEmpty());
        Finding f = finding(outcome, DiagnosisFix.APPLICATION).orElseThrow();
        assertTrue(f.message().contains("wrong table"), f.message());
        assertEquals("Use: select c.id, p.title, c.body from comments c join posts p on p.id = c.post_id"
                + " where c.post_id = $1", f.fix());
        assertTrue(evidence(outcome, DiagnosisFix.REPLAY_CORRECTED).passed());
    }

    @Test
    void aMissingColumnOfAnotherSchemaIsAddedAmongFourInsertedColumns() {
        String sql = "create schema billing;\ncreate table billing.invoices (id bigint generated always as identity"
                + " primary key, customer_id uuid not null, total numeric(12,2) not null, paid_at timestamptz);\n";
        Diagnosis d = diagnosis("postgres.undefined-column", "42703", "invoices.is_void",
                "insert into billing.invoices (customer_id, total, paid_at, is_void) values ($1, 12.50, now(), false)",
                "ERROR: column \"is_void\" of relation \"invoices\" does not exist");
        StepOutcome outcome = work(inputs(null, sql, d.error(), null), d);
        assertProvenFix(outcome);
        assertEquals(1, outcome.artifacts().size());
        String up = up(outcome, "add_billing_invoices_is_void");
        assertTrue(up.contains("alter table billing.invoices add column if not exists is_void boolean not null"
                + " default false;"), up);
        assertTrue(evidence(outcome, MigrationProver.OBJECT_BEFORE_AFTER).passed());
        assertTrue(finding(outcome, "infer.literal").isPresent(), "false is a literal");
    }

    @Test
    void quotedIdentifiersKeepTheirCase() {
        String sql = "create table public.\"UserProfiles\" (id uuid primary key, \"displayName\" text);\n";
        Diagnosis d = diagnosis("postgres.undefined-column", "42703", null,
                "update \"UserProfiles\" set \"avatarUrl\" = $1 where id = $2",
                "ERROR: column \"avatarUrl\" of relation \"UserProfiles\" does not exist");
        StepOutcome outcome = work(inputs(null, sql, d.error(), null), d);
        assertProvenFix(outcome);
        String up = outcome.artifacts().get(0).content();
        assertTrue(up.contains("alter table public.\"UserProfiles\" add column if not exists \"avatarUrl\" text;"), up);
    }

    @Test
    void aMissingJoinTableInASelectWithJoinsGetsACompositeKey() {
        String sql = POSTS + "create table public.tags (id bigint generated always as identity primary key,"
                + " name text not null);\n";
        Diagnosis d = diagnosis("postgres.undefined-table", "42P01", "post_tags",
                "select p.id, p.title, t.name from posts p join post_tags pt on pt.post_id = p.id"
                        + " join tags t on t.id = pt.tag_id where p.id = $1",
                "ERROR: relation \"post_tags\" does not exist");
        StepOutcome outcome = work(inputs(null, sql, d.error(), null), d);
        assertProvenFix(outcome);
        String up = up(outcome, "create_post_tags");
        assertTrue(up.contains("post_id uuid not null"), up);
        assertTrue(up.contains("tag_id bigint not null"), up);
        assertTrue(up.contains("primary key (post_id, tag_id)"), up);
        assertTrue(up.contains("idx_post_tags_tag_id"), up);
        assertFalse(up.contains("idx_post_tags_post_id"), "the key's first column needs no index of its own");
    }

    @Test
    void aSchemaThatCreatesTheTableMeansTheDeployedDatabaseIsBehind() {
        List<FileInput> files = List.of(new FileInput("supabase/migrations/20260101000000_posts.sql", POSTS),
                new FileInput("supabase/migrations/20260102000000_comments.sql", "create table public.comments (id uuid"
                        + " primary key default gen_random_uuid(), post_id uuid not null references public.posts (id)"
                        + " on delete cascade, body text);\ncreate index idx_comments_post_id on public.comments"
                        + " (post_id);\n"));
        Diagnosis d = diagnosis("postgres.undefined-table", "42P01", "public.comments",
                "insert into comments (post_id, body) values ($1, $2)", null);
        StepOutcome outcome = work(inputs(null, null, null, files), d);
        assertEquals(ResultStatus.SUCCEEDED, outcome.status(), outcome::reason);
        assertTrue(outcome.artifacts().isEmpty());
        Finding f = finding(outcome, DiagnosisFix.PENDING).orElseThrow();
        assertTrue(f.message().contains("20260102000000_comments.sql"), f.message());
        Evidence replay = evidence(outcome, MigrationProver.REPLAY_BEFORE);
        assertTrue(replay.passed(), replay.details());
        assertTrue(replay.details().contains("42P01"), replay.details());
    }

    @Test
    void aSpecThatDefinesTheTableIsDesignedFromTheSpecAndProvenByTheReplay() {
        String spec = """
                entities:
                  - name: comment
                    belongsTo: post
                    owner: true
                    fields: { body: text! }
                """;
        String sql = "create table public.post (id uuid primary key default gen_random_uuid(), title text);\n";
        Diagnosis d = diagnosis("postgres.undefined-table", "42P01", "comment",
                "insert into comment (post_id, body) values ($1, $2)", null);
        StepOutcome outcome = work(inputs(spec, sql, null, null), d);
        assertProvenFix(outcome);
        assertTrue(finding(outcome, DiagnosisFix.FROM_SPEC).isPresent());
        assertTrue(up(outcome, "create_comment").contains("user_id uuid not null"));
    }

    @Test
    void nothingToFixFromAsksForTheObject() {
        Diagnosis d = diagnosis("postgres.undefined-table", "42P01", "comments", null,
                "ERROR: relation \"comments\" does not exist");
        StepOutcome outcome = work(inputs(null, null, d.error(), null), d);
        assertEquals(ResultStatus.NEEDS_INPUT, outcome.status());
        assertTrue(outcome.question().contains("relation \"comments\" does not exist"), outcome.question());
        assertTrue(outcome.question().contains("should create public.comments"), outcome.question());
    }

    @Test
    void aMissingColumnOfATableTheJobDoesNotHoldAsksForThatTable() {
        Diagnosis d = diagnosis("postgres.undefined-column", "42703", "comments.body",
                "select id, body from comments where post_id = $1", null);
        StepOutcome outcome = work(inputs(null, null, null, null), d);
        assertEquals(ResultStatus.NEEDS_INPUT, outcome.status());
        assertTrue(outcome.question().contains("public.comments"), outcome.question());
    }

    @Test
    void theReplayFailsAFixThatDoesNotAddWhatTheStatementNeeds() {
        Migration wrong = new Migration("create_comments", "create table public.comments (id uuid primary key"
                + " default gen_random_uuid(), post_id uuid);\n", "drop table if exists public.comments;\n");
        ProofPlan.Replay replay = new ProofPlan.Replay("insert into comments (post_id, body) values ($1, $2)", "42P01",
                new CatalogObject(null, "comments", null), 0);
        Proof proof = prover.prove(new ProofPlan("diagnosis test", List.of(new ExistingSchema.Script("sql", POSTS)),
                List.of(wrong), null, List.of(), replay));
        Evidence before = proof.evidence().stream().filter(e -> e.check().equals(MigrationProver.REPLAY_BEFORE))
                .findFirst().orElseThrow();
        Evidence after = proof.evidence().stream().filter(e -> e.check().equals(MigrationProver.REPLAY_AFTER))
                .findFirst().orElseThrow();
        assertTrue(before.passed(), before.details());
        assertFalse(after.passed(), after.details());
        assertTrue(after.details().contains("42703"), after.details());
        assertFalse(proof.passed());
    }

    private static final String SERIAL_POSTS = "create table public.posts (id bigint primary key, title text not null);\n"
            + "insert into public.posts (id, title) values (1, 'first');\n";
    private static final Diagnosis SEQUENCE = diagnosis("postgres.undefined-table", "42P01", null,
            "insert into posts(id, title) values (nextval('posts_id_seq'), $1)",
            "ERROR: relation \"posts_id_seq\" does not exist");

    @Test
    void aRelationOnlyNextvalUsesIsBuiltAsASequenceOwnedByTheKeyNeverATable() {
        JobInputs in = inputs(null, SERIAL_POSTS, SEQUENCE.error(), null);
        StepOutcome outcome = work(in, SEQUENCE);
        assertProvenFix(outcome);
        assertEquals(List.of("create_posts_id_seq"), outcome.artifacts().stream().map(Artifact::name).toList());
        String up = up(outcome, "create_posts_id_seq");
        assertFalse(up.contains("create table"), up);
        assertTrue(up.contains("create sequence if not exists public.posts_id_seq as bigint owned by public.posts.id;"),
                up);
        assertTrue(up.contains("select setval('public.posts_id_seq', coalesce(max(id), 0) + 1, false) from"
                + " public.posts;"), "new keys start past the rows already there: " + up);
        assertTrue(outcome.artifacts().get(0).down().contains("drop sequence if exists public.posts_id_seq;"));
        Evidence object = evidence(outcome, MigrationProver.OBJECT_BEFORE_AFTER);
        assertTrue(object.passed(), object.details());
        Evidence after = evidence(outcome, MigrationProver.REPLAY_AFTER);
        assertTrue(after.details().contains("1 row(s)"), "the insert takes key 2, past the existing row: "
                + after.details());

        StepOutcome validation = validate(in, SEQUENCE, outcome);
        assertEquals(ResultStatus.SUCCEEDED, validation.status(), validation::reason);
        assertTrue(evidence(validation, MigrationProver.REPLAY_AFTER).passed());
    }

    @Test
    void theReplayFailsATableWhereTheStatementsNextvalNeedsASequence() {
        Migration wrong = new Migration("create_posts_id_seq", "create table public.posts_id_seq (id bigint primary"
                + " key);\n", "drop table if exists public.posts_id_seq;\n");
        CatalogObject target = DiagnosisFix.resolve(DiagnosedObject.of(SEQUENCE).orElseThrow(),
                FailingStatement.read(SEQUENCE.statement()));
        ProofPlan.Replay replay = new ProofPlan.Replay(SEQUENCE.statement(), "42P01", target, 0);
        Proof proof = prover.prove(new ProofPlan("diagnosis test", List.of(new ExistingSchema.Script("sql",
                SERIAL_POSTS)), List.of(wrong), null, List.of(), replay));
        Evidence before = proof.evidence().stream().filter(e -> e.check().equals(MigrationProver.REPLAY_BEFORE))
                .findFirst().orElseThrow();
        Evidence after = proof.evidence().stream().filter(e -> e.check().equals(MigrationProver.REPLAY_AFTER))
                .findFirst().orElseThrow();
        Evidence object = proof.evidence().stream().filter(e -> e.check().equals(MigrationProver.OBJECT_BEFORE_AFTER))
                .findFirst().orElseThrow();
        assertTrue(before.passed(), before.details());
        assertFalse(after.passed(), "42809, not a sequence, is still failing: " + after.details());
        assertTrue(after.details().contains("42809"), after.details());
        assertFalse(object.passed(), "a table of that name is not the sequence: " + object.details());
        assertFalse(proof.passed());
    }

    @Test
    void theReproductionFailsWhenTheSchemaAlreadyHasTheObject() {
        ProofPlan.Replay replay = new ProofPlan.Replay("select id from posts", "42P01",
                new CatalogObject(null, "posts", null), 0);
        Migration unrelated = new Migration("create_notes", "create table public.notes (id uuid primary key);\n",
                "drop table if exists public.notes;\n");
        Proof proof = prover.prove(new ProofPlan("diagnosis test", List.of(new ExistingSchema.Script("sql", POSTS)),
                List.of(unrelated), null, List.of(), replay));
        Evidence before = proof.evidence().stream().filter(e -> e.check().equals(MigrationProver.REPLAY_BEFORE))
                .findFirst().orElseThrow();
        assertFalse(before.passed(), before.details());
        assertFalse(proof.passed());
    }

    @Test
    void theValidationRoundFailsABundleWhoseFixWasTakenOut() {
        Diagnosis d = diagnosis("postgres.undefined-table", "42P01", "comments",
                "insert into comments (post_id, body) values ($1, $2)", null);
        JobInputs in = inputs(null, POSTS, null, null);
        StepOutcome outcome = work(in, d);
        assertProvenFix(outcome);
        List<Artifact> broken = new ArrayList<>();
        for (Artifact a : outcome.artifacts()) {
            broken.add(a.name().equals("create_comments") ? new Artifact(a.kind(), a.name(),
                    a.content().replace("  body text,\n", ""), a.down(), a.producedBy()) : a);
        }
        StepOutcome validation = engine.validate(task(TaskKind.VALIDATE, in, d, broken));
        assertEquals(ResultStatus.FAILED, validation.status());
        assertEquals(FailureKind.PROOF_FAILED, validation.failureKind());
        assertFalse(evidence(validation, MigrationProver.REPLAY_AFTER).passed());
    }
}
