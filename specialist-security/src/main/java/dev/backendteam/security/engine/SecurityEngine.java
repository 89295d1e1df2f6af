package dev.backendteam.security.engine;

import dev.backendteam.contract.Artifact;
import dev.backendteam.contract.Diagnosis;
import dev.backendteam.contract.Evidence;
import dev.backendteam.contract.EvidenceStatus;
import dev.backendteam.contract.FailureKind;
import dev.backendteam.contract.Finding;
import dev.backendteam.contract.Handoff;
import dev.backendteam.contract.ResultStatus;
import dev.backendteam.contract.Role;
import dev.backendteam.contract.Severity;
import dev.backendteam.contract.Specialist;
import dev.backendteam.contract.SpecialistEngine;
import dev.backendteam.contract.StepOutcome;
import dev.backendteam.contract.TaskEvent;
import dev.backendteam.contract.access.AccessIntent;
import dev.backendteam.contract.access.TableIntent;
import dev.backendteam.sandbox.GrantModel;
import dev.backendteam.sandbox.Sandbox;
import dev.backendteam.sandbox.SandboxDatabase;
import dev.backendteam.sandbox.SandboxException;
import dev.backendteam.sandbox.ScriptResult;
import dev.backendteam.sandbox.targetdb.TargetDatabase;
import dev.backendteam.sandbox.targetdb.TargetException;
import dev.backendteam.sandbox.targetdb.TargetSchema;
import dev.backendteam.security.engine.ai.DraftedIntent;
import dev.backendteam.security.engine.ai.MatrixTrial;
import dev.backendteam.security.engine.ai.VerdictTable;
import dev.backendteam.security.engine.catalog.CatalogReader;
import dev.backendteam.security.engine.catalog.SchemaCatalog;
import dev.backendteam.security.engine.intent.IntentResolver;
import dev.backendteam.security.engine.matrix.RlsMatrixRunner;
import dev.backendteam.security.engine.pgtap.PgTapWriter;
import dev.backendteam.security.engine.policy.PolicyWriter;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import java.util.Optional;
import java.util.Set;

/**
 * The security specialist (README): resolves the access intent of the job's tables (declared by the spec or inferred
 * from a schema under review), writes grants and policies as one migration with its down script, applies it in a
 * sandbox under the job's grant model and proves it: lints judged against the intent, policy recursion, the RLS
 * matrix with its sensitivity, the pgTAP file it delivers, and the down script restoring what was there. The
 * validation round replays the whole bundle in a fresh sandbox and runs the same checks.
 */
public final class SecurityEngine implements SpecialistEngine {
    public static final String MIGRATION_NEW = "grants_and_policies";
    public static final String MIGRATION_FIX = "fix_security";
    static final String APPLY_RULE = "security.apply-failed";
    static final String HANDOVER_RULE = TaskEvent.POLICY_COLUMNS;
    static final String ASSUMPTION_RULE = "security.assumption";
    static final String LINT_FAILED = "security.lint-failed";

    private final Optional<Sandbox> sandbox;
    private final SecurityLints lints;
    private final Function<String, TargetDatabase> targets;
    private final DiagnosedAccess diagnosed;
    private final DraftedIntent drafts;

    /** {@code targets}: opens a job's target by name, read-only ({@link TargetDatabase#open}). */
    public SecurityEngine(Optional<Sandbox> sandbox, SecurityLints lints, Function<String, TargetDatabase> targets) {
        this(sandbox, lints, targets, DraftedIntent.none());
    }

    /** {@code drafts}: the model that drafts the intent nobody declared, if one is configured, and its setting. */
    public SecurityEngine(Optional<Sandbox> sandbox, SecurityLints lints, Function<String, TargetDatabase> targets,
            DraftedIntent drafts) {
        this(sandbox, lints, targets, DiagnosedAccess.INTENT, drafts);
    }

    /** {@code fixes}: how a diagnosed 42501 is fixed (the intent's grants and policies; tests break it). */
    SecurityEngine(Optional<Sandbox> sandbox, SecurityLints lints, Function<String, TargetDatabase> targets,
            DiagnosedAccess.FixWriter fixes) {
        this(sandbox, lints, targets, fixes, DraftedIntent.none());
    }

