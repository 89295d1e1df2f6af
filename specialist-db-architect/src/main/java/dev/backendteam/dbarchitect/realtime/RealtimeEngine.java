package dev.backendteam.dbarchitect.realtime;

import com.fasterxml.jackson.databind.JsonNode;
import dev.backendteam.contract.Artifact;
import dev.backendteam.contract.ArtifactKind;
import dev.backendteam.contract.Evidence;
import dev.backendteam.contract.FailureKind;
import dev.backendteam.contract.Finding;
import dev.backendteam.contract.JobInputs;
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
import dev.backendteam.dbarchitect.engine.spec.DomainSpecSchema;
import dev.backendteam.dbarchitect.engine.spec.SpecProblem;
import dev.backendteam.dbarchitect.engine.typescript.TypeScriptCompile;
import dev.backendteam.sandbox.GrantModel;
import dev.backendteam.sandbox.Sandbox;
import dev.backendteam.sandbox.SandboxDatabase;
import dev.backendteam.sandbox.SandboxException;
import dev.backendteam.sandbox.ScriptResult;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * db-architect's websocket role (BRIEF §2, "realtime → websocket"): the tables clients follow through Postgres Changes
 * added to {@code supabase_realtime}, the private channels' authorization as policies on {@code realtime.messages},
 * and the client code, TypeScript compiled against the pinned realtime-js types. What to set up comes from the spec's
 * {@code realtime} section or, where they are unambiguous, the task's words, read against the job's schema in the
 * sandbox ({@link RealtimePlanner}). Everything is proven in the sandbox at the level of the database — the
 * publication, the policies as the matrix's actors ({@link RealtimeProof}); no Realtime server runs there, and the
 * evidence says so. {@link #validate} replays the whole bundle in a fresh sandbox and runs the proofs again.
 */
public final class RealtimeEngine implements SpecialistEngine {
    public static final String SPEC_CHECK = "domain spec: JSON Schema (" + DomainSpecSchema.PUBLISHED_PATH
            + "), the realtime section included";
    public static final String LINT_CHECK = "migration lint: the realtime migration and its down script";
    public static final String COMPILE_CHECK = "tsc: the realtime client code against the pinned @supabase/supabase-js"
            + " (realtime-js) types";
    public static final String BASE_CHECK = "apply: the job's schema (the project's migrations, the SQL given, the"
            + " bundle so far) in a fresh sandbox";
    static final String SECTION_RULE = "spec.realtime";

    private final Optional<Sandbox> sandbox;
    private final TypeScriptCompile typeScript;
    private final DomainSpecSchema schema;
    private final MigrationLinter linter;

    public RealtimeEngine(Optional<Sandbox> sandbox, TypeScriptCompile typeScript) {
        this.sandbox = sandbox;
        this.typeScript = typeScript;
        this.schema = DomainSpecSchema.load();
        this.linter = MigrationLinter.standard();
    }

    @Override
    public Role role() {
        return Role.WEBSOCKET;
    }

    /** Where the realtime step starts from: inputs read, the schema applied, the plan derived; or why not. */
    private record Start(JobInputs inputs, SandboxDatabase db, SchemaGraph graph, Set<String> published,
            RealtimePlan plan, StepOutcome stop) {
    }

    @Override
    public StepOutcome work(TaskEvent task) {
        List<Finding> findings = new ArrayList<>();
        List<Evidence> evidence = new ArrayList<>();
        try {
            return work(task, findings, evidence);
        } catch (RuntimeException e) {
            return unexpected(e, findings, evidence);
        }
    }

    @Override
    public StepOutcome validate(TaskEvent task) {
        List<Finding> findings = new ArrayList<>();
        List<Evidence> evidence = new ArrayList<>();
        try {
            return validate(task, findings, evidence);
        } catch (RuntimeException e) {
            return unexpected(e, findings, evidence);
        }
    }

    private StepOutcome work(TaskEvent task, List<Finding> findings, List<Evidence> evidence) {
        List<Migration> earlier = Migration.in(task.artifacts());
        Start start = start(task, earlier, findings, evidence);
        if (start.stop() != null) {
            return start.stop();
        }
        try (SandboxDatabase db = start.db()) {
            RealtimePlan plan = start.plan();
            String name = uniqueName(plan.migration(), earlier);
            Migration migration = RealtimeMigration.write(plan, name);
            findings.addAll(planNotes(plan, name));
            List<Migration> all = new ArrayList<>(earlier);
            all.add(migration);
            long started = System.nanoTime();
            List<Finding> lint = linter.lint(base(start.inputs()), all).about(Set.of(name));
            findings.addAll(lint);
            List<Finding> lintErrors = LintReport.errors(lint);
            evidence.add(new Evidence(LINT_CHECK, lintErrors.isEmpty(), "1 migration: " + LintReport.tally(lint),
                    millisSince(started)));
            Map<String, String> client = RealtimeClient.write(plan, start.graph(), name);
            List<Artifact> artifacts = new ArrayList<>(List.of(migration.artifact()));
            client.forEach((path, ts) -> artifacts.add(Artifact.file(path, ts, Specialist.DB_ARCHITECT)));
            if (!lintErrors.isEmpty()) {
                return new StepOutcome(ResultStatus.FAILED, "the realtime migration fails the migration lint: "
                        + lintErrors.get(0).message(), FailureKind.PROOF_FAILED, null, artifacts, findings, on(db,
                        evidence), null);
            }
            RealtimeProof.prove(db, plan, start.graph(), start.published(), migration, List.of(), evidence, findings);
            evidence.add(typeScript.check(COMPILE_CHECK, client));
            return finish(db, artifacts, findings, evidence, "the realtime setup fails its proof");
        } catch (SandboxException e) {
            return transientFailure(e, findings, evidence);
        }
    }

    private StepOutcome validate(TaskEvent task, List<Finding> findings, List<Evidence> evidence) {
        List<Migration> bundle = Migration.in(task.artifacts());
        int mine = -1;
        for (int i = 0; i < bundle.size(); i++) {
            if (bundle.get(i).up().startsWith(RealtimeMigration.HEADER)) {
                mine = i;
            }
        }
        if (mine < 0) {
            return StepOutcome.succeeded(List.of(), List.of(Finding.info("validation.nothing-to-replay", null,
                    "the bundle holds no realtime migration: nothing for the websocket role to replay")), List.of(),
                    null);
        }
        Start start = start(task, bundle.subList(0, mine), findings, evidence);
        if (start.stop() != null) {
            return start.stop();
        }
        try (SandboxDatabase db = start.db()) {
            RealtimeProof.prove(db, start.plan(), start.graph(), start.published(), bundle.get(mine),
                    bundle.subList(mine + 1, bundle.size()), evidence, findings);
            Map<String, String> client = new LinkedHashMap<>();
            task.artifacts().stream().filter(a -> a.kind() == ArtifactKind.FILE && a.name() != null
                    && a.name().startsWith(RealtimeClient.DIR) && a.name().endsWith(".ts"))
                    .forEach(a -> client.put(a.name(), a.content() == null ? "" : a.content()));
            evidence.add(client.isEmpty() ? Evidence.notRun(COMPILE_CHECK, "the bundle holds no realtime client code")
                    : typeScript.check(COMPILE_CHECK, client));
            return finish(db, List.of(), findings, evidence, "the bundle fails the realtime proofs");
        } catch (SandboxException e) {
            return transientFailure(e, findings, evidence);
        }
    }

    // ---- the start: inputs, schema, plan ----

    private Start start(TaskEvent task, List<Migration> earlier, List<Finding> findings, List<Evidence> evidence) {
        JobInputs inputs;
        try {
            inputs = readable(task.inputs());
        } catch (DomainSpecReader.InvalidSpecText e) {
            return stop(StepOutcome.failed(FailureKind.INVALID_INPUT, "the domain spec is " + e.getMessage(),
                    List.of(new Finding(DomainSpecSchema.RULE, Severity.ERROR, "/", "the spec text is "
                            + e.getMessage(), "Send the spec as JSON, or as YAML text.", null))));
        }
        if (inputs.hasSpec()) {
            long started = System.nanoTime();
            List<SpecProblem> problems = schema.validate(inputs.spec());
            if (!problems.isEmpty()) {
                problems.forEach(p -> findings.add(p.finding()));
                return stop(StepOutcome.failed(FailureKind.INVALID_INPUT, "the domain spec is invalid: "
                        + problems.stream().limit(3).map(SpecProblem::text).collect(Collectors.joining("; ")),
                        findings));
            }
            evidence.add(new Evidence(SPEC_CHECK, true, "0 errors", millisSince(started)));
        }
        LintReport base = linter.lint(base(inputs), earlier);
        if (base.rejected()) {
            return stop(StepOutcome.failed(FailureKind.INVALID_INPUT, "the SQL cannot be used: "
                    + base.errors().get(0).message(), base.findings()));
        }
        if (sandbox.isEmpty()) {
            // as the schema role does without a sandbox: nothing is claimed, every check says it did not run
            String reason = "no sandbox is configured (BACKEND_TEAM_SANDBOX_ADMIN_URL): the websocket role reads the"
                    + " job's schema from the sandbox and proves its setup there";
            for (String check : List.of(BASE_CHECK, RealtimeProof.PUBLICATION, RealtimeProof.MATRIX)) {
                evidence.add(Evidence.notRun(check, reason));
            }
            findings.add(Finding.info("realtime.not-checked", null, reason + "; nothing was built"));
            return stop(StepOutcome.succeeded(List.of(), findings, evidence, null));
        }
        Sandbox s = sandbox.get();
        GrantModel model = inputs.grants() == null ? s.settings().grants() : GrantModel.of(inputs.grants());
        SandboxDatabase db;
        try {
            db = s.create(label(task), s.settings().stepBudget(), model);
        } catch (SandboxException e) {
            return stop(transientFailure(e, findings, evidence));
        }
        boolean handedOn = false;
        try {
            long started = System.nanoTime();
            List<ExistingSchema.Script> scripts = new ArrayList<>(base(inputs));
            earlier.forEach(m -> scripts.add(new ExistingSchema.Script(m.name(), m.up())));
            int statements = 0;
            for (ExistingSchema.Script script : scripts) {
                ScriptResult r = db.apply(script.sql());
                statements += r.statements().size();
                if (!r.ok()) {
                    evidence.add(new Evidence(BASE_CHECK, false, script.source() + ": " + r.error().describe(),
                            millisSince(started)));
                    findings.add(new Finding(RealtimeProof.APPLY_FAILED, Severity.ERROR, script.source(),
                            r.error().describe(), r.error().error().hint(), r.error().line()));
                    return stop(new StepOutcome(ResultStatus.FAILED, "the job's schema does not apply: "
                            + script.source() + ": " + r.error().describe(), FailureKind.INVALID_INPUT, null,
                            List.of(), findings, on(db, evidence), null));
                }
            }
            evidence.add(new Evidence(BASE_CHECK, true, scripts.size() + " script(s), " + statements
                    + " statement(s) applied", millisSince(started)));
            SchemaGraph graph = SchemaGraph.read(db);
            Set<String> published = RealtimeProof.published(db);
            JsonNode section = inputs.hasSpec() ? inputs.spec().path("realtime") : null;
            RealtimePlanner.Result r = RealtimePlanner.plan(section, task.task(), graph, published);
            if (r.question() != null) {
                return stop(StepOutcome.needsInput(r.question(), findings));
            }
            if (!r.problems().isEmpty()) {
                r.problems().forEach(p -> findings.add(new Finding(SECTION_RULE, Severity.ERROR, p.path(),
                        p.message(), "Correct the realtime section: it names the job's tables (public) and their"
                        + " columns.", null)));
                return stop(new StepOutcome(ResultStatus.FAILED, "the spec's realtime section is invalid: "
                        + r.problems().stream().limit(3).map(p -> p.path() + ": " + p.message())
                        .collect(Collectors.joining("; ")), FailureKind.INVALID_INPUT, null, List.of(), findings,
                        on(db, evidence), null));
            }
            handedOn = true;
            return new Start(inputs, db, graph, published, r.plan(), null);
        } finally {
            if (!handedOn) {
                db.close();
            }
        }
    }

    private static Start stop(StepOutcome outcome) {
        return new Start(null, null, null, null, null, outcome);
    }

    // ---- results ----

    private static StepOutcome finish(SandboxDatabase db, List<Artifact> artifacts, List<Finding> findings,
            List<Evidence> evidence, String failed) {
        List<Evidence> done = on(db, evidence);
        List<Evidence> failures = done.stream().filter(Evidence::failed).toList();
        if (!failures.isEmpty()) {
            return new StepOutcome(ResultStatus.FAILED, failed + ": " + failures.stream().map(e -> e.check() + " ("
                    + e.details() + ")").collect(Collectors.joining("; ")), FailureKind.PROOF_FAILED, null, artifacts,
                    findings, done, null);
        }
        return StepOutcome.succeeded(artifacts, findings, done, null);
    }

    private static StepOutcome transientFailure(SandboxException e, List<Finding> findings, List<Evidence> evidence) {
        return new StepOutcome(ResultStatus.FAILED, "the sandbox could not run the realtime proofs: " + e.getMessage(),
                FailureKind.TRANSIENT, null, List.of(), findings, evidence, null);
    }

    /**
     * A schema the role's code did not foresee (a fixture it cannot build, a catalog shape it does not read): a failed
     * step that says what went wrong, with the evidence gathered so far, rather than an exception out of the engine.
     */
    private static StepOutcome unexpected(RuntimeException e, List<Finding> findings, List<Evidence> evidence) {
        String reason = "the websocket role could not finish its proofs on this schema: " + e;
        findings.add(new Finding("realtime.unexpected", Severity.ERROR, null, reason, "Report the schema to the"
                + " backend team: the role should have said what it cannot handle.", null));
        return new StepOutcome(ResultStatus.FAILED, reason, FailureKind.PROOF_FAILED, null, List.of(), findings,
                evidence, null);
    }

    /** Evidence that ran in {@code db} says the grant model and the server version it ran on. */
    private static List<Evidence> on(SandboxDatabase db, List<Evidence> evidence) {
        int v = db.serverVersionNum();
        Evidence.SandboxRun where = new Evidence.SandboxRun(db.grants().wire(), v / 10000 + "." + v % 10000);
        return evidence.stream().map(e -> e.ran() && !e.check().equals(COMPILE_CHECK) ? e.on(where) : e).toList();
    }

    private static List<Finding> planNotes(RealtimePlan plan, String name) {
        List<Finding> notes = new ArrayList<>();
        notes.add(Finding.info("realtime.plan", name, "supabase_realtime gains " + (plan.tables().isEmpty() ? "no table"
                : String.join(", ", plan.tables().stream().map(RealtimePlan.Published::qualified).toList()))
                + "; channels: " + (plan.channels().isEmpty() ? "none" : String.join("; ", plan.channels().stream()
                .map(c -> c.topicPattern() + " (" + String.join("+", c.extensions()) + ", join " + c.join().wire()
                        + ", send " + c.send().wire() + ")").toList()))));
        plan.assumptions().forEach(a -> notes.add(Finding.info("realtime.assumption", name, a)));
        for (RealtimePlan.Published t : plan.tables()) {
            notes.add(Finding.info("realtime.replica-identity", t.qualified(), (t.replicaIdentityFull()
                    ? "replica identity full: " : "replica identity left as it is: ") + t.reason()));
            notes.add(Finding.info("realtime.table-rls", t.qualified(), "Postgres Changes delivers a row to a"
                    + " subscriber only if " + t.qualified() + "'s grants and RLS let that user select it: the security"
                    + " specialist's policies decide who sees which change"));
        }
        for (RealtimePlan.Channel c : plan.channels()) {
            if (c.join() == RealtimePlan.Access.MEMBER || c.send() == RealtimePlan.Access.MEMBER
                    || c.join() == RealtimePlan.Access.OWNER || c.send() == RealtimePlan.Access.OWNER) {
                Set<String> read = new LinkedHashSet<>();
                read.add("public." + c.scope().table());
                c.scope().hops().forEach(h -> read.add("public." + h.to()));
                if (c.scope().tenancy()) {
                    read.add("public." + c.scope().membership());
                }
                notes.add(Finding.info("realtime.policy-reads", c.receivePolicy(), "the channel policies read "
                        + String.join(", ", read) + " as the signed-in user: authenticated needs select on them, and"
                        + " their RLS must let a member see their own membership and tenant rows (the matrix fails"
                        + " otherwise)"));
            }
        }
        return notes;
    }

    // ---- helpers ----

    private static String uniqueName(String wanted, List<Migration> earlier) {
        Set<String> taken = new LinkedHashSet<>();
        earlier.forEach(m -> taken.add(m.name()));
        String name = wanted;
        for (int n = 2; taken.contains(name); n++) {
            name = wanted + "_" + n;
        }
        return name;
    }

    private static List<ExistingSchema.Script> base(JobInputs inputs) {
        List<ExistingSchema.Script> scripts = new ArrayList<>();
        inputs.baseMigrations().forEach(f -> scripts.add(new ExistingSchema.Script(f.path(), f.content())));
        if (inputs.hasSql()) {
            scripts.add(new ExistingSchema.Script("sql", inputs.sql()));
        }
        return scripts;
    }

    private static JobInputs readable(JobInputs inputs) {
        if (inputs.spec() != null && inputs.spec().isTextual() && !inputs.spec().asText().isBlank()) {
            return inputs.withSpec(DomainSpecReader.read(inputs.spec().asText()));
        }
        return inputs;
    }

    private static String label(TaskEvent task) {
        return "job " + task.jobId() + " / db-architect websocket / step " + task.step() + " " + task.kind().wire();
    }

    private static long millisSince(long nanos) {
        return (System.nanoTime() - nanos) / 1_000_000;
    }
}
