package dev.backendteam.security.engine;

import dev.backendteam.contract.Artifact;
import dev.backendteam.contract.Diagnosis;
import dev.backendteam.contract.Evidence;
import dev.backendteam.contract.EvidenceStatus;
import dev.backendteam.contract.FailureKind;
import dev.backendteam.contract.Finding;
import dev.backendteam.contract.ResultStatus;
import dev.backendteam.contract.Severity;
import dev.backendteam.contract.Specialist;
import dev.backendteam.contract.StepOutcome;
import dev.backendteam.contract.TaskEvent;
import dev.backendteam.contract.access.AccessIntent;
import dev.backendteam.contract.access.Operation;
import dev.backendteam.contract.access.TableIntent;
import dev.backendteam.contract.evidence.EvidenceKind;
import dev.backendteam.contract.evidence.RlsMatrix;
import dev.backendteam.sandbox.SandboxDatabase;
import dev.backendteam.sandbox.ScriptResult;
import dev.backendteam.sandbox.ScriptSplitter;
import dev.backendteam.sandbox.SqlStatement;
import dev.backendteam.security.engine.catalog.CatalogReader;
import dev.backendteam.security.engine.catalog.SchemaCatalog;
import dev.backendteam.security.engine.intent.IntentResolver;
import dev.backendteam.security.engine.matrix.Actor;
import dev.backendteam.security.engine.matrix.RlsMatrixRunner;
import dev.backendteam.security.engine.matrix.StatementReplay;
import dev.backendteam.security.engine.matrix.Verdict;
import dev.backendteam.security.engine.policy.AccessFix;
import dev.backendteam.security.engine.policy.PolicyWriter;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A 42501 the debugger diagnosed (README, "Fixing what the debugger diagnosed"): the table the error names, the
 * failing statement replayed in the sandbox as the actor the log implies to show it is refused and by which layer,
 * the smallest grant or policy fix the table's intent requires, and its proof — the statement now allowed for the
 * owner and still refused to a stranger and anon, the RLS matrix of that table and operation, the lints (no error the
 * fix brings), down and up again. With no schema holding the table, a question naming it.
 */
final class DiagnosedAccess {
    static final Set<String> RULES = Set.of("postgres.rls-violation", "postgres.insufficient-privilege");
    static final String FIX_RULE = "security.diagnosis-fix";
    static final String REPRODUCED = "diagnosis reproduced: the statement the log shows is refused before the fix";
    static final String REPLAYED = "diagnosis fixed: the statement replayed as every actor after the fix";
    static final String MATRIX = "rls matrix of the diagnosed table and operation, executed";
    static final String SENSITIVITY = "rls matrix sensitivity: dropping each policy of the operation changes a cell";
    static final String LINTS = "security lints: the fix brings no error on the table";
    private static final Pattern NAMED = Pattern.compile("(?i)(?:for table|for relation|on table)\\s+\\\\?\"?"
            + "([\\w$]+(?:\\.[\\w$]+)?)");
    private static final Pattern IN_STATEMENT = Pattern.compile("(?i)\\b(?:insert\\s+into|update|delete\\s+from|from)"
            + "\\s+(?:only\\s+)?(\"?[\\w$]+\"?(?:\\.\"?[\\w$]+\"?)?)");

    /** Writes the fix of one operation; the engine's is the intent's ({@link AccessFix}), tests break it. */
    @FunctionalInterface
    interface FixWriter {
        AccessFix.Fix write(AccessFix fix, boolean rlsRefused);
    }

    static final FixWriter INTENT = (fix, rls) -> rls ? fix.grantsAndPolicies() : fix.grants();

    private final SecurityLints lints;
    private final FixWriter writer;

    DiagnosedAccess(SecurityLints lints, FixWriter writer) {
        this.lints = lints;
        this.writer = writer;
    }

    static boolean concerns(Diagnosis d) {
        return RULES.contains(d.rule()) || "42501".equals(d.sqlstate());
    }

    /** The table the diagnosis names: its object, else the table the error or the statement names; null if none. */
    static String named(Diagnosis d) {
        if (d.object() != null && !d.object().isBlank()) {
            return d.object().replace("\"", "").strip();
        }
        if (d.error() != null) {
            Matcher m = NAMED.matcher(d.error());
            if (m.find()) {
                return m.group(1);
            }
        }
        if (d.hasStatement()) {
            Matcher m = IN_STATEMENT.matcher(d.statement());
            if (m.find()) {
                return m.group(1).replace("\"", "");
            }
        }
        return null;
    }