    private SecurityEngine(Optional<Sandbox> sandbox, SecurityLints lints, Function<String, TargetDatabase> targets,
            DiagnosedAccess.FixWriter fixes, DraftedIntent drafts) {
        this.sandbox = sandbox;
        this.lints = lints;
        this.targets = targets;
        this.diagnosed = new DiagnosedAccess(lints, fixes);
        this.drafts = drafts;
    }

    public SecurityEngine(Optional<Sandbox> sandbox, SecurityLints lints) {
        this(sandbox, lints, name -> {
            throw new TargetException("no target database is configured for this service");
        });
    }

    @Override
    public Role role() {
        return Role.SECURITY;
    }

    @Override
    public StepOutcome work(TaskEvent task) {
        SchemaInputs in = SchemaInputs.of(task, false);
        List<Evidence> read = new ArrayList<>();
        if (in.empty() && task.inputs().target() != null && sandbox.isPresent()) {
            try {
                in = fromTarget(task, in, read);
            } catch (TargetException e) {
                return StepOutcome.failed(FailureKind.INVALID_INPUT, e.getMessage(), List.of(new Finding(
                        "security.target", Severity.ERROR, task.inputs().target(), e.getMessage(), "Configure "
                        + TargetDatabase.variable(task.inputs().target(), "URL") + " (read-only credentials) on the"
                        + " security service.", null)));
            }
        }
        Optional<Diagnosis> diagnosis = task.diagnosis().filter(DiagnosedAccess::concerns);
        Optional<Finding> notAGrant = diagnosis.flatMap(DiagnosedAccess::notATableGrant);
        if (notAGrant.isPresent()) {
            // an ownership or a role's attribute: no grant, policy or schema the job could add changes it
            return StepOutcome.succeeded(List.of(), List.of(notAGrant.get()), List.of(), null);
        }
        if (in.empty() && diagnosis.isPresent()) {
            return StepOutcome.needsInput(DiagnosedAccess.question(diagnosis.get(),
                    DiagnosedAccess.named(diagnosis.get()), false), List.of());
        }
        if (in.empty()) {
            return StepOutcome.needsInput("The security specialist needs a schema: the SQL to review (field `sql`, or"
                    + " the project's migrations as `files`), or a domain spec for db-architect to build first"
                    + " (flow new-feature). Add one of them and answer.", List.of());
        }
        if (sandbox.isEmpty()) {
            return StepOutcome.succeeded(List.of(), List.of(new Finding("security.no-sandbox", Severity.WARN, null,
                    "no sandbox is configured, so no grant or policy was written: they are generated from the"
                            + " catalog of the applied schema and proven there", "Set BACKEND_TEAM_SANDBOX_ADMIN_URL.",
                    null)), List.of(Evidence.notRun(AccessProof.MATRIX, "no sandbox is configured")), null);
        }
        Sandbox box = sandbox.get();
        try (SandboxDatabase db = box.create(label(task), box.settings().stepBudget(), model(task, box))) {
            StepOutcome out = located(diagnosis.isPresent() ? diagnosed.work(task, diagnosis.get(), in, db)
                    : work(task, in, db), db);
            if (read.isEmpty()) {
                return out;
            }
            List<Evidence> evidence = new ArrayList<>(read);
            evidence.addAll(out.evidence());
            return new StepOutcome(out.status(), out.reason(), out.failureKind(), out.question(), out.artifacts(),
                    out.findings(), evidence, out.handoff());
        } catch (SandboxException e) {
            return StepOutcome.failed(FailureKind.TRANSIENT, "the sandbox could not run: " + e.getMessage(),
                    List.of());
        }
    }

