package dev.backendteam.queryoptimizer.engine;

import dev.backendteam.contract.Evidence;
import dev.backendteam.contract.Finding;
import dev.backendteam.contract.Severity;
import dev.backendteam.contract.llm.ModelSession;
import dev.backendteam.contract.llm.RepairLoop;
import dev.backendteam.contract.llm.StructuredDraft;
import dev.backendteam.queryoptimizer.advisor.Identifiers;
import dev.backendteam.queryoptimizer.advisor.IndexAdvisor;
import dev.backendteam.queryoptimizer.engine.ai.RewriteDrafter;
import dev.backendteam.queryoptimizer.plan.Explainer;
import dev.backendteam.queryoptimizer.plan.PlanNode;
import dev.backendteam.queryoptimizer.rewrite.QueryRewriter;
import dev.backendteam.queryoptimizer.rewrite.Rewrite;
import dev.backendteam.queryoptimizer.rewrite.RewriteProof;
import dev.backendteam.queryoptimizer.rewrite.RewriteVerdict;
import dev.backendteam.sandbox.SandboxDatabase;
import dev.backendteam.sandbox.ScriptResult;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Rewrites of the workload's queries, offered only when proven on the generated data (with the index set in place):
 * the same multiset of rows for the values the query was run with, and a cheaper plan.
 */
final class Rewrites {
    private static final QueryRewriter REWRITER = new QueryRewriter();

    private Rewrites() {
    }

    public static final String MODEL_CHECK = "model draft: rewrites of the workload, proven on the generated data";

    /**
     * A model's rewrites of the workload's queries, proven like the catalogue's; only proven ones are offered, and a
     * refused answer (its rewrites not proven after two repairs) costs nothing but a note: rewrites are offers.
     */
    static void proveDrafted(ModelSession model, SandboxDatabase db, IndexAdvisor.Advice advice,
            List<Finding> findings, List<Evidence> evidence) {
        List<RewriteDrafter.Target> targets = new ArrayList<>();
        Map<String, IndexAdvisor.QueryResult> byName = new java.util.LinkedHashMap<>();
        for (IndexAdvisor.QueryResult r : advice.queries()) {
            if (r.query().role() == null && targets.size() < 10) {
                PlanNode plan = r.runAfter() != null ? r.runAfter() : r.genericAfter();
                targets.add(new RewriteDrafter.Target(r.query().name(), r.query().sql(), plan == null ? "?"
                        : plan.shape()));
                byName.put(r.query().name(), r);
            }
        }
        if (targets.isEmpty()) {
            return;
        }
        long started = System.nanoTime();
        RewriteProof proof = new RewriteProof();
        Map<String, RewriteDrafter.Proven> proven = new java.util.LinkedHashMap<>();
        RepairLoop.Outcome<StructuredDraft.Answer> outcome;
        try {
            outcome = new RewriteDrafter(model).draft(targets, (t, w) -> proof.prove(db, w,
                    List.of(new ArrayList<>(byName.get(t.name()).values()))), proven,
                    (name, table, columns) -> tryIndex(db, byName.get(name), name, table, columns));
        } catch (dev.backendteam.contract.llm.ModelFailedException
                | dev.backendteam.contract.llm.BudgetExceededException e) {
            // an offer the model could not make is no failure of the step: the indexes stand proven without it
            evidence.add(Evidence.notRun(MODEL_CHECK, e.getMessage()));
            return;
        }
        evidence.add(new Evidence(MODEL_CHECK, outcome.accepted(), model.provider() + " " + model.modelName() + ": "
                + outcome.reason() + (outcome.accepted() ? ", " + proven.size() + " rewrite(s) proven" : ""),
                (System.nanoTime() - started) / 1_000_000));
        if (!outcome.accepted()) {
            outcome.findings("nothing: rewrites are offers").forEach(f -> findings.add(new Finding(f.ruleId(),
                    Severity.INFO, f.object(), f.message(), f.fix(), f.line())));
            return;
        }
        proven.forEach((name, p) -> findings.add(new Finding("query-optimizer.rewrite", Severity.INFO, name,
                "a model's rewrite: " + p.rewrite().why() + " (proven: same rows on the generated data, planned cost "
                        + String.format(Locale.ROOT, "%.1f → %.1f", p.verdict().costBefore(), p.verdict().costAfter())
                        + ")", p.rewrite().rewritten(), null)));
    }