    /** The question when the job holds no schema with the table. */
    static String question(Diagnosis d, String table, boolean schemaGiven) {
        String name = table == null ? "the table the error names" : "table " + table;
        return "The debugger found " + (d.sqlstate() == null ? "a permission error" : "SQLSTATE " + d.sqlstate())
                + (d.error() == null ? "" : " (\"" + d.error() + "\")") + " on " + name + ", but "
                + (schemaGiven ? "the job's schema has no such table" : "the job holds no schema") + " to reproduce"
                + " and fix it from. Add " + (table == null ? "the table's name, " : "") + "its `create table`, and"
                + " its current row level security, policies and grants (`alter table … enable row level security`,"
                + " `create policy …`, `grant …`, as in `pg_dump --schema-only --table " + (table == null ? "<table>"
                : table) + "`) as `sql`, or the project's migrations as `files`, and answer.";
    }

    /** The operations to fix: the statement's, else the one the error implies (a new row: insert), else none known. */
    static List<Operation> operations(Diagnosis d) {
        Operation op = StatementReplay.operationOf(d.statement());
        if (op != null) {
            return List.of(op);
        }
        if ("postgres.rls-violation".equals(d.rule()) || d.error() != null && d.error().toLowerCase(Locale.ROOT)
                .contains("new row violates")) {
            return List.of(Operation.INSERT);
        }
        return List.of();
    }

    static Optional<String> resolve(String named, SchemaCatalog catalog) {
        if (named == null) {
            return Optional.empty();
        }
        String[] parts = named.split("\\.");
        List<String> candidates = new ArrayList<>();
        if (parts.length >= 2) {
            candidates.add(parts[0] + "." + parts[1]);
            candidates.add("public." + parts[0]);
        }
        candidates.add("public." + parts[0]);
        return candidates.stream().filter(c -> catalog.table(c).isPresent()).findFirst();
    }

