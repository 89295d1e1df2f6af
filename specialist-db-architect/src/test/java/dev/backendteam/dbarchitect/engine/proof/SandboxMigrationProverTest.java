package dev.backendteam.dbarchitect.engine.proof;

import dev.backendteam.contract.Artifact;
import dev.backendteam.contract.ArtifactKind;
import dev.backendteam.contract.Contract;
import dev.backendteam.contract.Evidence;
import dev.backendteam.contract.Finding;
import dev.backendteam.contract.JobInputs;
import dev.backendteam.contract.ResultStatus;
import dev.backendteam.contract.Severity;
import dev.backendteam.contract.Specialist;
import dev.backendteam.contract.StepOutcome;
import dev.backendteam.contract.TaskEvent;
import dev.backendteam.contract.TaskKind;
import dev.backendteam.contract.evidence.CatalogDiff;
import dev.backendteam.contract.evidence.EvidenceKind;
import dev.backendteam.contract.evidence.GrantCheck;
import dev.backendteam.dbarchitect.engine.DbArchitectEngine;
import dev.backendteam.dbarchitect.engine.DomainSpecValidator;
import dev.backendteam.dbarchitect.engine.Migration;
import dev.backendteam.dbarchitect.engine.design.ExistingSchema;
import dev.backendteam.dbarchitect.engine.output.MigrationWriter;
import dev.backendteam.dbarchitect.engine.spec.DomainSpecReader;
import dev.backendteam.sandbox.PostgresServers;
import dev.backendteam.sandbox.Sandbox;
import dev.backendteam.sandbox.TestSandboxes;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The proofs for real: the sandbox of {@code libs/sandbox} on an embedded PostgreSQL 17, the migrations applied,
 * inspected, rolled back and applied again.
 */
@ExtendWith(PostgresServers.class)
class SandboxMigrationProverTest {
    private static final String HEADER = "set lock_timeout = '5s';\nset statement_timeout = '60s';\n";
    private static Sandbox sandbox;
    private static SandboxMigrationProver prover;

    @BeforeAll
    static void start(PostgresServers.Servers servers) {
        sandbox = TestSandboxes.on(servers.pg17());
        prover = new SandboxMigrationProver(sandbox);
    }

