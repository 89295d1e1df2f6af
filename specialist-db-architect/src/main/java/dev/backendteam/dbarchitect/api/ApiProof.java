package dev.backendteam.dbarchitect.api;

import com.fasterxml.jackson.databind.JsonNode;
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
import dev.backendteam.sandbox.ScriptResult;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * The api-data role's sandbox run, in one fresh database under the job's grant model: the existing schema and the
 * bundle's migrations before the API applied; the catalog read and the API derived from it; the API migration up,
 * down (the catalog as before it), up again; then whatever the bundle holds after it; the catalog checks on every
 * exposed view and function; the matrix of calls per actor; a plan per function.
 */
public final class ApiProof {
    public static final String APPLY_SCHEMA = "apply: the existing schema and the bundle before the API, in a fresh"
            + " sandbox";
    public static final String GRANT_MODEL = "grant model: the job's grants input names one the sandbox knows";
    public static final String APPLY = "apply: the API migration (" + ApiDesign.MIGRATION + ")";
    public static final String DOWN = "down: the API migration's down script leaves the catalog as before it";
    public static final String UP_AGAIN = "up again: the API migration applies again after its down script";
    public static final String LINT = "catalog: the exposed schema's views and functions (security, search_path,"
            + " columns)";
    private static final String SNAPSHOT = "/dev/backendteam/dbarchitect/catalog/snapshot.sql";

    /** What went in: the scripts before the API, the API migration (null: derive it), the scripts after it. */
    public record Plan(String label, String grants, List<ExistingSchema.Script> before, Migration api,
            List<Migration> after, JsonNode declaredSpec, JsonNode drafted, ApiOptions options) {
    }

    /** What came out; {@code unavailable} when the sandbox could not be reached. */
    public record Run(ApiCatalog catalog, ApiIntent intent, ApiDesign design, Migration migration,
            List<Evidence> evidence, List<Finding> findings, String unavailable, boolean inputFailed) {

        public boolean passed() {
            return unavailable == null && evidence.stream().noneMatch(Evidence::failed)
                    && findings.stream().noneMatch(f -> f.severity() == Severity.ERROR);
        }
    }

    private final Sandbox sandbox;

    public ApiProof(Sandbox sandbox) {
        this.sandbox = sandbox;
    }

    public Run run(Plan plan, Function<ApiDesign, Migration> migrationOf) {
        List<Evidence> evidence = new ArrayList<>();
        List<Finding> findings = new ArrayList<>();
        GrantModel model;
        try {
            model = plan.grants() == null ? sandbox.settings().grants() : GrantModel.of(plan.grants());
        } catch (IllegalArgumentException e) {
            evidence.add(new Evidence(GRANT_MODEL, false, e.getMessage(), 0));
            return new Run(null, null, null, null, evidence, findings, null, true);
        }
        try (SandboxDatabase db = sandbox.create(plan.label(), sandbox.settings().stepBudget(), model)) {
            Run run = run(db, plan, migrationOf, evidence, findings);
            Evidence.SandboxRun where = new Evidence.SandboxRun(db.grants().wire(), db.serverVersionNum() / 10000
                    + "." + db.serverVersionNum() % 10000);
            List<Evidence> placed = run.evidence().stream().map(e -> e.on(where)).toList();
            return new Run(run.catalog(), run.intent(), run.design(), run.migration(), placed, run.findings(), null,
                    run.inputFailed());
        } catch (SandboxException e) {
            return new Run(null, null, null, null, evidence, findings, "the sandbox could not run the API's proofs: "
                    + e.getMessage(), false);
        }
    }