    /** The work step on a sandbox holding the job's schema. */
    StepOutcome work(TaskEvent task, Diagnosis d, SchemaInputs in, SandboxDatabase db) {
        Finding failed = AccessProof.apply(db, in.existing(), SecurityEngine.APPLY_RULE);
        if (failed == null) {
            failed = AccessProof.apply(db, in.added(), SecurityEngine.APPLY_RULE);
        }
        if (failed != null) {
            return StepOutcome.failed(FailureKind.INVALID_INPUT, "the schema given does not apply: "
                    + failed.message(), List.of(failed));
        }
        SchemaCatalog before = CatalogReader.read(db);
        Optional<String> found = resolve(named(d), before);
        if (found.isEmpty()) {
            return StepOutcome.needsInput(question(d, named(d), true), List.of());
        }
        String table = found.get();
        IntentResolver.Resolution resolution = IntentResolver.resolve(task.inputs().spec(), before);
        AccessIntent intent = resolution.intent();
        List<Finding> findings = new ArrayList<>();
        List<Evidence> evidence = new ArrayList<>();
        evidence.add(AccessProof.intent(intent, resolution.problems(), 0));
        if (!resolution.problems().isEmpty()) {
            resolution.problems().forEach(p -> findings.add(new Finding("spec.access", Severity.ERROR, p.path(),
                    p.message(), null, null)));
            return new StepOutcome(ResultStatus.FAILED, "the access section does not fit the schema",
                    FailureKind.INVALID_INPUT, null, List.of(), findings, evidence, null);
        }
        TableIntent t = intent.table(table).orElseThrow();
        t.assumptions().forEach(a -> findings.add(Finding.info(SecurityEngine.ASSUMPTION_RULE, table, a)));
        if (before.table(table).orElseThrow().primaryKey().isEmpty()) {
            return StepOutcome.needsInput("Table " + table + " has no primary key, so its rows cannot be addressed to"
                    + " replay the statement and prove a fix: add one (db-architect) and answer.", findings);
        }
        List<Operation> ops = new ArrayList<>(operations(d));
        boolean guessed = ops.isEmpty();
        if (guessed) {
            // "permission denied" without a statement: every operation the intent gives a user and the database refuses
            ops.addAll(List.of(Operation.SELECT, Operation.INSERT, Operation.UPDATE, Operation.DELETE));
        }
        List<Finding> lintsBefore = tableLints(db, intent, before, table);
        StringBuilder up = new StringBuilder();
        List<String> downs = new ArrayList<>();
        List<Operation> fixed = new ArrayList<>();
        List<String> changes = new ArrayList<>();
        String statement = d.hasStatement() ? d.statement() : null;
        for (Operation op : ops) {
            StatementReplay replay = new StatementReplay(intent, before, table, op, statement);
            Optional<Actor> actor = replay.actor();
            if (actor.isEmpty()) {
                if (guessed) {
                    continue;
                }
                return StepOutcome.needsInput("The " + t.source() + " intent of " + table + " gives no signed-in user "
                        + op.wire() + " (only service_role), so the refusal the log shows is what that intent means."
                        + " If users should " + op.wire() + " there, answer with a spec holding `access: {"
                        + t.name() + ": {" + op.wire() + ": [owner]}}` (or the grantees they are).", findings);
            }
            StatementReplay.Run run = replay.run(db, List.of(actor.get()), List.of()).get(0);
            // "permission denied" names the grant layer: without a statement, only what it refuses is the error's
            if (guessed && run.verdict() != Verdict.DENY_GRANT) {
                continue;
            }
            evidence.add(new Evidence(REPRODUCED + " (" + op.wire() + ")", run.refused(), run.refused()
                    ? actor.get().name() + " (" + actor.get().role() + ", claims sub " + actor.get().user() + ") runs `"
                    + run.sql() + "` and is refused by " + (run.verdict() == Verdict.DENY_GRANT
                    ? "the grant layer (the role lacks the privilege in the catalog)" : "row level security")
                    + ": " + run.error() : "the statement does not fail as the log says: " + run.describe(), 0));
            if (run.verdict() == Verdict.ALLOW) {
                return StepOutcome.needsInput("Replayed on the job's schema, `" + run.sql() + "` succeeds as "
                        + actor.get().name() + ", so the database that raised the error differs from that schema."
                        + " Add " + table + "'s current row level security, policies and grants as deployed (`select *"
                        + " from pg_policies where tablename = '" + before.table(table).orElseThrow().name() + "'`,"
                        + " `\\dp " + table + "`) to `sql` and answer.", findings);
            }
            if (!run.refused()) {
                findings.add(new Finding(FIX_RULE, Severity.ERROR, table, "the replayed statement fails with "
                        + run.sqlState() + " rather than the 42501 the log shows: " + run.error(), null, null));
                return new StepOutcome(ResultStatus.FAILED, "the diagnosed error does not reproduce: `" + run.sql()
                        + "` fails with " + run.sqlState() + ": " + run.error(), FailureKind.INVALID_INPUT, null,
                        List.of(), findings, evidence, null);
            }
            AccessFix fix = new AccessFix(intent, before, table, op);
            AccessFix.Fix f;
            if (fix.whole()) {
                f = fix.rewrite(CatalogReader.schemaExists(db, PolicyWriter.PRIVATE),
                        CatalogReader.functions(db, PolicyWriter.PRIVATE));
            } else {
                boolean rls = run.verdict() == Verdict.DENY_RLS;
                if (!rls) {
                    // the grant may not be all: try it (rolled back) and see whether the policies then let the owner
                    // in and keep the others out as the intent says
                    AccessFix.Fix grants = writer.write(fix, false);
                    rls = !replay.run(db, replay.actors(), statements(grants.up())).stream()
                            .allMatch(StatementReplay.Run::asExpected);
                }
                f = writer.write(fix, rls);
            }
            up.append(f.up()).append("\n");
            downs.add(0, f.down());
            changes.addAll(f.changes());
            fixed.add(op);
            findings.add(new Finding(FIX_RULE, Severity.ERROR, table, cause(d, op, run, t), String.join("; ",
                    f.changes()), null));
            if (fix.whole()) {
                break;
            }
        }
        if (fixed.isEmpty()) {
            return StepOutcome.needsInput("No operation on " + table + " that its intent gives a signed-in user is"
                    + " refused on the job's schema, so the database that raised the error differs from it. Add the"
                    + " failing statement, and " + table + "'s current policies and grants as deployed, and answer.",
                    findings);
        }
        String upSql = up.toString();
        String downSql = String.join("\n", downs);
        List<Artifact> artifacts = List.of(Artifact.migration("fix_" + before.table(table).orElseThrow().name() + "_"
                + String.join("_", fixed.stream().map(Operation::wire).toList()) + "_access", upSql, downSql,
                Specialist.SECURITY));
        ScriptResult applied = db.apply(upSql);
        if (!applied.ok()) {
            findings.add(applied.error().toFinding(SecurityEngine.APPLY_RULE));
            return new StepOutcome(ResultStatus.FAILED, "the fix does not apply: " + applied.error().describe(),
                    FailureKind.PROOF_FAILED, null, artifacts, findings, evidence, null);
        }
        SchemaCatalog after = CatalogReader.read(db);
        evidence.addAll(prove(db, intent, after, table, fixed, statement, lintsBefore, findings));
        evidence.add(SecurityEngine.downRestores(db, downSql, upSql, before, Set.of(table)));
        return finish(artifacts, findings, evidence);
    }

