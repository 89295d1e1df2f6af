package dev.backendteam.queryoptimizer.rewrite;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.backendteam.sandbox.SandboxDatabase;
import dev.backendteam.sandbox.StatementOutcome;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Proves a rewrite on a sandbox database that holds the schema and data: accepted only when, for every parameter
 * set, the two texts return the same multiset of rows — counted both ways with EXCEPT ALL, so a duplicated, missing
 * or NULL row shows — the original returns some rows (two empty results prove nothing), and the rewrite's generic
 * plan costs less than the original's (where the planner already treats both alike there is nothing to offer).
 *
 * <p>Both run as prepared statements, so their {@code $n} parameters get the types PostgreSQL infers, with the
 * values bound by EXECUTE; {@code plan_cache_mode = force_generic_plan} makes the cost the one of the plan a
 * frequently run query settles on, whatever the values. All of it inside one rolled-back transaction; the prepared
 * statements, which a rollback does not remove, are deallocated.
 */
public final class RewriteProof {
    private static final AtomicLong SEQUENCE = new AtomicLong();
    private static final ObjectMapper JSON = new ObjectMapper();

    public RewriteVerdict prove(SandboxDatabase db, Rewrite rewrite, List<List<Object>> parameterSets) {
        Optional<String> original = oneStatement(rewrite.original());
        Optional<String> rewritten = oneStatement(rewrite.rewritten());
        if (original.isEmpty() || rewritten.isEmpty()) {
            return RewriteVerdict.rejected("not one statement each: the " + (original.isEmpty() ? "original" : "rewrite")
                    + " cannot be read as a single SQL statement", null, null);
        }
        List<List<Object>> sets = parameterSets == null || parameterSets.isEmpty() ? List.of(List.of()) : parameterSets;
        long n = SEQUENCE.incrementAndGet();
        Statements s = new Statements("rewrite_proof_" + n + "_original", "rewrite_proof_" + n + "_rewritten",
                "rewrite_proof_" + n + "_compare");
        return db.inRolledBackTransaction(tx -> {
            List<String> prepared = new ArrayList<>();
            try {
                return check(tx, s, original.get(), rewritten.get(), sets, prepared);
            } finally {
                for (String name : prepared) {
                    tx.execute("deallocate " + name);
                }
            }
        });
    }

    private record Statements(String original, String rewritten, String compare) {
    }

    private RewriteVerdict check(SandboxDatabase.RolledBackTransaction tx, Statements s, String original,
            String rewritten, List<List<Object>> sets, List<String> prepared) throws java.sql.SQLException {
        StatementOutcome mode = tx.execute("set local plan_cache_mode = force_generic_plan");
        if (!mode.ok()) {
            return RewriteVerdict.rejected("cannot force generic plans: " + mode.error().summary(), null, null);
        }
        StatementOutcome a = tx.execute("prepare " + s.original() + " as " + original);
        if (!a.ok()) {
            return RewriteVerdict.rejected("the original does not prepare: " + a.error().summary(), null, null);
        }
        prepared.add(s.original());
        StatementOutcome b = tx.execute("prepare " + s.rewritten() + " as " + rewritten);
        if (!b.ok()) {
            return RewriteVerdict.rejected("the rewrite does not prepare: " + b.error().summary(), null, null);
        }
        prepared.add(s.rewritten());

        String firstArguments = SqlLiteral.arguments(sets.get(0));
        StatementOutcome planA = tx.execute("explain (format json) execute " + s.original() + firstArguments);
        StatementOutcome planB = tx.execute("explain (format json) execute " + s.rewritten() + firstArguments);
        if (!planA.ok() || !planB.ok()) {
            return RewriteVerdict.rejected("cannot plan with parameters " + sets.get(0) + ": "
                    + (planA.ok() ? planB : planA).error().summary(), null, null);
        }
        double before = totalCost(planA);
        double after = totalCost(planB);

        StatementOutcome compare = tx.execute("prepare " + s.compare() + " as select"
                + " (select count(*) from ((" + original + ") except all (" + rewritten + ")) d) as only_original,"
                + " (select count(*) from ((" + rewritten + ") except all (" + original + ")) d) as only_rewritten,"
                + " (select count(*) from (" + original + ") d) as original_rows,"
                + " (select count(*) from (" + rewritten + ") d) as rewritten_rows");
        if (!compare.ok()) {
            return RewriteVerdict.rejected("the results cannot be compared (not the same columns?): "
                    + compare.error().summary(), before, after);
        }
        prepared.add(s.compare());
        long rows = 0;
        for (List<Object> set : sets) {
            StatementOutcome run = tx.execute("execute " + s.compare() + SqlLiteral.arguments(set));
            if (!run.ok()) {
                return RewriteVerdict.rejected("the comparison failed with parameters " + set + ": "
                        + run.error().summary(), before, after);
            }
            Map<String, Object> counts = run.rows().get(0);
            long onlyOriginal = number(counts, "only_original");
            long onlyRewritten = number(counts, "only_rewritten");
            if (onlyOriginal > 0 || onlyRewritten > 0) {
                return RewriteVerdict.rejected("the results differ with parameters " + set + ": " + onlyOriginal
                        + " row(s) only in the original's result, " + onlyRewritten + " only in the rewrite's (original "
                        + number(counts, "original_rows") + " rows, rewrite " + number(counts, "rewritten_rows") + ")",
                        before, after);
            }
            rows += number(counts, "original_rows");
        }
        if (rows == 0) {
            // two empty results prove nothing about the rows a real call returns
            return RewriteVerdict.rejected("the original returned no rows for the values tried: nothing to compare"
                    + " (generic plan total cost " + before + " → " + after + ")", before, after);
        }
        if (after > before) {
            return RewriteVerdict.rejected("the rewrite plans costlier: generic plan total cost " + before + " → "
                    + after, before, after);
        }
        if (after >= before) {
            // the planner already treats both alike (IN becomes a semi-join): nothing to offer
            return RewriteVerdict.rejected("the rewrite plans no cheaper: generic plan total cost " + before + " → "
                    + after, before, after);
        }
        return new RewriteVerdict(true, "same rows for " + sets.size() + " parameter set(s) (" + rows
                + " rows in all); generic plan total cost " + before + " → " + after, before, after);
    }

    /** The text without a trailing semicolon, when it is exactly one statement. */
    static Optional<String> oneStatement(String sql) {
        Optional<SqlTokens> tokens = SqlTokens.of(sql == null ? "" : sql);
        if (tokens.isEmpty() || tokens.get().size() == 0) {
            return Optional.empty();
        }
        SqlTokens t = tokens.get();
        int end = t.size();
        while (end > 0 && t.isPunctuation(end - 1, ";")) {
            end--;
        }
        for (int i = 0; i < end; i++) {
            if (t.isPunctuation(i, ";")) {
                return Optional.empty();
            }
        }
        return end == 0 ? Optional.empty() : Optional.of(t.text(0, end));
    }

    private static double totalCost(StatementOutcome explain) {
        Object plan = explain.rows().get(0).values().iterator().next();
        try {
            return JSON.readTree(plan.toString()).get(0).get("Plan").get("Total Cost").asDouble();
        } catch (IOException e) {
            throw new IllegalStateException("EXPLAIN (FORMAT JSON) gave no plan: " + plan, e);
        }
    }

    private static long number(Map<String, Object> row, String column) {
        return ((Number) row.get(column)).longValue();
    }
}
