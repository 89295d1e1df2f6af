package dev.backendteam.queryoptimizer.advisor;

import dev.backendteam.queryoptimizer.plan.Explainer;
import dev.backendteam.queryoptimizer.plan.PlanException;
import dev.backendteam.queryoptimizer.plan.PlanNode;
import dev.backendteam.queryoptimizer.plan.Predicate;
import dev.backendteam.queryoptimizer.plan.RelationUse;
import dev.backendteam.queryoptimizer.plan.WorkloadQuery;
import dev.backendteam.sandbox.SandboxDatabase;
import dev.backendteam.sandbox.ScriptResult;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The baseline the bench compares with: supabase's index_advisor's documented rule, one query at a time — a
 * single-column B-tree on every column the query filters or joins on, the query planned with those, and the ones its
 * plan uses kept. The union over the workload is the baseline set. Built for real on the same data (index_advisor
 * uses hypothetical indexes; the planner's choice is the same).
 */
public final class SingleColumnBaseline {

    /** The baseline set and what it does to each query's generic plan. */
    public record Result(List<Candidate> indexes, long bytes, Map<String, PlanNode> before, Map<String, PlanNode> after,
            Map<String, PlanNode> hotAfter, Map<String, PlanNode> runAfter) {
    }

    private SingleColumnBaseline() {
    }

    /** Runs on {@code db} as it is, and leaves it as it found it (every index it built dropped). */
    public static Result run(SandboxDatabase db, List<WorkloadQuery> workload) {
        return run(db, workload, 0);
    }

    /** As {@link #run(SandboxDatabase, List)}, each query also run {@code runs} times with its typical values. */
    public static Result run(SandboxDatabase db, List<WorkloadQuery> workload, int runs) {
        Explainer explainer = new Explainer(db);
        Map<String, PlanNode> before = new LinkedHashMap<>();
        Map<String, Set<String>> columnsOf = new LinkedHashMap<>();
        Map<String, Candidate> singles = new LinkedHashMap<>();
        List<IndexCatalog.Existing> existing = IndexCatalog.indexes(db);
        for (WorkloadQuery q : workload) {
            try {
                PlanNode p = explainer.generic(q, List.of());
                before.put(q.name(), p);
                Set<String> mine = new LinkedHashSet<>();
                for (RelationUse u : RelationUse.of(p)) {
                    for (Predicate pr : u.predicates()) {
                        Candidate single = new Candidate(u.schema() == null ? "public" : u.schema(), u.table(),
                                List.of(new Candidate.Key(pr.key(), true, false)), null, null, "btree",
                                Set.of(q.name()), "baseline");
                        // a column an existing index already leads is not a candidate (index_advisor skips it too)
                        if (pr.column() && IndexCatalog.covering(single, existing) == null) {
                            String key = u.qualified() + "." + pr.key();
                            mine.add(key);
                            singles.putIfAbsent(key, single);
                        }
                    }
                }
                columnsOf.put(q.name(), mine);
            } catch (PlanException e) {
                // a query that cannot be planned gets no baseline index either
            }
        }
        Map<String, String> built = new LinkedHashMap<>();
        int i = 0;
        for (Map.Entry<String, Candidate> e : singles.entrySet()) {
            String name = "qo_b" + (++i);
            ScriptResult r = db.apply("create index " + name + " " + e.getValue().definition());
            if (r.error() == null) {
                built.put(e.getKey(), Identifiers.quote(e.getValue().schema()) + "." + name);
            }
        }
        Set<String> kept = new LinkedHashSet<>();
        for (WorkloadQuery q : workload) {
            Set<String> mine = columnsOf.getOrDefault(q.name(), Set.of());
            List<String> hidden = new ArrayList<>();
            built.forEach((col, name) -> {
                if (!mine.contains(col)) {
                    hidden.add(name);
                }
            });
            if (!before.containsKey(q.name())) {
                continue;
            }
            PlanNode p = explainer.generic(q, hidden);
            built.forEach((col, name) -> {
                if (p.indexesUsed().contains(name.substring(name.indexOf('.') + 1))) {
                    kept.add(col);
                }
            });
        }
        List<String> hidden = new ArrayList<>();
        built.forEach((col, name) -> {
            if (!kept.contains(col)) {
                hidden.add(name);
            }
        });
        Map<String, PlanNode> after = new LinkedHashMap<>();
        Map<String, PlanNode> hotAfter = new LinkedHashMap<>();
        Map<String, PlanNode> runAfter = new LinkedHashMap<>();
        for (String name : hidden) {
            db.apply("drop index if exists " + name);
        }
        for (WorkloadQuery q : workload) {
            if (before.containsKey(q.name())) {
                after.put(q.name(), explainer.generic(q, List.of()));
                List<RelationUse> uses = RelationUse.of(before.get(q.name()));
                List<String> hot = ParameterValues.hot(db, q, uses);
                if (hot.stream().anyMatch(java.util.Objects::nonNull)) {
                    hotAfter.put(q.name(), explainer.custom(q, hot));
                }
                if (runs > 0) {
                    runAfter.put(q.name(), explainer.measured(q, ParameterValues.of(db, q, uses), runs));
                }
            }
        }
        long bytes = 0;
        List<Candidate> indexes = new ArrayList<>();
        for (String col : kept) {
            Number b = (Number) db.query("select pg_relation_size(?::regclass) as b", built.get(col)).get(0).get("b");
            bytes += b.longValue();
            indexes.add(singles.get(col));
        }
        built.values().forEach(name -> db.apply("drop index if exists " + name));
        return new Result(indexes, bytes, before, after, hotAfter, runAfter);
    }
}