    private static final java.util.regex.Pattern NAME = java.util.regex.Pattern.compile("[A-Za-z_][A-Za-z0-9_]{0,62}");

    /** The model's try_index tool: an index built on the generated data, the query planned with it, dropped. */
    static String tryIndex(SandboxDatabase db, IndexAdvisor.QueryResult r, String query, String table,
            List<String> columns) {
        if (r == null) {
            return "error: there is no query named '" + query + "'";
        }
        String[] parts = table.split("\\.", 2);
        if (!java.util.Arrays.stream(parts).allMatch(p -> NAME.matcher(p).matches()) || columns.isEmpty()
                || columns.size() > 3 || !columns.stream().allMatch(c -> NAME.matcher(c).matches())) {
            return "error: a table name and one to three column names (letters, digits, _)";
        }
        String on = java.util.Arrays.stream(parts).map(Identifiers::quote).collect(java.util.stream.Collectors
                .joining(".")) + " (" + columns.stream().map(Identifiers::quote).collect(java.util.stream.Collectors
                .joining(", ")) + ")";
        Explainer explainer = new Explainer(db);
        try {
            double before = explainer.custom(r.query(), r.values()).totalCost();
            ScriptResult built = db.apply("create index qo_try on " + on);
            if (built.error() != null) {
                return "error: the index could not be built: " + built.error().error().summary();
            }
            try {
                PlanNode after = explainer.custom(r.query(), r.values());
                return String.format(Locale.ROOT, "%s with an index on %s: planned cost %.1f → %.1f (%s)", query,
                        on, before, after.totalCost(), after.shape());
            } finally {
                db.apply("drop index if exists qo_try");
            }
        } catch (dev.backendteam.queryoptimizer.plan.PlanException e) {
            return "error: " + e.getMessage();
        }
    }

    static void prove(SandboxDatabase db, IndexAdvisor.Advice advice, List<Finding> findings, List<Evidence> evidence) {
        RewriteProof proof = new RewriteProof();
        for (IndexAdvisor.QueryResult r : advice.queries()) {
            if (r.query().role() != null) {
                continue;
            }
            for (Rewrite w : REWRITER.propose(r.query().sql())) {
                long started = System.nanoTime();
                List<Object> values = new ArrayList<>(r.values());
                RewriteVerdict v = proof.prove(db, w, List.of(values));
                String check = "rewrite " + w.ruleId() + " of " + r.query().name();
                long ms = (System.nanoTime() - started) / 1_000_000;
                if (v.accepted()) {
                    evidence.add(new Evidence(check, true, String.format(Locale.ROOT, "same rows on the generated"
                            + " data; planned cost %.1f → %.1f", v.costBefore(), v.costAfter()), ms));
                    // NOT IN and NOT EXISTS differ once a NULL comes in: the data proves today's rows, a constraint
                    // proves tomorrow's
                    String caveat = w.ruleId().equals("rewrite.not-in-subquery-to-not-exists") ? "; the same rows"
                            + " here, and in general only while both columns are NOT NULL: add the constraints first"
                            : "";
                    findings.add(new Finding("query-optimizer.rewrite", Severity.INFO, r.query().name(), w.why()
                            + " (proven: same rows, planned cost " + String.format(Locale.ROOT, "%.1f → %.1f",
                            v.costBefore(), v.costAfter()) + caveat + ")", w.rewritten(), null));
                } else {
                    findings.add(Finding.info("query-optimizer.rewrite-rejected", r.query().name(), "the "
                            + w.ruleId() + " rewrite is not offered: " + v.reason()));
                }
            }
        }
    }
}
