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
import dev.backendteam.security.engine.policy.Identifiers;
import dev.backendteam.security.engine.policy.PolicyWriter;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
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
    static final String NOT_A_GRANT_RULE = "security.diagnosis-not-a-grant";
    static final String REPRODUCED = "diagnosis reproduced: the statement the log shows is refused before the fix";
    static final String REPLAYED = "diagnosis fixed: the statement replayed as every actor after the fix";
    static final String MATRIX = "rls matrix of the diagnosed table and operation, executed";
    static final String SENSITIVITY = "rls matrix sensitivity: dropping each policy of the operation changes a cell";
    static final String LINTS = "security lints: the fix brings no error on the table";
    private static final Pattern NAMED = Pattern.compile("(?i)(?:for table|for relation|on table)\\s+\\\\?\"?"
            + "([\\w$]+(?:\\.[\\w$]+)?)");
    /** {@code permission denied for sequence posts_id_seq}: the kind of object whose privilege is refused, and its name. */
    private static final Pattern DENIED_FOR = Pattern.compile("(?i)permission denied for (table|relation|view|sequence"
            + "|schema|function|procedure|routine)\\s+\\\\?\"?([\\w$]+(?:\\.[\\w$]+)?)");
    /** {@code must be owner of table posts}: only the owner may; no grant makes another role one. */
    private static final Pattern OWNER = Pattern.compile("(?i)must be owner of ((?:materialized )?[a-z]+)\\s+\\\\?\"?"
            + "([\\w$]+(?:\\.[\\w$]+)?)");
    /** {@code permission denied to create extension "pg_cron"}: a role attribute or a server privilege, not a grant. */
    private static final Pattern DENIED_TO = Pattern.compile("(?i)permission denied to ([^\\r\\n(]+)");
    private static final String SEQUENCE_OWNER = "select sn.nspname || '.' || s.relname as seq, tn.nspname || '.'"
            + " || t.relname as tbl, a.attname as col from pg_class s join pg_namespace sn on sn.oid = s.relnamespace"
            + " join pg_depend dep on dep.classid = 'pg_class'::regclass and dep.objid = s.oid and dep.refclassid ="
            + " 'pg_class'::regclass and dep.deptype in ('a', 'i') join pg_class t on t.oid = dep.refobjid join"
            + " pg_namespace tn on tn.oid = t.relnamespace join pg_attribute a on a.attrelid = t.oid and a.attnum ="
            + " dep.refobjsubid where s.relkind = 'S' and sn.nspname = ? and s.relname = ?";
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

    /** The kind of object a "permission denied for …" names ({@code table}, {@code sequence}, …), else null. */
    static String deniedKind(Diagnosis d) {
        Matcher m = d.error() == null ? null : DENIED_FOR.matcher(d.error());
        return m != null && m.find() ? m.group(1).toLowerCase(Locale.ROOT) : null;
    }

    /**
     * When the 42501 is not a privilege on a table that a grant or policy fixes — an ownership ("must be owner of"), a
     * role attribute or server privilege ("permission denied to create extension", "… to set parameter"), a schema's
     * or function's privilege — the finding naming what must change; security delivers no migration for it.
     */
    static Optional<Finding> notATableGrant(Diagnosis d) {
        if (d.error() == null) {
            return Optional.empty();
        }
        String error = d.error().replace("\\\"", "\"");
        Matcher owner = OWNER.matcher(error);
        if (owner.find()) {
            String what = owner.group(1).toLowerCase(Locale.ROOT) + " " + owner.group(2);
            return Optional.of(new Finding(NOT_A_GRANT_RULE, Severity.ERROR, owner.group(2), "\"" + owner.group()
                    + "\": only the owner of " + what + " (or a member of its owning role) may run that statement —"
                    + " altering or dropping it, its row level security, policies or triggers. No grant or policy makes"
                    + " another role its owner: the statement (usually a migration) ran as the wrong role.",
                    "Run the migration as " + what + "'s owner — on Supabase the postgres role (the SQL editor,"
                    + " supabase db push, or psql as postgres), not authenticated or a client's key — or have the"
                    + " owner run `alter " + owner.group(1).toLowerCase(Locale.ROOT) + " " + owner.group(2) + " owner"
                    + " to <the role that runs the migrations>`.", null));
        }
        Matcher to = DENIED_TO.matcher(error);
        if (to.find()) {
            String action = to.group(1).strip().replaceAll("[.,;:]+$", "");
            return Optional.of(new Finding(NOT_A_GRANT_RULE, Severity.ERROR, null, "\"permission denied to " + action
                    + "\": the role lacks a role attribute or server privilege (superuser, createrole, a parameter's"
                    + " SET privilege, an extension's trust), which no table grant or policy gives.",
                    "Run it as a role that may " + action + " — on Supabase the postgres role (the SQL editor,"
                    + " supabase db push, or psql as postgres; extensions from the dashboard or `create extension …"
                    + " with schema extensions`), not authenticated or a client's key.", null));
        }
        String kind = deniedKind(d);
        if ("schema".equals(kind) || "function".equals(kind) || "procedure".equals(kind) || "routine".equals(kind)) {
            Matcher m = DENIED_FOR.matcher(error);
            m.find();
            boolean schema = kind.equals("schema");
            return Optional.of(new Finding(NOT_A_GRANT_RULE, Severity.ERROR, m.group(2), "\"" + m.group() + "\": the"
                    + " role lacks " + (schema ? "usage" : "execute") + " on " + kind + " " + m.group(2) + ", not a"
                    + " privilege on a table; security's diagnosis fix writes table grants and policies only.",
                    "Grant it to the API roles that need it, as its owner: `grant " + (schema ? "usage on schema "
                    + m.group(2) : "execute on " + kind + " " + m.group(2) + "(<argument types>)") + " to"
                    + " authenticated;` (and service_role) — or call it from a schema they may use.", null));
        }
        return Optional.empty();
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
        Optional<Owned> sequence = "sequence".equals(deniedKind(d)) ? owned(db, d) : Optional.empty();
        if ("sequence".equals(deniedKind(d)) && sequence.isEmpty()) {
            return StepOutcome.needsInput(sequenceQuestion(d), List.of());
        }
        Optional<String> found = sequence.map(Owned::table).or(() -> resolve(named(d), before));
        if (found.isEmpty()) {
            return StepOutcome.needsInput(question(d, named(d), true), List.of());
        }
        String table = found.get();
        IntentResolver.Resolution resolution = IntentResolver.resolve(IntentResolver.declaredSpec(task.inputs()), before);
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
        if (sequence.isPresent()) {
            return sequenceFix(db, d, intent, t, before, sequence.get(), findings, evidence);
        }
        List<Operation> ops = new ArrayList<>(operations(d));
        boolean guessed = ops.isEmpty();
        if (guessed && !Set.of("table", "relation", "view").contains(String.valueOf(deniedKind(d)))) {
            return StepOutcome.needsInput("The log shows no statement, and its error " + (d.error() == null ? ""
                    : "(\"" + d.error() + "\") ") + "does not say which privilege on " + table + " is refused. Add the"
                    + " statement that failed (as the server or PostgREST logged it) and answer.", findings);
        }
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
        Artifact migration = Artifact.migration("fix_" + before.table(table).orElseThrow().name() + "_"
                + String.join("_", fixed.stream().map(Operation::wire).toList()) + "_access", up.toString(),
                String.join("\n", downs), Specialist.SECURITY);
        return applyAndProve(db, intent, before, table, fixed, statement, lintsBefore, migration, findings, evidence);
    }

    /** Applies the fix migration and proves it ({@link #prove}), then its down script and the up again. */
    private StepOutcome applyAndProve(SandboxDatabase db, AccessIntent intent, SchemaCatalog before, String table,
            List<Operation> fixed, String statement, List<Finding> lintsBefore, Artifact migration,
            List<Finding> findings, List<Evidence> evidence) {
        List<Artifact> artifacts = List.of(migration);
        ScriptResult applied = db.apply(migration.content());
        if (!applied.ok()) {
            findings.add(applied.error().toFinding(SecurityEngine.APPLY_RULE));
            return new StepOutcome(ResultStatus.FAILED, "the fix does not apply: " + applied.error().describe(),
                    FailureKind.PROOF_FAILED, null, artifacts, findings, evidence, null);
        }
        SchemaCatalog after = CatalogReader.read(db);
        evidence.addAll(prove(db, intent, after, table, fixed, statement, lintsBefore, findings));
        evidence.add(SecurityEngine.downRestores(db, migration.down(), migration.content(), before, Set.of(table)));
        return finish(artifacts, findings, evidence);
    }

    /** A sequence the error names and the table column that owns it (a serial key, an identity). */
    record Owned(String sequence, String table, String column) {
    }

    /** The sequence a "permission denied for sequence" names, with its owning column in the job's schema. */
    static Optional<Owned> owned(SandboxDatabase db, Diagnosis d) {
        Matcher m = DENIED_FOR.matcher(d.error());
        if (!m.find()) {
            return Optional.empty();
        }
        String[] parts = m.group(2).split("\\.");
        List<Map<String, Object>> rows = db.query(SEQUENCE_OWNER, parts.length == 2 ? parts[0] : "public",
                parts[parts.length - 1]);
        return rows.isEmpty() ? Optional.empty() : Optional.of(new Owned(String.valueOf(rows.get(0).get("seq")),
                String.valueOf(rows.get(0).get("tbl")), String.valueOf(rows.get(0).get("col"))));
    }

    /** PostgreSQL's "permission denied for sequence …": the insert's nextval(), not the table, refused it. */
    private static boolean refusedOnSequence(StatementReplay.Run run) {
        return "42501".equals(run.sqlState()) && run.error() != null
                && run.error().startsWith("permission denied for sequence");
    }

    private static String sequenceQuestion(Diagnosis d) {
        Matcher m = DENIED_FOR.matcher(d.error());
        String name = m.find() ? m.group(2) : "the sequence the error names";
        return "The debugger found SQLSTATE 42501 (\"" + d.error() + "\") on sequence " + name + ", but no table of the"
                + " job's schema owns such a sequence (a serial or identity column) to reproduce and fix it from. Add"
                + " the `create table` whose key uses it, with its current grants (`\\dp " + name + "`), as `sql`, or"
                + " the project's migrations as `files`, and answer.";
    }

    /** The insert the owning table's users run: the statement's, else one leaving the sequence's column to its default. */
    private static String insertUsing(Diagnosis d, SchemaCatalog.Table table, Owned owned) {
        if (d.hasStatement() && StatementReplay.operationOf(d.statement()) == Operation.INSERT) {
            return d.statement();
        }
        List<String> columns = table.columns().stream().filter(SchemaCatalog.Column::writable)
                .map(SchemaCatalog.Column::name).filter(c -> !c.equals(owned.column())).toList();
        List<String> params = new ArrayList<>();
        for (int i = 1; i <= columns.size(); i++) {
            params.add("$" + i);
        }
        return "insert into " + Identifiers.qualified(owned.table()) + " (" + String.join(", ", columns.stream()
                .map(Identifiers::ident).toList()) + ") values (" + String.join(", ", params) + ")";
    }

    /**
     * "permission denied for sequence": the owning table's insert takes its key from the sequence, and the roles its
     * intent lets insert lack usage on it (Supabase grants nothing by default since 2026-10-30). The fix grants usage
     * and select on the sequence to them, proven by the insert as the owner: refused before, allowed after.
     */
    private StepOutcome sequenceFix(SandboxDatabase db, Diagnosis d, AccessIntent intent, TableIntent t,
            SchemaCatalog before, Owned owned, List<Finding> findings, List<Evidence> evidence) {
        String table = owned.table();
        String statement = insertUsing(d, before.table(table).orElseThrow(), owned);
        StatementReplay replay = new StatementReplay(intent, before, table, Operation.INSERT, statement);
        Optional<Actor> actor = replay.actor();
        if (actor.isEmpty()) {
            return StepOutcome.needsInput("The " + t.source() + " intent of " + table + " gives no signed-in user"
                    + " insert (only service_role), so no user needs " + owned.sequence() + ". If users should insert"
                    + " there, answer with a spec holding `access: {" + t.name() + ": {insert: [owner]}}`.", findings);
        }
        StatementReplay.Run run = replay.run(db, List.of(actor.get()), List.of()).get(0);
        boolean refused = refusedOnSequence(run);
        evidence.add(new Evidence(REPRODUCED + " (insert)", refused, refused ? actor.get().name() + " ("
                + actor.get().role() + ", claims sub " + actor.get().user() + ") runs `" + run.sql() + "` and is"
                + " refused on the sequence of " + table + "." + owned.column() + ": " + run.error()
                : "the insert does not fail on the sequence as the log says: " + run.describe(), 0));
        if (!refused) {
            return run.verdict() == Verdict.ALLOW ? StepOutcome.needsInput("Replayed on the job's schema, `" + run.sql()
                    + "` succeeds as " + actor.get().name() + ", so the database that raised the error differs from"
                    + " that schema. Add the grants on " + owned.sequence() + " as deployed (`\\dp " + owned.sequence()
                    + "`) to `sql` and answer.", findings) : new StepOutcome(ResultStatus.FAILED, "the diagnosed error"
                    + " does not reproduce: `" + run.sql() + "` " + run.describe(), FailureKind.INVALID_INPUT, null,
                    List.of(), findings, evidence, null);
        }
        String q = Identifiers.qualified(owned.sequence());
        StringBuilder up = new StringBuilder("-- Grants on ").append(owned.sequence()).append(", the key sequence of ")
                .append(table).append(", to the roles its intent lets insert.\n");
        StringBuilder down = new StringBuilder("-- Revokes what the fix granted on ").append(owned.sequence())
                .append(".\n");
        List<String> changes = new ArrayList<>();
        for (String role : List.of("anon", "authenticated", "service_role")) {
            if (!role.equals("service_role") && !t.privileges(role).contains(Operation.INSERT)) {
                continue;
            }
            List<String> missing = new ArrayList<>();
            for (String privilege : List.of("usage", "select")) {
                List<Map<String, Object>> held = db.query("select has_sequence_privilege(?, ?, ?) as held",
                        role, owned.sequence(), privilege);
                if (!Boolean.TRUE.equals(held.get(0).get("held"))) {
                    missing.add(privilege);
                }
            }
            if (missing.isEmpty()) {
                continue;
            }
            up.append("grant ").append(String.join(", ", missing)).append(" on sequence ").append(q).append(" to ")
                    .append(role).append(";\n");
            down.append("revoke ").append(String.join(", ", missing)).append(" on sequence ").append(q).append(" from ")
                    .append(role).append(";\n");
            changes.add("grant " + String.join(", ", missing) + " on sequence " + owned.sequence() + " to " + role);
        }
        findings.add(new Finding(FIX_RULE, Severity.ERROR, owned.sequence(), (d.rule() == null ? "42501" : d.rule())
                + ": insert on " + table + " takes " + owned.column() + " from sequence " + owned.sequence() + ", on"
                + " which the roles its intent (" + t.source() + ") lets insert hold no usage (since 2026-10-30"
                + " Supabase grants nothing by default in public); the fix", String.join("; ", changes), null));
        Artifact migration = Artifact.migration("fix_" + before.table(table).orElseThrow().name() + "_insert_access",
                up.toString(), down.toString(), Specialist.SECURITY);
        return applyAndProve(db, intent, before, table, List.of(Operation.INSERT), statement,
                tableLints(db, intent, before, table), migration, findings, evidence);
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
        boolean onSequence = "sequence".equals(deniedKind(d));
        Optional<Owned> sequence = onSequence ? owned(db, d) : Optional.empty();
        Optional<String> named = sequence.map(Owned::table).or(() -> onSequence ? Optional.empty()
                : resolve(named(d), existing));
        List<Operation> ops = onSequence ? List.of(Operation.INSERT) : operations(d);
        String statement = sequence.isPresent() ? insertUsing(d, existing.table(named.get()).orElseThrow(),
                sequence.get()) : d.hasStatement() ? d.statement() : null;
        List<Finding> lintsBefore = List.of();
        if (named.isPresent()) {
            AccessIntent intent = IntentResolver.resolve(IntentResolver.declaredSpec(task.inputs()), existing).intent();
            lintsBefore = tableLints(db, intent, existing, named.get());
            for (Operation op : ops) {
                StatementReplay replay = new StatementReplay(intent, existing, named.get(), op, statement);
                Optional<Actor> actor = replay.actor();
                if (actor.isPresent()) {
                    StatementReplay.Run run = replay.run(db, List.of(actor.get()), List.of()).get(0);
                    evidence.add(new Evidence(REPRODUCED + " (" + op.wire() + ", without the bundle)", run.refused()
                            || onSequence && refusedOnSequence(run), run.describe(), 0));
                }
            }
        }
        failed = AccessProof.apply(db, in.added(), SecurityEngine.APPLY_RULE);
        if (failed != null) {
            return new StepOutcome(ResultStatus.SUCCEEDED, null, null, null, List.of(), List.of(failed),
                    List.of(new Evidence("apply the bundle", false, failed.message(), 0)), null);
        }
        SchemaCatalog after = CatalogReader.read(db);
        Optional<String> table = onSequence ? owned(db, d).map(Owned::table) : resolve(named(d), after);
        if (table.isEmpty()) {
            return StepOutcome.checked(new Evidence(REPLAYED, false, "the bundle has no table " + named(d)
                    + " to replay the diagnosis on", 0));
        }
        IntentResolver.Resolution resolution = IntentResolver.resolve(IntentResolver.declaredSpec(task.inputs()), after);
        evidence.add(AccessProof.intent(resolution.intent(), resolution.problems(), 0));
        if (ops.isEmpty()) {
            // the work step chose the operations; its migration's name says which
            ops = fixedOperations(task, after.table(table.get()).orElseThrow().name());
        }
        if (statement == null && table.isPresent() && onSequence) {
            statement = insertUsing(d, after.table(table.get()).orElseThrow(), owned(db, d).orElseThrow());
        }
        evidence.addAll(prove(db, resolution.intent(), after, table.get(), ops, statement, lintsBefore, findings));
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
