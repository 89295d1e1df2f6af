package dev.backendteam.security.engine;

import dev.backendteam.contract.Artifact;
import dev.backendteam.contract.Contract;
import dev.backendteam.contract.Diagnosis;
import dev.backendteam.contract.Evidence;
import dev.backendteam.contract.EvidenceStatus;
import dev.backendteam.contract.Finding;
import dev.backendteam.contract.Handoff;
import dev.backendteam.contract.JobInputs;
import dev.backendteam.contract.ResultStatus;
import dev.backendteam.contract.Specialist;
import dev.backendteam.contract.StepOutcome;
import dev.backendteam.contract.TaskEvent;
import dev.backendteam.contract.TaskKind;
import dev.backendteam.sandbox.PostgresServers;
import dev.backendteam.sandbox.Sandbox;
import dev.backendteam.security.engine.policy.AccessFix;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A 42501 the debugger diagnosed and handed over (README, "Fixing what the debugger diagnosed"): reproduced in the
 * sandbox as the client that hit it, fixed by the grant or policy the intent needs, and proven; each proof shown to
 * fail when the fix is wrong or missing.
 */
@ExtendWith(PostgresServers.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class DiagnosisFixTest {
    private static final String BLOG = SecuritySandbox.resource("diagnosis/blog.sql");
    /** What the insert policy missing from blog.sql looks like when the grant is there. */
    private static final String INSERT_GRANTED = BLOG + "\ngrant insert on table public.comments to authenticated;\n";
    private static final String INSERT_POLICY = BLOG + "\ncreate policy comments_insert_authenticated on public.comments"
            + " for insert to authenticated with check (user_id = (select auth.uid()) and exists (select 1 from"
            + " public.posts p where p.id = comments.post_id));\n";
    /** A supabase-js client's insert, as PostgREST logs it (parameters, the row returned). */
    private static final String STATEMENT = "insert into public.comments (post_id, user_id, body) values ($1, $2, $3)"
            + " returning id";
    private static final Diagnosis RLS = new Diagnosis("postgres.rls-violation", "42501", "comments", STATEMENT,
            "new row violates row-level security policy for table \"comments\"", "runtime", "database", "major",
            null);
    private static final Diagnosis PRIVILEGE = new Diagnosis("postgres.insufficient-privilege", "42501",
            "public.comments", null, "permission denied for table comments", "runtime", "database", "major", null);

    private Sandbox sandbox;
    private SecurityEngine engine;

    @BeforeAll
    void sandbox(PostgresServers.Servers servers) {
        sandbox = SecuritySandbox.on(servers.pg17());
        engine = new SecurityEngine(Optional.of(sandbox), new CatalogueLints());
    }

    static TaskEvent task(TaskKind kind, String sql, Diagnosis d, List<Artifact> artifacts) {
        return new TaskEvent(Contract.VERSION, "t-1", "job-bug", 2, 1, Specialist.SECURITY, "security", kind,
                "comments fail to post", new JobInputs(null, sql, null, null, null, null, null, null, null),
                artifacts, 1, Instant.now().plusSeconds(120), List.of(), new Handoff(Specialist.SECURITY, null,
                "the insert is refused", d));
    }

    private static Evidence evidence(StepOutcome out, String prefix) {
        return out.evidence().stream().filter(e -> e.check().startsWith(prefix)).findFirst()
                .orElseThrow(() -> new AssertionError("no evidence " + prefix + " in " + out.evidence()));
    }

    private static Artifact migration(StepOutcome out) {
        return out.artifacts().stream().filter(a -> a.name().startsWith("fix_comments")).findFirst().orElseThrow();
    }

    @Test
    void anRlsViolationIsReproducedAsTheClientAndFixedByTheIntentsInsertPolicy() {
        StepOutcome out = engine.work(task(TaskKind.WORK, INSERT_GRANTED, RLS, List.of()));
        assertEquals(ResultStatus.SUCCEEDED, out.status(), out.reason() + " " + out.evidence());
        Evidence reproduced = evidence(out, DiagnosedAccess.REPRODUCED);
        assertEquals(EvidenceStatus.PASSED, reproduced.status());
        assertTrue(reproduced.details().contains("refused by row level security"), reproduced.details());
        assertTrue(reproduced.details().contains("new row violates row-level security policy"), reproduced.details());
        Artifact fix = migration(out);
        assertEquals("fix_comments_insert_access", fix.name());
        assertTrue(fix.content().contains("create policy comments_insert_authenticated on public.comments\n"
                + "    for insert to authenticated\n    with check (user_id = (select auth.uid())"), fix.content());
        assertFalse(fix.content().contains("grant "), "the grant is there: only the policy is missing\n" + fix.content());
        assertFalse(fix.content().contains("(true)"), fix.content());
        assertTrue(fix.down().contains("drop policy if exists comments_insert_authenticated"), fix.down());
        Evidence replayed = evidence(out, DiagnosedAccess.REPLAYED);
        assertEquals(EvidenceStatus.PASSED, replayed.status(), replayed.details());
        assertTrue(replayed.details().contains("owner allow (1 row(s))"), replayed.details());
        assertTrue(replayed.details().contains("other-user deny-rls"), replayed.details());
        assertTrue(replayed.details().contains("anon deny-grant"), replayed.details());
        assertTrue(replayed.details().contains("service_role allow"), replayed.details());
        Evidence matrix = evidence(out, DiagnosedAccess.MATRIX);
        assertEquals(EvidenceStatus.PASSED, matrix.status(), matrix.details());
        assertTrue(matrix.details().contains("insert-foreign/owner deny-rls"), matrix.details());
        assertEquals(EvidenceStatus.PASSED, evidence(out, DiagnosedAccess.SENSITIVITY).status());
        assertEquals(EvidenceStatus.PASSED, evidence(out, DiagnosedAccess.LINTS).status());
        assertEquals(EvidenceStatus.PASSED, evidence(out, AccessProof.DOWN).status());
        Finding cause = out.findings().stream().filter(f -> f.ruleId().equals(DiagnosedAccess.FIX_RULE)).findFirst()
                .orElseThrow();
        assertTrue(cause.message().contains("refused by row level security"), cause.message());
        assertTrue(out.findings().stream().anyMatch(f -> f.ruleId().equals(SecurityEngine.ASSUMPTION_RULE)
                && "public.comments".equals(f.object())), "the inferred intent is stated as assumptions");
    }

    @Test
    void anIdentityKeyGeneratedAlwaysIsLeftToTheDatabaseWhenTheInsertIsReplayed() {
        String notes = """
                create table public.notes (id bigint generated always as identity primary key,
                    user_id uuid not null references auth.users(id) on delete cascade, body text not null,
                    created_at timestamptz not null default now());
                alter table public.notes enable row level security;
                grant select, insert on public.notes to authenticated;
                create policy notes_select_own on public.notes for select to authenticated
                    using ((select auth.uid()) = user_id);
                """;
        Diagnosis d = new Diagnosis("postgres.rls-violation", "42501", "notes",
                "insert into public.notes (user_id, body) values ($1, $2)",
                "new row violates row-level security policy for table \"notes\"", "runtime", "database", "major", null);
        StepOutcome out = engine.work(task(TaskKind.WORK, notes, d, List.of()));
        assertEquals(ResultStatus.SUCCEEDED, out.status(), out.reason() + " " + out.evidence());
        assertEquals(EvidenceStatus.PASSED, evidence(out, DiagnosedAccess.REPRODUCED).status());
        Artifact fix = out.artifacts().stream().filter(a -> a.name().startsWith("fix_notes")).findFirst().orElseThrow();
        assertTrue(fix.content().contains("for insert to authenticated"), fix.content());
    }

    @Test
    void aMissingGrantIsToldFromRlsAndFixedByTheGrantAlone() {
        StepOutcome out = engine.work(task(TaskKind.WORK, INSERT_POLICY, PRIVILEGE, List.of()));
        assertEquals(ResultStatus.SUCCEEDED, out.status(), out.reason() + " " + out.evidence());
        Evidence reproduced = evidence(out, DiagnosedAccess.REPRODUCED);
        assertTrue(reproduced.check().endsWith("(insert)"), "without a statement: the operation the user is refused "
                + reproduced.check());
        assertTrue(reproduced.details().contains("refused by the grant layer"), reproduced.details());
        Artifact fix = migration(out);
        assertTrue(fix.content().contains("grant insert on table public.comments to authenticated;"), fix.content());
        assertFalse(fix.content().contains("create policy"), fix.content());
        assertTrue(fix.down().contains("revoke insert on table public.comments from authenticated;"), fix.down());
        assertEquals(EvidenceStatus.PASSED, evidence(out, DiagnosedAccess.REPLAYED).status());
        assertEquals(EvidenceStatus.PASSED, evidence(out, DiagnosedAccess.MATRIX).status());
        assertEquals(EvidenceStatus.PASSED, evidence(out, AccessProof.DOWN).status());
    }

    @Test
    void withNeitherGrantNorPolicyTheFixHasBoth() {
        StepOutcome out = engine.work(task(TaskKind.WORK, BLOG, PRIVILEGE, List.of()));
        assertEquals(ResultStatus.SUCCEEDED, out.status(), out.reason() + " " + out.evidence());
        String fix = migration(out).content();
        assertTrue(fix.contains("grant insert on table public.comments to authenticated;"), fix);
        assertTrue(fix.contains("create policy comments_insert_authenticated"), fix);
    }

    @Test
    void anUpdateRefusedByTheGrantsIsBoundToTheOwnersRowAndFixedByTheColumnGrant() {
        String noUpdate = BLOG.replace("grant update (body) on table public.comments to authenticated;\n", "");
        Diagnosis d = new Diagnosis("postgres.insufficient-privilege", "42501", "comments",
                "update comments set body = $1 where id = $2", "permission denied for table comments", null, null,
                null, null);
        StepOutcome out = engine.work(task(TaskKind.WORK, noUpdate, d, List.of()));
        assertEquals(ResultStatus.SUCCEEDED, out.status(), out.reason() + " " + out.evidence());
        Evidence reproduced = evidence(out, DiagnosedAccess.REPRODUCED);
        assertTrue(reproduced.details().contains("refused by the grant layer"), reproduced.details());
        assertTrue(reproduced.details().matches("(?s).*set body = '[^']*'::text where id = '[0-9a-f-]{36}'::uuid.*"),
                "the parameters compare with the owner's row: " + reproduced.details());
        Artifact fix = migration(out);
        assertTrue(fix.content().contains("grant update (body) on table public.comments to authenticated;"),
                fix.content());
        assertFalse(fix.content().contains("create policy"), fix.content());
        Evidence replayed = evidence(out, DiagnosedAccess.REPLAYED);
        assertTrue(replayed.details().contains("owner allow (1 row(s))")
                && replayed.details().contains("other-user deny-rls"), replayed.details());
        assertEquals(EvidenceStatus.PASSED, evidence(out, DiagnosedAccess.MATRIX).status());
        assertEquals(EvidenceStatus.PASSED, evidence(out, AccessProof.DOWN).status());
    }

    @Test
    void aFixThatOpensTheTableToStrangersFailsTheStepAndTheLintsRefuseIt() {
        SecurityEngine careless = new SecurityEngine(Optional.of(sandbox), new CatalogueLints(), name -> {
            throw new IllegalStateException();
        }, (fix, rls) -> new AccessFix.Fix("create policy comments_insert_anyone on public.comments for insert to"
                + " authenticated with check (true);\n", "drop policy comments_insert_anyone on public.comments;\n",
                List.of("with check (true)")));
        StepOutcome out = careless.work(task(TaskKind.WORK, INSERT_GRANTED, RLS, List.of()));
        assertEquals(ResultStatus.FAILED, out.status());
        Evidence lints = evidence(out, DiagnosedAccess.LINTS);
        assertEquals(EvidenceStatus.FAILED, lints.status(), lints.details() + " " + out.findings() + " " + out.artifacts());
        assertTrue(lints.details().contains("security.always-true-policy"), lints.details());
        Evidence replayed = evidence(out, DiagnosedAccess.REPLAYED);
        assertEquals(EvidenceStatus.FAILED, replayed.status(), replayed.details());
        assertTrue(replayed.details().contains("other-user allow"), replayed.details());
        Evidence matrix = evidence(out, DiagnosedAccess.MATRIX);
        assertEquals(EvidenceStatus.FAILED, matrix.status());
        assertTrue(matrix.details().contains("insert-foreign/owner expected deny-rls, got allow"), matrix.details());
    }

    @Test
    void aFixThatDoesNotLetTheOwnerInFailsTheStep() {
        SecurityEngine useless = new SecurityEngine(Optional.of(sandbox), new CatalogueLints(), name -> {
            throw new IllegalStateException();
        }, (fix, rls) -> new AccessFix.Fix("create policy comments_insert_nobody on public.comments for insert to"
                + " authenticated with check (user_id = (select auth.uid()) and false);\n",
                "drop policy comments_insert_nobody on public.comments;\n", List.of("and false")));
        StepOutcome out = useless.work(task(TaskKind.WORK, INSERT_GRANTED, RLS, List.of()));
        assertEquals(ResultStatus.FAILED, out.status());
        Evidence replayed = evidence(out, DiagnosedAccess.REPLAYED);
        assertTrue(replayed.details().contains("owner deny-rls"), replayed.details());
        assertEquals(EvidenceStatus.FAILED, evidence(out, DiagnosedAccess.MATRIX).status());
    }

    @Test
    void mustBeOwnerIsAboutTheRoleThatRanTheMigrationNotAGrant() {
        Diagnosis owner = new Diagnosis("postgres.insufficient-privilege", "42501", "comments", null,
                "ERROR: must be owner of table comments (SQLSTATE 42501)", "runtime", "database", "major", null);
        StepOutcome out = engine.work(task(TaskKind.WORK, BLOG, owner, List.of()));
        assertEquals(ResultStatus.SUCCEEDED, out.status(), out.reason() + " " + out.question());
        assertTrue(out.artifacts().isEmpty(), "no grant makes a role the owner: " + out.artifacts());
        Finding f = out.findings().stream().filter(x -> x.ruleId().equals(DiagnosedAccess.NOT_A_GRANT_RULE))
                .findFirst().orElseThrow(() -> new AssertionError(out.findings().toString()));
        assertTrue(f.message().contains("only the owner of table comments"), f.message());
        assertTrue(f.fix().contains("postgres role") && f.fix().contains("not authenticated"), f.fix());
        assertFalse(out.evidence().stream().anyMatch(e -> e.check().startsWith(DiagnosedAccess.REPRODUCED)),
                "no operation is replayed for an ownership: " + out.evidence());
        // a server privilege, without a schema: a finding too, not a question for one
        Diagnosis extension = new Diagnosis("postgres.insufficient-privilege", "42501", null, null,
                "ERROR: permission denied to create extension \"pg_cron\" (SQLSTATE 42501)", "runtime", "database",
                "major", null);
        StepOutcome ext = engine.work(task(TaskKind.WORK, null, extension, List.of()));
        assertEquals(ResultStatus.SUCCEEDED, ext.status(), ext.question());
        assertTrue(ext.artifacts().isEmpty());
        Finding e = ext.findings().stream().filter(x -> x.ruleId().equals(DiagnosedAccess.NOT_A_GRANT_RULE))
                .findFirst().orElseThrow();
        assertTrue(e.message().contains("permission denied to create extension \"pg_cron\""), e.message());
        assertTrue(e.fix().contains("postgres role"), e.fix());
    }

    @Test
    void aSerialKeysSequenceIsGrantedToTheRolesThatInsertAndProvenByTheOwnersInsert() {
        String serial = """
                create table public.posts (id bigserial primary key,
                    user_id uuid not null references auth.users (id) on delete cascade, title text not null,
                    created_at timestamptz not null default now());
                alter table public.posts enable row level security;
                grant select, insert on table public.posts to authenticated;
                grant select, insert, update, delete on table public.posts to service_role;
                create policy posts_select_own on public.posts for select to authenticated
                    using ((select auth.uid()) = user_id);
                create policy posts_insert_own on public.posts for insert to authenticated
                    with check ((select auth.uid()) = user_id);
                """;
        Diagnosis d = new Diagnosis("postgres.insufficient-privilege", "42501", "posts_id_seq", null,
                "permission denied for sequence posts_id_seq", "runtime", "database", "major", null);
        StepOutcome out = engine.work(task(TaskKind.WORK, serial, d, List.of()));
        assertEquals(ResultStatus.SUCCEEDED, out.status(), out.reason() + " " + out.question() + " " + out.evidence());
        Evidence reproduced = evidence(out, DiagnosedAccess.REPRODUCED);
        assertEquals(EvidenceStatus.PASSED, reproduced.status(), reproduced.details());
        assertTrue(reproduced.details().contains("permission denied for sequence posts_id_seq"), reproduced.details());
        Artifact fix = out.artifacts().stream().filter(a -> a.name().equals("fix_posts_insert_access")).findFirst()
                .orElseThrow(() -> new AssertionError(out.artifacts().toString()));
        assertTrue(fix.content().contains("grant usage, select on sequence public.posts_id_seq to authenticated;"),
                fix.content());
        assertTrue(fix.content().contains("grant usage, select on sequence public.posts_id_seq to service_role;"),
                fix.content());
        assertFalse(fix.content().contains("anon"), "the intent lets anon insert nothing: " + fix.content());
        assertFalse(fix.content().contains("on table"), fix.content());
        assertTrue(fix.down().contains("revoke usage, select on sequence public.posts_id_seq from authenticated;"),
                fix.down());
        Evidence replayed = evidence(out, DiagnosedAccess.REPLAYED);
        assertEquals(EvidenceStatus.PASSED, replayed.status(), replayed.details());
        assertTrue(replayed.details().contains("owner allow (1 row(s))"), replayed.details());
        assertEquals(EvidenceStatus.PASSED, evidence(out, AccessProof.DOWN).status());

        StepOutcome ok = engine.validate(task(TaskKind.VALIDATE, serial, d, out.artifacts()));
        assertTrue(ok.evidence().stream().allMatch(Evidence::passed), ok.evidence().toString());
        assertEquals(EvidenceStatus.PASSED, evidence(ok, DiagnosedAccess.REPRODUCED).status());
    }

    @Test
    void withoutASchemaTheQuestionNamesTheTableAndWhatToAdd() {
        StepOutcome out = engine.work(task(TaskKind.WORK, null, RLS, List.of()));
        assertEquals(ResultStatus.NEEDS_INPUT, out.status());
        assertTrue(out.question().contains("table comments"), out.question());
        assertTrue(out.question().contains("create table"), out.question());
        assertTrue(out.question().contains("policies and grants"), out.question());
    }

    @Test
    void aSchemaWithoutTheTableAsksForIt() {
        StepOutcome out = engine.work(task(TaskKind.WORK, "create table public.notes (id uuid primary key);", RLS,
                List.of()));
        assertEquals(ResultStatus.NEEDS_INPUT, out.status());
        assertTrue(out.question().contains("table comments") && out.question().contains("has no such table"),
                out.question());
    }

    @Test
    void aSchemaOnWhichTheStatementSucceedsAsksForTheDeployedPolicies() {
        String fine = INSERT_POLICY + "grant insert on table public.comments to authenticated;\n";
        StepOutcome out = engine.work(task(TaskKind.WORK, fine, RLS, List.of()));
        assertEquals(ResultStatus.NEEDS_INPUT, out.status(), out.reason());
        assertTrue(out.question().contains("succeeds as owner") && out.question().contains("pg_policies"),
                out.question());
    }

    @Test
    void validationReprovesTheFixAndFailsWithoutIt() {
        StepOutcome work = engine.work(task(TaskKind.WORK, INSERT_GRANTED, RLS, List.of()));
        assertEquals(ResultStatus.SUCCEEDED, work.status(), work.reason());
        StepOutcome ok = engine.validate(task(TaskKind.VALIDATE, INSERT_GRANTED, RLS, work.artifacts()));
        assertTrue(ok.evidence().stream().allMatch(Evidence::passed), ok.evidence().toString());
        assertEquals(EvidenceStatus.PASSED, evidence(ok, DiagnosedAccess.REPRODUCED).status(),
                "without the bundle the statement is still refused");
        assertEquals(EvidenceStatus.PASSED, evidence(ok, DiagnosedAccess.REPLAYED).status());
        assertEquals(EvidenceStatus.PASSED, evidence(ok, DiagnosedAccess.MATRIX).status());
        // the bundle with the fix's policy undone by a later migration: the owner is refused again
        List<Artifact> undone = new ArrayList<>(work.artifacts());
        undone.add(Artifact.migration("later", "drop policy comments_insert_authenticated on public.comments;",
                "-- none", Specialist.SECURITY));
        StepOutcome broken = engine.validate(task(TaskKind.VALIDATE, INSERT_GRANTED, RLS, undone));
        assertEquals(EvidenceStatus.FAILED, evidence(broken, DiagnosedAccess.REPLAYED).status());
        assertEquals(EvidenceStatus.FAILED, evidence(broken, DiagnosedAccess.MATRIX).status());
    }
}
