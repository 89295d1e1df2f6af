package dev.backendteam.queryoptimizer.advisor;

import dev.backendteam.contract.WriteRate;
import dev.backendteam.queryoptimizer.plan.Explainer;
import dev.backendteam.queryoptimizer.plan.PlanNode;
import dev.backendteam.queryoptimizer.plan.WorkloadQuery;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;

/**
 * What a set of the built candidates would cost the workload: each query's generic plan with the other candidates
 * dropped inside a rolled-back transaction (real indexes on the real data, so no hypothetical-index extension is
 * needed), weighted by the query's calls per minute, plus what each index costs the writes to its table. Plans are
 * cached by the candidates on the query's own tables, so a search asks the planner once per distinct case.
 */
public final class WorkloadCosts {
    /**
     * Planner cost units one index adds per row written, per level of its tree: a descent through pages that are
     * almost always cached and a leaf insertion with its WAL, about half a sequential page read's work per level.
     */
    static final double COST_PER_LEVEL = 0.5;

    /** A candidate built in the sandbox under a temporary name. */
    public record Built(Candidate candidate, String sandboxName, long bytes) {
    }

    private final Explainer explainer;
    private final List<WorkloadQuery> workload;
    private final Map<String, Set<String>> tablesOf;
    private final List<Built> built;
    private final Map<String, WriteRate> writeRates;
    private final Map<String, Double> weights = new HashMap<>();
    private final Map<String, PlanNode> cache = new HashMap<>();
    private final Map<String, List<String>> hot;
    private int plans;

    public WorkloadCosts(Explainer explainer, List<WorkloadQuery> workload, Map<String, Set<String>> tablesOf,
            List<Built> built, Map<String, WriteRate> writeRates, Map<String, List<String>> hot) {
        this.explainer = explainer;
        this.hot = hot;
        this.workload = workload;
        this.tablesOf = tablesOf;
        this.built = built;
        this.writeRates = writeRates;
        List<Double> known = workload.stream().map(WorkloadQuery::frequency).filter(f -> f != null && f > 0).sorted()
                .toList();
        double typical = known.isEmpty() ? 1 : known.get(known.size() / 2);
        workload.forEach(q -> weights.put(q.name(), q.frequency() == null ? typical : q.frequency()));
    }

    public List<Built> built() {
        return built;
    }

    public List<WorkloadQuery> workload() {
        return workload;
    }

    public double weight(WorkloadQuery q) {
        return weights.get(q.name());
    }

    /** How many plans the planner made for this search (cache misses). */
    public int plans() {
        return plans;
    }

    /** The generic plan of {@code q} when exactly {@code config} of the candidates exist. */
    public PlanNode plan(WorkloadQuery q, Collection<Built> config) {
        return plan(q, config, null);
    }

    /**
     * What {@code q} costs with {@code config}: the mean of its generic plan (the typical call) and its custom plan
     * for the hot values (the busiest owner, the dominant status), so an index that only pays under skew (a sort
     * avoided for the customer with thousands of orders) is worth what it is.
     */
    public double cost(WorkloadQuery q, Collection<Built> config) {
        List<String> values = hot.get(q.name());
        double generic = plan(q, config).totalCost();
        if (values == null || values.stream().allMatch(java.util.Objects::isNull)) {
            return generic;
        }
        return (generic + plan(q, config, values).totalCost()) / 2;
    }

    private PlanNode plan(WorkloadQuery q, Collection<Built> config, List<String> values) {
        Set<String> tables = tablesOf.getOrDefault(q.name(), Set.of());
        Set<String> present = config.stream().filter(b -> tables.contains(b.candidate().tableName()))
                .map(Built::sandboxName).collect(Collectors.toCollection(TreeSet::new));
        String key = q.name() + (values == null ? "|" : "|hot|") + String.join(",", present);
        PlanNode cached = cache.get(key);
        if (cached != null) {
            return cached;
        }
        List<String> hidden = new ArrayList<>();
        for (Built b : built) {
            if (tables.contains(b.candidate().tableName()) && !present.contains(b.sandboxName())) {
                hidden.add(b.sandboxName());
            }
        }
        plans++;
        PlanNode p = values == null ? explainer.generic(q, hidden) : explainer.custom(q, values, hidden);
        cache.put(key, p);
        return p;
    }

    /** Whether some query costs at least {@code share} less with {@code next} than with {@code current}. */
    public boolean improvesAQuery(Collection<Built> current, Collection<Built> next, double share) {
        for (WorkloadQuery q : workload) {
            double before = cost(q, current);
            if (before > 0 && cost(q, next) <= before * (1 - share)) {
                return true;
            }
        }
        return false;
    }

    /** The workload's weighted planned cost with {@code config}, plus the indexes' write overhead. */
    public double total(Collection<Built> config) {
        double sum = 0;
        for (WorkloadQuery q : workload) {
            sum += weight(q) * cost(q, config);
        }
        for (Built b : config) {
            sum += writeCost(b);
        }
        return sum;
    }

    /**
     * Per minute, in planner cost units: rows written to the table × the index's levels × {@link #COST_PER_LEVEL}.
     * Inserts and updates count fully (an update that changes no indexed column may be HOT; counting it is the
     * cautious side), deletes by half (their index entries go at vacuum).
     */
    public double writeCost(Built b) {
        WriteRate r = writeRates.get(b.candidate().tableName());
        if (r == null) {
            r = writeRates.get(b.candidate().table());
        }
        if (r == null) {
            return 0;
        }
        double rows = (value(r.inserts()) + value(r.updates()) + 0.5 * value(r.deletes())) * 60;
        double pages = Math.max(1, b.bytes() / 8192.0);
        double levels = 1 + Math.ceil(Math.log(pages) / Math.log(256));
        return rows * levels * COST_PER_LEVEL;
    }

    private static double value(Double d) {
        return d == null ? 0 : d;
    }
}