    private StepOutcome work(TaskEvent task, SchemaInputs in, SandboxDatabase db) {
        List<Finding> findings = new ArrayList<>();
        List<Evidence> evidence = new ArrayList<>();
        Finding failed = AccessProof.apply(db, in.existing(), APPLY_RULE);
        if (failed != null) {
            return StepOutcome.failed(FailureKind.INVALID_INPUT, "the schema given does not apply: "
                    + failed.message(), List.of(failed));
        }
        SchemaCatalog existing = CatalogReader.read(db);
        failed = AccessProof.apply(db, in.added(), APPLY_RULE);
        if (failed != null) {
            return StepOutcome.failed(FailureKind.PROOF_FAILED, "the earlier steps' migrations do not apply: "
                    + failed.message(), List.of(failed));
        }
        SchemaCatalog before = CatalogReader.read(db);
        boolean review = in.review();
        long started = System.nanoTime();
        IntentResolver.Resolution resolution = IntentResolver.resolve(IntentResolver.declaredSpec(task.inputs()), before);
        AccessIntent intent = resolution.intent();
        Set<String> targets = AccessProof.tablesOf(before, existing, review);
        DraftedIntent.Decision drafted = null;
        if (resolution.problems().isEmpty()) {
            drafted = drafts.work(task, intent, before, targets, trial(task, in, db, targets));
            if (drafted.stop() != null) {
                return drafted.stop();
            }
            intent = drafted.intent();
            findings.addAll(drafted.findings());
        }
        evidence.add(AccessProof.intent(intent, resolution.problems(), millis(started)));
        if (!resolution.problems().isEmpty()) {
            resolution.problems().forEach(p -> findings.add(new Finding("spec.access", Severity.ERROR, p.path(),
                    p.message(), null, null)));
            return outcome(ResultStatus.FAILED, FailureKind.INVALID_INPUT, "the access section does not fit the"
                    + " schema", List.of(), findings, evidence, null);
        }
        if (targets.isEmpty()) {
            findings.add(Finding.info("security.no-table", null, "no table in an exposed schema: nothing to grant"));
            return StepOutcome.succeeded(List.of(), findings, evidence, null);
        }
        for (TableIntent t : intent.tables()) {
            if (targets.contains(t.table())) {
                t.assumptions().forEach(a -> findings.add(Finding.info(ASSUMPTION_RULE, t.table(), a)));
                before.table(t.table()).ifPresent(table -> table.columns().stream()
                        .filter(c -> PolicyWriter.privilegeLike(t, c.name()) && !t.rule(
                                dev.backendteam.contract.access.Operation.UPDATE).isEmpty())
                        .forEach(c -> findings.add(Finding.info(ASSUMPTION_RULE, t.table(), "column " + c.name()
                                + " reads as a privilege: it is left out of users' update grant, so nobody raises"
                                + " their own rights; grant update (" + c.name() + ") in a migration of your own if"
                                + " users may change it"))));
            }
        }
        findings.addAll(AccessProof.recursion(before));
        List<Finding> found = review ? lints.lint(db, intent, before) : List.of();
        findings.addAll(found);
        PolicyWriter.Written written = new PolicyWriter(intent, before, targets, CatalogReader.schemaExists(db,
                PolicyWriter.PRIVATE), CatalogReader.functions(db, PolicyWriter.PRIVATE))
                .write();
        SchemaFixes fixes = SchemaFixes.of(found, index -> db.query("select pg_get_indexdef(?::text::regclass) as d",
                index).stream().map(r -> (String) r.get("d")).findFirst().orElse(null));
        String up = written.up() + fixes.up();
        String down = fixes.down() + written.down();
        ScriptResult applied = db.apply(up);
        String name = review ? MIGRATION_FIX : MIGRATION_NEW;
        List<Artifact> artifacts = new ArrayList<>();
        artifacts.add(Artifact.migration(name, up, down, Specialist.SECURITY));
        if (drafted.artifact() != null) {
            artifacts.add(drafted.artifact());
        }
        if (!applied.ok()) {
            findings.add(applied.error().toFinding(APPLY_RULE));
            return outcome(ResultStatus.FAILED, FailureKind.PROOF_FAILED, "the generated grants and policies do not"
                    + " apply: " + applied.error().describe(), artifacts, findings, evidence, null);
        }
        for (SchemaFixes.Index index : fixes.indexes()) {
            ScriptResult built = db.apply(index.up());
            artifacts.add(Artifact.migration(index.name(), index.up(), index.down(), Specialist.SECURITY));
            if (!built.ok()) {
                findings.add(built.error().toFinding(APPLY_RULE));
                return outcome(ResultStatus.FAILED, FailureKind.PROOF_FAILED, "the index fix " + index.name()
                        + " does not apply: " + built.error().describe(), artifacts, findings, evidence, null);
            }
        }
        SchemaCatalog after = CatalogReader.read(db);
        List<String> pgtap = new ArrayList<>();
        evidence.addAll(checks(db, intent, after, targets, review, findings, runner -> {
            String file = PgTapWriter.write(runner.world().seedStatements(), runner.cells());
            pgtap.add(file);
            return file;
        }));
        pgtap.forEach(file -> artifacts.add(Artifact.file(PgTapWriter.PATH, file, Specialist.SECURITY)));
        evidence.add(downRestores(db, down, up, before, targets));
        for (PolicyWriter.FilterColumns f : written.filters()) {
            findings.add(new Finding(HANDOVER_RULE, Severity.INFO, f.table(), "the policies of " + f.table()
                    + " filter on " + String.join(", ", f.columns()) + ": query-optimizer makes sure each is"
                    + " indexed (security writes no index)", String.join(",", f.columns()), null));
        }
        Handoff handoff = null;
        List<TableIntent> keyless = AccessProof.tablesWithoutKey(intent, before);
        if (review && !keyless.isEmpty()) {
            handoff = new Handoff(Specialist.DB_ARCHITECT, "schema", "a primary key is missing on "
                    + String.join(", ", keyless.stream().map(TableIntent::table).toList()) + ": the RLS matrix"
                    + " cannot address their rows and the fix changes the schema");
        }
        List<Evidence> failing = evidence.stream().filter(e -> e.status() == EvidenceStatus.FAILED).toList();
        if (!failing.isEmpty()) {
            return outcome(ResultStatus.FAILED, FailureKind.PROOF_FAILED, "the proof failed: " + String.join("; ",
                    failing.stream().map(e -> e.check() + " — " + e.details()).toList()), artifacts, findings,
                    evidence, null);
        }
        return outcome(ResultStatus.SUCCEEDED, null, null, artifacts, findings, evidence, handoff);
    }

