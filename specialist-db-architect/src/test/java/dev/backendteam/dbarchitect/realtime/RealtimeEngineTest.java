package dev.backendteam.dbarchitect.realtime;

import com.fasterxml.jackson.databind.JsonNode;
import dev.backendteam.contract.Artifact;
import dev.backendteam.contract.ArtifactKind;
import dev.backendteam.contract.Contract;
import dev.backendteam.contract.Evidence;
import dev.backendteam.contract.EvidenceStatus;
import dev.backendteam.contract.FailureKind;
import dev.backendteam.contract.JobInputs;
import dev.backendteam.contract.ResultStatus;
import dev.backendteam.contract.Specialist;
import dev.backendteam.contract.StepOutcome;
import dev.backendteam.contract.TaskEvent;
import dev.backendteam.contract.TaskKind;
import dev.backendteam.contract.evidence.EvidenceKind;
import dev.backendteam.contract.evidence.RlsMatrix;
import dev.backendteam.dbarchitect.engine.DomainSpecValidator;
import dev.backendteam.dbarchitect.engine.Migration;
import dev.backendteam.dbarchitect.engine.design.ExistingSchema;
import dev.backendteam.dbarchitect.engine.output.MigrationWriter;
import dev.backendteam.dbarchitect.engine.spec.DomainSpecReader;
import dev.backendteam.dbarchitect.engine.typescript.TypeScriptCompile;
import dev.backendteam.dbarchitect.engine.typescript.TypeScriptToolchain;
import dev.backendteam.sandbox.PostgresServers;
import dev.backendteam.sandbox.Sandbox;
import dev.backendteam.sandbox.TestSandboxes;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The websocket role for real: the sandbox on an embedded PostgreSQL 17, a multi-tenant schema (organizations,
 * memberships, projects, tasks) with the grants and member policies a security step gives it, the task's words or
 * the spec's realtime section, and the proofs — the publication exactly as intended, the channel matrix, down and up
 * again — each shown to fail when what it guards is broken.
 */
@ExtendWith(PostgresServers.class)
class RealtimeEngineTest {
    /** A schema as a user writes it: plural names, a role check, a bigint key, an assignee next to the project. */
    static final String SCHEMA = """
            create table public.organizations (
              id uuid primary key default gen_random_uuid(),
              name text not null check (char_length(name) >= 3),
              created_at timestamptz not null default now()
            );
            create table public.memberships (
              organization_id uuid not null references public.organizations (id) on delete cascade,
              user_id uuid not null references auth.users (id) on delete cascade,
              role text not null default 'member' check (role in ('owner', 'admin', 'member')),
              primary key (organization_id, user_id)
            );
            create index idx_memberships_user_id on public.memberships (user_id);
            create table public.projects (
              id uuid primary key default gen_random_uuid(),
              organization_id uuid not null references public.organizations (id) on delete cascade,
              name text not null,
              created_by uuid references auth.users (id) on delete set null
            );
            create index idx_projects_organization_id on public.projects (organization_id);
            create table public.tasks (
              id bigint generated always as identity primary key,
              project_id uuid not null references public.projects (id) on delete cascade,
              title text not null,
              status text not null default 'todo' check (status in ('todo', 'doing', 'done')),
              assignee uuid references auth.users (id) on delete set null
            );
            create index idx_tasks_project_id on public.tasks (project_id);
            alter table public.organizations enable row level security;
            alter table public.memberships enable row level security;
            alter table public.projects enable row level security;
            alter table public.tasks enable row level security;
            """;
    /** What the security step adds: grants, and members see their memberships, organizations, projects and tasks. */
    static final String SECURITY = """
            grant select on public.organizations, public.memberships, public.projects, public.tasks to authenticated;
            create policy "members read their memberships" on public.memberships for select to authenticated
              using (user_id = (select auth.uid()));
            create policy "members read their projects" on public.projects for select to authenticated
              using (exists (select 1 from public.memberships m where m.organization_id = projects.organization_id
                             and m.user_id = (select auth.uid())));
            create policy "members read their tasks" on public.tasks for select to authenticated
              using (exists (select 1 from public.projects p where p.id = tasks.project_id));
            """;
    static final String WORDS = "live cursor positions and presence per project";

