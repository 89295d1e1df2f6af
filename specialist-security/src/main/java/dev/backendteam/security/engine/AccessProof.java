package dev.backendteam.security.engine;

import dev.backendteam.contract.Evidence;
import dev.backendteam.contract.Finding;
import dev.backendteam.contract.Json;
import dev.backendteam.contract.Severity;
import dev.backendteam.contract.access.AccessIntent;
import dev.backendteam.contract.access.SpecAccess;
import dev.backendteam.contract.access.TableIntent;
import dev.backendteam.contract.evidence.EvidenceKind;
import dev.backendteam.contract.evidence.RlsMatrix;
import dev.backendteam.sandbox.SandboxDatabase;
import dev.backendteam.sandbox.ScriptResult;
import dev.backendteam.security.engine.catalog.PolicyCycles;
import dev.backendteam.security.engine.catalog.SchemaCatalog;
import dev.backendteam.security.engine.matrix.RlsMatrixRunner;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/**
 * The checks of the security specialist on one sandbox database, shared by the work step (after its migration is
 * applied) and the validation round: lints judged against the intent, policy recursion, the RLS matrix with its
 * sensitivity, the pgTAP file.
 */
final class AccessProof {
    static final String INTENT = "access intent: every exposed table has rules that fit its columns";
    static final String LINTS = "security lints against the real catalog, judged against the intent";
    static final String RECURSION = "policy recursion: no policy loops through another table's policies";
    static final String MATRIX = "rls matrix: every table x operation x actor, executed";
    static final String SENSITIVITY = "rls matrix sensitivity: weakening each policy changes a cell";
    static final String PGTAP = "pgTAP: the delivered supabase/tests file passes in the sandbox";
    static final String DOWN = "down script restores the grants, row level security and policies";

    static final String RECURSION_RULE = "security.policy-recursion";
    static final String MISMATCH_RULE = "security.rls-matrix-mismatch";

    private AccessProof() {
    }

    /** Applies scripts in order; the first failure is returned as a finding (null when all applied). */
    static Finding apply(SandboxDatabase db, List<SchemaInputs.Script> scripts, String ruleId) {
        for (SchemaInputs.Script s : scripts) {
            ScriptResult r = db.apply(s.sql());
            if (!r.ok()) {
                Finding f = r.error().toFinding(ruleId);
                return new Finding(f.ruleId(), f.severity(), s.name() + ": " + f.object(), f.message(), f.fix(),
                        f.line());
            }
        }
        return null;
    }

    /** The intent's evidence: its rules as data, failed when the access section has problems. */
    static Evidence intent(AccessIntent intent, List<SpecAccess.Problem> problems, long ms) {
        String details = intent.tables().size() + " table(s): " + String.join("; ", intent.tables().stream()
                .map(t -> t.name() + " " + t.source()).toList());
        Evidence e = problems.isEmpty() ? new Evidence(INTENT, true, details, ms)
                : new Evidence(INTENT, false, problems.size() + " problem(s) in the access section: "
                + String.join("; ", problems.stream().map(p -> p.path() + " " + p.message()).toList()), ms);
        return e.with(EvidenceKind.ACCESS_INTENT.wrap(intent));
    }

    /** Policy loops, found from the policy graph before anything runs. */
    static List<Finding> recursion(SchemaCatalog catalog) {
        List<Finding> findings = new ArrayList<>();
        for (List<String> cycle : PolicyCycles.find(catalog)) {
            List<String> loop = new ArrayList<>(cycle);
            loop.add(cycle.get(0));
            findings.add(new Finding(RECURSION_RULE, Severity.ERROR, cycle.get(0), "these policies read each"
                    + " other's tables, so PostgreSQL raises 42P17 \"infinite recursion detected in policy\" on the"
                    + " first query: " + String.join(" → ", loop), "Check membership through a security definer"
                    + " function in a private schema (set search_path = '', execute revoked from anon) instead of"
                    + " reading the table in its own or its partner's policy; the generated policies do that.",
                    null));
        }
        return findings;
    }

