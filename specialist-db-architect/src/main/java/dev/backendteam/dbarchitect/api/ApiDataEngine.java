package dev.backendteam.dbarchitect.api;

import com.fasterxml.jackson.databind.JsonNode;
import dev.backendteam.contract.Artifact;
import dev.backendteam.contract.ArtifactKind;
import dev.backendteam.contract.Evidence;
import dev.backendteam.contract.FailureKind;
import dev.backendteam.contract.Finding;
import dev.backendteam.contract.JobInputs;
import dev.backendteam.contract.Json;
import dev.backendteam.contract.ResultStatus;
import dev.backendteam.contract.Role;
import dev.backendteam.contract.Severity;
import dev.backendteam.contract.Specialist;
import dev.backendteam.contract.SpecialistEngine;
import dev.backendteam.contract.StepOutcome;
import dev.backendteam.contract.TaskEvent;
import dev.backendteam.dbarchitect.engine.Migration;
import dev.backendteam.dbarchitect.engine.design.ExistingSchema;
import dev.backendteam.dbarchitect.engine.lint.LintReport;
import dev.backendteam.dbarchitect.engine.lint.MigrationLinter;
import dev.backendteam.dbarchitect.engine.spec.DomainSpecReader;
import dev.backendteam.dbarchitect.engine.typescript.TypeScriptCompile;
import dev.backendteam.sandbox.Sandbox;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * db-architect's api-data role (issue 12): the Data API the schema implies. From the sandbox's catalog after the
 * bundle so far (db-architect's tables, security's grants and policies, query-optimizer's indexes) and the access
 * intent, it derives the exposed tables, payload-shaping views and the functions a table endpoint does badly
 * ({@link ApiDesign}), delivers them as one migration with its down script, an OpenAPI 3.1 document validated by
 * swagger-parser, {@code database.types.ts} with Views and Functions and a typed client compiled by tsc, and proves
 * in the sandbox that every view and function returns to each actor only what the intent allows ({@link ApiProof}).
 * {@link #validate} replays the whole bundle in a fresh sandbox and re-runs every proof.
 */
public final class ApiDataEngine implements SpecialistEngine {
    public static final String ACCESS_ARTIFACT = "supabase/security/access.json";
    public static final String LINT_CHECK = "migration lint: the API migration";
    private final Optional<Sandbox> sandbox;
    private final TypeScriptCompile typescript;
    private final MigrationLinter linter = MigrationLinter.standard();

    public ApiDataEngine(Optional<Sandbox> sandbox, TypeScriptCompile typescript) {
        this.sandbox = sandbox;
        this.typescript = typescript;
    }

    @Override
    public Role role() {
        return Role.API_DATA;
    }

    @Override
    public StepOutcome work(TaskEvent task) {
        JobInputs inputs;
        try {
            inputs = readable(task.inputs());
        } catch (DomainSpecReader.InvalidSpecText e) {
            return StepOutcome.failed(FailureKind.INVALID_INPUT, "the domain spec is " + e.getMessage(), List.of());
        }
        if (sandbox.isEmpty()) {
            return notRun("no sandbox is configured (BACKEND_TEAM_SANDBOX_ADMIN_URL)");
        }
        List<Migration> bundle = Migration.in(task.artifacts());
        List<ExistingSchema.Script> before = base(inputs);
        bundle.forEach(m -> before.add(new ExistingSchema.Script(m.name(), m.up())));
        ApiOptions options = ApiOptions.read(declared(inputs));
        JsonNode drafted;
        try {
            drafted = drafted(task);
        } catch (UnreadableIntent e) {
            return StepOutcome.failed(FailureKind.INVALID_INPUT, e.getMessage(), List.of());
        }
        ApiProof.Run run = new ApiProof(sandbox.get()).run(new ApiProof.Plan(label(task), inputs.grants(), before,
                null, List.of(), declared(inputs), drafted, options),
                d -> new Migration(ApiDesign.MIGRATION, d.up(), d.down()));
        List<Finding> findings = new ArrayList<>();
        List<Evidence> evidence = new ArrayList<>(run.evidence());
        if (run.unavailable() != null) {
            return new StepOutcome(ResultStatus.FAILED, run.unavailable(), FailureKind.TRANSIENT, null, List.of(),
                    run.findings(), evidence, null);
        }
        if (run.inputFailed()) {
            return new StepOutcome(ResultStatus.FAILED, inputFailure(evidence), FailureKind.INVALID_INPUT, null,
                    List.of(), run.findings(), evidence, null);
        }
        ApiDesign design = run.design();
        findings.addAll(notes(run, options));
        findings.addAll(run.findings());
        if (design.empty()) {
            findings.add(Finding.info("api.nothing-exposed", null, "no table is readable by anon or authenticated"
                    + " under the access intent and its grants: the Data API serves nothing, so no view or function"
                    + " was derived"));
            return outcome(findings, evidence, List.of());
        }
        Migration api = run.migration();
        List<Migration> all = new ArrayList<>(bundle);
        all.add(api);
        List<Finding> lint = linter.lint(base(inputs), all).about(Set.of(api.name()));
        findings.addAll(lint);
        evidence.add(new Evidence(LINT_CHECK, LintReport.errors(lint).isEmpty(), LintReport.tally(lint), 0));

        String openapi = OpenApiDocument.render(run.catalog(), design);
        evidence.add(OpenApiDocument.validate(openapi));
        String schemaTypes = task.artifacts().stream().filter(a -> a.kind() == ArtifactKind.TYPES
                && ApiTypes.TYPES.equals(a.name())).reduce((a, b) -> b).map(Artifact::content).orElse(null);
        String types = ApiTypes.types(schemaTypes, run.catalog(), design);
        String client = ApiTypes.client(design);
        evidence.add(typescript.check(ApiTypes.COMPILE, Map.of(ApiTypes.TYPES_PATH, types, ApiTypes.CLIENT, client)));
        List<Artifact> artifacts = List.of(api.artifact(),
                Artifact.file(OpenApiDocument.FILE, openapi, Specialist.DB_ARCHITECT),
                new Artifact(ArtifactKind.TYPES, ApiTypes.TYPES, types, null, Specialist.DB_ARCHITECT.id()),
                Artifact.file(ApiTypes.CLIENT, client, Specialist.DB_ARCHITECT));
        return outcome(findings, evidence, artifacts);
    }

    @Override
    public StepOutcome validate(TaskEvent task) {
        List<Artifact> migrations = task.artifacts().stream().filter(a -> a.kind() == ArtifactKind.MIGRATION)
                .toList();
        int at = -1;
        for (int i = 0; i < migrations.size(); i++) {
            if (ApiDesign.MIGRATION.equals(migrations.get(i).name())
                    && Specialist.DB_ARCHITECT.id().equals(migrations.get(i).producedBy())) {
                at = i;
            }
        }
        if (at < 0) {
            return StepOutcome.succeeded(List.of(), List.of(Finding.info("validation.nothing-to-replay", null,
                    "the bundle holds no " + ApiDesign.MIGRATION + " migration: nothing for api-data to replay")),
                    List.of(), null);
        }
        if (sandbox.isEmpty()) {
            return notRun("no sandbox is configured (BACKEND_TEAM_SANDBOX_ADMIN_URL)");
        }
        JobInputs inputs;
        try {
            inputs = readable(task.inputs());
        } catch (DomainSpecReader.InvalidSpecText e) {
            return StepOutcome.failed(FailureKind.INVALID_INPUT, "the domain spec is " + e.getMessage(), List.of());
        }
        JsonNode drafted;
        try {
            drafted = drafted(task);
        } catch (UnreadableIntent e) {
            return StepOutcome.failed(FailureKind.INVALID_INPUT, e.getMessage(), List.of());
        }
        List<ExistingSchema.Script> before = base(inputs);
        migrations.subList(0, at).forEach(a -> before.add(new ExistingSchema.Script(a.name(), a.content())));
        Migration api = Migration.of(migrations.get(at));
        List<Migration> after = migrations.subList(at + 1, migrations.size()).stream().map(Migration::of).toList();
        ApiProof.Run run = new ApiProof(sandbox.get()).run(new ApiProof.Plan(label(task), inputs.grants(), before,
                api, after, declared(inputs), drafted, ApiOptions.read(declared(inputs))), d -> api);
        List<Evidence> evidence = new ArrayList<>(run.evidence());
        List<Finding> findings = new ArrayList<>(run.findings());
        if (run.unavailable() != null) {
            return new StepOutcome(ResultStatus.FAILED, run.unavailable(), FailureKind.TRANSIENT, null, List.of(),
                    findings, evidence, null);
        }
        if (run.inputFailed()) {
            return new StepOutcome(ResultStatus.FAILED, inputFailure(evidence), FailureKind.INVALID_INPUT, null,
                    List.of(), findings, evidence, null);
        }
        Optional<Artifact> openapi = last(task, ArtifactKind.FILE, OpenApiDocument.FILE);
        evidence.add(openapi.map(a -> OpenApiDocument.validate(a.content()))
                .orElseGet(() -> Evidence.notRun(OpenApiDocument.CHECK, "the bundle holds no " + OpenApiDocument.FILE)));
        Optional<Artifact> types = last(task, ArtifactKind.TYPES, ApiTypes.TYPES);
        Optional<Artifact> client = last(task, ArtifactKind.FILE, ApiTypes.CLIENT);
        if (types.isPresent() && client.isPresent()) {
            Map<String, String> files = new LinkedHashMap<>();
            files.put(ApiTypes.TYPES_PATH, types.get().content());
            files.put(ApiTypes.CLIENT, client.get().content());
            evidence.add(typescript.check(ApiTypes.COMPILE, files));
        } else {
            evidence.add(Evidence.notRun(ApiTypes.COMPILE, "the bundle holds no " + (types.isEmpty() ? ApiTypes.TYPES
                    : ApiTypes.CLIENT)));
        }
        return outcome(findings, evidence, List.of());
    }

    private static String inputFailure(List<Evidence> evidence) {
        Evidence first = evidence.get(0);
        return (first.check().equals(ApiProof.APPLY_SCHEMA) ? "the schema does not apply: " : first.check() + ": ")
                + first.details();
    }

    private static Optional<Artifact> last(TaskEvent task, ArtifactKind kind, String name) {
        return task.artifacts().stream().filter(a -> a.kind() == kind && name.equals(a.name())).reduce((a, b) -> b);
    }

    private static StepOutcome outcome(List<Finding> findings, List<Evidence> evidence, List<Artifact> artifacts) {
        List<Evidence> failed = evidence.stream().filter(Evidence::failed).toList();
        List<Finding> errors = findings.stream().filter(f -> f.severity() == Severity.ERROR).toList();
        if (!failed.isEmpty() || !errors.isEmpty()) {
            String reason = "the Data API fails its proof: " + (failed.isEmpty() ? "" : failed.stream()
                    .map(Evidence::check).collect(Collectors.joining("; "))) + (errors.isEmpty() ? ""
                    : (failed.isEmpty() ? "" : " — ") + errors.get(0).ruleId() + " " + errors.get(0).object() + ": "
                    + errors.get(0).message());
            return new StepOutcome(ResultStatus.FAILED, reason, FailureKind.PROOF_FAILED, null, artifacts, findings,
                    evidence, null);
        }
        return StepOutcome.succeeded(artifacts, findings, evidence, null);
    }

    private static StepOutcome notRun(String why) {
        return StepOutcome.succeeded(List.of(), List.of(new Finding("api.not-run", Severity.WARN, null, "the Data API"
                + " was not derived or proven: " + why, "Configure the sandbox so that the api-data role can read the"
                + " catalog and run its proofs.", null)), List.of(Evidence.notRun(ApiProof.APPLY_SCHEMA, why)), null);
    }

    private static List<Finding> notes(ApiProof.Run run, ApiOptions options) {
        List<Finding> notes = new ArrayList<>();
        ApiDesign d = run.design();
        notes.add(Finding.info("api.exposed", null, d.tables().size() + " table(s) served by the Data API: "
                + String.join(", ", d.tables().stream().map(t -> t.table() + " (" + String.join("/", t.readers())
                + ")").toList()) + "; the others are not readable by anon or authenticated under the intent"));
        if (!d.views().isEmpty()) {
            notes.add(Finding.info("api.views", null, "views (security_invoker, explicit columns): " + String.join("; ",
                    d.views().stream().map(v -> "public." + v.name() + " — " + v.why()).toList())));
        }
        if (!d.rpcs().isEmpty()) {
            notes.add(Finding.info("api.functions", null, "functions (security invoker, search_path ''): "
                    + String.join("; ", d.rpcs().stream().map(ApiDesign::describe).toList())
                    + ". None is security definer: none needs rights beyond the caller's"));
        }
        d.notes().forEach(n -> notes.add(new Finding("api.grant-missing", Severity.WARN, null, n, "Grant select to"
                + " the role (the security specialist's grants), or change the access intent.", null)));
        run.intent().assumptions().forEach(a -> notes.add(Finding.info("api.intent-inferred", null, a)));
        Set<String> derived = new java.util.HashSet<>();
        d.views().forEach(v -> derived.add(v.name()));
        d.rpcs().forEach(r -> derived.add(r.name()));
        for (String name : options.names().values()) {
            if (!derived.contains(name)) {
                notes.add(new Finding("api.unknown-name", Severity.WARN, "/api/names", "api.names gives `" + name
                        + "`, but no derived view or function ended up with that name", "Use a name the derivation"
                        + " gives (see the api.views and api.functions findings).", null));
            }
        }
        return notes;
    }

    /** The spec whose access is the user's intent: none when a model drafted it. */
    private static JsonNode declared(JobInputs inputs) {
        return inputs.drafted(JobInputs.SPEC) || !inputs.hasSpec() ? null : inputs.spec();
    }

    /**
     * The access table the security step delivered when a model drafted it and the user confirmed it, as security
     * writes it ({@code {"source": .., "access": {table: {operation: [grantee, ..]}}, "ownerColumns": {table:
     * column}}}); {@link ApiIntent#resolve} applies it as security does. One that does not read so is refused
     * ({@link UnreadableIntent}), never read as "no intent" (the proofs would judge by another).
     */
    private static JsonNode drafted(TaskEvent task) {
        Optional<Artifact> found = task.artifacts().stream().filter(a -> a.kind() == ArtifactKind.FILE
                && ACCESS_ARTIFACT.equals(a.name())).reduce((a, b) -> b);
        if (found.isEmpty()) {
            return null;
        }
        try {
            JsonNode file = Json.events().readTree(found.get().content() == null ? "" : found.get().content());
            if (file == null || !file.isObject()) {
                throw new UnreadableIntent("it is not a JSON object");
            }
            if (!file.path("access").isObject()) {
                throw new UnreadableIntent("it has no \"access\" object (table: {operation: [grantee, ..]})");
            }
            return file;
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new UnreadableIntent(e.getOriginalMessage());
        }
    }

    /** The bundle's {@value #ACCESS_ARTIFACT} does not read as an access intent. */
    static final class UnreadableIntent extends RuntimeException {
        UnreadableIntent(String why) {
            super(ACCESS_ARTIFACT + " does not read as an access intent: " + why);
        }
    }

    private static JobInputs readable(JobInputs inputs) {
        if (inputs.spec() != null && inputs.spec().isTextual() && !inputs.spec().asText().isBlank()) {
            return inputs.withSpec(DomainSpecReader.read(inputs.spec().asText()));
        }
        return inputs;
    }

    private static List<ExistingSchema.Script> base(JobInputs inputs) {
        List<ExistingSchema.Script> scripts = new ArrayList<>();
        inputs.baseMigrations().forEach(f -> scripts.add(new ExistingSchema.Script(f.path(), f.content())));
        if (inputs.hasSql()) {
            scripts.add(new ExistingSchema.Script("sql", inputs.sql()));
        }
        return scripts;
    }

    private static String label(TaskEvent task) {
        return "job " + task.jobId() + " / db-architect(api-data) / step " + task.step() + " " + task.kind().wire();
    }
}
