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
        assertTrue(m.content().contains("join public.\"memberships\" m on m.\"organization_id\" = s.\"organization_id\""), m.content());
        assertTrue(m.content().contains("m.\"user_id\" = (select auth.uid())"), m.content());
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
        for (String attack : List.of("project:{tenant 1}:x", "projectx:{tenant 1}", "project:{tenant 1, upper case}")) {
            String topic = "realtime.messages broadcast on " + attack;
            for (String actor : List.of("member:member", "other-user", "non-member", "anon")) {
                assertEquals("deny-rls", cell(mx, topic, "select", actor).actual(), actor + " on " + attack);
                assertEquals("deny-rls", cell(mx, topic, "insert", actor).actual(), actor + " on " + attack);
            }
            assertEquals("allow", cell(mx, topic, "insert", "service_role").expected());
        }
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
        String leaky = m.content().replace("(select realtime.topic()) = 'project:' || s.\"id\"::text", "true");
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
        assertTrue(m.content().contains("alter publication supabase_realtime add table public.\"task\";"), m.content());
        assertTrue(m.content().contains("alter table public.\"task\" replica identity full;"), m.content());
        assertTrue(m.down().contains("alter table public.\"task\" replica identity default;"), m.down());
        assertTrue(m.content().contains("join public.\"membership\" m on m.\"organization_id\" = s.\"organization_id\""));
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
        assertTrue(m.content().contains("from public.\"membership\" m\n      where (select realtime.topic()) = 'org:' ||"
                + " m.\"organization_id\"::text"), m.content());
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
        String extra = m.content().replace("add table public.\"task\";", "add table public.\"task\", public.membership;");
        String missing = m.content().replace("alter publication supabase_realtime add table public.\"task\";\n", "");
        for (String[] c : new String[][] {{extra, "not intended: public.membership"}, {missing, "missing: public.task"}}) {
            List<Artifact> all = new ArrayList<>(bundle);
            o.artifacts().forEach(a -> all.add(a == m ? new Artifact(a.kind(), a.name(), c[0],
                    a.down().replace("drop table public.\"task\";", "drop table public.\"task\"" + (c[0] == extra
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
        assertTrue(migration(o).content().contains("and s.\"user_id\" = (select auth.uid())"), migration(o).content());
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

    // ---- the reviewer's cases: a topic of another tenant, odd names, a table without RLS, odd schemas ----

    /** Text keys (a slug): the tenant "acme" and the room "acme:secret-room" are different topics. */
    static final String TEAMS = """
            create table public.teams (
              slug text primary key,
              name text not null
            );
            create table public.team_members (
              team_slug text not null references public.teams (slug) on delete cascade,
              user_id uuid not null references auth.users (id) on delete cascade,
              primary key (team_slug, user_id)
            );
            create index idx_team_members_user_id on public.team_members (user_id);
            alter table public.teams enable row level security;
            alter table public.team_members enable row level security;
            grant select on public.teams, public.team_members to authenticated;
            create policy "members read their memberships" on public.team_members for select to authenticated
              using (user_id = (select auth.uid()));
            """;

    @Test
    void aTopicThatOnlyStartsWithTheTenantsKeyIsAnotherChannel() {
        StepOutcome o = engine.work(task(TaskKind.WORK, "presence per team", sql(TEAMS), List.of()));

        assertEquals(ResultStatus.SUCCEEDED, o.status(), describe(o));
        Artifact m = migration(o);
        String whole = "(select realtime.topic()) = 'team:' || m.\"team_slug\"::text";
        assertTrue(m.content().contains(whole), m.content());
        assertTrue(!m.content().contains("split_part") && !m.content().contains("starts_with"), m.content());
        RlsMatrix mx = matrix(o);
        assertEquals("allow", cell(mx, "realtime.messages broadcast on team:{tenant 1}", "select", "member:any")
                .actual());
        assertEquals("deny-rls", cell(mx, "realtime.messages broadcast on team:{tenant 1}:x", "select", "member:any")
                .actual(), "team:acme:secret-room is not team:acme");
        assertEquals("deny-rls", cell(mx, "realtime.messages broadcast on teamx:{tenant 1}", "insert", "member:any")
                .actual());

        // the reviewer's policy: the text after the first colon as the key; the matrix finds the attack topic
        String splitPart = m.content().replace(whole, "m.\"team_slug\"::text = split_part((select realtime.topic()),"
                + " ':', 2)");
        assertTrue(!splitPart.equals(m.content()));
        List<Artifact> tampered = new ArrayList<>(o.artifacts());
        tampered.set(tampered.indexOf(m), new Artifact(m.kind(), m.name(), splitPart, m.down(), m.producedBy()));
        StepOutcome v = engine.validate(task(TaskKind.VALIDATE, "presence per team", sql(TEAMS), tampered));
        assertEquals(ResultStatus.FAILED, v.status(), describe(v));
        Evidence failed = evidence(v, RealtimeProof.MATRIX);
        assertTrue(failed.details().contains("member:any select realtime.messages broadcast on team:{tenant 1}:x"
                + " expected deny-rls, got allow"), failed.details());
    }

    @Test
    void aPrefixOrAnEventThatIsNotAPlainNameIsAProblem() {
        SchemaGraph graph = new SchemaGraph(Map.of("project", new SchemaGraph.Table("project", List.of(
                new SchemaGraph.Column("id", "uuid", true, true, List.of(), true)), List.of(), Map.of(), "d",
                List.of(List.of("id")))));
        for (String[] bad : new String[][] {{"{ \"scope\": \"project\", \"topic\": \"a:b\", \"join\": \"authenticated\" }",
                "/realtime/channels/0/topic"}, {"{ \"scope\": \"project\", \"topic\": \"../../x\", \"join\": \"authenticated\" }",
                "/realtime/channels/0/topic"}, {"{ \"scope\": \"project\", \"events\": [\"x`${alert(1)}\"], \"join\": \"authenticated\" }",
                "/realtime/channels/0/events"}}) {
            JsonNode section = DomainSpecReader.read("{ \"channels\": [ " + bad[0] + " ] }");

            RealtimePlanner.Result r = RealtimePlanner.plan(section, null, graph, java.util.Set.of());

            assertEquals(1, r.problems().size(), bad[0] + " -> " + r);
            assertEquals(bad[1], r.problems().get(0).path());
        }
        RealtimePlanner.Result fine = RealtimePlanner.plan(DomainSpecReader.read("{ \"channels\": [ { \"scope\":"
                + " \"project\", \"topic\": \"project-room\", \"events\": [\"cursor_moved\"], \"join\":"
                + " \"authenticated\" } ] }"), null, graph, java.util.Set.of());
        assertNotNull(fine.plan(), fine.toString());
        assertEquals(List.of("supabase/realtime/project-room-channel.ts"), List.copyOf(RealtimeClient.write(fine.plan(),
                graph, "enable_realtime").keySet()));
        assertEquals("a-b", RealtimeClient.fileName("../A/../b"));
    }

    @Test
    void aPublishedTableWithoutRlsFailsThePublicationCheck() {
        String log = """
                create table public.audit_log (
                  id bigint generated always as identity primary key,
                  project_id uuid not null references public.projects (id) on delete cascade,
                  entry text not null
                );
                create index idx_audit_log_project_id on public.audit_log (project_id);
                grant select on public.audit_log to authenticated;
                """;
        String words = WORDS + ", and audit_log changes";

        StepOutcome open = engine.work(task(TaskKind.WORK, words, sql(SCHEMA + SECURITY + log), List.of()));

        assertEquals(ResultStatus.FAILED, open.status(), describe(open));
        Evidence pub = evidence(open, RealtimeProof.PUBLICATION);
        assertEquals(EvidenceStatus.FAILED, pub.status());
        assertTrue(pub.details().contains("public.audit_log has row level security off"), pub.details());
        assertTrue(open.findings().stream().anyMatch(f -> f.ruleId().equals(RealtimeProof.TABLE_WITHOUT_RLS)
                && f.severity() == dev.backendteam.contract.Severity.ERROR), open.findings().toString());

        // RLS on, but no select policy for authenticated: passes, with a warning that nobody receives a change
        String rls = "alter table public.audit_log enable row level security;\n";
        StepOutcome closed = engine.work(task(TaskKind.WORK, words, sql(SCHEMA + SECURITY + log + rls), List.of()));
        assertEquals(ResultStatus.SUCCEEDED, closed.status(), describe(closed));
        assertTrue(closed.findings().stream().anyMatch(f -> f.ruleId().equals(RealtimeProof.TABLE_UNREADABLE)
                && f.severity() == dev.backendteam.contract.Severity.WARN), closed.findings().toString());

        // the fix: a select policy for the members; no warning left
        String policy = "create policy \"members read the log\" on public.audit_log for select to authenticated"
                + " using (exists (select 1 from public.projects p where p.id = audit_log.project_id));\n";
        StepOutcome fixed = engine.work(task(TaskKind.WORK, words, sql(SCHEMA + SECURITY + log + rls + policy),
                List.of()));
        assertEquals(ResultStatus.SUCCEEDED, fixed.status(), describe(fixed));
        assertTrue(fixed.findings().stream().noneMatch(f -> f.ruleId().startsWith("realtime.table-")
                && f.severity() != dev.backendteam.contract.Severity.INFO), fixed.findings().toString());
    }

    @Test
    void theDownScriptRestoresAReplicaIdentityUsingAnIndex() {
        String log = """
                create table public.audit_log (
                  id bigint generated always as identity primary key,
                  project_id uuid not null references public.projects (id) on delete cascade,
                  entry text not null
                );
                create unique index audit_log_identity on public.audit_log (id, project_id);
                alter table public.audit_log replica identity using index audit_log_identity;
                alter table public.audit_log enable row level security;
                grant select on public.audit_log to authenticated;
                create policy "members read the log" on public.audit_log for select to authenticated
                  using (exists (select 1 from public.projects p where p.id = audit_log.project_id));
                """;

        StepOutcome o = engine.work(task(TaskKind.WORK, WORDS + ", and audit_log changes", sql(SCHEMA + SECURITY + log),
                List.of()));

        assertEquals(ResultStatus.SUCCEEDED, o.status(), describe(o));
        Artifact m = migration(o);
        assertTrue(m.content().contains("alter table public.\"audit_log\" replica identity full;"), m.content());
        assertTrue(m.down().contains("alter table public.\"audit_log\" replica identity using index"
                + " \"audit_log_identity\";"), m.down());
        assertEquals(EvidenceStatus.PASSED, evidence(o, RealtimeProof.DOWN).status());
        // "default" in its place leaves the table with another identity: the down check fails
        List<Artifact> tampered = new ArrayList<>(o.artifacts());
        tampered.set(tampered.indexOf(m), new Artifact(m.kind(), m.name(), m.content(), m.down().replace(
                "using index \"audit_log_identity\"", "default"), m.producedBy()));
        StepOutcome v = engine.validate(task(TaskKind.VALIDATE, WORDS + ", and audit_log changes",
                sql(SCHEMA + SECURITY + log), tampered));
        assertEquals(EvidenceStatus.FAILED, evidence(v, RealtimeProof.DOWN).status(), describe(v));
    }

    @Test
    void mixedCaseAndReservedNamesAreQuotedInThePolicies() {
        String odd = """
                create table public.teams (
                  id uuid primary key default gen_random_uuid(),
                  name text not null
                );
                create table public."TeamMember" (
                  "teamId" uuid not null references public.teams (id) on delete cascade,
                  "user" uuid not null references auth.users (id) on delete cascade,
                  primary key ("teamId", "user")
                );
                create table public."Board" (
                  id uuid primary key default gen_random_uuid(),
                  "teamId" uuid not null references public.teams (id) on delete cascade,
                  title text not null
                );
                create table public."order" (
                  id bigint generated always as identity primary key,
                  "boardId" uuid not null references public."Board" (id) on delete cascade,
                  "select" text not null
                );
                alter table public.teams enable row level security;
                alter table public."TeamMember" enable row level security;
                alter table public."Board" enable row level security;
                alter table public."order" enable row level security;
                grant select on public.teams, public."TeamMember", public."Board", public."order" to authenticated;
                create policy "members read their memberships" on public."TeamMember" for select to authenticated
                  using ("user" = (select auth.uid()));
                create policy "members read their boards" on public."Board" for select to authenticated
                  using (exists (select 1 from public."TeamMember" m where m."teamId" = "Board"."teamId"
                                 and m."user" = (select auth.uid())));
                create policy "members read their orders" on public."order" for select to authenticated
                  using (exists (select 1 from public."Board" b where b.id = "order"."boardId"));
                """;

        StepOutcome o = engine.work(task(TaskKind.WORK, "typing per order", sql(odd), List.of()));

        assertEquals(ResultStatus.SUCCEEDED, o.status(), describe(o));
        String up = migration(o).content();
        assertTrue(up.contains("from public.\"order\" s\n      join public.\"Board\" p1 on p1.\"id\" = s.\"boardId\"\n"
                + "      join public.\"TeamMember\" m on m.\"teamId\" = p1.\"teamId\""), up);
        assertTrue(up.contains("and m.\"user\" = (select auth.uid())"), up);
        RlsMatrix mx = matrix(o);
        assertEquals("allow", cell(mx, "realtime.messages broadcast on order:{tenant 1}", "insert", "member:any")
                .actual());
        assertEquals("deny-rls", cell(mx, "realtime.messages broadcast on order:{tenant 2}", "select", "member:any")
                .actual());
    }

    @Test
    void aScopeWhoseParentHasACompositeKeyIsSeededThroughTheReferencedColumn() {
        // projects keyed (organization_id, id), tasks referencing its unique id: the matrix's hop used to be null
        String composite = SCHEMA.replace("""
                create table public.projects (
                  id uuid primary key default gen_random_uuid(),
                  organization_id uuid not null references public.organizations (id) on delete cascade,""", """
                create table public.projects (
                  id uuid not null default gen_random_uuid() unique,
                  organization_id uuid not null references public.organizations (id) on delete cascade,
                  primary key (organization_id, id),""");
        assertTrue(!composite.equals(SCHEMA));

        StepOutcome o = engine.work(task(TaskKind.WORK, "presence per task", sql(composite + SECURITY), List.of()));

        assertEquals(ResultStatus.SUCCEEDED, o.status(), describe(o));
        RlsMatrix mx = matrix(o);
        assertEquals("allow", cell(mx, "realtime.messages presence on task:{tenant 1}", "select", "member:member")
                .actual());
        assertEquals("deny-rls", cell(mx, "realtime.messages presence on task:{tenant 1}", "select", "other-user")
                .actual());
    }

    @Test
    void aMembershipThatReferencesTheTenantsSlugIsJoinedThroughTheTenant() {
        String slugs = """
                create table public.teams (
                  id uuid primary key default gen_random_uuid(),
                  slug text not null unique
                );
                create table public.team_members (
                  team_slug text not null references public.teams (slug) on delete cascade on update cascade,
                  user_id uuid not null references auth.users (id) on delete cascade,
                  primary key (team_slug, user_id)
                );
                create index idx_team_members_user_id on public.team_members (user_id);
                alter table public.teams enable row level security;
                alter table public.team_members enable row level security;
                grant select on public.teams, public.team_members to authenticated;
                create policy "members read their memberships" on public.team_members for select to authenticated
                  using (user_id = (select auth.uid()));
                create policy "members read their teams" on public.teams for select to authenticated
                  using (exists (select 1 from public.team_members m where m.team_slug = teams.slug
                                 and m.user_id = (select auth.uid())));
                """;

        StepOutcome o = engine.work(task(TaskKind.WORK, "presence per team", sql(slugs), List.of()));

        assertEquals(ResultStatus.SUCCEEDED, o.status(), describe(o));
        assertTrue(migration(o).content().contains("from public.\"teams\" s\n      join public.\"team_members\" m on"
                + " m.\"team_slug\" = s.\"slug\"\n      where (select realtime.topic()) = 'team:' || s.\"id\"::text"),
                migration(o).content());
        RlsMatrix mx = matrix(o);
        assertEquals("allow", cell(mx, "realtime.messages broadcast on team:{tenant 1}", "select", "member:any")
                .actual());
        assertEquals("deny-rls", cell(mx, "realtime.messages broadcast on team:{tenant 1}", "select", "other-user")
                .actual());
    }

    @Test
    void withoutBypassRlsTheServiceRolesCellsAreNotRunAndSaySo(PostgresServers.Servers servers) throws Exception {
        // roles are cluster-wide: service_role loses BYPASSRLS for this test only, and gets it back
        PostgresServers.TestServer pg = servers.pg17();
        try (java.sql.Connection c = pg.connect("postgres");
             java.sql.Statement st = c.createStatement()) {
            st.execute("alter role service_role nobypassrls");
            try {
                StepOutcome o = engine.work(task(TaskKind.WORK, WORDS, sql(SCHEMA + SECURITY), List.of()));

                RlsMatrix.Case service = cell(matrix(o), "realtime.messages broadcast on project:{tenant 1}", "insert",
                        "service_role");
                assertEquals("allow", service.expected(), "the service role bypasses RLS on Supabase");
                assertEquals("not_run", service.actual());
                assertTrue(service.error().contains("no BYPASSRLS"), service.error());
                assertTrue(evidence(o, RealtimeProof.MATRIX).details().contains("not run (service_role has no"
                        + " BYPASSRLS"), evidence(o, RealtimeProof.MATRIX).details());
            } finally {
                st.execute("alter role service_role bypassrls");
            }
        }
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