    private static String brief() throws IOException {
        try (InputStream in = SandboxMigrationProverTest.class.getResourceAsStream("/specs/brief-example.yaml")) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    private static List<Migration> generated(String yaml) {
        DomainSpecValidator.Validation v = DomainSpecValidator.standard().validate(DomainSpecReader.read(yaml),
                ExistingSchema.empty());
        assertTrue(v.valid(), v.problems().toString());
        return MigrationWriter.write(v.design(), ExistingSchema.empty());
    }

    private static Proof prove(String baseline, List<Migration> migrations) {
        return prover.prove(new ProofPlan("db-architect test", "sql", baseline, migrations));
    }

    private static Evidence evidence(Proof proof, String check) {
        return proof.evidence().stream().filter(e -> e.check().equals(check)).findFirst()
                .orElseThrow(() -> new AssertionError("no evidence " + check + " in " + proof.evidence()));
    }

    @Test
    void theEightEntityExampleAppliesPassesTheCatalogChecksRollsBackAndAppliesAgain() throws IOException {
        Proof proof = prove(null, generated(brief()));
        assertEquals(List.of(MigrationProver.APPLY, MigrationProver.CATALOG_PRIMARY_KEYS,
                MigrationProver.CATALOG_FOREIGN_KEY_INDEXES, MigrationProver.CATALOG_TIMESTAMPTZ,
                MigrationProver.CATALOG_UPDATED_AT_TRIGGERS, MigrationProver.DOWN, MigrationProver.UP_AGAIN),
                proof.evidence().stream().map(Evidence::check).toList(), "no access markers, no grant check");
        assertTrue(proof.passed(), proof.evidence() + "\n" + proof.findings());
        assertEquals("8 table(s) of the migrations checked", evidence(proof, MigrationProver.CATALOG_PRIMARY_KEYS)
                .details());
        assertTrue(evidence(proof, MigrationProver.DOWN).details().startsWith("the catalog is as before"));
        CatalogDiff diff = EvidenceKind.read(evidence(proof, MigrationProver.DOWN).data(), CatalogDiff.class)
                .orElseThrow();
        assertTrue(diff.compared() > 50 && diff.leftBehind().isEmpty() && diff.missing().isEmpty(), diff.toString());
        assertNull(proof.unavailable());
    }

    @Test
    void aFailingStatementStopsTheProofAtItsLine() {
        Proof proof = prove(null, List.of(new Migration("create_note", HEADER
                + "create table if not exists public.note (id uuid primary key,\n  body txet);", "drop table"
                + " if exists public.note;")));
        Evidence apply = evidence(proof, MigrationProver.APPLY);
        assertFalse(apply.passed());
        assertTrue(apply.details().contains("42704"), apply.details());
        Finding f = proof.findings().get(0);
        assertEquals(SandboxMigrationProver.APPLY_FAILED, f.ruleId());
        assertEquals("create_note", f.object());
        assertEquals(4, f.line());
        assertEquals(1, proof.evidence().size(), "nothing after the failure claims to have run");
    }

    @Test
    void aDownScriptThatLeavesSomethingBehindFailsTheRoundTrip() {
        Proof proof = prove(null, List.of(new Migration("create_note", HEADER
                + "create table if not exists public.note (id uuid primary key, body text);\n"
                + "create table if not exists public.note_archive (id uuid primary key);",
                HEADER + "drop table if exists public.note;")));
        Evidence down = evidence(proof, MigrationProver.DOWN);
        assertFalse(down.passed());
        assertTrue(down.details().contains("left behind: ") && down.details().contains("public.note_archive"),
                down.details());
        assertTrue(EvidenceKind.read(down.data(), CatalogDiff.class).orElseThrow().leftBehind().stream()
                .anyMatch(o -> o.contains("public.note_archive")), "the diff travels as data too");
        assertTrue(evidence(proof, MigrationProver.UP_AGAIN).passed());
    }

    @Test
    void aGrantItsDownRevokesIsAsBeforeAndOneItForgetsIsLeftBehind() {
        String base = "create table public.note (id uuid primary key, body text);";
        String up = HEADER + "grant select on public.note to anon, authenticated;";
        Proof undone = prove(base, List.of(new Migration("grant_note", up,
                HEADER + "revoke select on public.note from anon, authenticated;")));
        assertTrue(evidence(undone, MigrationProver.DOWN).passed(), "the owner's explicit ACL equals no ACL: "
                + evidence(undone, MigrationProver.DOWN).details());
        Proof forgotten = prove(base, List.of(new Migration("grant_note", up,
                HEADER + "revoke select on public.note from anon;")));
        Evidence down = evidence(forgotten, MigrationProver.DOWN);
        assertFalse(down.passed());
        assertTrue(down.details().contains("public.note"), down.details());
    }

    @Test
    void theCatalogChecksNameWhatBreaksTheConventions() {
        Proof proof = prove(null, List.of(new Migration("legacy", HEADER + """
                create table if not exists public.author (id uuid primary key);
                create table if not exists public.log (line text, at timestamp);
                create table if not exists public.book (
                  id uuid primary key,
                  author_id uuid references public.author (id) on delete cascade,
                  updated_at timestamptz not null default now()
                );
                """, HEADER + "drop table if exists public.book, public.log, public.author;")));
        assertEquals("1 of the migrations: public.log", evidence(proof, MigrationProver.CATALOG_PRIMARY_KEYS)
                .details());
        assertEquals("1 of the migrations: public.book (author_id) references author",
                evidence(proof, MigrationProver.CATALOG_FOREIGN_KEY_INDEXES).details());
        assertEquals("1 of the migrations: public.log.at timestamp without time zone",
                evidence(proof, MigrationProver.CATALOG_TIMESTAMPTZ).details());
        assertEquals("1 of the migrations: public.book", evidence(proof, MigrationProver.CATALOG_UPDATED_AT_TRIGGERS)
                .details());
        assertTrue(evidence(proof, MigrationProver.DOWN).passed());
    }

    @Test
    void theUsersSchemaIsTheBaselineAndOnlyNewTablesAreChecked() {
        String baseline = "create table public.legacy (name text);";
        Proof proof = prove(baseline, List.of(new Migration("create_note", HEADER
                + "create table if not exists public.note (id uuid primary key);", HEADER
                + "drop table if exists public.note;")));
        assertTrue(evidence(proof, MigrationProver.APPLY_BASELINE).passed());
        assertTrue(proof.passed(), proof.evidence().toString());
        Proof review = prove(baseline, List.of());
        assertEquals("1 of the existing schema: public.legacy", evidence(review, MigrationProver.CATALOG_PRIMARY_KEYS)
                .details());
        Proof broken = prove("create table t (id uuid primary key);\nselect * from missing;", List.of());
        assertFalse(evidence(broken, MigrationProver.APPLY_BASELINE).passed());
        assertEquals(2, broken.findings().get(0).line());
    }

    @Test
    void theEngineWithTheSandboxProvesItsWorkAndTheValidationRoundReplaysIt() throws IOException {
        DbArchitectEngine engine = new DbArchitectEngine(prover);
        JobInputs inputs = new JobInputs(DomainSpecReader.read(brief()), null, null, null, null, null, null, null);
        StepOutcome work = engine.work(new TaskEvent(Contract.VERSION, "t-1", "job-p", 1, 1,
                Specialist.DB_ARCHITECT, null, TaskKind.WORK, "schema", inputs, List.of(), 0, null));
        assertEquals(ResultStatus.SUCCEEDED, work.status(), work.reason());
        assertEquals(10, work.evidence().size(), work.evidence().toString());
        assertTrue(work.evidence().stream().allMatch(Evidence::passed));
        assertTrue(work.evidence().stream().filter(e -> e.check().startsWith("apply")).allMatch(e ->
                e.sandbox() != null && e.sandbox().grants().equals("explicit") && e.sandbox().postgres()
                        .startsWith("17.")), "each proof says what it ran on: " + work.evidence());
        assertTrue(work.findings().stream().anyMatch(f -> f.ruleId().equals(GrantCheckRule.MISSING)
                && f.object().equals("public.task")), "no grant yet: a warning, until security writes them");
        List<Artifact> bundle = work.artifacts();
        assertEquals(9, bundle.stream().filter(a -> a.kind() == ArtifactKind.MIGRATION).count());
        StepOutcome validation = engine.validate(new TaskEvent(Contract.VERSION, "t-2", "job-p", 4, 1,
                Specialist.DB_ARCHITECT, null, TaskKind.VALIDATE, "schema", inputs, bundle, 0, null));
        assertEquals(ResultStatus.SUCCEEDED, validation.status(), validation.reason());
        assertEquals(9, validation.evidence().size(), validation.evidence().toString());
        assertTrue(validation.evidence().stream().allMatch(Evidence::passed));
        assertTrue(validation.evidence().stream().anyMatch(e -> e.check().equals(MigrationProver.CATALOG_GRANTS)),
                "the grant check runs in the validation round too");
    }

    private static final TableAccess NOTE_OWNED = new TableAccess("public.note", "owner", Map.of("anon",
            List.of(), "authenticated", TableAccess.PRIVILEGES, "service_role", TableAccess.PRIVILEGES));

    private static Migration note(String grants) {
        return new Migration("create_note", HEADER + "create table if not exists public.note (id uuid primary key,"
                + " user_id uuid not null);\n" + grants, HEADER + "drop table if exists public.note;");
    }

    private static Proof proveUnder(String model, List<Migration> migrations) {
        return prover.prove(new ProofPlan("db-architect grants test", List.of(), migrations, model,
                List.of(NOTE_OWNED)));
    }

    private static GrantCheck.Row row(Proof proof, String role) {
        return EvidenceKind.read(evidence(proof, MigrationProver.CATALOG_GRANTS).data(), GrantCheck.class)
                .orElseThrow().rows().stream().filter(r -> r.role().equals(role)).findFirst().orElseThrow();
    }

    @Test
    void underExplicitGrantsANewTableIsUnreachableUntilGrantedAndThatIsAWarning() {
        Proof bare = proveUnder("explicit", List.of(note("")));
        Evidence check = evidence(bare, MigrationProver.CATALOG_GRANTS);
        assertTrue(check.passed(), "a missing grant is not a failed proof until security writes grants");
        assertEquals("explicit", check.sandbox().grants());
        assertEquals("missing", row(bare, "authenticated").verdict());
        assertEquals(List.of(), row(bare, "authenticated").actual());
        Finding missing = bare.findings().stream().filter(f -> f.ruleId().equals(GrantCheckRule.MISSING))
                .findFirst().orElseThrow();
        assertEquals(Severity.WARN, missing.severity());

        Proof fixed = proveUnder("explicit", List.of(note(missing.fix())));
        assertEquals("ok", row(fixed, "authenticated").verdict(), "the fix the finding gives clears it");
        assertEquals("ok", row(fixed, "service_role").verdict());
        assertTrue(fixed.findings().stream().noneMatch(f -> f.ruleId().startsWith("catalog.grant")),
                fixed.findings().toString());
    }

    @Test
    void underExplicitGrantsAGrantBeyondTheMarkersFailsTheProofAndItsRevokeClearsIt() {
        Proof leaky = proveUnder("explicit", List.of(note("grant select on public.note to public;")));
        assertFalse(evidence(leaky, MigrationProver.CATALOG_GRANTS).passed(), "anon reads an owner table via PUBLIC");
        assertEquals("excess", row(leaky, "anon").verdict());
        assertEquals(List.of("select"), row(leaky, "anon").actual());
        Finding excess = leaky.findings().stream().filter(f -> f.ruleId().equals(GrantCheckRule.EXCESS)
                && f.message().startsWith("anon")).findFirst().orElseThrow();
        assertEquals(Severity.ERROR, excess.severity());
        assertEquals("revoke select on table public.note from anon;", excess.fix());

        Proof stillLeaky = proveUnder("explicit", List.of(note("grant select on public.note to public;\n"
                + excess.fix())));
        assertEquals("excess", row(stillLeaky, "anon").verdict(), "revoking from anon leaves the grant to PUBLIC");
        Proof fixed = proveUnder("explicit", List.of(note("grant select on public.note to public;\n"
                + "revoke select on public.note from public;")));
        assertTrue(evidence(fixed, MigrationProver.CATALOG_GRANTS).passed());
        assertEquals("ok", row(fixed, "anon").verdict());
    }

    @Test
    void underLegacyGrantsEveryRoleHoldsEverythingWhichIsAWarningThatRowLevelSecurityAloneGuards() {
        Proof legacy = proveUnder("legacy", List.of(note("")));
        Evidence check = evidence(legacy, MigrationProver.CATALOG_GRANTS);
        assertEquals("legacy", check.sandbox().grants());
        assertTrue(check.passed(), "the project's own default privileges are not a failed proof");
        assertEquals(TableAccess.PRIVILEGES, row(legacy, "anon").actual());
        assertEquals("excess", row(legacy, "anon").verdict());
        assertEquals("ok", row(legacy, "authenticated").verdict());
        Finding excess = legacy.findings().stream().filter(f -> f.ruleId().equals(GrantCheckRule.EXCESS))
                .findFirst().orElseThrow();
        assertEquals(Severity.WARN, excess.severity());
        Proof fixed = proveUnder("legacy", List.of(note(excess.fix())));
        assertEquals("ok", row(fixed, "anon").verdict(), "the revoke the finding gives clears it");
    }
}
