package dev.backendteam.dbarchitect.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.backendteam.contract.Artifact;
import dev.backendteam.contract.ArtifactKind;
import dev.backendteam.contract.Contract;
import dev.backendteam.contract.Evidence;
import dev.backendteam.contract.EvidenceStatus;
import dev.backendteam.contract.Finding;
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
import dev.backendteam.dbarchitect.engine.output.TypeScriptTypes;
import dev.backendteam.dbarchitect.engine.typescript.TypeScriptCompile;
import dev.backendteam.dbarchitect.engine.typescript.TypeScriptToolchain;
import dev.backendteam.sandbox.PostgresServers;
import dev.backendteam.sandbox.Sandbox;
import dev.backendteam.sandbox.TestSandboxes;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The api-data role on the real sandbox (embedded PostgreSQL 17) and the real tsc: the new-feature example's bundle
 * (db-architect's migrations from the spec, security's grants and policies as its step delivered them), then an ugly
 * schema a user wrote, with a leaky security definer function and a view that shows a password hash.
 */
@ExtendWith(PostgresServers.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ApiDataEngineTest {
    private Sandbox sandbox;
    private ApiDataEngine engine;
    private TypeScriptCompile tsc;
    private JsonNode spec;
    private List<Artifact> bundle;
    private StepOutcome outcome;

    @BeforeAll
    void run(PostgresServers.Servers servers) throws IOException {
        sandbox = TestSandboxes.on(servers.pg17());
        tsc = new TypeScriptCompile(TypeScriptToolchain.locate(Optional.empty(), TypeScriptToolchain.DEFAULT_TIMEOUT));
        engine = new ApiDataEngine(Optional.of(sandbox), tsc);
        spec = new ObjectMapper(new YAMLFactory()).readTree(new File("../deploy/examples/new-feature.yaml"))
                .get("spec");
        DomainSpecValidator.Validation v = DomainSpecValidator.standard().validate(spec, ExistingSchema.empty());
        assertTrue(v.valid(), v.problems().toString());
        bundle = new ArrayList<>();
        MigrationWriter.write(v.design(), ExistingSchema.empty()).forEach(m -> bundle.add(m.artifact()));
        bundle.add(new Artifact(ArtifactKind.TYPES, TypeScriptTypes.FILE, TypeScriptTypes.render(v.design()), null,
                Specialist.DB_ARCHITECT.id()));
        bundle.add(Artifact.migration("grants_and_policies", resource("new-feature-grants-and-policies.sql"),
                resource("new-feature-grants-and-policies.down.sql"), Specialist.SECURITY));
        outcome = engine.work(task(TaskKind.WORK, new JobInputs(spec, null, null, null, null, null, null, null),
                bundle));
        // for a reader of the build: what the step delivered, as files
        for (Artifact a : outcome.artifacts()) {
            java.nio.file.Path out = java.nio.file.Path.of("target/api-example", a.name().endsWith(".sql")
                    || a.kind() != ArtifactKind.MIGRATION ? a.name() : a.name() + ".sql");
            java.nio.file.Files.createDirectories(out.getParent());
            java.nio.file.Files.writeString(out, a.content() + (a.down() == null ? "" : "\n-- down:\n" + a.down()));
        }
    }

    private static TaskEvent task(TaskKind kind, JobInputs inputs, List<Artifact> artifacts) {
        return new TaskEvent(Contract.VERSION, "t-4", "job-api", 4, 1, Specialist.DB_ARCHITECT, "api-data", kind,
                "the Data API", inputs, artifacts, 0, Instant.now().plusSeconds(300));
    }

    private static String resource(String name) throws IOException {
        try (InputStream in = ApiDataEngineTest.class.getResourceAsStream("/api/" + name)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    private static Evidence evidence(StepOutcome o, String check) {
        return o.evidence().stream().filter(e -> e.check().equals(check)).findFirst()
                .orElseThrow(() -> new AssertionError("no evidence " + check + " in " + o.evidence()));
    }

    private static Artifact artifact(StepOutcome o, String name) {
        return o.artifacts().stream().filter(a -> a.name().equals(name)).findFirst()
                .orElseThrow(() -> new AssertionError("no artifact " + name));
    }

    @Test
    void theNewFeatureBundleGetsItsApiProvenForEveryActor() {
        assertEquals(ResultStatus.SUCCEEDED, outcome.status(), outcome.reason() + "\n" + outcome.evidence()
                + "\n" + outcome.findings());
        String up = artifact(outcome, ApiDesign.MIGRATION).content();
        assertTrue(up.contains("create or replace view public.task_view with (security_invoker = true)"), up);
        assertTrue(up.contains("where x.deleted_at is null"), up);
        assertFalse(up.contains("select *"), up);
        assertFalse(up.contains("audit_event"), "serviceOnly is not served: " + up);
        assertFalse(up.contains("security definer"), up);
        for (String fn : List.of("search_task", "count_task_by_project", "create_task_with_tag")) {
            assertTrue(up.contains("function public." + fn + "("), fn + " in " + up);
            Evidence m = evidence(outcome, ApiMatrix.CHECK + "public." + fn);
            assertEquals(EvidenceStatus.PASSED, m.status(), m.details());
            assertTrue(evidence(outcome, ApiMatrix.EXPLAIN + "public." + fn).details().contains("cost="));
        }
        RlsMatrix view = EvidenceKind.read(evidence(outcome, ApiMatrix.CHECK + "public.task_view").data(),
                RlsMatrix.class).orElseThrow();
        Map<String, RlsMatrix.Case> byActor = new java.util.HashMap<>();
        view.cases().forEach(c -> byActor.put(c.actor(), c));
        assertEquals(1L, byActor.get("owner").rows(), "the owner's live task, not the deleted one nor the stranger's");
        assertEquals(1L, byActor.get("stranger").rows());
        assertEquals(0L, byActor.get("authenticated-non-member").rows(), "a member of no organization sees no task");
        assertEquals("deny-grant", byActor.get("anon").actual(), "anon is refused by the grant layer");
        assertEquals(2L, byActor.get("service_role").rows(), "two live tasks, the deleted one left out");
        RlsMatrix create = EvidenceKind.read(evidence(outcome, ApiMatrix.CHECK + "public.create_task_with_tag")
                .data(), RlsMatrix.class).orElseThrow();
        assertTrue(create.cases().stream().anyMatch(c -> c.actor().equals("stranger") && c.actual().equals("deny-rls")),
                create.toString());
        for (String check : List.of(ApiProof.APPLY, ApiProof.DOWN, ApiProof.UP_AGAIN, ApiProof.LINT,
                OpenApiDocument.CHECK, ApiTypes.COMPILE)) {
            assertEquals(EvidenceStatus.PASSED, evidence(outcome, check).status(), check + ": "
                    + evidence(outcome, check).details());
        }
        String types = artifact(outcome, ApiTypes.TYPES).content();
        assertTrue(types.contains("      task_view: {") && types.contains("      search_task: {"), types);
        assertTrue(artifact(outcome, OpenApiDocument.FILE).content().contains("\"/rest/v1/rpc/search_task\""));
    }

    @Test
    void theValidationRoundReplaysTheWholeBundleAndFailsAnEditedLeakyOne() {
        List<Artifact> all = new ArrayList<>(bundle);
        all.addAll(outcome.artifacts());
        JobInputs inputs = new JobInputs(spec, null, null, null, null, null, null, null);
        StepOutcome ok = engine.validate(task(TaskKind.VALIDATE, inputs, all));
        assertEquals(ResultStatus.SUCCEEDED, ok.status(), ok.reason() + "\n" + ok.evidence());

        // the delivered migration edited: the view made a definer view (no security_invoker)
        List<Artifact> edited = all.stream().map(a -> a.name().equals(ApiDesign.MIGRATION) ? new Artifact(a.kind(),
                a.name(), a.content().replace(" with (security_invoker = true)", ""), a.down(), a.producedBy())
                : a).toList();
        StepOutcome leaky = engine.validate(task(TaskKind.VALIDATE, inputs, edited));
        assertEquals(ResultStatus.FAILED, leaky.status());
        assertTrue(leaky.findings().stream().anyMatch(f -> f.ruleId().equals("api.view-not-invoker")),
                leaky.findings().toString());
        assertTrue(leaky.findings().stream().anyMatch(f -> f.ruleId().equals("api.leak")
                && f.object().equals("public.task_view")), "the matrix sees the rows too: " + leaky.findings());
    }

    private static final String UGLY = """
            create table "Accounts" (id uuid primary key default gen_random_uuid(),
              user_id uuid not null references auth.users (id), "displayName" varchar(80) not null,
              password_hash text not null, created_at timestamp default now());
            create table notes (id bigint generated always as identity primary key,
              account_id uuid not null references "Accounts" (id), body text not null, deleted_at timestamptz);
            alter table "Accounts" enable row level security;
            alter table notes enable row level security;
            grant select, insert on "Accounts" to authenticated;
            grant select, insert on notes to authenticated;
            create policy accounts_own on "Accounts" for select to authenticated using (user_id = (select auth.uid()));
            create policy notes_own on notes for select to authenticated using (exists (select 1 from "Accounts" a
              where a.id = notes.account_id and a.user_id = (select auth.uid())));
            """;

    @Test
    void anUglyUserSchemaGetsItsApiWithoutTheHashAndAnInferredIntent() {
        StepOutcome o = engine.work(task(TaskKind.WORK, new JobInputs(null, UGLY, null, null, null, null, null,
                null), List.of()));
        assertEquals(ResultStatus.SUCCEEDED, o.status(), o.reason() + "\n" + o.evidence() + "\n" + o.findings());
        String up = artifact(o, ApiDesign.MIGRATION).content();
        assertTrue(up.contains("public.accounts_view"), up);
        assertFalse(up.substring(up.indexOf("accounts_view")).split(";")[0].contains("password_hash"), up);
        assertTrue(up.contains("function public.search_notes("), up);
        assertTrue(o.findings().stream().anyMatch(f -> f.ruleId().equals("api.intent-inferred")
                && f.message().contains("owner column user_id")), o.findings().toString());
        assertEquals(EvidenceStatus.PASSED, evidence(o, ApiTypes.COMPILE).status(), evidence(o, ApiTypes.COMPILE)
                .details());
    }

    @Test
    void aLeakySecurityDefinerFunctionFailsTheStepWithItsFix() {
        String leaky = UGLY + """
                create function public.notes_of(p_user_id uuid) returns setof public.notes language sql
                  security definer set search_path = '' as $$
                  select n.* from public.notes n join public."Accounts" a on a.id = n.account_id
                  where a.user_id = p_user_id $$;
                grant execute on function public.notes_of(uuid) to authenticated;
                """;
        StepOutcome o = engine.work(task(TaskKind.WORK, new JobInputs(null, leaky, null, null, null, null, null,
                null), List.of()));
        assertEquals(ResultStatus.FAILED, o.status(), o.findings().toString());
        Finding definer = o.findings().stream().filter(f -> f.ruleId().equals("api.definer-exposed")).findFirst()
                .orElseThrow(() -> new AssertionError(o.findings().toString()));
        assertTrue(definer.fix().contains("security invoker") && definer.fix().contains("api_private"), definer.fix());
        assertTrue(o.findings().stream().anyMatch(f -> f.ruleId().equals("api.user-id-argument")));
        Evidence m = evidence(o, ApiMatrix.CHECK + "public.notes_of(p_user_id uuid)");
        assertEquals(EvidenceStatus.FAILED, m.status(), "the stranger got the owner's notes: " + m.details());
        assertTrue(m.details().contains("stranger"), m.details());

        // the fix the finding gives: security invoker; the policies then decide, and nothing leaks
        StepOutcome fixed = engine.work(task(TaskKind.WORK, new JobInputs(null, leaky + "alter function"
                + " public.notes_of(uuid) security invoker;", null, null, null, null, null, null), List.of()));
        assertTrue(fixed.findings().stream().noneMatch(f -> f.ruleId().equals("api.definer-exposed")
                || f.ruleId().equals("api.leak")), fixed.findings().toString());
        assertEquals(EvidenceStatus.PASSED, evidence(fixed, ApiMatrix.CHECK + "public.notes_of(p_user_id uuid)")
                .status());
    }

    @Test
    void aViewShowingASensitiveColumnIsFlaggedAndItsFixClearsIt() {
        String exposing = UGLY + """
                create view public.account_cards with (security_invoker = true) as
                  select id, user_id, "displayName", password_hash from public."Accounts";
                grant select on public.account_cards to authenticated;
                """;
        StepOutcome o = engine.work(task(TaskKind.WORK, new JobInputs(null, exposing, null, null, null, null, null,
                null), List.of()));
        assertTrue(o.findings().stream().anyMatch(f -> f.ruleId().equals("api.view-sensitive-column")
                && f.object().equals("public.account_cards") && f.message().contains("password_hash")),
                o.findings().toString());
        assertEquals(ResultStatus.FAILED, o.status());
        // not readable by a client: not flagged
        StepOutcome unexposed = engine.work(task(TaskKind.WORK, new JobInputs(null, exposing
                + "revoke select on public.account_cards from authenticated;", null, null, null, null, null, null),
                List.of()));
        assertTrue(unexposed.findings().stream().noneMatch(f -> f.ruleId().equals("api.view-sensitive-column")),
                unexposed.findings().toString());
        // the fix: the view without the column
        StepOutcome fixed = engine.work(task(TaskKind.WORK, new JobInputs(null, exposing + "drop view"
                + " public.account_cards; create view public.account_cards with (security_invoker = true) as select"
                + " id, user_id, \"displayName\" from public.\"Accounts\"; grant select on public.account_cards to"
                + " authenticated;", null, null, null, null, null, null), List.of()));
        assertTrue(fixed.findings().stream().noneMatch(f -> f.ruleId().equals("api.view-sensitive-column")),
                fixed.findings().toString());
        assertEquals(ResultStatus.SUCCEEDED, fixed.status(), fixed.reason());
    }

    @Test
    void aMistypedClientCallFailsTheCompile() {
        String types = artifact(outcome, ApiTypes.TYPES).content();
        String client = artifact(outcome, ApiTypes.CLIENT).content();
        assertTrue(client.contains("p_query: query"));
        Evidence e = tsc.check(ApiTypes.COMPILE, Map.of(ApiTypes.TYPES_PATH, types, ApiTypes.CLIENT,
                client.replace("p_query: query", "p_qery: query")));
        assertEquals(EvidenceStatus.FAILED, e.status(), e.details());
        assertTrue(e.details().contains("client.ts"), e.details());
    }

    @Test
    void aBrokenOpenApiDocumentFailsWithTheParsersMessages() throws IOException {
        String doc = artifact(outcome, OpenApiDocument.FILE).content();
        ObjectMapper json = new ObjectMapper();
        com.fasterxml.jackson.databind.node.ObjectNode broken = (com.fasterxml.jackson.databind.node.ObjectNode)
                json.readTree(doc);
        broken.remove("info");
        ((com.fasterxml.jackson.databind.node.ObjectNode) broken.path("paths").path("/rest/v1/rpc/search_task")
                .path("post")).remove("responses");
        Evidence e = OpenApiDocument.validate(broken.toString());
        assertEquals(EvidenceStatus.FAILED, e.status(), e.details());
        assertTrue(e.details().contains("swagger-parser") && e.details().contains("info"), e.details());
        Evidence dangling = OpenApiDocument.validate(doc.replace("#/components/schemas/Error",
                "#/components/schemas/Eror"));
        assertEquals(EvidenceStatus.FAILED, dangling.status(), dangling.details());
    }

    @Test
    void theSpecsApiSectionSkipsAndRenamesDerivedObjects() {
        com.fasterxml.jackson.databind.node.ObjectNode named = spec.deepCopy();
        com.fasterxml.jackson.databind.node.ObjectNode api = named.putObject("api");
        api.putArray("skip").add("search_tag").add("count_membership_by_organization");
        api.putObject("names").put("search_task", "find_tasks");
        api.putObject("pageSize").put("default", 10).put("max", 50);
        assertTrue(DomainSpecValidator.standard().validate(named, ExistingSchema.empty()).valid(),
                "the schema role accepts the api section");
        com.fasterxml.jackson.databind.node.ObjectNode wrong = named.deepCopy();
        ((com.fasterxml.jackson.databind.node.ObjectNode) wrong.get("api")).put("skip", "search_tag");
        assertFalse(DomainSpecValidator.standard().validate(wrong, ExistingSchema.empty()).valid(),
                "skip must be a list");

        StepOutcome o = engine.work(task(TaskKind.WORK, new JobInputs(named, null, null, null, null, null, null,
                null), bundle));
        assertEquals(ResultStatus.SUCCEEDED, o.status(), o.reason());
        String up = artifact(o, ApiDesign.MIGRATION).content();
        assertTrue(up.contains("function public.find_tasks(") && up.contains("coalesce(p_limit, 10), 1), 50)"), up);
        assertFalse(up.contains("search_tag") || up.contains("count_membership_by_organization")
                || up.contains("search_task("), up);
        assertEquals(EvidenceStatus.PASSED, evidence(o, ApiMatrix.CHECK + "public.find_tasks").status());
    }

    @Test
    void aWeakenedPolicyUnderTheViewIsCaughtByTheIntentNotExcusedByThePolicies() {
        // security's select policy on task made always-true: the view (security_invoker) now shows every task
        List<Artifact> weakened = bundle.stream().map(a -> a.name().equals("grants_and_policies") ? new Artifact(
                a.kind(), a.name(), a.content().replace("for select to authenticated\n    using (exists (select 1 from"
                + " public.project p where p.id = task.project_id));", "for select to authenticated\n    using (true);"),
                a.down(), a.producedBy()) : a).toList();
        assertFalse(weakened.equals(bundle), "the policy was found and weakened");
        StepOutcome o = engine.work(task(TaskKind.WORK, new JobInputs(spec, null, null, null, null, null, null, null),
                weakened));
        assertEquals(ResultStatus.FAILED, o.status());
        Evidence view = evidence(o, ApiMatrix.CHECK + "public.task_view");
        assertEquals(EvidenceStatus.FAILED, view.status(), view.details());
        assertTrue(view.details().contains("authenticated-non-member: expected allow 0 row(s), got allow 2 row(s)"),
                view.details());
        assertTrue(o.findings().stream().anyMatch(f -> f.ruleId().equals("api.leak")
                && f.object().equals("public.task_view")), o.findings().toString());
    }
}
