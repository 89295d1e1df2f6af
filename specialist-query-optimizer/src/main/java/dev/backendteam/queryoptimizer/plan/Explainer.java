package dev.backendteam.queryoptimizer.plan;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.backendteam.queryoptimizer.sql.SqlText;
import dev.backendteam.sandbox.SandboxDatabase;
import dev.backendteam.sandbox.StatementOutcome;

import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * EXPLAIN in the sandbox, always inside a transaction that is rolled back. A query with {@code $n} parameters is
 * PREPAREd and explained with {@code plan_cache_mode = force_generic_plan} (the plan a prepared statement settles
 * on, independent of values; works on 15 and 17), or with values and a custom plan, or run for real with ANALYZE
 * and BUFFERS. {@code hidden} indexes are dropped inside that transaction first, so one set of built indexes answers
 * "what would the plan be without these" at the price of a catalog change that is rolled back.
 */
public final class Explainer {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final AtomicInteger NAMES = new AtomicInteger();

    private final SandboxDatabase db;

    public Explainer(SandboxDatabase db) {
        this.db = db;
    }

    /** The generic plan (no values), with {@code hidden} indexes out of the planner's sight. */
    public PlanNode generic(WorkloadQuery q, Collection<String> hidden) {
        return plan(q, hidden, null, false);
    }

    /** The custom plan for these values (each sent as a literal the parameter's type reads). */
    public PlanNode custom(WorkloadQuery q, List<String> values) {
        return plan(q, List.of(), values, false);
    }

    /** The custom plan for these values with {@code hidden} indexes out of sight. */
    public PlanNode custom(WorkloadQuery q, List<String> values, Collection<String> hidden) {
        return plan(q, hidden, values, false);
    }

    /** Runs the query {@code runs} times with EXPLAIN (ANALYZE, BUFFERS): the run of median time. */
    public PlanNode measured(WorkloadQuery q, List<String> values, int runs) {
        List<PlanNode> all = new ArrayList<>();
        for (int i = 0; i < runs; i++) {
            all.add(plan(q, List.of(), values, true));
        }
        all.sort(Comparator.comparingDouble(p -> p.actualTotalMs() == null ? 0 : p.actualTotalMs()));
        return all.get(all.size() / 2);
    }

    private PlanNode plan(WorkloadQuery q, Collection<String> hidden, List<String> values, boolean analyze) {
        String name = "qo_plan_" + NAMES.incrementAndGet();
        return db.inRolledBackTransaction(tx -> {
            for (String index : hidden) {
                check(tx.execute("drop index " + index), "hide index " + index);
            }
            if (q.role() != null) {
                tx.actAs(q.role(), q.claims());
            }
            check(tx.execute("select set_config('plan_cache_mode', ?, true)", values == null ? "force_generic_plan"
                    : "force_custom_plan"), "set plan_cache_mode");
            check(tx.execute("prepare " + name + " as " + SqlText.forJdbc(q.sql())), "prepare " + q.name());
            try {
                List<String> args = new ArrayList<>();
                for (int i = 0; i < q.parameters(); i++) {
                    args.add(values == null || i >= values.size() ? "null" : SqlText.literal(values.get(i)));
                }
                String execute = "execute " + name + (args.isEmpty() ? "" : "(" + String.join(", ", args) + ")");
                StatementOutcome out = check(tx.execute("explain (" + (analyze ? "analyze, buffers, " : "")
                        + "verbose, format json) " + execute), "explain " + q.name());
                return PlanNode.ofExplain(json(out));
            } finally {
                tx.execute("deallocate " + name);
            }
        });
    }

    private static StatementOutcome check(StatementOutcome out, String what) throws SQLException {
        if (!out.ok()) {
            throw new PlanException(what + " failed: " + out.error().summary(), out.error().sqlState());
        }
        return out;
    }

    private static JsonNode json(StatementOutcome out) {
        Object cell = out.rows().get(0).values().iterator().next();
        try {
            return JSON.readTree(String.valueOf(cell));
        } catch (JsonProcessingException e) {
            throw new PlanException("EXPLAIN returned no JSON: " + e.getOriginalMessage(), null);
        }
    }
}