    private static Sandbox sandbox;
    private static RealtimeEngine engine;
    private static TypeScriptCompile tsc;

    @BeforeAll
    static void start(PostgresServers.Servers servers) {
        sandbox = TestSandboxes.on(servers.pg17());
        tsc = new TypeScriptCompile(TypeScriptToolchain.locate(Optional.empty(), TypeScriptToolchain.DEFAULT_TIMEOUT));
        engine = new RealtimeEngine(Optional.of(sandbox), tsc);
    }

    static TaskEvent task(TaskKind kind, String words, JobInputs inputs, List<Artifact> artifacts) {
        return new TaskEvent(Contract.VERSION, "t-1", "job-rt", 2, 1, Specialist.DB_ARCHITECT, "websocket", kind,
                words, inputs, artifacts, 0, null);
    }

    static JobInputs sql(String sql) {
        return new JobInputs(null, sql, null, null, null, null, null, null);
    }

    static JobInputs spec(String yaml) {
        return new JobInputs(DomainSpecReader.read(yaml), null, null, null, null, null, null, null);
    }

    static Evidence evidence(StepOutcome o, String check) {
        return o.evidence().stream().filter(e -> e.check().equals(check)).findFirst()
                .orElseThrow(() -> new AssertionError("no evidence " + check + " in " + o.evidence()));
    }

    static Artifact migration(StepOutcome o) {
        return o.artifacts().stream().filter(a -> a.kind() == ArtifactKind.MIGRATION).findFirst().orElseThrow();
    }

    static RlsMatrix matrix(StepOutcome o) {
        return EvidenceKind.read(evidence(o, RealtimeProof.MATRIX).data(), RlsMatrix.class).orElseThrow();
    }

    static RlsMatrix.Case cell(RlsMatrix m, String table, String operation, String actor) {
        return m.cases().stream().filter(c -> c.table().equals(table) && c.operation().equals(operation)
                && c.actor().equals(actor)).findFirst().orElseThrow(() -> new AssertionError(table + "/" + operation
                + "/" + actor + " not in " + m.cases().stream().map(c -> c.table() + "/" + c.actor()).distinct().toList()));
    }

    static String describe(StepOutcome o) {
        return o.status() + " " + o.reason() + "\n" + String.join("\n", o.evidence().stream().map(e -> e.status() + " "
                + e.check() + ": " + e.details()).toList());
    }

    // ---- the case: words only, on the user's SQL ----