    @Override
    public StepOutcome validate(TaskEvent task) {
        SchemaInputs in = SchemaInputs.of(task, true);
        if (in.existing().isEmpty() && task.inputs().target() != null && sandbox.isPresent()) {
            try {
                in = fromTarget(task, in, new ArrayList<>());
            } catch (TargetException e) {
                return StepOutcome.checked(Evidence.notRun(AccessProof.MATRIX, e.getMessage()));
            }
        }
        if (sandbox.isEmpty()) {
            return StepOutcome.checked(Evidence.notRun(AccessProof.LINTS, "no sandbox is configured"),
                    Evidence.notRun(AccessProof.MATRIX, "no sandbox is configured"));
        }
        Sandbox box = sandbox.get();
        try (SandboxDatabase db = box.create(label(task), box.settings().stepBudget(), model(task, box))) {
            Optional<Diagnosis> diagnosis = task.diagnosis().filter(DiagnosedAccess::concerns);
            if (diagnosis.flatMap(DiagnosedAccess::notATableGrant).isPresent()) {
                return StepOutcome.checked(Evidence.notRun(DiagnosedAccess.REPLAYED, "the diagnosed 42501 is not a"
                        + " privilege on a table (an ownership, a role attribute, a schema's or function's"
                        + " privilege): the work step delivered no fix to replay"));
            }
            return located(diagnosis.isPresent() ? diagnosed.validate(task, diagnosis.get(), in, db)
                    : validate(task, in, db), db);
        } catch (SandboxException e) {
            return StepOutcome.failed(FailureKind.TRANSIENT, "the sandbox could not run: " + e.getMessage(),
                    List.of());
        }
    }

    /**
     * The target's schema as DDL ({@link TargetSchema}), read in read-only transactions: the review then runs on a
     * copy in the sandbox, and nothing is written to the target.
     */
    private SchemaInputs fromTarget(TaskEvent task, SchemaInputs in, List<Evidence> read) {
        long started = System.nanoTime();
        String target = task.inputs().target();
        List<String> schemas = new ArrayList<>(CatalogReader.EXPOSED);
        schemas.add(PolicyWriter.PRIVATE);
        TargetSchema schema;
        int version;
        try (TargetDatabase t = targets.apply(target)) {
            schema = TargetSchema.read(t, schemas);
            version = t.serverVersionNum();
        }
        read.add(new Evidence("target " + target + " read without writing", true, schema.objects() + " objects of"
                + " schemas " + String.join(", ", CatalogReader.EXPOSED) + " and " + PolicyWriter.PRIVATE + " read in"
                + " read-only transactions from PostgreSQL " + version / 10000 + "; the review runs on a copy in the"
                + " sandbox", millis(started)));
        return in.withTarget(target, schema.ddl());
    }

