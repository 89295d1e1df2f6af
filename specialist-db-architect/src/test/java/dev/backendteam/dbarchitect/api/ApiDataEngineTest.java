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

    /** The same schema with the fix api.table-sensitive-column gives: the hash's column left out of the grant. */
    private static final String UGLY_FIXED = UGLY.replace("grant select, insert on \"Accounts\" to authenticated;",
            "grant select (id, user_id, \"displayName\", created_at), insert on \"Accounts\" to authenticated;");

    private StepOutcome work(String sql) {
        return engine.work(task(TaskKind.WORK, new JobInputs(null, sql, null, null, null, null, null, null),
                List.of()));
    }

    private static boolean has(StepOutcome o, String rule, String object) {
        return o.findings().stream().anyMatch(f -> f.ruleId().equals(rule) && (object == null
                || object.equals(f.object())));
    }

    @Test
    void aSensitiveColumnTheTableGrantStillServesFailsTheStepAndIsLeftOutOfTheDocument() throws IOException {
        assertFalse(UGLY_FIXED.equals(UGLY));
        // the view leaves password_hash out, but authenticated may select it from /rest/v1/Accounts itself
        StepOutcome o = work(UGLY);
        assertEquals(ResultStatus.FAILED, o.status(), o.reason());
        Finding f = o.findings().stream().filter(x -> x.ruleId().equals("api.table-sensitive-column")).findFirst()
                .orElseThrow(() -> new AssertionError(o.findings().toString()));
        assertEquals(dev.backendteam.contract.Severity.ERROR, f.severity());
        assertEquals("public.Accounts", f.object());
        assertTrue(f.message().contains("password_hash") && f.fix().contains("grant select ("), f.toString());
        JsonNode doc = new ObjectMapper().readTree(artifact(o, OpenApiDocument.FILE).content());
        JsonNode row = doc.path("components").path("schemas").path("Accounts").path("properties");
        assertTrue(row.has("displayName") && !row.has("password_hash"), row.toString());
        // the fix: column grants without the hash; the view is still served
        StepOutcome fixed = work(UGLY_FIXED);
        assertFalse(has(fixed, "api.table-sensitive-column", null), fixed.findings().toString());
        assertEquals(ResultStatus.SUCCEEDED, fixed.status(), fixed.reason());
        assertTrue(artifact(fixed, ApiDesign.MIGRATION).content().contains("public.accounts_view"));
    }

    @Test
    void anUglyUserSchemaGetsItsApiWithoutTheHashAndAnInferredIntent() {
        StepOutcome o = work(UGLY_FIXED);
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
        String leaky = UGLY_FIXED + """
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
        String exposing = UGLY_FIXED + """
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

    @Test
    void anAnonGrantIsReportedNotTakenForAPublicIntent() {
        StepOutcome o = work(UGLY_FIXED + "grant select on notes to anon;");
        Finding f = o.findings().stream().filter(x -> x.ruleId().equals("api.anon-grant-without-intent"))
                .findFirst().orElseThrow(() -> new AssertionError(o.findings().toString()));
        assertEquals(dev.backendteam.contract.Severity.WARN, f.severity());
        assertEquals("public.notes", f.object());
        String up = artifact(o, ApiDesign.MIGRATION).content();
        assertTrue(up.contains("grant execute on function public.search_notes(text, bigint, integer) to authenticated,"
                + " service_role;"), "not served to anon: " + up);
        assertFalse(up.contains("to anon"), up);
        assertEquals("deny-grant", EvidenceKind.read(evidence(o, ApiMatrix.CHECK + "public.notes_view").data(),
                RlsMatrix.class).orElseThrow().cases().stream().filter(c -> c.actor().equals("anon")).findFirst()
                .orElseThrow().actual());
        assertTrue(o.findings().stream().noneMatch(x -> x.message().contains("public read")), o.findings().toString());
        assertEquals(ResultStatus.SUCCEEDED, o.status(), o.reason());
        assertFalse(has(work(UGLY_FIXED), "api.anon-grant-without-intent", null), "no anon grant, no finding");
    }

    @Test
    void anAccessIntentThatDoesNotParseFailsTheStepAsInvalidInput() {
        List<Artifact> broken = new ArrayList<>(bundle);
        broken.add(Artifact.file(ApiDataEngine.ACCESS_ARTIFACT, "{\"tables\": [", Specialist.SECURITY));
        JobInputs inputs = new JobInputs(spec, null, null, null, null, null, null, null);
        StepOutcome o = engine.work(task(TaskKind.WORK, inputs, broken));
        assertEquals(ResultStatus.FAILED, o.status());
        assertEquals(dev.backendteam.contract.FailureKind.INVALID_INPUT, o.failureKind());
        assertTrue(o.reason().contains(ApiDataEngine.ACCESS_ARTIFACT), o.reason());
        List<Artifact> all = new ArrayList<>(broken);
        all.addAll(outcome.artifacts());
        StepOutcome v = engine.validate(task(TaskKind.VALIDATE, inputs, all));
        assertEquals(dev.backendteam.contract.FailureKind.INVALID_INPUT, v.failureKind(), v.reason());
    }

    @Test
    void anUnknownGrantModelFailsTheStepWithTheReason() {
        StepOutcome o = engine.work(task(TaskKind.WORK, new JobInputs(null, UGLY_FIXED, null, null, null, null, null,
                null, "lgacy"), List.of()));
        assertEquals(ResultStatus.FAILED, o.status());
        assertEquals(dev.backendteam.contract.FailureKind.INVALID_INPUT, o.failureKind());
        assertTrue(o.reason().contains("unknown grant model 'lgacy'"), o.reason());
    }

    @Test
    void aTableWithoutAPrimaryKeyIsServedWithAFindingNotACrash() {
        StepOutcome o = work(UGLY_FIXED + """
                create table event_log (message text not null, happened_at timestamptz not null default now());
                grant select on event_log to authenticated;
                """);
        assertTrue(has(o, "api.no-primary-key", "public.event_log"), o.findings().toString());
        assertEquals(ResultStatus.SUCCEEDED, o.status(), o.reason());
        assertEquals(EvidenceStatus.PASSED, evidence(o, OpenApiDocument.CHECK).status());
        assertTrue(artifact(o, OpenApiDocument.FILE).content().contains("\"/rest/v1/event_log\""));
        assertFalse(has(work(UGLY_FIXED), "api.no-primary-key", null));
    }

    @Test
    void theOracleIsNotFilteredByForcedRowLevelSecurity() {
        StepOutcome o = work(UGLY_FIXED + "alter table notes force row level security;"
                + " alter table \"Accounts\" force row level security;");
        assertEquals(ResultStatus.SUCCEEDED, o.status(), o.reason() + "\n" + o.evidence());
        Evidence notes = evidence(o, ApiMatrix.CHECK + "public.notes_view");
        assertEquals(EvidenceStatus.PASSED, notes.status(), notes.details());
        assertTrue(notes.details().contains("owner allow 1, stranger allow 1"), notes.details());
    }

    @Test
    void aForeignFunctionThatCannotBeJudgedIsNotRunNotPassed() {
        StepOutcome o = work(UGLY_FIXED + """
                create function public.note_total() returns bigint language sql stable security invoker
                  set search_path = '' as $$ select count(*) from public.notes $$;
                create function public.broken_notes() returns setof public.notes language plpgsql security invoker
                  set search_path = '' as $$ begin raise exception 'boom'; end $$;
                grant execute on function public.note_total(), public.broken_notes() to authenticated;
                """);
        Evidence total = evidence(o, ApiMatrix.CHECK + "public.note_total()");
        assertEquals(EvidenceStatus.NOT_RUN, total.status(), total.details());
        assertTrue(total.details().contains("bigint"), total.details());
        Evidence broken = evidence(o, ApiMatrix.CHECK + "public.broken_notes()");
        assertEquals(EvidenceStatus.NOT_RUN, broken.status(), broken.details());
        assertTrue(broken.details().contains("boom"), broken.details());
        // a function that runs and stays within the intent still passes
        StepOutcome fine = work(UGLY_FIXED + """
                create function public.my_notes() returns setof public.notes language sql stable security invoker
                  set search_path = '' as $$ select * from public.notes $$;
                grant execute on function public.my_notes() to authenticated;
                """);
        assertEquals(EvidenceStatus.PASSED, evidence(fine, ApiMatrix.CHECK + "public.my_notes()").status());
    }

    private List<Artifact> withApi(java.util.function.UnaryOperator<String> edit) {
        List<Artifact> all = new ArrayList<>(bundle);
        all.addAll(outcome.artifacts());
        return all.stream().map(a -> a.name().equals(ApiDesign.MIGRATION) ? new Artifact(a.kind(), a.name(),
                edit.apply(a.content()), a.down(), a.producedBy()) : a).toList();
    }

    @Test
    void aSearchThatIgnoresItsQueryFailsTheValidationRound() {
        JobInputs inputs = new JobInputs(spec, null, null, null, null, null, null, null);
        List<Artifact> ignoring = withApi(up -> up.replace(", lower(p_query)) > 0", ", lower(p_query)) >= 0"));
        assertFalse(ignoring.equals(withApi(up -> up)), "the match was found and weakened");
        StepOutcome o = engine.validate(task(TaskKind.VALIDATE, inputs, ignoring));
        assertEquals(ResultStatus.FAILED, o.status());
        Evidence search = evidence(o, ApiMatrix.CHECK + "public.search_task");
        assertEquals(EvidenceStatus.FAILED, search.status(), search.details());
        Evidence kept = evidence(engine.validate(task(TaskKind.VALIDATE, inputs, withApi(up -> up))),
                ApiMatrix.CHECK + "public.search_task");
        assertEquals(EvidenceStatus.PASSED, kept.status(), kept.details());
        assertTrue(kept.details().contains("searched for 'w1") && kept.details().contains("finds nothing"),
                kept.details());
    }

    @Test
    void aDeliveredFunctionWithoutItsEmptySearchPathFailsTheValidationRound() {
        JobInputs inputs = new JobInputs(spec, null, null, null, null, null, null, null);
        List<Artifact> tampered = withApi(up -> up.replace("    set search_path = ''\n", ""));
        StepOutcome o = engine.validate(task(TaskKind.VALIDATE, inputs, tampered));
        assertEquals(ResultStatus.FAILED, o.status(), o.findings().toString());
        assertTrue(has(o, "api.own-search-path", "public.search_task(p_query text, p_after uuid, p_limit integer)")
                || o.findings().stream().anyMatch(f -> f.ruleId().equals("api.own-search-path")
                && f.object().startsWith("public.search_task(")), o.findings().toString());
        StepOutcome definer = engine.validate(task(TaskKind.VALIDATE, inputs, withApi(up -> up.replace(
                "    security invoker\n", "    security definer\n"))));
        assertTrue(has(definer, "api.own-not-invoker", null), definer.findings().toString());
        StepOutcome ok = engine.validate(task(TaskKind.VALIDATE, inputs, withApi(up -> up)));
        assertFalse(has(ok, "api.own-search-path", null) || has(ok, "api.own-not-invoker", null));
    }

    /** Posts with a camelCase, a spaced and a keyword column, a token and a timestamp; tags are their owner's. */
    private static final String POSTS = """
            create table "Posts" (id uuid primary key default gen_random_uuid(),
              user_id uuid not null default auth.uid() references auth.users (id), "displayName" text not null,
              "post title" text, "desc" text, api_token text not null default 'none',
              published_at timestamptz not null default '2024-05-01 10:00:00+00', created_at timestamptz not null
              default now());
            create table tags (id uuid primary key default gen_random_uuid(),
              user_id uuid not null default auth.uid() references auth.users (id), label text not null);
            create table post_tags (post_id uuid not null references "Posts" (id),
              tag_id uuid not null references tags (id), primary key (post_id, tag_id));
            alter table "Posts" enable row level security;
            alter table tags enable row level security;
            alter table post_tags enable row level security;
            grant select (id, user_id, "displayName", "post title", "desc", published_at, created_at), insert
              on "Posts" to authenticated;
            grant select, insert on tags, post_tags to authenticated;
            create policy posts_read on "Posts" for select to authenticated using (user_id = (select auth.uid()));
            create policy posts_write on "Posts" for insert to authenticated with check (user_id = (select auth.uid()));
            create policy tags_read on tags for select to authenticated using (user_id = (select auth.uid()));
            create policy post_tags_read on post_tags for select to authenticated
              using (exists (select 1 from "Posts" p where p.id = post_id));
            """;
    private static final String LINK_ANY_TAG = """
            create policy post_tags_write on post_tags for insert to authenticated with check (exists (select 1
              from "Posts" p where p.id = post_id and p.user_id = (select auth.uid())));
            """;
    private static final String LINK_OWN_TAG = """
            create policy post_tags_write on post_tags for insert to authenticated with check (exists (select 1
              from "Posts" p where p.id = post_id and p.user_id = (select auth.uid()))
              and exists (select 1 from tags t where t.id = tag_id));
            """;

    @Test
    void createWithLinksOnlyRowsTheCallerMayReadAndReturnsTheStoredRow() {
        StepOutcome o = work(POSTS + LINK_OWN_TAG);
        assertEquals(ResultStatus.SUCCEEDED, o.status(), o.reason() + "\n" + o.evidence() + "\n" + o.findings());
        String up = artifact(o, ApiDesign.MIGRATION).content();
        // parameters as PostgreSQL keeps them; the keyword and the spaced column quoted in the insert
        assertTrue(up.contains("public.create_posts_with_tag(p_display_name text, p_post_title text default null,"
                + " p_desc text default null, p_published_at timestamp with time zone default"), up);
        assertTrue(up.contains("(\"displayName\", \"post title\", \"desc\", published_at)"), up);
        assertTrue(up.contains("select x.*\n    into v_row\n    from public.posts_view x"), up);
        RlsMatrix create = EvidenceKind.read(evidence(o, ApiMatrix.CHECK + "public.create_posts_with_tag").data(),
                RlsMatrix.class).orElseThrow();
        Map<String, RlsMatrix.Case> byActor = new java.util.HashMap<>();
        create.cases().forEach(c -> byActor.put(c.actor(), c));
        assertEquals("allow", byActor.get("owner").actual(), create.toString());
        assertEquals("deny-rls", byActor.get("stranger").expected(), "world-1's tag is not the stranger's");
        assertEquals("deny-rls", byActor.get("stranger").actual(), create.toString());
        assertEquals(EvidenceStatus.PASSED, evidence(o, ApiTypes.COMPILE).status(),
                evidence(o, ApiTypes.COMPILE).details());
        assertTrue(artifact(o, ApiTypes.CLIENT).content().contains("p_display_name: displayName"));

        // a policy that lets anyone link any tag: the stranger links the owner's tag, and the matrix says so
        StepOutcome weak = work(POSTS + LINK_ANY_TAG);
        assertEquals(ResultStatus.FAILED, weak.status());
        Evidence e = evidence(weak, ApiMatrix.CHECK + "public.create_posts_with_tag");
        assertEquals(EvidenceStatus.FAILED, e.status(), e.details());
        assertTrue(e.details().contains("stranger: expected deny-rls, got allow"), e.details());
    }

    @Test
    void aCreateFunctionReturningShiftedValuesFailsTheValidationRound() {
        StepOutcome o = work(POSTS + LINK_OWN_TAG);
        JobInputs inputs = new JobInputs(null, POSTS + LINK_OWN_TAG, null, null, null, null, null, null);
        java.util.function.UnaryOperator<String> narrow = up -> up.replace("select x.*\n    into v_row",
                "select x.id, x.user_id, x.\"displayName\", x.published_at\n    into v_row");
        List<Artifact> shifted = o.artifacts().stream().map(a -> a.name().equals(ApiDesign.MIGRATION) ? new Artifact(
                a.kind(), a.name(), narrow.apply(a.content()), a.down(), a.producedBy()) : a).toList();
        assertFalse(shifted.equals(o.artifacts()), "the read-back was found and narrowed");
        StepOutcome v = engine.validate(task(TaskKind.VALIDATE, inputs, shifted));
        assertEquals(ResultStatus.FAILED, v.status());
        Evidence e = evidence(v, ApiMatrix.CHECK + "public.create_posts_with_tag");
        assertEquals(EvidenceStatus.FAILED, e.status(), e.details());
        assertTrue(e.details().contains("returned {"), e.details());
        StepOutcome ok = engine.validate(task(TaskKind.VALIDATE, inputs, o.artifacts()));
        assertEquals(ResultStatus.SUCCEEDED, ok.status(), ok.reason());

        // without its view (api.skip) the row could only come back with the token: no create function, a finding
        ApiProof.Run run = new ApiProof(sandbox).run(new ApiProof.Plan("skip", null, List.of(new ExistingSchema
                .Script("sql", POSTS + LINK_OWN_TAG)), null, List.of(), null, null, new ApiOptions(java.util.Set.of(
                "posts_view"), Map.of(), 20, 100)), d -> new Migration(ApiDesign.MIGRATION, d.up(), d.down()));
        assertTrue(run.design().rpcs().stream().noneMatch(r -> r.kind() == ApiDesign.Kind.CREATE_WITH),
                run.design().rpcs().toString());
        assertTrue(run.findings().stream().anyMatch(f -> f.ruleId().equals("api.create-skipped")
                && f.object().equals("public.Posts")), run.findings().toString());
    }

    @Test
    void columnsGivingTheSameParameterNameAreRejected() {
        StepOutcome o = work(POSTS.replace("\"post title\" text,", "\"post title\" text, post_title text,")
                + LINK_OWN_TAG);
        assertTrue(o.findings().stream().anyMatch(f -> f.ruleId().equals("api.create-skipped")
                && f.message().contains("p_post_title")), o.findings().toString());
        assertFalse(artifact(o, ApiDesign.MIGRATION).content().contains("create_posts_with_tag"));
        assertEquals(EvidenceStatus.PASSED, evidence(o, ApiProof.APPLY).status());
    }

    // ---- ModelIT's bundle: a drafted spec, security's confirmed access table (supabase/security/access.json) ----

    private static final String MODEL_SPEC = "{\"entities\": [{\"name\": \"post\", \"owner\": true, \"fields\":"
            + " {\"title\": \"text!\", \"body\": \"text\"}}, {\"name\": \"comment\", \"belongsTo\": \"post\","
            + " \"owner\": true, \"fields\": {\"body\": \"text!\"}}]}";

    /** The access table as security delivers it once confirmed (AccessConfirmation.file). */
    private static String accessFile(String commentSelect) {
        return "{\"source\": \"drafted by the model, confirmed by the user\", \"access\": {\"post\": {\"select\":"
                + " [\"authenticated\"], \"insert\": [\"owner\"], \"update\": [\"owner\"], \"delete\": [\"owner\"]},"
                + " \"comment\": {\"select\": [" + commentSelect + "], \"insert\": [\"owner\"], \"update\":"
                + " [\"owner\"], \"delete\": [\"owner\"]}}, \"ownerColumns\": {\"post\": \"user_id\", \"comment\":"
                + " \"user_id\"}}\n";
    }

    /**
     * The grants and policies security writes for that table (PolicyWriter.expression): every signed-in user reads
     * posts, and comments whose post they may read; owners write their own.
     */
    private static String modelPolicies() {
        StringBuilder sql = new StringBuilder();
        for (String t : List.of("post", "comment")) {
            String parent = t.equals("comment") ? " and exists (select 1 from public.post p where p.id ="
                    + " comment.post_id)" : "";
            sql.append("revoke all on table public.").append(t).append(" from public, anon, authenticated;\n")
                    .append("grant select, insert, update, delete on table public.").append(t)
                    .append(" to authenticated;\ngrant all on table public.").append(t).append(" to service_role;\n")
                    .append("alter table public.").append(t).append(" enable row level security;\n")
                    .append("create policy ").append(t).append("_select on public.").append(t)
                    .append(" for select to authenticated using (").append(parent.isEmpty() ? "true"
                    : parent.substring(5)).append(");\n")
                    .append("create policy ").append(t).append("_insert on public.").append(t)
                    .append(" for insert to authenticated with check (user_id = (select auth.uid())").append(parent)
                    .append(");\n")
                    .append("create policy ").append(t).append("_update on public.").append(t)
                    .append(" for update to authenticated using (user_id = (select auth.uid()))")
                    .append(" with check (user_id = (select auth.uid()));\n")
                    .append("create policy ").append(t).append("_delete on public.").append(t)
                    .append(" for delete to authenticated using (user_id = (select auth.uid()));\n");
        }
        return sql.toString();
    }

    private StepOutcome modelJob(String access) throws IOException {
        JsonNode drafted = new ObjectMapper().readTree(MODEL_SPEC);
        DomainSpecValidator.Validation v = DomainSpecValidator.standard().validate(drafted, ExistingSchema.empty());
        assertTrue(v.valid(), v.problems().toString());
        List<Artifact> artifacts = new ArrayList<>();
        MigrationWriter.write(v.design(), ExistingSchema.empty()).forEach(m -> artifacts.add(m.artifact()));
        artifacts.add(Artifact.migration("grants_and_policies", modelPolicies(), "select 1;", Specialist.SECURITY));
        if (access != null) {
            artifacts.add(Artifact.file(ApiDataEngine.ACCESS_ARTIFACT, access, Specialist.SECURITY));
        }
        JobInputs inputs = new JobInputs(drafted, null, null, null, null, null, null, null, null, null, null,
                List.of(JobInputs.SPEC));
        return engine.work(task(TaskKind.WORK, inputs, artifacts));
    }

    @Test
    void aConfirmedAccessTableIsReadAsSecurityWroteIt() throws IOException {
        // before: the file was read as an AccessIntent record ({tables: [..]}): its "access" ignored, every table
        // inferred (post: its owner's, comment: its post's) — the stranger "leaked" the comments every user may read
        StepOutcome o = modelJob(accessFile("\"authenticated\""));
        for (String object : List.of("public.search_post", "public.search_comment",
                "public.count_comment_by_post")) {
            Evidence m = evidence(o, ApiMatrix.CHECK + object);
            assertEquals(EvidenceStatus.PASSED, m.status(), m.details());
        }
        assertFalse(has(o, "api.leak", null), o.findings().toString());
        assertEquals(ResultStatus.SUCCEEDED, o.status(), o.reason() + "\n" + o.findings());
        RlsMatrix comments = EvidenceKind.read(evidence(o, ApiMatrix.CHECK + "public.count_comment_by_post").data(),
                RlsMatrix.class).orElseThrow();
        assertTrue(comments.cases().stream().anyMatch(c -> c.actor().equals("stranger") && c.ok()
                && c.actual().equals("allow")), comments.toString());
    }

    @Test
    void aConfirmedAccessTableTheSamePoliciesDoNotKeepIsCaught() throws IOException {
        // the table says only a comment's owner reads it; security's policies (every signed-in user) leak
        StepOutcome o = modelJob(accessFile("\"owner\""));
        assertTrue(has(o, "api.leak", "public.search_comment"), o.findings().toString());
        assertFalse(has(o, "api.leak", "public.search_post"), o.findings().toString());
    }

    @Test
    void anAccessTableWithoutItsAccessObjectFailsTheStepAsInvalidInput() throws IOException {
        StepOutcome o = modelJob("{\"tables\": []}");
        assertEquals(ResultStatus.FAILED, o.status());
        assertEquals(dev.backendteam.contract.FailureKind.INVALID_INPUT, o.failureKind());
        assertTrue(o.reason().contains("\"access\""), o.reason());
    }

    // ---- DbArchitectIT's legacy project: a searched text column that is null in every seeded row ----

    private static final String LEGACY = """
            create table public.post (id uuid primary key default gen_random_uuid(), title text not null);
            create table public.comment (id uuid primary key default gen_random_uuid(),
                post_id uuid not null references public.post (id) on delete cascade, body text);
            grant select, insert, update, delete on public.post, public.comment to anon, authenticated, service_role;
            alter table public.post enable row level security;
            alter table public.comment enable row level security;
            create policy post_read on public.post for select to authenticated using (true);
            create policy comment_read on public.comment for select to authenticated
                using (exists (select 1 from public.post p where p.id = post_id));
            """;

    @Test
    void aSearchOverNullTextListsEveryRowForAnEmptyQuery() {
        StepOutcome o = engine.work(task(TaskKind.WORK, new JobInputs(null, LEGACY, null, null, null, null, null,
                null, "legacy"), List.of()));
        String up = artifact(o, ApiDesign.MIGRATION).content();
        assertTrue(up.contains("coalesce(p_query, '') = ''"), up);
        Evidence m = evidence(o, ApiMatrix.CHECK + "public.search_comment");
        assertEquals(EvidenceStatus.PASSED, m.status(), m.details());
        assertFalse(has(o, "api.intent-mismatch", "public.search_comment"), o.findings().toString());
        // the fix proven: the same function without it pages nothing of the comments whose body is null
        Artifact a = artifact(o, ApiDesign.MIGRATION);
        Artifact broken = new Artifact(a.kind(), a.name(), up.replace("coalesce(p_query, '') = '' or ", ""),
                a.down(), a.producedBy());
        StepOutcome v = engine.validate(task(TaskKind.VALIDATE, new JobInputs(null, LEGACY, null, null, null, null,
                null, null, "legacy"), List.of(broken)));
        assertTrue(has(v, "api.intent-mismatch", "public.search_comment"), v.findings() + "\n" + v.reason());
    }
}