    @Test
    void liveCursorsAndPresencePerProjectYieldAProvenChannel() {
        StepOutcome o = engine.work(task(TaskKind.WORK, WORDS, sql(SCHEMA + SECURITY), List.of()));

        assertEquals(ResultStatus.SUCCEEDED, o.status(), describe(o));
        Artifact m = migration(o);
        assertEquals("enable_realtime", m.name());
        assertTrue(m.content().contains("create policy \"project channel: members receive\" on realtime.messages\n"
                + "  for select to authenticated"), m.content());
        assertTrue(m.content().contains("realtime.messages.extension in ('broadcast', 'presence')"), m.content());
        assertTrue(m.content().contains("join public.memberships m on m.organization_id = s.organization_id"), m.content());
        assertTrue(m.content().contains("m.user_id = (select auth.uid())"), m.content());
        assertTrue(m.down().contains("drop policy if exists \"project channel: members receive\" on realtime.messages"));
        // no table is published: cursors and presence are ephemeral, and the publication proves it holds exactly that
        assertEquals("exactly 0 table(s)", evidence(o, RealtimeProof.PUBLICATION).details());
        for (String check : List.of(RealtimeProof.APPLY, RealtimeProof.PUBLICATION, RealtimeProof.MATRIX,
                RealtimeProof.DOWN, RealtimeProof.UP_AGAIN, RealtimeEngine.COMPILE_CHECK)) {
            assertEquals(EvidenceStatus.PASSED, evidence(o, check).status(), check + ": " + evidence(o, check).details());
        }
        assertTrue(evidence(o, RealtimeProof.MATRIX).details().contains("policy-level (no Realtime server runs here)"));
        RlsMatrix mx = matrix(o);
        String own = "realtime.messages broadcast on project:{tenant 1}";
        String other = "realtime.messages presence on project:{tenant 2}";
        assertEquals("allow", cell(mx, own, "select", "member:member").actual(), "the least privileged member joins");
        assertEquals("allow", cell(mx, own, "insert", "member:member").actual());
        assertEquals("deny-rls", cell(mx, own, "select", "other-user").actual(), "a member of another tenant");
        assertEquals("deny-rls", cell(mx, own, "insert", "non-member").actual(), "a signed-in stranger");
        assertEquals("deny-rls", cell(mx, own, "select", "anon").actual());
        assertEquals("allow", cell(mx, own, "insert", "service_role").actual());
        assertEquals("deny-rls", cell(mx, other, "select", "member:member").actual(), "not on another tenant's topic");
        assertEquals("allow", cell(mx, other, "insert", "other-user").actual());
        assertEquals("deny-rls", cell(mx, "realtime.messages broadcast on project:{no such projects}", "select",
                "member:member").actual());
        assertTrue(mx.sensitivity().stream().allMatch(RlsMatrix.Sensitivity::sensitive), mx.sensitivity().toString());
        assertEquals(4, mx.sensitivity().size(), "two policies, each dropped and made true");
        Artifact client = o.artifacts().stream().filter(a -> a.name().equals("supabase/realtime/project-channel.ts"))
                .findFirst().orElseThrow();
        assertTrue(client.content().contains("config: { private: true, broadcast: { self: false }, presence: { key: userId } }"));
        assertTrue(client.content().contains("channel.on(\"broadcast\", { event: \"cursor\" }"));
        assertTrue(client.content().contains("await channel.track(me)"));
        assertTrue(o.findings().stream().anyMatch(f -> f.ruleId().equals("realtime.assumption")
                && f.message().contains("join and send: members of the tenant (memberships)")), o.findings().toString());

        // the validation round: the bundle replayed in a fresh sandbox, the plan derived again, the proofs re-run
        StepOutcome v = engine.validate(task(TaskKind.VALIDATE, WORDS, sql(SCHEMA + SECURITY), o.artifacts()));
        assertEquals(ResultStatus.SUCCEEDED, v.status(), describe(v));
        assertEquals(EvidenceStatus.PASSED, evidence(v, RealtimeProof.MATRIX).status());
        assertEquals(EvidenceStatus.PASSED, evidence(v, RealtimeEngine.COMPILE_CHECK).status());
    }

    @Test
    void aPolicyThatIgnoresTheTopicFailsTheMatrix() {
        StepOutcome o = engine.work(task(TaskKind.WORK, WORDS, sql(SCHEMA + SECURITY), List.of()));
        Artifact m = migration(o);
        // "a member of some organization": the topic no longer chooses the project
        String leaky = m.content().replace("s.id::text = split_part((select realtime.topic()), ':', 2)", "true");
        assertTrue(!leaky.equals(m.content()));
        List<Artifact> tampered = new ArrayList<>(o.artifacts());
        tampered.set(tampered.indexOf(m), new Artifact(m.kind(), m.name(), leaky, m.down(), m.producedBy()));

        StepOutcome v = engine.validate(task(TaskKind.VALIDATE, WORDS, sql(SCHEMA + SECURITY), tampered));

        assertEquals(ResultStatus.FAILED, v.status(), describe(v));
        assertEquals(FailureKind.PROOF_FAILED, v.failureKind());
        Evidence mx = evidence(v, RealtimeProof.MATRIX);
        assertEquals(EvidenceStatus.FAILED, mx.status());
        assertTrue(mx.details().contains("other-user select realtime.messages broadcast on project:{tenant 1}"
                + " expected deny-rls, got allow"), mx.details());
    }