    /** The validation round: without the bundle the statement is still refused; with it, the proof holds again. */
    StepOutcome validate(TaskEvent task, Diagnosis d, SchemaInputs in, SandboxDatabase db) {
        List<Evidence> evidence = new ArrayList<>();
        List<Finding> findings = new ArrayList<>();
        Finding failed = AccessProof.apply(db, in.existing(), SecurityEngine.APPLY_RULE);
        if (failed != null) {
            return new StepOutcome(ResultStatus.SUCCEEDED, null, null, null, List.of(), List.of(failed),
                    List.of(new Evidence("apply the bundle", false, failed.message(), 0)), null);
        }
        SchemaCatalog existing = CatalogReader.read(db);
        Optional<String> named = resolve(named(d), existing);
        List<Operation> ops = operations(d);
        List<Finding> lintsBefore = List.of();
        if (named.isPresent()) {
            AccessIntent intent = IntentResolver.resolve(task.inputs().spec(), existing).intent();
            lintsBefore = tableLints(db, intent, existing, named.get());
            for (Operation op : ops) {
                StatementReplay replay = new StatementReplay(intent, existing, named.get(), op,
                        d.hasStatement() ? d.statement() : null);
                Optional<Actor> actor = replay.actor();
                if (actor.isPresent()) {
                    StatementReplay.Run run = replay.run(db, List.of(actor.get()), List.of()).get(0);
                    evidence.add(new Evidence(REPRODUCED + " (" + op.wire() + ", without the bundle)", run.refused(),
                            run.describe(), 0));
                }
            }
        }
        failed = AccessProof.apply(db, in.added(), SecurityEngine.APPLY_RULE);
        if (failed != null) {
            return new StepOutcome(ResultStatus.SUCCEEDED, null, null, null, List.of(), List.of(failed),
                    List.of(new Evidence("apply the bundle", false, failed.message(), 0)), null);
        }
        SchemaCatalog after = CatalogReader.read(db);
        Optional<String> table = resolve(named(d), after);
        if (table.isEmpty()) {
            return StepOutcome.checked(new Evidence(REPLAYED, false, "the bundle has no table " + named(d)
                    + " to replay the diagnosis on", 0));
        }
        IntentResolver.Resolution resolution = IntentResolver.resolve(task.inputs().spec(), after);
        evidence.add(AccessProof.intent(resolution.intent(), resolution.problems(), 0));
        if (ops.isEmpty()) {
            // the work step chose the operations; its migration's name says which
            ops = fixedOperations(task, after.table(table.get()).orElseThrow().name());
        }
        evidence.addAll(prove(db, resolution.intent(), after, table.get(), ops, d.hasStatement() ? d.statement()
                : null, lintsBefore, findings));
        return new StepOutcome(ResultStatus.SUCCEEDED, null, null, null, List.of(), findings, evidence, null);
    }

