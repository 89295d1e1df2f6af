package dev.backendteam.queryoptimizer.targetdb;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import dev.backendteam.contract.Json;
import dev.backendteam.queryoptimizer.sql.SqlText;
import dev.backendteam.sandbox.targetdb.TargetDatabase;
import dev.backendteam.sandbox.targetdb.TargetException;

import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * The target's own plan of a query, never executed: its generic plan (the one a prepared statement gets whatever
 * the parameters), as {@code EXPLAIN (FORMAT JSON)} gives it. In one read-only transaction —
 * {@code set local plan_cache_mode = force_generic_plan}, an SQL-level {@code PREPARE}, {@code EXPLAIN EXECUTE} with
 * a null for every {@code $n}, then {@code DEALLOCATE} before the transaction ends — so it works through a
 * transaction pooler and leaves no prepared statement on the server connection. Never ANALYZE: the query does not run.
 */
public final class TargetPlans {

    private TargetPlans() {
    }

    /** The plan document ({@code [{"Plan": …}]}); a query that is not one SELECT is refused before it is sent. */
    public static JsonNode explain(TargetDatabase target, String sql) {
        if (!SqlText.isReadOnlySelect(sql)) {
            throw new IllegalArgumentException("only a single SELECT is explained on a target; this is not one");
        }
        String body = SqlText.withoutTrailingSemicolon(sql);
        int parameters = SqlText.maxParameter(sql);
        // unique, so a prepared statement of the application on a pooled connection is never met
        String name = "backend_team_plan_" + UUID.randomUUID().toString().replace("-", "");
        String prepare = "prepare " + name + " as " + body;
        String execute = "explain (format json) execute " + name
                + (parameters == 0 ? "" : "(" + String.join(", ", Collections.nCopies(parameters, "null")) + ")");
        String plan = target.inReadOnlyTransaction(tx -> {
            tx.execute("set local plan_cache_mode = force_generic_plan");
            tx.execute(prepare);
            try {
                List<Map<String, Object>> rows = tx.query(execute);
                return String.valueOf(rows.get(0).values().iterator().next());
            } finally {
                tx.execute("deallocate " + name);
            }
        });
        try {
            return Json.events().readTree(plan);
        } catch (JsonProcessingException e) {
            throw new TargetException("target " + target.name() + " answered EXPLAIN with no JSON", e);
        }
    }
}