    @Test
    void anAlwaysTruePolicyOnRealtimeMessagesInTheSchemaFailsTheStep() {
        String leak = "create policy \"anyone listens\" on realtime.messages for select using (true);\n";

        StepOutcome o = engine.work(task(TaskKind.WORK, WORDS, sql(SCHEMA + SECURITY + leak), List.of()));

        assertEquals(ResultStatus.FAILED, o.status(), describe(o));
        Evidence mx = evidence(o, RealtimeProof.MATRIX);
        assertEquals(EvidenceStatus.FAILED, mx.status());
        assertEquals("allow", cell(matrix(o), "realtime.messages broadcast on project:{tenant 1}", "select", "anon")
                .actual());
        // the fix: drop the leaky policy; the same task then passes (the positive case above)
        StepOutcome fixed = engine.work(task(TaskKind.WORK, WORDS, sql(SCHEMA + SECURITY + leak
                + "drop policy \"anyone listens\" on realtime.messages;\n"), List.of()));
        assertEquals(ResultStatus.SUCCEEDED, fixed.status(), describe(fixed));
    }

    @Test
    void withoutGrantsOnTheScopeTablesTheMemberCannotJoinAndTheMatrixSaysWhy() {
        StepOutcome o = engine.work(task(TaskKind.WORK, WORDS, sql(SCHEMA), List.of()));

        assertEquals(ResultStatus.FAILED, o.status(), describe(o));
        Evidence mx = evidence(o, RealtimeProof.MATRIX);
        assertTrue(mx.details().contains("permission denied for table projects"), mx.details());
        assertTrue(o.findings().stream().anyMatch(f -> f.ruleId().equals("realtime.policy-reads")));
    }

    // ---- the spec's realtime section ----

    static final String SPEC = """
            entities:
              - name: organization
                fields: { name: text! }
              - name: membership
                tenantMembership: { tenant: organization, roles: [owner, admin, member] }
              - name: project
                tenant: organization
                fields: { name: text! }
              - name: task
                belongsTo: project
                owner: true
                fields: { title: text! }
            realtime:
              tables:
                - { name: task, filter: project_id }
              channels:
                - { scope: project, presence: true, events: [cursor] }
            """;
    static final String SPEC_SECURITY = """
            grant select on public.organization, public.membership, public.project, public.task to authenticated;
            create policy "members read their memberships" on public.membership for select to authenticated
              using (user_id = (select auth.uid()));
            create policy "members read their projects" on public.project for select to authenticated
              using (exists (select 1 from public.membership m where m.organization_id = project.organization_id
                             and m.user_id = (select auth.uid())));
            """;

    /** The schema role's migrations for the spec, and a security step's grants and policies after them. */
    static List<Artifact> bundle(String yaml) {
        JsonNode json = DomainSpecReader.read(yaml);
        DomainSpecValidator.Validation v = DomainSpecValidator.standard().validate(json, ExistingSchema.scan(List.of()));
        assertTrue(v.valid(), v.problems().toString());
        List<Artifact> out = new ArrayList<>();
        MigrationWriter.write(v.design(), ExistingSchema.scan(List.of())).forEach(m -> out.add(m.artifact()));
        out.add(Artifact.migration("member_policies", SPEC_SECURITY, "drop policy \"members read their projects\" on"
                + " public.project; drop policy \"members read their memberships\" on public.membership; revoke select"
                + " on public.organization, public.membership, public.project, public.task from authenticated;",
                Specialist.SECURITY));
        return out;
    }