    private StepOutcome validate(TaskEvent task, SchemaInputs in, SandboxDatabase db) {
        {
            List<Evidence> evidence = new ArrayList<>();
            List<Finding> findings = new ArrayList<>();
            Finding failed = AccessProof.apply(db, in.existing(), APPLY_RULE);
            SchemaCatalog existing = CatalogReader.read(db);
            if (failed == null) {
                failed = AccessProof.apply(db, in.added(), APPLY_RULE);
            }
            if (failed != null) {
                return new StepOutcome(ResultStatus.SUCCEEDED, null, null, null, List.of(), List.of(failed),
                        List.of(new Evidence("apply the bundle", false, failed.message(), 0)), null);
            }
            SchemaCatalog after = CatalogReader.read(db);
            boolean review = in.review();
            IntentResolver.Resolution resolution = IntentResolver.resolve(IntentResolver.declaredSpec(task.inputs()), after);
            Set<String> targets = AccessProof.tablesOf(after, existing, review);
            AccessIntent intent = resolution.problems().isEmpty()
                    ? drafts.validate(task, resolution.intent(), after, targets).intent() : resolution.intent();
            evidence.add(AccessProof.intent(intent, resolution.problems(), 0));
            String delivered = task.artifacts().stream().filter(a -> PgTapWriter.PATH.equals(a.name()))
                    .map(Artifact::content).reduce((a, b) -> b).orElse(null);
            evidence.addAll(checks(db, intent, after, targets, review, findings, delivered == null ? null
                    : runner -> delivered));
            return new StepOutcome(ResultStatus.SUCCEEDED, null, null, null, List.of(), findings, evidence, null);
        }
    }

    /**
     * The model's {@code run_matrix} tool: the schema again in a sandbox database of its own (the step's stays as it
     * is), the grants and policies of the drafted intent, the matrix without its sensitivity round. It never outlives
     * the step's database.
     */
    private MatrixTrial trial(TaskEvent task, SchemaInputs in, SandboxDatabase step, Set<String> tables) {
        return intent -> {
            Sandbox box = sandbox.orElseThrow();
            try (SandboxDatabase db = box.create(label(task) + " / model trial", step.remaining(), model(task, box))) {
                Finding failed = AccessProof.apply(db, in.existing(), APPLY_RULE);
                if (failed == null) {
                    failed = AccessProof.apply(db, in.added(), APPLY_RULE);
                }
                if (failed != null) {
                    return "not run: the schema does not apply: " + failed.message();
                }
                SchemaCatalog catalog = CatalogReader.read(db);
                PolicyWriter.Written written = new PolicyWriter(intent, catalog, tables, CatalogReader.schemaExists(db,
                        PolicyWriter.PRIVATE), CatalogReader.functions(db, PolicyWriter.PRIVATE)).write();
                ScriptResult applied = db.apply(written.up());
                if (!applied.ok()) {
                    return "not run: the generated policies do not apply: " + applied.error().describe();
                }
                RlsMatrixRunner.Outcome o = new RlsMatrixRunner(intent, CatalogReader.read(db), tables).run(db,
                        List.of());
                return o.seedError() != null ? "not run: " + o.seedError() : VerdictTable.of(o.matrix());
            } catch (SandboxException e) {
                return "not run: the sandbox could not run: " + e.getMessage();
            }
        };
    }

    /** Every piece of evidence says the grant model and server version it ran on. */
    private static StepOutcome located(StepOutcome o, SandboxDatabase db) {
        int v = db.serverVersionNum();
        Evidence.SandboxRun where = new Evidence.SandboxRun(db.grants().wire(), v / 10000 + "." + v % 100);
        List<Evidence> evidence = o.evidence().stream().map(e -> e.status() == EvidenceStatus.NOT_RUN ? e
                : e.on(where)).toList();
        return new StepOutcome(o.status(), o.reason(), o.failureKind(), o.question(), o.artifacts(), o.findings(),
                evidence, o.handoff());
    }

