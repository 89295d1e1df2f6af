package dev.backendteam.dbarchitect.engine;

import dev.backendteam.contract.Artifact;
import dev.backendteam.contract.ArtifactKind;
import dev.backendteam.contract.Diagnosis;
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
import com.fasterxml.jackson.databind.JsonNode;
import dev.backendteam.contract.llm.ModelSession;
import dev.backendteam.contract.llm.RepairLoop;
import dev.backendteam.contract.llm.StructuredDraft;
import dev.backendteam.dbarchitect.engine.ai.MigrationDrafter;
import dev.backendteam.dbarchitect.engine.ai.SpecDrafter;
import dev.backendteam.dbarchitect.engine.design.ExistingSchema;
import dev.backendteam.dbarchitect.engine.design.SchemaDesign;
import dev.backendteam.dbarchitect.engine.design.TableDesign;
import dev.backendteam.dbarchitect.engine.fix.DiagnosedObject;
import dev.backendteam.dbarchitect.engine.fix.DiagnosisFix;
import dev.backendteam.dbarchitect.engine.fix.FailingStatement;
import dev.backendteam.dbarchitect.engine.lint.LintReport;
import dev.backendteam.dbarchitect.engine.proof.CatalogObject;
import dev.backendteam.dbarchitect.engine.spec.DomainSpec;
import dev.backendteam.dbarchitect.engine.lint.MigrationLinter;
import dev.backendteam.dbarchitect.engine.output.ErDiagram;
import dev.backendteam.dbarchitect.engine.output.MigrationWriter;
import dev.backendteam.dbarchitect.engine.output.TypeScriptTypes;
import dev.backendteam.dbarchitect.engine.proof.MigrationProver;
import dev.backendteam.dbarchitect.engine.proof.NoSandboxProver;
import dev.backendteam.dbarchitect.engine.proof.Proof;
import dev.backendteam.dbarchitect.engine.proof.ProofPlan;
import dev.backendteam.contract.access.AccessIntent;
import dev.backendteam.contract.access.SpecAccess;
import dev.backendteam.dbarchitect.engine.proof.TableAccess;
import dev.backendteam.dbarchitect.engine.spec.DomainSpecReader;
import dev.backendteam.dbarchitect.engine.spec.DomainSpecSchema;
import dev.backendteam.dbarchitect.engine.spec.SpecProblem;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Map;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The db-architect specialist (BRIEF §6). With a domain spec: validates it, designs the tables, writes one migration
 * per table with its down script, TypeScript row types and a Mermaid ER diagram, lints the migrations and has them
 * proven. With SQL only: lints it (review) and has it proven. With neither: asks for a spec, with an example — there
 * is no LLM to read plain words. {@link #validate} replays the job's whole bundle through the same linter and prover.
 */
public final class DbArchitectEngine implements SpecialistEngine {
    /** How the user's SQL is named in findings and proofs. */
    public static final String SQL_SOURCE = "sql";
    public static final String SPEC_CHECK = "domain spec: JSON Schema (" + DomainSpecSchema.PUBLISHED_PATH
            + ") and semantic checks";
    public static final String LINT_CHECK = "migration lint: the migrations and their down scripts";
    public static final String BUNDLE_LINT_CHECK = "migration lint: the job's bundle, in order";
    public static final String SPEC_DRAFT_CHECK = "model draft: a domain spec from the task's words, checked by the"
            + " engine";
    public static final String MIGRATION_DRAFT_CHECK = "model draft: migrations for the task, linted and applied by the"
            + " engine";
    /** The drafted spec, delivered so that the user can review, edit and resubmit it. */
    public static final String DRAFTED_SPEC_FILE = "domain-spec.json";
    private static final String QUESTION_RESOURCE = "/dev/backendteam/dbarchitect/needs-spec-question.txt";
    private static final int LISTED = 20;

    private final DomainSpecValidator validator;
    private final MigrationLinter linter;
    private final MigrationProver prover;
    private final DiagnosisFix diagnosisFix;
    private final Optional<ModelSession> model;
    private final String question;

    public DbArchitectEngine() {
        this(new NoSandboxProver());
    }

    public DbArchitectEngine(MigrationProver prover) {
        this(DomainSpecValidator.standard(), MigrationLinter.standard(), prover);
    }

    public DbArchitectEngine(DomainSpecValidator validator, MigrationLinter linter, MigrationProver prover) {
        this(validator, linter, prover, Optional.empty());
    }

    public DbArchitectEngine(MigrationProver prover, Optional<ModelSession> model) {
        this(DomainSpecValidator.standard(), MigrationLinter.standard(), prover, model);
    }

    public DbArchitectEngine(DomainSpecValidator validator, MigrationLinter linter, MigrationProver prover,
            Optional<ModelSession> model) {
        this.validator = validator;
        this.linter = linter;
        this.prover = prover;
        this.model = model;
        this.diagnosisFix = new DiagnosisFix(prover);
        this.question = resource(QUESTION_RESOURCE).strip();
    }

    @Override
    public Role role() {
        return Role.SCHEMA;
    }

    @Override
    public StepOutcome work(TaskEvent task) {
        JobInputs inputs;
        try {
            inputs = readable(task.inputs());
        } catch (DomainSpecReader.InvalidSpecText e) {
            return StepOutcome.failed(FailureKind.INVALID_INPUT, "the domain spec is " + e.getMessage(),
                    List.of(new Finding(DomainSpecSchema.RULE, Severity.ERROR, "/", "the spec text is "
                            + e.getMessage(), "Send the spec as JSON, or as YAML text.", null)));
        }
        List<Migration> earlier = Migration.in(task.artifacts());
        LintReport base = linter.lint(base(inputs), List.of());
        if (base.rejected()) {
            return rejectSql(base);
        }
        Optional<Diagnosis> diagnosis = task.diagnosis().filter(DiagnosedObject::concerns);
        if (diagnosis.isPresent()) {
            return fixDiagnosis(inputs, task, earlier, diagnosis.get());
        }
        if (inputs.hasSpec()) {
            return fromSpec(inputs, task, earlier, null);
        }
        if (model.isPresent() && task.task() != null && !task.task().isBlank()) {
            return base(inputs).isEmpty() ? draftSpec(model.get(), inputs, task, earlier)
                    : draftMigrations(model.get(), inputs, task, earlier);
        }
        if (inputs.hasSql()) {
            return review(inputs, task, earlier);
        }
        return askForSpec(inputs, earlier);
    }

    // ---- the task's words, read by a model; the engine checks every draft ----

    private StepOutcome draftSpec(ModelSession model, JobInputs inputs, TaskEvent task, List<Migration> earlier) {
        long started = System.nanoTime();
        RepairLoop.Outcome<StructuredDraft.Answer> drafted = new SpecDrafter(model).draft(task, base(inputs),
                spec -> specProblems(spec, inputs, earlier));
        Evidence draft = new Evidence(SPEC_DRAFT_CHECK, drafted.accepted(), model.provider() + " " + model.modelName()
                + ": " + drafted.reason(), millisSince(started));
        if (!drafted.accepted()) {
            return draftFailed(drafted, draft);
        }
        JsonNode spec = drafted.value().json();
        StepOutcome designed = fromSpec(inputs.withSpec(spec), task, earlier, null);
        List<Finding> findings = new ArrayList<>();
        findings.add(Finding.info("design.spec-drafted", DRAFTED_SPEC_FILE, "the model (" + model.provider() + " "
                + model.modelName() + ") drafted the domain spec from the task's words; the engine designed, linted"
                + " and proved the migrations from it. The spec is delivered as " + DRAFTED_SPEC_FILE + ": review it,"
                + " and resubmit it as `spec` to change the design without a model"));
        findings.addAll(designed.findings());
        List<Evidence> evidence = new ArrayList<>(List.of(draft));
        evidence.addAll(designed.evidence());
        List<Artifact> artifacts = new ArrayList<>(designed.artifacts());
        if (!artifacts.isEmpty()) {
            artifacts.add(Artifact.file(DRAFTED_SPEC_FILE, spec.toPrettyString() + "\n", Specialist.DB_ARCHITECT));
        }
        return new StepOutcome(designed.status(), designed.reason(), designed.failureKind(), designed.question(),
                artifacts, findings, evidence, designed.handoff());
    }

    /** What the engine finds wrong with a drafted spec: its validation errors, then the lint of its migrations. */
    private List<RepairLoop.Problem> specProblems(JsonNode spec, JobInputs inputs, List<Migration> earlier) {
        ExistingSchema existing = existing(inputs, earlier);
        DomainSpecValidator.Validation validation = validator.validate(spec, existing);
        if (!validation.valid()) {
            return validation.errors().stream().map(p -> new RepairLoop.Problem(p.ruleId(), p.path().isEmpty() ? "/"
                    : p.path(), p.message() + (p.fix() == null ? "" : " (fix: " + p.fix() + ")"))).toList();
        }
        List<Migration> created = MigrationWriter.write(validation.design(), existing);
        List<Migration> all = new ArrayList<>(earlier);
        all.addAll(created);
        return lintProblems(linter.lint(base(inputs), all).about(names(created)));
    }

    private StepOutcome draftMigrations(ModelSession model, JobInputs inputs, TaskEvent task,
            List<Migration> earlier) {
        long started = System.nanoTime();
        Map<List<Migration>, Proof> proofs = new HashMap<>();
        RepairLoop.Outcome<StructuredDraft.Answer> drafted;
        try {
            drafted = new MigrationDrafter(model).draft(task, base(inputs),
                    migrations -> migrationProblems(migrations, inputs, task, earlier, proofs));
        } catch (SandboxUnavailable e) {
            return outcome(ResultStatus.FAILED, FailureKind.TRANSIENT, e.getMessage(), List.of(), List.of(),
                    List.of());
        }
        Evidence draft = new Evidence(MIGRATION_DRAFT_CHECK, drafted.accepted(), model.provider() + " "
                + model.modelName() + ": " + drafted.reason(), millisSince(started));
        if (!drafted.accepted()) {
            return draftFailed(drafted, draft);
        }
        List<Migration> migrations = MigrationDrafter.migrations(drafted.value().json(), new ArrayList<>());
        if (migrations.isEmpty()) {
            StepOutcome reviewed = inputs.hasSql() ? review(inputs, task, earlier) : askForSpec(inputs, earlier);
            List<Finding> findings = new ArrayList<>(List.of(Finding.info("design.no-change", null, "the model ("
                    + model.provider() + " " + model.modelName() + ") read no schema change in the task")));
            findings.addAll(reviewed.findings());
            List<Evidence> evidence = new ArrayList<>(List.of(draft));
            evidence.addAll(reviewed.evidence());
            return new StepOutcome(reviewed.status(), reviewed.reason(), reviewed.failureKind(), reviewed.question(),
                    reviewed.artifacts(), findings, evidence, reviewed.handoff());
        }
        Proof proof = proofs.get(migrations);
        List<Migration> all = new ArrayList<>(earlier);
        all.addAll(migrations);
        List<Finding> findings = new ArrayList<>(baseNotes(inputs));
        findings.add(Finding.info("design.migrations-drafted", null, "the model (" + model.provider() + " "
                + model.modelName() + ") wrote " + migrations.size() + " migration(s) for the task ("
                + list(names(migrations)) + "); the engine linted them and proved them in the sandbox"));
        List<Finding> lint = linter.lint(base(inputs), all).about(names(migrations));
        findings.addAll(lint);
        List<Evidence> evidence = new ArrayList<>(List.of(draft, new Evidence(LINT_CHECK, true, migrations.size()
                + " new migration(s): " + LintReport.tally(lint), 0)));
        if (proof != null) {
            evidence.addAll(proof.evidence());
            findings.addAll(proof.findings());
        }
        return StepOutcome.succeeded(migrations.stream().map(Migration::artifact).toList(), findings, evidence, null);
    }

    /** What the engine finds wrong with drafted migrations: lint errors, then what the sandbox said. */
    private List<RepairLoop.Problem> migrationProblems(List<Migration> migrations, JobInputs inputs, TaskEvent task,
            List<Migration> earlier, Map<List<Migration>, Proof> proofs) {
        List<Migration> all = new ArrayList<>(earlier);
        all.addAll(migrations);
        LintReport lint = linter.lint(base(inputs), all);
        if (lint.rejected()) {
            return lintProblems(lint.errors());
        }
        List<RepairLoop.Problem> problems = new ArrayList<>(lintProblems(lint.about(names(migrations))));
        if (!problems.isEmpty()) {
            return problems;
        }
        Proof proof = prover.prove(new ProofPlan(label(task), base(inputs), all, inputs.grants(), List.of()));
        if (proof.unavailable() != null) {
            throw new SandboxUnavailable(proof.unavailable());
        }
        proofs.put(List.copyOf(migrations), proof);
        return proofProblems(proof);
    }

    private static List<RepairLoop.Problem> lintProblems(List<Finding> findings) {
        return LintReport.errors(findings).stream().map(f -> new RepairLoop.Problem(f.ruleId(), f.object(),
                f.message() + (f.fix() == null ? "" : " (fix: " + f.fix() + ")"))).toList();
    }

    private static final java.util.regex.Pattern SQLSTATE = java.util.regex.Pattern
            .compile("\\): ([0-9A-Z]{5}) (.*)$", java.util.regex.Pattern.DOTALL);
    private static final java.util.regex.Pattern QUOTED = java.util.regex.Pattern.compile("\"([^\"]+)\"");

    /** The sandbox's errors as problems keyed by SQLSTATE and the object the message names. */
    static List<RepairLoop.Problem> proofProblems(Proof proof) {
        List<RepairLoop.Problem> problems = new ArrayList<>();
        for (Finding f : proof.findings()) {
            if (f.severity() == Severity.ERROR && f.ruleId().equals(
                    dev.backendteam.dbarchitect.engine.proof.SandboxMigrationProver.APPLY_FAILED)) {
                java.util.regex.Matcher m = SQLSTATE.matcher(f.message());
                String state = m.find() ? m.group(1) : f.ruleId();
                java.util.regex.Matcher quoted = QUOTED.matcher(f.message());
                problems.add(new RepairLoop.Problem(state, quoted.find() ? quoted.group(1) : f.object(),
                        f.object() + ", " + f.message()));
            }
        }
        for (Evidence e : proof.failed()) {
            boolean apply = e.check().equals(MigrationProver.APPLY) || e.check().equals(MigrationProver.APPLY_BASELINE);
            if (!apply || problems.isEmpty()) {
                problems.add(new RepairLoop.Problem(e.check(), null, e.details()));
            }
        }
        return problems;
    }

    private static StepOutcome draftFailed(RepairLoop.Outcome<StructuredDraft.Answer> drafted, Evidence draft) {
        return outcome(ResultStatus.FAILED, FailureKind.INVALID_INPUT, drafted.reason(), List.of(),
                drafted.findings("a spec or the SQL"), List.of(draft));
    }

    /** The sandbox server could not be reached while checking a draft: worth retrying the step. */
    private static final class SandboxUnavailable extends RuntimeException {
        SandboxUnavailable(String message) {
            super(message);
        }
    }

    /** A spec sent as YAML (or JSON) text inside the request's JSON, read. */
    private static JobInputs readable(JobInputs inputs) {
        if (inputs.spec() != null && inputs.spec().isTextual() && !inputs.spec().asText().isBlank()) {
            return inputs.withSpec(DomainSpecReader.read(inputs.spec().asText()));
        }
        return inputs;
    }

    @Override
    public StepOutcome validate(TaskEvent task) {
        List<Migration> bundle = Migration.in(task.artifacts());
        JobInputs inputs = task.inputs();
        if (bundle.isEmpty()) {
            return StepOutcome.succeeded(List.of(), List.of(Finding.info("validation.nothing-to-replay", null,
                    "the bundle holds no migration: nothing for db-architect to replay")), List.of(), null);
        }
        List<Finding> findings = new ArrayList<>();
        List<Evidence> evidence = new ArrayList<>();
        long started = System.nanoTime();
        LintReport lint = linter.lint(base(inputs), bundle);
        List<Finding> bundleFindings = lint.about(names(bundle));
        findings.addAll(bundleFindings);
        List<Finding> errors = LintReport.errors(bundleFindings);
        evidence.add(new Evidence(BUNDLE_LINT_CHECK, errors.isEmpty(), bundle.size() + " migration(s): "
                + LintReport.tally(bundleFindings), millisSince(started)));
        Proof proof = prover.prove(new ProofPlan(label(task), base(inputs), bundle, inputs.grants(),
                access(inputs), replay(task, bundle)));
        evidence.addAll(proof.evidence());
        findings.addAll(proof.findings());
        if (proof.unavailable() != null) {
            return outcome(ResultStatus.FAILED, FailureKind.TRANSIENT, proof.unavailable(), List.of(), findings,
                    evidence);
        }
        List<Evidence> failed = evidence.stream().filter(Evidence::failed).toList();
        if (!failed.isEmpty()) {
            return outcome(ResultStatus.FAILED, FailureKind.PROOF_FAILED, "the bundle fails "
                    + failed.stream().map(Evidence::check).collect(Collectors.joining("; "))
                    + (errors.isEmpty() ? "" : " — first: " + describe(errors.get(0))), List.of(), findings,
                    evidence);
        }
        return StepOutcome.succeeded(List.of(), findings, evidence, null);
    }

    // ---- a domain spec ----

    private StepOutcome fromSpec(JobInputs inputs, TaskEvent task, List<Migration> earlier, ProofPlan.Replay replay) {
        List<Finding> findings = new ArrayList<>(baseNotes(inputs));
        List<Evidence> evidence = new ArrayList<>();
        ExistingSchema existing = existing(inputs, earlier);
        long started = System.nanoTime();
        DomainSpecValidator.Validation validation = validator.validate(inputs.spec(), existing);
        validation.problems().forEach(p -> findings.add(p.finding()));
        if (!validation.valid()) {
            List<SpecProblem> errors = validation.errors();
            return StepOutcome.failed(FailureKind.INVALID_INPUT, "the domain spec is invalid (" + errors.size()
                    + (errors.size() == 1 ? " error" : " errors") + "): " + errors.stream().limit(3)
                    .map(SpecProblem::text).collect(Collectors.joining("; "))
                    + (errors.size() > 3 ? "; …" : ""), findings);
        }
        SchemaDesign design = validation.design();
        evidence.add(new Evidence(SPEC_CHECK, true, design.tables().size() + " entities, 0 errors, "
                + validation.warnings().size() + " warning(s)", millisSince(started)));

        List<Migration> created = MigrationWriter.write(design, existing);
        for (TableDesign t : design.tables()) {
            if (t.exists()) {
                findings.add(Finding.info("design.table-exists", t.name(), "table " + t.name() + " already exists ("
                        + (t.existingSource().equals(SQL_SOURCE) ? "in the given SQL" : "created by migration "
                        + t.existingSource()) + "): no migration creates it again, and its columns are not compared"
                        + " with the spec's"));
            }
        }
        started = System.nanoTime();
        List<Migration> all = new ArrayList<>(earlier);
        all.addAll(created);
        LintReport lint = linter.lint(base(inputs), all);
        findings.addAll(lint.except(baseFiles(inputs)));
        List<Finding> own = lint.about(names(created));
        List<Finding> ownErrors = LintReport.errors(own);
        if (!created.isEmpty()) {
            evidence.add(new Evidence(LINT_CHECK, ownErrors.isEmpty(), created.size() + " new migration(s): "
                    + LintReport.tally(own), millisSince(started)));
        }

        List<Artifact> artifacts = new ArrayList<>();
        created.forEach(m -> artifacts.add(m.artifact()));
        artifacts.add(new Artifact(ArtifactKind.TYPES, TypeScriptTypes.FILE, TypeScriptTypes.render(design), null,
                Specialist.DB_ARCHITECT.id()));
        artifacts.add(new Artifact(ArtifactKind.DIAGRAM, ErDiagram.FILE, ErDiagram.render(design), null,
                Specialist.DB_ARCHITECT.id()));
        findings.addAll(designNotes(design, created, validation));
        if (!ownErrors.isEmpty()) {
            boolean rejected = ownErrors.stream().anyMatch(f -> linter.rules().get(f.ruleId()).rejectsInput());
            return outcome(ResultStatus.FAILED, rejected ? FailureKind.INVALID_INPUT : FailureKind.PROOF_FAILED,
                    "the generated migrations fail the migration lint: " + describe(ownErrors.get(0)), artifacts,
                    findings, evidence);
        }

        Proof proof = prover.prove(new ProofPlan(label(task), base(inputs), all, inputs.grants(),
                access(design, inputs), replay == null ? null : new ProofPlan.Replay(replay.statement(),
                replay.sqlState(), replay.object(), earlier.size())));
        evidence.addAll(proof.evidence());
        findings.addAll(proof.findings());
        if (proof.unavailable() != null) {
            return outcome(ResultStatus.FAILED, FailureKind.TRANSIENT, proof.unavailable(), artifacts, findings,
                    evidence);
        }
        if (proof.failed(MigrationProver.APPLY_BASELINE)) {
            return outcome(ResultStatus.FAILED, FailureKind.INVALID_INPUT, "the existing schema (the project's"
                    + " migrations, the SQL given) does not apply: " + proof.failed().get(0).details(), List.of(), findings, evidence);
        }
        if (!proof.passed()) {
            return outcome(ResultStatus.FAILED, FailureKind.PROOF_FAILED, "the migrations fail their proof: "
                    + proof.failed().stream().map(e -> e.check() + " (" + e.details() + ")")
                    .collect(Collectors.joining("; ")), artifacts, findings, evidence);
        }
        return StepOutcome.succeeded(artifacts, findings, evidence, null);
    }

    private List<Finding> designNotes(SchemaDesign design, List<Migration> created,
            DomainSpecValidator.Validation validation) {
        List<Finding> notes = new ArrayList<>();
        List<TableDesign> fresh = design.newTables();
        if (created.isEmpty()) {
            notes.add(Finding.info("design.nothing-new", null, "every entity of the spec already exists: no"
                    + " migration was written; the types and the diagram describe the spec's tables"));
            return notes;
        }
        notes.add(Finding.info("design.migrations", null, created.size() + " migration(s), one per table in"
                + " dependency order so that each can be reviewed, applied and rolled back alone: "
                + list(names(created))));
        notes.add(Finding.info("design.rls-enabled", null, "row level security is enabled on every new table ("
                + list(fresh.stream().map(TableDesign::name).toList()) + ") without any policy: the security"
                + " specialist writes the policies; until then anon and authenticated reach no rows"));
        List<String> intent = new ArrayList<>();
        for (TableDesign t : fresh) {
            List<String> says = new ArrayList<>();
            if (t.entity().owner() != null) {
                says.add("owner (user_id)");
            }
            if (t.entity().tenant() != null) {
                says.add("tenant " + t.entity().tenant().target());
            }
            if (t.entity().membership() != null) {
                says.add("membership of " + t.entity().membership().tenant() + " with roles "
                        + String.join("/", t.entity().membership().roles()));
            }
            t.entity().belongsTo().forEach(b -> says.add("follows parent " + b.target()));
            if (t.entity().publicRead()) {
                says.add("public read");
            }
            if (t.entity().serviceOnly()) {
                says.add("service role only");
            }
            if (!says.isEmpty()) {
                intent.add(t.name() + ": " + String.join(", ", says));
            }
        }
        if (!intent.isEmpty()) {
            notes.add(Finding.info("design.access-intent", null, "access the policies must express — "
                    + String.join("; ", intent)));
        }
        if (validation.spec() != null && !validation.spec().queries().isEmpty()) {
            notes.add(Finding.info("design.queries", null, validation.spec().queries().size() + " quer"
                    + (validation.spec().queries().size() == 1 ? "y" : "ies") + " recorded for the query-optimizer: "
                    + list(validation.spec().queries().stream().map(q -> q.name()).toList())));
        }
        return notes;
    }

    // ---- a diagnosis handed over by the debugger ----

    private StepOutcome fixDiagnosis(JobInputs inputs, TaskEvent task, List<Migration> earlier, Diagnosis diagnosis) {
        DomainSpec spec = null;
        if (inputs.hasSpec()) {
            DomainSpecValidator.Validation v = validator.validate(inputs.spec(), existing(inputs, earlier));
            if (!v.valid()) {
                return fromSpec(inputs, task, earlier, null); // reports the spec's problems
            }
            spec = v.spec();
        }
        DiagnosisFix.Decision d = diagnosisFix.decide(label(task), diagnosis, base(inputs), earlier, inputs.grants(),
                spec);
        List<Finding> findings = new ArrayList<>(baseNotes(inputs));
        findings.addAll(d.findings());
        switch (d.kind()) {
            case NEEDS_INPUT:
                return StepOutcome.needsInput(d.question(), findings);
            case NOT_CHECKED:
                findings.add(Finding.info("diagnosis.not-checked", null, d.reason() + ": the diagnosis ("
                        + diagnosis.rule() + ") was not checked against the job's schema and nothing was built"));
                return StepOutcome.succeeded(List.of(), findings, List.of(Evidence.notRun(MigrationProver.PROBE,
                        d.reason())), null);
            case UNAVAILABLE:
                return outcome(ResultStatus.FAILED, FailureKind.TRANSIENT, d.reason(), List.of(), findings,
                        d.evidence());
            case INVALID_SCHEMA:
                return outcome(ResultStatus.FAILED, FailureKind.INVALID_INPUT, d.reason(), List.of(), findings,
                        d.evidence());
            case ADVICE:
                return StepOutcome.succeeded(List.of(), findings, d.evidence(), null);
            case SPEC_TABLE: {
                StepOutcome designed = fromSpec(inputs, task, earlier, d.replay());
                List<Finding> all = new ArrayList<>(d.findings());
                all.addAll(designed.findings());
                List<Evidence> evidence = new ArrayList<>(d.evidence());
                evidence.addAll(designed.evidence());
                return new StepOutcome(designed.status(), designed.reason(), designed.failureKind(),
                        designed.question(), designed.artifacts(), all, evidence, designed.handoff());
            }
            default:
                return deliverFix(inputs, task, earlier, d, findings);
        }
    }

    private StepOutcome deliverFix(JobInputs inputs, TaskEvent task, List<Migration> earlier,
            DiagnosisFix.Decision d, List<Finding> findings) {
        List<Evidence> evidence = new ArrayList<>(d.evidence());
        List<Migration> all = new ArrayList<>(earlier);
        all.addAll(d.migrations());
        List<Artifact> artifacts = d.migrations().stream().map(Migration::artifact).toList();
        long started = System.nanoTime();
        LintReport lint = linter.lint(base(inputs), all);
        List<Finding> own = lint.about(names(d.migrations()));
        findings.addAll(own);
        List<Finding> ownErrors = LintReport.errors(own);
        evidence.add(new Evidence(LINT_CHECK, ownErrors.isEmpty(), d.migrations().size() + " new migration(s): "
                + LintReport.tally(own), millisSince(started)));
        if (!ownErrors.isEmpty()) {
            return outcome(ResultStatus.FAILED, FailureKind.PROOF_FAILED, "the fix fails the migration lint: "
                    + describe(ownErrors.get(0)), artifacts, findings, evidence);
        }
        ProofPlan.Replay replay = new ProofPlan.Replay(d.replay().statement(), d.replay().sqlState(),
                d.replay().object(), earlier.size());
        Proof proof = prover.prove(new ProofPlan(label(task), base(inputs), all, inputs.grants(), List.of(), replay));
        evidence.addAll(proof.evidence());
        findings.addAll(proof.findings());
        if (proof.unavailable() != null) {
            return outcome(ResultStatus.FAILED, FailureKind.TRANSIENT, proof.unavailable(), artifacts, findings,
                    evidence);
        }
        if (!proof.passed()) {
            return outcome(ResultStatus.FAILED, FailureKind.PROOF_FAILED, "the fix fails its proof: "
                    + proof.failed().stream().map(e -> e.check() + " (" + e.details() + ")")
                    .collect(Collectors.joining("; ")), artifacts, findings, evidence);
        }
        return StepOutcome.succeeded(artifacts, findings, evidence, null);
    }

    /**
     * The validation round's replay of the diagnosis this job was asked to fix: the statement must fail before
     * db-architect's first migration of the bundle and resolve after the whole bundle.
     */
    private static ProofPlan.Replay replay(TaskEvent task, List<Migration> bundle) {
        Optional<Diagnosis> diagnosis = task.diagnosis().filter(DiagnosedObject::concerns);
        Optional<DiagnosedObject> object = diagnosis.flatMap(DiagnosedObject::of);
        if (object.isEmpty()) {
            return null;
        }
        FailingStatement statement = diagnosis.get().hasStatement()
                ? FailingStatement.read(diagnosis.get().statement()) : null;
        CatalogObject target = DiagnosisFix.resolve(object.get(), statement);
        List<Artifact> migrations = task.artifacts().stream().filter(a -> a.kind() == ArtifactKind.MIGRATION)
                .toList();
        int fixFrom = 0;
        while (fixFrom < migrations.size()
                && !Specialist.DB_ARCHITECT.id().equals(migrations.get(fixFrom).producedBy())) {
            fixFrom++;
        }
        return new ProofPlan.Replay(statement == null ? null : statement.text(), object.get().sqlState(),
                target.table() == null ? null : target, Math.min(fixFrom, bundle.size()));
    }

    // ---- SQL only ----

    private StepOutcome review(JobInputs inputs, TaskEvent task, List<Migration> earlier) {
        String sql = inputs.sql();
        LintReport lint = linter.lint(base(inputs), earlier);
        if (lint.rejected()) {
            return rejectSql(lint);
        }
        List<Finding> findings = new ArrayList<>(baseNotes(inputs));
        findings.addAll(lint.except(baseFiles(inputs)));
        findings.add(Finding.info("input.sql-reviewed", SQL_SOURCE, "SQL of " + SqlStatements.count(sql)
                + " statement(s) reviewed" + (earlier.isEmpty() ? "" : " with " + earlier.size()
                + " earlier migration(s)") + ": " + lint.tally() + ". To extend it, send a domain spec: its"
                + " entities may reference this SQL's tables (belongsTo, tenant)."));
        Proof proof = prover.prove(new ProofPlan(label(task), base(inputs), earlier, inputs.grants(), List.of()));
        findings.addAll(proof.findings());
        if (proof.unavailable() != null) {
            return outcome(ResultStatus.FAILED, FailureKind.TRANSIENT, proof.unavailable(), List.of(), findings,
                    proof.evidence());
        }
        if (proof.failed(MigrationProver.APPLY_BASELINE)) {
            return outcome(ResultStatus.FAILED, FailureKind.INVALID_INPUT, "the SQL does not apply: "
                    + proof.failed().get(0).details(), List.of(), findings, proof.evidence());
        }
        if (proof.failed(MigrationProver.APPLY) || proof.failed(MigrationProver.DOWN)
                || proof.failed(MigrationProver.UP_AGAIN)) {
            return outcome(ResultStatus.FAILED, FailureKind.PROOF_FAILED, "the earlier migrations fail on top of"
                    + " the SQL: " + proof.failed().stream().map(Evidence::details).collect(Collectors.joining("; ")),
                    List.of(), findings, proof.evidence());
        }
        // Catalog checks that fail on the user's own schema are what the review found, not a failed step.
        proof.failed().forEach(e -> findings.add(new Finding("review.catalog", Severity.WARN, SQL_SOURCE, e.check()
                + " does not hold: " + e.details(), "See the lint findings for the fixes.", null)));
        return StepOutcome.succeeded(List.of(), findings, proof.evidence(), null);
    }

    private StepOutcome rejectSql(LintReport lint) {
        Finding first = lint.findings().stream().filter(f -> linter.rules().get(f.ruleId()).rejectsInput())
                .findFirst().orElse(lint.findings().get(0));
        return StepOutcome.failed(FailureKind.INVALID_INPUT, "the SQL cannot be used: " + describe(first),
                lint.findings());
    }

    // ---- nothing to work from ----

    private StepOutcome askForSpec(JobInputs inputs, List<Migration> earlier) {
        List<Finding> findings = new ArrayList<>(baseNotes(inputs));
        findings.add(Finding.info("input.words-only", null, "only the task text was given: db-architect needs a"
                + " domain spec or SQL, and no LLM is configured to read plain words"));
        if (!earlier.isEmpty()) {
            LintReport lint = linter.lint(base(inputs), earlier);
            findings.addAll(lint.except(baseFiles(inputs)));
            findings.add(Finding.info("input.migrations", null, earlier.size() + " earlier migration(s) in the"
                    + " bundle were linted: " + lint.tally()));
        }
        return StepOutcome.needsInput(question, findings);
    }

    // ---- helpers ----

    /** Names the sandbox database after the job and step, for whoever looks at the server. */
    private static String label(TaskEvent task) {
        return "job " + task.jobId() + " / db-architect / step " + task.step() + " " + task.kind().wire();
    }

    /**
     * The existing schema, in the order it applies: the project's migrations among the files (named by their path),
     * then the SQL given. Every proof applies it first; the linter counts its objects as existing.
     */
    private static List<ExistingSchema.Script> base(JobInputs inputs) {
        List<ExistingSchema.Script> scripts = new ArrayList<>();
        inputs.baseMigrations().forEach(f -> scripts.add(new ExistingSchema.Script(f.path(), f.content())));
        if (inputs.hasSql()) {
            scripts.add(new ExistingSchema.Script(SQL_SOURCE, inputs.sql()));
        }
        return scripts;
    }

    /** The project's migration files: their lint findings are history, not this job's to report. */
    private static Set<String> baseFiles(JobInputs inputs) {
        Set<String> names = new LinkedHashSet<>();
        inputs.baseMigrations().forEach(f -> names.add(f.path()));
        return names;
    }

    private static List<Finding> baseNotes(JobInputs inputs) {
        List<String> files = List.copyOf(baseFiles(inputs));
        if (files.isEmpty()) {
            return List.of();
        }
        return List.of(Finding.info("input.base-migrations", null, "the project's " + files.size() + " existing"
                + " migration(s) (" + list(files) + ") are the base schema: applied first, in this order, in every"
                + " proof; their objects count as existing for the migration-safety rules; they are not delivered"
                + " again"));
    }

    private static ExistingSchema existing(JobInputs inputs, List<Migration> earlier) {
        List<ExistingSchema.Script> scripts = new ArrayList<>(base(inputs));
        earlier.forEach(m -> scripts.add(new ExistingSchema.Script(m.name(), m.up())));
        return ExistingSchema.scan(scripts);
    }

    /**
     * The tables of the job's spec and their access markers, for the grant check of the validation round; none for a
     * spec a model drafted, whose markers are no declared intent (security's confirmed intent decides the grants).
     */
    private List<TableAccess> access(JobInputs inputs) {
        if (inputs.drafted(JobInputs.SPEC)) {
            return List.of();
        }
        JobInputs readable;
        try {
            readable = readable(inputs);
        } catch (DomainSpecReader.InvalidSpecText e) {
            return List.of();
        }
        if (!readable.hasSpec()) {
            return List.of();
        }
        DomainSpecValidator.Validation validation = validator.validate(readable.spec(),
                ExistingSchema.scan(base(readable)));
        return validation.valid() ? access(validation.design(), readable) : List.of();
    }

    /** Each new table's privileges per API role, from the access intent the spec declares (markers and access). */
    private static List<TableAccess> access(SchemaDesign design, JobInputs inputs) {
        AccessIntent intent = SpecAccess.read(inputs.spec()).intent();
        return design.newTables().stream().map(t -> TableAccess.of(t, intent)).toList();
    }

    private static StepOutcome outcome(ResultStatus status, FailureKind kind, String reason, List<Artifact> artifacts,
            List<Finding> findings, List<Evidence> evidence) {
        return new StepOutcome(status, reason, kind, null, artifacts, findings, evidence, null);
    }

    private static String describe(Finding f) {
        return f.message() + (f.object() == null ? "" : " (" + f.object() + (f.line() == null ? "" : ", line "
                + f.line()) + ")");
    }

    private static Set<String> names(List<Migration> migrations) {
        Set<String> names = new LinkedHashSet<>();
        migrations.forEach(m -> names.add(m.name()));
        return names;
    }

    private static String list(Iterable<String> items) {
        List<String> names = new ArrayList<>();
        items.forEach(names::add);
        return names.stream().limit(LISTED).collect(Collectors.joining(", ")) + (names.size() > LISTED ? ", …" : "");
    }

    private static long millisSince(long nanos) {
        return (System.nanoTime() - nanos) / 1_000_000;
    }

    private static String resource(String path) {
        try (InputStream in = DbArchitectEngine.class.getResourceAsStream(path)) {
            if (in == null) {
                throw new IllegalStateException("missing resource " + path);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
