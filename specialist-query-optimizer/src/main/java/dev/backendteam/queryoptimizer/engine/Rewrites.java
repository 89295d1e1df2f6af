package dev.backendteam.queryoptimizer.engine;

import dev.backendteam.contract.Evidence;
import dev.backendteam.contract.Finding;
import dev.backendteam.contract.Severity;
import dev.backendteam.queryoptimizer.advisor.IndexAdvisor;
import dev.backendteam.queryoptimizer.rewrite.QueryRewriter;
import dev.backendteam.queryoptimizer.rewrite.Rewrite;
import dev.backendteam.queryoptimizer.rewrite.RewriteProof;
import dev.backendteam.queryoptimizer.rewrite.RewriteVerdict;
import dev.backendteam.sandbox.SandboxDatabase;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Rewrites of the workload's queries, offered only when proven on the generated data (with the index set in place):
 * the same multiset of rows for the values the query was run with, and a cheaper plan.
 */
final class Rewrites {
    private static final QueryRewriter REWRITER = new QueryRewriter();

    private Rewrites() {
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