    /**
     * The fix's proof on a database that has it: the statement as every actor of the table (owner allowed, strangers
     * and anon refused, service_role allowed, as the intent says), the table's matrix for the operations, each of
     * their policies dropped in turn, and the lints.
     */
    List<Evidence> prove(SandboxDatabase db, AccessIntent intent, SchemaCatalog after, String table,
            List<Operation> ops, String statement, List<Finding> lintsBefore, List<Finding> findings) {
        List<Evidence> evidence = new ArrayList<>();
        for (Operation op : ops) {
            long started = System.nanoTime();
            StatementReplay replay = new StatementReplay(intent, after, table, op, statement);
            List<StatementReplay.Run> runs = replay.run(db, replay.actors(), List.of());
            List<StatementReplay.Run> wrong = runs.stream().filter(r -> !r.asExpected()).toList();
            evidence.add(new Evidence(REPLAYED + " (" + op.wire() + ")", wrong.isEmpty(), (wrong.isEmpty()
                    ? "as the intent says: " : "not as the intent says — " + String.join("; ", wrong.stream()
                    .map(r -> r.describe() + " (expected " + (r.expectedAllowed() ? "allow" : "a refusal") + ")")
                    .toList()) + "; all: ") + String.join("; ", runs.stream().map(StatementReplay.Run::describe)
                    .toList()) + " — `" + (runs.isEmpty() ? "" : runs.get(0).sql()) + "`", millis(started)));
        }
        evidence.addAll(matrix(db, intent, after, table, ops, findings));
        long started = System.nanoTime();
        Set<String> was = new HashSet<>(lintsBefore.stream().map(DiagnosedAccess::key).toList());
        List<Finding> now = tableLints(db, intent, after, table);
        List<Finding> brought = now.stream().filter(f -> (f.severity() == Severity.ERROR
                || f.ruleId().equals(SecurityEngine.LINT_FAILED)) && !was.contains(key(f))).toList();
        findings.addAll(brought);
        now.stream().filter(f -> f.severity() == Severity.ERROR && was.contains(key(f))).forEach(f -> findings.add(
                new Finding(f.ruleId(), Severity.WARN, f.object(), "(there before the fix, outside the diagnosis) "
                        + f.message(), f.fix(), f.line())));
        evidence.add(new Evidence(LINTS, brought.isEmpty(), brought.isEmpty() ? "no error the fix brings on " + table
                + " (" + now.size() + " finding(s) on it in all)" : brought.size() + " error(s) the fix brings: "
                + String.join("; ", brought.stream().map(f -> f.ruleId() + " " + f.object()).toList()),
                millis(started)));
        return evidence;
    }

    /** The matrix of the table: the cells of the fixed operations must all match; the others are reported. */
    private static List<Evidence> matrix(SandboxDatabase db, AccessIntent intent, SchemaCatalog after, String table,
            List<Operation> ops, List<Finding> findings) {
        long started = System.nanoTime();
        Set<String> kinds = new LinkedHashSet<>();
        for (Operation op : ops) {
            kinds.add(op.wire());
            switch (op) {
                case INSERT -> {
                    kinds.add("insert-foreign");
                    kinds.add("bootstrap");
                }
                case UPDATE -> kinds.add("update-move");
                default -> { }
            }
        }
        List<RlsMatrixRunner.PolicyRef> policies = after.table(table).orElseThrow().policies().stream()
                .filter(p -> ops.stream().anyMatch(op -> op.wire().equals(p.command())))
                .map(p -> new RlsMatrixRunner.PolicyRef(table, p.name(), p.command())).toList();
        RlsMatrixRunner.Outcome o = new RlsMatrixRunner(intent, after, Set.of(table)).run(db, policies);
        long ms = (System.nanoTime() - started) / 1_000_000;
        if (o.seedError() != null) {
            return List.of(new Evidence(MATRIX, false, o.seedError(), ms));
        }
        List<RlsMatrix.Case> mine = o.matrix().cases().stream().filter(c -> kinds.contains(c.operation())).toList();
        List<RlsMatrix.Case> bad = mine.stream().filter(c -> !c.ok()).toList();
        o.matrix().cases().stream().filter(c -> !kinds.contains(c.operation()) && !c.ok()).forEach(c -> findings.add(
                new Finding(AccessProof.MISMATCH_RULE, Severity.WARN, table, "outside the diagnosis: " + c.table()
                        + "/" + c.operation() + "/" + c.actor() + " expected " + c.expected() + ", got " + c.actual()
                        + " — a security review of the schema fixes the rest", null, null)));
        bad.forEach(c -> findings.add(new Finding(AccessProof.MISMATCH_RULE, Severity.ERROR, table, c.table() + "/"
                + c.operation() + "/" + c.actor() + ": expected " + c.expected() + ", got " + c.actual()
                + (c.error() == null ? "" : ": " + c.error()), null, null)));
        List<Evidence> evidence = new ArrayList<>();
        evidence.add(new Evidence(MATRIX, bad.isEmpty() && !mine.isEmpty(), mine.isEmpty() ? "no cell of " + kinds
                + " on " + table : bad.isEmpty() ? mine.size() + " cells of " + String.join(", ", kinds) + " on "
                + table + ", every verdict as the intent expects: " + String.join("; ", mine.stream().map(c ->
                c.operation() + "/" + c.actor() + " " + c.actual()).toList()) : bad.size() + " of " + mine.size()
                + " cells differ from the intent: " + String.join("; ", bad.stream().map(c -> c.operation() + "/"
                + c.actor() + " expected " + c.expected() + ", got " + c.actual()).toList()), ms)
                .with(EvidenceKind.RLS_MATRIX.wrap(new RlsMatrix(o.matrix().grants(), mine, o.matrix().sensitivity()))));
        if (!policies.isEmpty()) {
            evidence.add(new Evidence(SENSITIVITY, o.insensitive().isEmpty(), o.insensitive().isEmpty()
                    ? policies.size() + " polic" + (policies.size() == 1 ? "y" : "ies") + " of " + String.join(", ",
                    ops.stream().map(Operation::wire).toList()) + " on " + table + ": dropping any one changes a cell"
                    : "the matrix proves nothing about " + String.join(", ", o.insensitive()), 0));
        }
        return evidence;
    }

