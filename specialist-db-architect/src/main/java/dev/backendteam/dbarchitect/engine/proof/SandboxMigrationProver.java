package dev.backendteam.dbarchitect.engine.proof;

import dev.backendteam.contract.Evidence;
import dev.backendteam.contract.Finding;
import dev.backendteam.contract.Severity;
import dev.backendteam.contract.evidence.CatalogDiff;
import dev.backendteam.contract.evidence.EvidenceKind;
import dev.backendteam.dbarchitect.engine.Migration;
import dev.backendteam.dbarchitect.engine.design.ExistingSchema;
import dev.backendteam.sandbox.GrantModel;
import dev.backendteam.sandbox.Sandbox;
import dev.backendteam.sandbox.SandboxDatabase;
import dev.backendteam.sandbox.SandboxException;
import dev.backendteam.sandbox.ScriptError;
import dev.backendteam.sandbox.ScriptResult;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Proves migrations in a disposable database of the sandbox ({@code libs/sandbox}), cloned under the job's grant
 * model: applies the base and the migrations in order, inspects the catalog (queries in {@code catalog/*.sql}),
 * checks the API roles' grants against the tables' access markers ({@link GrantCheckRule}), applies the down scripts
 * in reverse and compares a catalog snapshot with the one taken before the migrations (a {@code catalog-diff}), then
 * applies the migrations again. Each check that ran is one {@link Evidence} saying the grant model and server version
 * it ran on; the first failing script stops the proof, with a finding at its line.
 */
public final class SandboxMigrationProver implements MigrationProver {
    public static final String APPLY_FAILED = "proof.apply-failed";
    public static final String DOWN_NOT_CHECKED = "proof.down-not-checked";
    private static final String CATALOG = "/dev/backendteam/dbarchitect/catalog/";
    private static final int LISTED = 10;

    /** A catalog check: its evidence name and the query listing (table, offending item) rows. */
    private record CatalogCheck(String check, String query) {
    }

    private static final List<CatalogCheck> CHECKS = List.of(
            new CatalogCheck(CATALOG_PRIMARY_KEYS, sql("no-primary-key.sql")),
            new CatalogCheck(CATALOG_FOREIGN_KEY_INDEXES, sql("unindexed-foreign-keys.sql")),
            new CatalogCheck(CATALOG_TIMESTAMPTZ, sql("timestamp-without-time-zone.sql")),
            new CatalogCheck(CATALOG_UPDATED_AT_TRIGGERS, sql("updated-at-without-trigger.sql")));
    private static final String TABLES = sql("tables.sql");
    private static final String SNAPSHOT = sql("snapshot.sql");
    private static final String API_PRIVILEGES = sql("api-privileges.sql");
    private static final String COLUMNS = sql("columns.sql");

    private final Sandbox sandbox;

    public SandboxMigrationProver(Sandbox sandbox) {
        this.sandbox = sandbox;
    }

    @Override
    public Proof prove(ProofPlan plan) {
        if (plan.migrations().isEmpty() && !plan.hasBaseline()) {
            return new Proof(List.of(), List.of());
        }
        List<Evidence> evidence = new ArrayList<>();
        List<Finding> findings = new ArrayList<>();
        GrantModel model = plan.grants() == null ? sandbox.settings().grants() : GrantModel.of(plan.grants());
        try (SandboxDatabase db = sandbox.create(plan.label(), sandbox.settings().stepBudget(), model)) {
            run(db, plan, evidence, findings);
            Evidence.SandboxRun where = new Evidence.SandboxRun(db.grants().wire(), version(db.serverVersionNum()));
            evidence.replaceAll(e -> e.on(where));
        } catch (SandboxException e) {
            return Proof.unavailable("the sandbox could not run the proof: " + e.getMessage(), evidence);
        }
        return new Proof(evidence, findings);
    }

    private void run(SandboxDatabase db, ProofPlan plan, List<Evidence> evidence, List<Finding> findings) {
        if (plan.hasBaseline() && !applyBase(db, plan.base(), evidence, findings)) {
            return;
        }
        Set<String> before = tables(db);
        if (plan.migrations().isEmpty()) {
            catalog(db, before, "the existing schema", evidence);
            if (plan.replay() != null) {
                replayAfter(db, plan.replay(), null, evidence);
            }
            return;
        }
        List<String> snapshot = snapshot(db);
        ProofPlan.Replay replay = plan.replay();
        int pause = replay == null ? -1 : Math.max(0, Math.min(replay.fixFrom(), plan.migrations().size()));
        Boolean[] objectBefore = new Boolean[1];
        if (!applyAll(db, plan.migrations(), APPLY, evidence, findings, pause, () -> {
            objectBefore[0] = exists(db, replay.object());
            replayBefore(db, replay, evidence);
        })) {
            return;
        }
        Set<String> created = new LinkedHashSet<>(tables(db));
        created.removeAll(before);
        catalog(db, created, "the migrations", evidence);
        if (!plan.access().isEmpty()) {
            grants(db, plan.access(), evidence, findings);
        }
        if (replay != null) {
            replayAfter(db, replay, objectBefore[0], evidence);
        }

        List<String> withoutDown = plan.migrations().stream().filter(m -> m.down() == null || m.down().isBlank())
                .map(Migration::name).toList();
        if (!withoutDown.isEmpty()) {
            findings.add(new Finding(DOWN_NOT_CHECKED, Severity.WARN, String.join(", ", withoutDown), "the down"
                    + " scripts were not applied: " + String.join(", ", withoutDown) + " ha"
                    + (withoutDown.size() == 1 ? "s" : "ve") + " none, so rolling back cannot be proven",
                    "Give every migration a down script that removes exactly what its up script adds.", null));
            evidence.add(Evidence.notRun(DOWN, "not every migration has a down script: " + list(withoutDown)));
            evidence.add(Evidence.notRun(UP_AGAIN, "the down scripts did not run"));
            return;
        }
        long started = System.nanoTime();
        List<Migration> reversed = new ArrayList<>(plan.migrations());
        Collections.reverse(reversed);
        for (Migration m : reversed) {
            ScriptResult down = db.apply(m.down());
            if (!down.ok()) {
                evidence.add(new Evidence(DOWN, false, "down script of " + m.name() + ": "
                        + down.error().describe(), millisSince(started)));
                findings.add(failure(m.name() + " (down)", down.error()));
                return;
            }
        }
        List<String> after = snapshot(db);
        CatalogDiff diff = new CatalogDiff("before the migrations", "after the down scripts", snapshot.size(),
                after.stream().filter(o -> !snapshot.contains(o)).toList(),
                snapshot.stream().filter(o -> !after.contains(o)).toList());
        evidence.add(new Evidence(DOWN, after.equals(snapshot), difference(diff), millisSince(started))
                .with(EvidenceKind.CATALOG_DIFF.wrap(diff)));
        applyAll(db, plan.migrations(), UP_AGAIN, evidence, findings, -1, null);
    }

    @Override
    public SchemaProbe probe(ProbePlan plan) {
        GrantModel model = plan.grants() == null ? sandbox.settings().grants() : GrantModel.of(plan.grants());
        long started = System.nanoTime();
        try (SandboxDatabase db = sandbox.create(plan.label(), sandbox.settings().stepBudget(), model)) {
            List<SchemaProbe.Step> steps = new ArrayList<>();
            steps.add(new SchemaProbe.Step(null, exists(db, plan.object()),
                    StatementReplay.replay(db, plan.statement())));
            for (ExistingSchema.Script script : plan.scripts()) {
                ScriptResult applied = db.apply(script.sql());
                if (!applied.ok()) {
                    Evidence failed = new Evidence(PROBE, false, script.source() + ": " + applied.error().describe(),
                            millisSince(started));
                    return new SchemaProbe(steps, catalog(db), script.source(), applied.error().describe(),
                            List.of(on(db, failed)), null, null);
                }
                steps.add(new SchemaProbe.Step(script.source(), exists(db, plan.object()),
                        StatementReplay.replay(db, plan.statement())));
            }
            SchemaProbe.Step last = steps.get(steps.size() - 1);
            Evidence done = new Evidence(PROBE, true, plan.scripts().size() + " script(s) applied; after them "
                    + (plan.object() == null ? "" : plan.object().describe() + (last.objectExists() == null
                    ? " (relation unknown)" : Boolean.TRUE.equals(last.objectExists()) ? " exists" : " is missing")
                    + "; ") + "the statement: " + last.replay().describe(), millisSince(started));
            return new SchemaProbe(steps, catalog(db), null, null, List.of(on(db, done)), null, null);
        } catch (SandboxException e) {
            return SchemaProbe.unavailable("the sandbox could not check the diagnosis: " + e.getMessage());
        }
    }

    private static Evidence on(SandboxDatabase db, Evidence e) {
        return e.on(new Evidence.SandboxRun(db.grants().wire(), version(db.serverVersionNum())));
    }

    private static SchemaCatalog catalog(SandboxDatabase db) {
        List<SchemaCatalog.Column> columns = new ArrayList<>();
        for (Map<String, Object> row : db.query(COLUMNS)) {
            columns.add(new SchemaCatalog.Column(String.valueOf(row.get("schema_name")),
                    String.valueOf(row.get("table_name")), String.valueOf(row.get("kind")),
                    String.valueOf(row.get("column_name")), String.valueOf(row.get("column_type")),
                    Boolean.TRUE.equals(row.get("not_null")), Boolean.TRUE.equals(row.get("primary_key"))));
        }
        return new SchemaCatalog(columns);
    }

    /**
     * Whether the object is in the catalog as the kind of relation the statement needs; null when there is nothing to
     * look for (no object, or no relation).
     */
    private static Boolean exists(SandboxDatabase db, CatalogObject object) {
        if (object == null || object.table() == null) {
            return null;
        }
        String schema = object.schema() == null ? "public" : object.schema();
        List<Map<String, Object>> rows = object.isColumn()
                ? db.query("select count(*) as n from pg_attribute a join pg_class c on c.oid = a.attrelid join"
                + " pg_namespace n on n.oid = c.relnamespace where n.nspname = ? and c.relname = ? and a.attname = ?"
                + " and a.attnum > 0 and not a.attisdropped and strpos(?, c.relkind::text) > 0", schema,
                object.table(), object.column(), object.relkinds())
                // a relation of another kind (a table where nextval() needs a sequence) is not what the statement needs
                : db.query("select count(*) as n from pg_class c join pg_namespace n on n.oid = c.relnamespace"
                + " where n.nspname = ? and c.relname = ? and strpos(?, c.relkind::text) > 0", schema,
                object.table(), object.relkinds());
        return ((Number) rows.get(0).get("n")).longValue() > 0;
    }

    private static void replayBefore(SandboxDatabase db, ProofPlan.Replay replay, List<Evidence> evidence) {
        long started = System.nanoTime();
        StatementReplay.Outcome before = StatementReplay.replay(db, replay.statement());
        if (!before.ran()) {
            evidence.add(Evidence.notRun(REPLAY_BEFORE, before.notRun()));
            return;
        }
        boolean reproduced = replay.sqlState() == null ? !before.resolves() : before.failsWith(replay.sqlState());
        evidence.add(new Evidence(REPLAY_BEFORE, reproduced, (reproduced ? "reproduced: " : "not reproduced"
                + (replay.sqlState() == null ? "" : " (expected SQLSTATE " + replay.sqlState() + ")") + ": ")
                + before.describe(), millisSince(started)));
    }

    private static void replayAfter(SandboxDatabase db, ProofPlan.Replay replay, Boolean objectBefore,
            List<Evidence> evidence) {
        long started = System.nanoTime();
        StatementReplay.Outcome after = StatementReplay.replay(db, replay.statement());
        if (!after.ran()) {
            evidence.add(Evidence.notRun(REPLAY_AFTER, after.notRun()));
        } else {
            boolean fixed = after.resolves() && (replay.sqlState() == null || !after.failsWith(replay.sqlState()));
            evidence.add(new Evidence(REPLAY_AFTER, fixed, (fixed ? "fixed: " : "still failing: ")
                    + after.describe(), millisSince(started)));
        }
        Boolean objectAfter = exists(db, replay.object());
        if (objectBefore != null && objectAfter != null) {
            boolean ok = !objectBefore && objectAfter;
            evidence.add(new Evidence(OBJECT_BEFORE_AFTER, ok, (replay.object().sequence() ? "sequence " : "")
                    + replay.object().describe() + ": "
                    + (objectBefore ? "present" : "missing") + " before the fix, " + (objectAfter ? "present"
                    : "missing") + " after it", millisSince(started)));
        }
    }

    /** What running scripts in order did: statements and time in all, and the script that failed, if one did. */
    private record Run(int statements, long millis, ExistingSchema.Script failed, ScriptError error) {
        boolean ok() {
            return failed == null;
        }
    }

    /** Applies {@code scripts} in order until one fails. */
    private static Run runInOrder(SandboxDatabase db, List<ExistingSchema.Script> scripts) {
        long millis = 0;
        int statements = 0;
        for (ExistingSchema.Script script : scripts) {
            ScriptResult up = db.apply(script.sql());
            millis += up.durationMs();
            statements += up.statements().size();
            if (!up.ok()) {
                return new Run(statements, millis, script, up.error());
            }
        }
        return new Run(statements, millis, null, null);
    }

    /** The existing schema, script by script, as one evidence; false when a script failed. */
    private static boolean applyBase(SandboxDatabase db, List<ExistingSchema.Script> base, List<Evidence> evidence,
            List<Finding> findings) {
        Run run = runInOrder(db, base);
        if (!run.ok()) {
            evidence.add(new Evidence(APPLY_BASELINE, false, run.failed().source() + ": " + run.error().describe(),
                    run.millis()));
            findings.add(failure(run.failed().source(), run.error()));
            return false;
        }
        evidence.add(new Evidence(APPLY_BASELINE, true, base.size() + " script(s) (" + list(base.stream()
                .map(ExistingSchema.Script::source).toList()) + "), " + run.statements() + " statement(s) applied",
                run.millis()));
        return true;
    }

    /** The grants the catalog gives the API roles on the tables with access markers, against those markers. */
    private static void grants(SandboxDatabase db, List<TableAccess> access, List<Evidence> evidence,
            List<Finding> findings) {
        long started = System.nanoTime();
        Map<String, Map<String, Set<String>>> held = new HashMap<>();
        for (Map<String, Object> row : db.query(API_PRIVILEGES)) {
            held.computeIfAbsent(String.valueOf(row.get("tbl")), t -> new HashMap<>())
                    .computeIfAbsent(String.valueOf(row.get("role")), r -> new HashSet<>())
                    .add(String.valueOf(row.get("privilege")));
        }
        GrantCheckRule.Result result = GrantCheckRule.check(db.grants().wire(), access, held);
        findings.addAll(result.findings());
        long excess = result.table().rows().stream().filter(r -> r.verdict().equals("excess")).count();
        long missing = result.table().rows().stream().filter(r -> r.verdict().equals("missing")).count();
        evidence.add(new Evidence(CATALOG_GRANTS, result.passed(), access.size() + " table(s) under "
                + db.grants().wire() + " grants: " + excess + " role(s) with more than the markers allow, " + missing
                + " without the grants they need", millisSince(started))
                .with(EvidenceKind.GRANT_CHECK.wrap(result.table())));
    }

    /**
     * Applies every up script in order; one evidence named {@code check}; false when one failed. With
     * {@code pauseAt} ≥ 0, {@code atPause} runs once the migrations before that index are applied.
     */
    private static boolean applyAll(SandboxDatabase db, List<Migration> migrations, String check,
            List<Evidence> evidence, List<Finding> findings, int pauseAt, Runnable atPause) {
        List<ExistingSchema.Script> scripts = migrations.stream()
                .map(m -> new ExistingSchema.Script(m.name(), m.up())).toList();
        Run run;
        if (pauseAt < 0) {
            run = runInOrder(db, scripts);
        } else {
            Run first = runInOrder(db, scripts.subList(0, pauseAt));
            if (first.ok()) {
                atPause.run();
                Run rest = runInOrder(db, scripts.subList(pauseAt, scripts.size()));
                run = new Run(first.statements() + rest.statements(), first.millis() + rest.millis(), rest.failed(),
                        rest.error());
            } else {
                run = first;
            }
        }
        if (!run.ok()) {
            evidence.add(new Evidence(check, false, "migration " + run.failed().source() + ": "
                    + run.error().describe(), run.millis()));
            findings.add(failure(run.failed().source(), run.error()));
            return false;
        }
        evidence.add(new Evidence(check, true, migrations.size() + " migration(s), " + run.statements()
                + " statement(s) applied", run.millis()));
        return true;
    }

    private static void catalog(SandboxDatabase db, Set<String> scope, String what, List<Evidence> evidence) {
        for (CatalogCheck c : CHECKS) {
            long started = System.nanoTime();
            List<String> offending = new ArrayList<>();
            for (Map<String, Object> row : db.query(c.query())) {
                if (scope.contains(String.valueOf(row.get("tbl")))) {
                    offending.add(String.valueOf(row.get("item")));
                }
            }
            String details = offending.isEmpty()
                    ? scope.size() + " table(s) of " + what + " checked"
                    : offending.size() + " of " + what + ": " + list(offending);
            evidence.add(new Evidence(c.check(), offending.isEmpty(), details, millisSince(started)));
        }
    }

    private static Set<String> tables(SandboxDatabase db) {
        Set<String> tables = new LinkedHashSet<>();
        db.query(TABLES).forEach(row -> tables.add(String.valueOf(row.get("tbl"))));
        return tables;
    }

    private static List<String> snapshot(SandboxDatabase db) {
        return db.query(SNAPSHOT).stream().map(row -> String.valueOf(row.get("item"))).toList();
    }

    private static String difference(CatalogDiff d) {
        if (d.leftBehind().isEmpty() && d.missing().isEmpty()) {
            return "the catalog is as before the migrations (" + d.compared() + " objects compared)";
        }
        return (d.leftBehind().isEmpty() ? "" : "left behind: " + list(d.leftBehind())
                + (d.missing().isEmpty() ? "" : "; ")) + (d.missing().isEmpty() ? "" : "missing: " + list(d.missing()));
    }

    /** 170011 → "17.11". */
    static String version(int versionNum) {
        return versionNum / 10000 + "." + versionNum % 10000;
    }

    private static Finding failure(String script, ScriptError error) {
        return new Finding(APPLY_FAILED, Severity.ERROR, script, error.describe(), error.error().hint(),
                error.line());
    }

    private static String list(List<String> items) {
        return items.stream().limit(LISTED).collect(Collectors.joining(", "))
                + (items.size() > LISTED ? ", … (" + items.size() + " in all)" : "");
    }

    private static long millisSince(long nanos) {
        return (System.nanoTime() - nanos) / 1_000_000;
    }

    private static String sql(String name) {
        try (InputStream in = SandboxMigrationProver.class.getResourceAsStream(CATALOG + name)) {
            if (in == null) {
                throw new IllegalStateException("missing resource " + CATALOG + name);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