    @Test
    void theSpecsRealtimeSectionPublishesTheTableWithTheIdentityItsFilterNeeds() {
        List<Artifact> bundle = bundle(SPEC);
        StepOutcome o = engine.work(task(TaskKind.WORK, "realtime for the tracker", spec(SPEC), bundle));

        assertEquals(ResultStatus.SUCCEEDED, o.status(), describe(o));
        Artifact m = migration(o);
        assertTrue(m.content().contains("alter publication supabase_realtime add table public.task;"), m.content());
        assertTrue(m.content().contains("alter table public.task replica identity full;"), m.content());
        assertTrue(m.down().contains("alter table public.task replica identity default;"), m.down());
        assertTrue(m.content().contains("join public.membership m on m.organization_id = s.organization_id"));
        assertEquals("exactly 1 table(s) (public.task); replica identity full on public.task",
                evidence(o, RealtimeProof.PUBLICATION).details());
        Artifact changes = o.artifacts().stream().filter(a -> a.name().equals("supabase/realtime/task-changes.ts"))
                .findFirst().orElseThrow();
        assertTrue(changes.content().contains("filter: `project_id=eq.${projectId}`"), changes.content());
        assertTrue(changes.content().contains("  title: string;"), changes.content());
        assertEquals(EvidenceStatus.PASSED, evidence(o, RealtimeEngine.COMPILE_CHECK).status(),
                evidence(o, RealtimeEngine.COMPILE_CHECK).details());

        List<Artifact> all = new ArrayList<>(bundle);
        all.addAll(o.artifacts());
        StepOutcome v = engine.validate(task(TaskKind.VALIDATE, "realtime for the tracker", spec(SPEC), all));
        assertEquals(ResultStatus.SUCCEEDED, v.status(), describe(v));
    }

    @Test
    void aChannelPerTenantThatOnlyTheServiceSendsOnHasNoInsertPolicyAndAdmitsMembersOnly() {
        String spec = SPEC.substring(0, SPEC.indexOf("realtime:")) + """
                realtime:
                  channels:
                    - { scope: organization, topic: org, events: [announcement], send: none }
                """;
        StepOutcome o = engine.work(task(TaskKind.WORK, "announcements", spec(spec), bundle(SPEC)));

        assertEquals(ResultStatus.SUCCEEDED, o.status(), describe(o));
        Artifact m = migration(o);
        assertTrue(m.content().contains("from public.membership m\n      where m.organization_id::text = split_part("),
                m.content());
        assertTrue(!m.content().contains("for insert"), m.content());
        RlsMatrix mx = matrix(o);
        String own = "realtime.messages broadcast on org:{tenant 1}";
        assertEquals("allow", cell(mx, own, "select", "member:member").actual());
        assertEquals("deny-rls", cell(mx, own, "insert", "member:member").actual(), "members only listen");
        assertEquals("allow", cell(mx, own, "insert", "service_role").actual());
        assertEquals("deny-rls", cell(mx, "realtime.messages presence on org:{tenant 1}", "select", "member:member")
                .actual(), "a broadcast-only channel has no presence");
    }

    @Test
    void anExtraOrAMissingTableInThePublicationFailsTheProof() {
        List<Artifact> bundle = bundle(SPEC);
        StepOutcome o = engine.work(task(TaskKind.WORK, "realtime", spec(SPEC), bundle));
        Artifact m = migration(o);
        String extra = m.content().replace("add table public.task;", "add table public.task, public.membership;");
        String missing = m.content().replace("alter publication supabase_realtime add table public.task;\n", "");
        for (String[] c : new String[][] {{extra, "not intended: public.membership"}, {missing, "missing: public.task"}}) {
            List<Artifact> all = new ArrayList<>(bundle);
            o.artifacts().forEach(a -> all.add(a == m ? new Artifact(a.kind(), a.name(), c[0],
                    a.down().replace("drop table public.task;", "drop table public.task" + (c[0] == extra
                            ? ", public.membership;" : ";")), a.producedBy()) : a));

            StepOutcome v = engine.validate(task(TaskKind.VALIDATE, "realtime", spec(SPEC), all));

            assertEquals(ResultStatus.FAILED, v.status(), describe(v));
            Evidence pub = evidence(v, RealtimeProof.PUBLICATION);
            assertEquals(EvidenceStatus.FAILED, pub.status());
            assertTrue(pub.details().contains(c[1]), pub.details());
        }
    }