    /** The RLS matrix of {@code tables}, weakening every policy on them; evidence for the matrix and sensitivity. */
    static List<Evidence> matrix(SandboxDatabase db, AccessIntent intent, SchemaCatalog catalog, Set<String> tables,
            List<Finding> findings, Function<RlsMatrixRunner, String> pgtap) {
        long started = System.nanoTime();
        RlsMatrixRunner runner = new RlsMatrixRunner(intent, catalog, tables);
        List<RlsMatrixRunner.PolicyRef> policies = new ArrayList<>();
        for (SchemaCatalog.Table t : catalog.tables()) {
            // a table without a primary key has no cells (its rows cannot be addressed): nothing to weaken against
            if (tables.contains(t.qualified()) && !t.primaryKey().isEmpty()) {
                t.policies().forEach(p -> policies.add(new RlsMatrixRunner.PolicyRef(t.qualified(), p.name(),
                        p.command())));
            }
        }
        RlsMatrixRunner.Outcome o = runner.run(db, policies);
        long ms = (System.nanoTime() - started) / 1_000_000;
        List<Evidence> evidence = new ArrayList<>();
        if (o.seedError() != null) {
            evidence.add(new Evidence(MATRIX, false, o.seedError(), ms));
            return evidence;
        }
        int cells = o.matrix().cases().size();
        boolean recursion = o.matrix().cases().stream().anyMatch(c -> "42P17".equals(c.sqlState()));
        if (recursion) {
            findings.add(new Finding(RECURSION_RULE, Severity.ERROR, String.join(", ", o.matrix().cases().stream()
                    .filter(c -> "42P17".equals(c.sqlState())).map(c -> c.table()).distinct().toList()),
                    "executing the matrix raised 42P17 infinite recursion detected in policy", null, null));
        }
        for (String m : o.mismatches()) {
            findings.add(new Finding(MISMATCH_RULE, Severity.ERROR, m.substring(0, m.indexOf(':')), m, null, null));
        }
        long covered = o.matrix().cases().stream().map(RlsMatrix.Case::table).distinct().count();
        List<String> uncovered = tables.stream().filter(t -> o.matrix().cases().stream()
                .noneMatch(c -> c.table().equals(t))).sorted().toList();
        String details = o.mismatches().isEmpty() ? cells + " cells over " + covered
                + " table(s), every verdict as the intent expects (" + count(o, "allow") + " allowed, "
                + count(o, "deny-rls") + " refused by RLS, " + count(o, "deny-grant") + " refused by the grants)"
                + (uncovered.isEmpty() ? "" : "; not exercised, without a primary key to address rows by: "
                + String.join(", ", uncovered))
                : o.mismatches().size() + " of " + cells + " cells differ from the intent: "
                + String.join("; ", o.mismatches().stream().limit(10).toList());
        evidence.add(new Evidence(MATRIX, o.mismatches().isEmpty(), details, ms)
                .with(EvidenceKind.RLS_MATRIX.wrap(o.matrix())));
        long weakened = o.matrix().sensitivity().size();
        evidence.add(new Evidence(SENSITIVITY, o.insensitive().isEmpty(), o.insensitive().isEmpty()
                ? policies.size() + " policies, each dropped and each made true in turn: the matrix changes when any"
                + " one is dropped (" + weakened + " weakenings)"
                : "the matrix proves nothing about " + String.join(", ", o.insensitive()) + ": every cell stays the"
                + " same with the policy dropped", 0));
        if (pgtap != null) {
            String file = pgtap.apply(runner);
            evidence.add(PgTapRun.run(db, file));
        }
        return evidence;
    }

    private static long count(RlsMatrixRunner.Outcome o, String actual) {
        return o.matrix().cases().stream().filter(c -> c.actual().equals(actual)).count();
    }

    /** The tables of the catalog that hold rows of the API: every exposed one, or those the job added. */
    static Set<String> tablesOf(SchemaCatalog after, SchemaCatalog existing, boolean review) {
        Set<String> tables = new LinkedHashSet<>();
        for (SchemaCatalog.Table t : after.tables()) {
            if (review || existing.table(t.qualified()).isEmpty()) {
                tables.add(t.qualified());
            }
        }
        return tables;
    }

    /** The parts of the catalog a down script must restore, per table, as comparable JSON. */
    static String accessState(SchemaCatalog c, Set<String> tables) {
        List<Object> state = new ArrayList<>();
        for (SchemaCatalog.Table t : c.tables()) {
            if (tables.contains(t.qualified())) {
                state.add(Map.of("table", t.qualified(), "rls", t.rls(), "policies", t.policies(), "grants", t.grants()
                        .stream().filter(g -> List.of("public", "anon", "authenticated", "service_role")
                                .contains(g.role())).toList()));
            }
        }
        return Json.write(state);
    }

    static List<TableIntent> tablesWithoutKey(AccessIntent intent, SchemaCatalog catalog) {
        return intent.tables().stream().filter(t -> catalog.table(t.table()).map(x -> x.primaryKey().isEmpty())
                .orElse(false)).toList();
    }
}