    private List<Finding> tableLints(SandboxDatabase db, AccessIntent intent, SchemaCatalog catalog, String table) {
        return lints.lint(db, intent, catalog).stream().filter(f -> f.object() == null && f.ruleId()
                .equals(SecurityEngine.LINT_FAILED) || f.object() != null && (f.object().equals(table)
                || f.object().startsWith(table + "."))).toList();
    }

    private static String key(Finding f) {
        return f.ruleId() + "|" + f.object();
    }

    private static String cause(Diagnosis d, Operation op, StatementReplay.Run run, TableIntent t) {
        return (d.rule() == null ? "42501" : d.rule()) + ": " + op.wire() + " on " + t.table() + " is refused by "
                + (run.verdict() == Verdict.DENY_GRANT ? "the grant layer — the role holds no " + op.wire()
                + " privilege (since 2026-10-30 Supabase grants nothing by default in public)"
                : "row level security — no " + op.wire() + " policy lets the row through")
                + ", while its intent (" + t.source() + ": " + String.join(", ", t.rule(op).stream()
                .map(g -> g.kind().name().toLowerCase(Locale.ROOT)).toList()) + ") gives it; the fix";
    }

    private static List<String> statements(String script) {
        return ScriptSplitter.split(script).stream().map(SqlStatement::sql).toList();
    }

    /** The operations the delivered fix migration names ({@code fix_<table>_<ops>_access}). */
    private static List<Operation> fixedOperations(TaskEvent task, String table) {
        List<Operation> ops = new ArrayList<>();
        task.artifacts().stream().filter(a -> Specialist.SECURITY.id().equals(a.producedBy()) && a.name() != null
                && a.name().startsWith("fix_" + table + "_") && a.name().endsWith("_access")).forEach(a -> {
                    for (Operation op : Operation.values()) {
                        if (a.name().substring(("fix_" + table).length()).contains("_" + op.wire() + "_")) {
                            ops.add(op);
                        }
                    }
                });
        return ops;
    }

    private static StepOutcome finish(List<Artifact> artifacts, List<Finding> findings, List<Evidence> evidence) {
        List<Evidence> failing = evidence.stream().filter(e -> e.status() == EvidenceStatus.FAILED).toList();
        if (!failing.isEmpty()) {
            return new StepOutcome(ResultStatus.FAILED, "the proof failed: " + String.join("; ", failing.stream()
                    .map(e -> e.check() + " — " + e.details()).toList()), FailureKind.PROOF_FAILED, null, artifacts,
                    findings, evidence, null);
        }
        return new StepOutcome(ResultStatus.SUCCEEDED, null, null, null, artifacts, findings, evidence, null);
    }

    private static long millis(long started) {
        return (System.nanoTime() - started) / 1_000_000;
    }
}