    private Run run(SandboxDatabase db, Plan plan, Function<ApiDesign, Migration> migrationOf,
            List<Evidence> evidence, List<Finding> findings) {
        long started = System.nanoTime();
        int statements = 0;
        for (ExistingSchema.Script s : plan.before()) {
            ScriptResult r = db.apply(s.sql());
            statements += r.statements().size();
            if (!r.ok()) {
                evidence.add(new Evidence(APPLY_SCHEMA, false, s.source() + ": " + r.error().describe(),
                        millis(started)));
                return new Run(null, null, null, null, evidence, findings, null, true);
            }
        }
        evidence.add(new Evidence(APPLY_SCHEMA, true, plan.before().size() + " script(s), " + statements
                + " statement(s) applied", millis(started)));
        ApiCatalog before = ApiCatalog.read(db);
        ApiIntent intent = ApiIntent.resolve(plan.declaredSpec(), plan.drafted(), before);
        ApiDesign design = ApiDesign.derive(before, intent, plan.options());
        findings.addAll(intent.findings());
        findings.addAll(design.findings());
        Migration api = plan.api() != null ? plan.api() : migrationOf.apply(design);
        List<String> snapshot = snapshot(db);
        started = System.nanoTime();
        ScriptResult up = db.apply(api.up());
        evidence.add(new Evidence(APPLY, up.ok(), up.ok() ? up.statements().size() + " statement(s) applied"
                : up.error().describe(), millis(started)));
        if (!up.ok()) {
            findings.add(new Finding("proof.apply-failed", Severity.ERROR, api.name(), up.error().describe(),
                    up.error().error().hint(), up.error().line()));
            return new Run(before, intent, design, api, evidence, findings, null, false);
        }
        started = System.nanoTime();
        if (api.down() == null || api.down().isBlank()) {
            evidence.add(Evidence.notRun(DOWN, api.name() + " has no down script"));
            evidence.add(Evidence.notRun(UP_AGAIN, "the down script did not run"));
        } else {
            ScriptResult down = db.apply(api.down());
            List<String> after = down.ok() ? snapshot(db) : List.of();
            if (!down.ok()) {
                evidence.add(new Evidence(DOWN, false, down.error().describe(), millis(started)));
                return new Run(before, intent, design, api, evidence, findings, null, false);
            }
            CatalogDiff diff = new CatalogDiff("before the API migration", "after its down script", snapshot.size(),
                    after.stream().filter(o -> !snapshot.contains(o)).toList(),
                    snapshot.stream().filter(o -> !after.contains(o)).toList());
            boolean same = diff.leftBehind().isEmpty() && diff.missing().isEmpty();
            evidence.add(new Evidence(DOWN, same, same ? "the catalog is as before the API migration ("
                    + diff.compared() + " objects compared)" : "left behind: " + diff.leftBehind() + "; missing: "
                    + diff.missing(), millis(started)).with(EvidenceKind.CATALOG_DIFF.wrap(diff)));
            started = System.nanoTime();
            ScriptResult again = db.apply(api.up());
            evidence.add(new Evidence(UP_AGAIN, again.ok(), again.ok() ? again.statements().size()
                    + " statement(s) applied" : again.error().describe(), millis(started)));
            if (!again.ok()) {
                return new Run(before, intent, design, api, evidence, findings, null, false);
            }
        }
        for (Migration m : plan.after()) {
            ScriptResult r = db.apply(m.up());
            if (!r.ok()) {
                evidence.add(new Evidence(APPLY, false, "the bundle's " + m.name() + " after the API: "
                        + r.error().describe(), 0));
                return new Run(before, intent, design, api, evidence, findings, null, false);
            }
        }
        ApiCatalog catalog = ApiCatalog.read(db);
        started = System.nanoTime();
        List<Finding> lint = new ArrayList<>(ApiLints.check(catalog));
        lint.addAll(ApiLints.own(catalog, design));
        findings.addAll(lint);
        long errors = lint.stream().filter(f -> f.severity() == Severity.ERROR).count();
        evidence.add(new Evidence(LINT, errors == 0, catalog.views().size() + " view(s), " + catalog.functions()
                .size() + " function(s): " + errors + " error(s), " + (lint.size() - errors) + " warning(s)"
                + (lint.isEmpty() ? "" : " — " + String.join("; ", lint.stream().map(f -> f.ruleId() + " "
                + f.object()).limit(6).toList())), millis(started)));
        ApiMatrix.Result matrix = new ApiMatrix(catalog, intent, design, db.grants().wire()).run(db);
        evidence.addAll(matrix.evidence());
        findings.addAll(matrix.findings());
        return new Run(catalog, intent, design, api, evidence, findings, null, false);
    }

    private static List<String> snapshot(SandboxDatabase db) {
        return db.query(ApiCatalog.sqlAt(SNAPSHOT)).stream().map(r -> String.valueOf(r.get("item"))).toList();
    }

    private static long millis(long nanos) {
        return (System.nanoTime() - nanos) / 1_000_000;
    }
}