    /** Lints, recursion, matrix, sensitivity and pgTAP on the schema as it now is. */
    private List<Evidence> checks(SandboxDatabase db, AccessIntent intent, SchemaCatalog after, Set<String> targets,
            boolean review, List<Finding> findings, java.util.function.Function<dev.backendteam.security.engine.matrix.RlsMatrixRunner,
            String> pgtap) {
        List<Evidence> evidence = new ArrayList<>();
        long started = System.nanoTime();
        // a review answers for the whole schema; a new feature for its own tables (the rest was there before)
        List<Finding> remaining = lints.lint(db, intent, after).stream()
                .filter(f -> review || f.object() == null || targets.stream().anyMatch(t -> f.object().equals(t)
                        || f.object().startsWith(t + ".")))
                .toList();
        // a rule whose query failed checked nothing: the lints did not all run
        List<Finding> errors = remaining.stream().filter(f -> f.severity() == Severity.ERROR
                || f.ruleId().equals(LINT_FAILED)).toList();
        evidence.add(new Evidence(AccessProof.LINTS, errors.isEmpty(), errors.isEmpty()
                ? "no error on the " + targets.size() + " table(s) (" + remaining.size() + " warning(s) or note(s))"
                : errors.size() + " error(s): " + String.join("; ", errors.stream().limit(10)
                .map(f -> f.ruleId() + " " + f.object()).toList()), millis(started)));
        if (!errors.isEmpty()) {
            findings.addAll(errors);
        }
        started = System.nanoTime();
        List<Finding> loops = AccessProof.recursion(after);
        evidence.add(new Evidence(AccessProof.RECURSION, loops.isEmpty(), loops.isEmpty()
                ? "the policy graph has no cycle" : String.join("; ", loops.stream().map(Finding::message).toList()),
                millis(started)));
        findings.addAll(loops);
        if (!loops.isEmpty()) {
            evidence.add(Evidence.notRun(AccessProof.MATRIX, "the policies recurse (42P17): every query on those"
                    + " tables fails, so no access case was executed"));
            return evidence;
        }
        evidence.addAll(AccessProof.matrix(db, intent, after, targets, findings, pgtap));
        return evidence;
    }

    /** Applies the down script, compares grants, RLS and policies with before, then applies the migration again. */
    static Evidence downRestores(SandboxDatabase db, String down, String up, SchemaCatalog before,
            Set<String> targets) {
        long started = System.nanoTime();
        ScriptResult d = db.apply(down);
        if (!d.ok()) {
            return new Evidence(AccessProof.DOWN, false, "the down script fails: " + d.error().describe(),
                    millis(started));
        }
        String was = AccessProof.accessState(before, targets);
        String now = AccessProof.accessState(CatalogReader.read(db), targets);
        ScriptResult again = db.apply(up);
        if (!was.equals(now)) {
            return new Evidence(AccessProof.DOWN, false, "after the down script the grants, row level security or"
                    + " policies differ from before the migration", millis(started));
        }
        return new Evidence(AccessProof.DOWN, again.ok(), again.ok() ? "down restores what was there on the "
                + targets.size() + " table(s); the migration applies again" : "the migration does not apply again"
                + " after its down script: " + again.error().describe(), millis(started));
    }

    private static StepOutcome outcome(ResultStatus status, FailureKind kind, String reason, List<Artifact> artifacts,
            List<Finding> findings, List<Evidence> evidence, Handoff handoff) {
        return new StepOutcome(status, reason, kind, null, artifacts, findings, evidence, handoff);
    }


    private static GrantModel model(TaskEvent task, Sandbox box) {
        return task.inputs().grants() == null ? box.settings().grants() : GrantModel.of(task.inputs().grants());
    }

    private static String label(TaskEvent task) {
        return "job " + task.jobId() + " / security / " + task.kind().name().toLowerCase(java.util.Locale.ROOT)
                + " / " + task.step();
    }

    private static long millis(long started) {
        return (System.nanoTime() - started) / 1_000_000;
    }
}