    @Test
    void anInvalidRealtimeSectionIsAClearError() {
        String unknownScope = SPEC.replace("scope: project", "scope: projet");
        StepOutcome o = engine.work(task(TaskKind.WORK, "realtime", spec(unknownScope), bundle(SPEC)));
        assertEquals(ResultStatus.FAILED, o.status());
        assertEquals(FailureKind.INVALID_INPUT, o.failureKind());
        assertTrue(o.reason().contains("/realtime/channels/0/scope: no table projet"), o.reason());

        String badJoin = SPEC.replace("events: [cursor] }", "events: [cursor], join: everyone }");
        StepOutcome schema = engine.work(task(TaskKind.WORK, "realtime", spec(badJoin), bundle(SPEC)));
        assertEquals(FailureKind.INVALID_INPUT, schema.failureKind());
        assertTrue(schema.reason().contains("/realtime/channels/0/join: join is member, owner or authenticated"),
                schema.reason());
    }

    @Test
    void aScopeWithoutTenancyIsJoinedByItsOwnerOnly() {
        String boards = """
                create table public.boards (
                  id uuid primary key default gen_random_uuid(),
                  user_id uuid not null references auth.users (id) on delete cascade,
                  title text not null
                );
                create index idx_boards_user_id on public.boards (user_id);
                alter table public.boards enable row level security;
                grant select on public.boards to authenticated;
                create policy "owners read their boards" on public.boards for select to authenticated
                  using (user_id = (select auth.uid()));
                """;

        StepOutcome o = engine.work(task(TaskKind.WORK, "typing indicator for each board", sql(boards), List.of()));

        assertEquals(ResultStatus.SUCCEEDED, o.status(), describe(o));
        assertTrue(migration(o).content().contains("and s.user_id = (select auth.uid())"), migration(o).content());
        RlsMatrix mx = matrix(o);
        assertEquals("allow", cell(mx, "realtime.messages broadcast on board:{alice's}", "insert", "owner").actual());
        assertEquals("deny-rls", cell(mx, "realtime.messages broadcast on board:{alice's}", "select", "other-user")
                .actual());
        assertTrue(o.artifacts().stream().anyMatch(a -> a.content() != null
                && a.content().contains("event: \"typing\"")));
    }

    @Test
    void wordsThatNameNoScopeAsk() {
        StepOutcome o = engine.work(task(TaskKind.WORK, "make it realtime", sql(SCHEMA + SECURITY), List.of()));

        assertEquals(ResultStatus.NEEDS_INPUT, o.status(), describe(o));
        assertNotNull(o.question());
        assertTrue(o.question().contains("presence per project") && o.question().contains("realtime"), o.question());
    }

    @Test
    void withoutASandboxNothingIsBuiltAndNoCheckClaimsToHaveRun() {
        RealtimeEngine none = new RealtimeEngine(Optional.empty(), tsc);

        StepOutcome o = none.work(task(TaskKind.WORK, WORDS, sql(SCHEMA + SECURITY), List.of()));

        assertEquals(ResultStatus.SUCCEEDED, o.status(), describe(o));
        assertTrue(o.artifacts().isEmpty());
        assertTrue(o.evidence().stream().allMatch(e -> e.status() == EvidenceStatus.NOT_RUN), describe(o));
    }

    // ---- the client code ----

    @Test
    void aMistypedClientFailsTheCompiler() {
        StepOutcome o = engine.work(task(TaskKind.WORK, WORDS, sql(SCHEMA + SECURITY), List.of()));
        Artifact client = o.artifacts().stream().filter(a -> a.name().endsWith("project-channel.ts")).findFirst()
                .orElseThrow();

        Evidence wrongType = tsc.check("tsc", Map.of(client.name(), client.content().replace("private: true",
                "private: \"yes\"")));
        Evidence wrongEvent = tsc.check("tsc", Map.of(client.name(), client.content().replace("{ event: \"sync\" }",
                "{ event: \"synced\" }")));

        assertEquals(EvidenceStatus.FAILED, wrongType.status(), wrongType.details());
        assertTrue(wrongType.details().contains("TS2322"), wrongType.details());
        assertEquals(EvidenceStatus.FAILED, wrongEvent.status(), wrongEvent.details());
    }
}
