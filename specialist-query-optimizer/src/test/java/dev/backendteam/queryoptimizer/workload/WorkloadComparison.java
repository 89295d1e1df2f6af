package dev.backendteam.queryoptimizer.workload;

import dev.backendteam.queryoptimizer.advisor.Candidate;
import dev.backendteam.queryoptimizer.advisor.IndexAdvisor;
import dev.backendteam.queryoptimizer.advisor.SingleColumnBaseline;
import dev.backendteam.queryoptimizer.data.DataGenerator;
import dev.backendteam.queryoptimizer.data.GenerationReport;
import dev.backendteam.queryoptimizer.data.GenerationSettings;
import dev.backendteam.queryoptimizer.plan.PlanNode;
import dev.backendteam.queryoptimizer.plan.WorkloadQuery;
import dev.backendteam.sandbox.SandboxDatabase;
import dev.backendteam.sandbox.ScriptResult;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * The fixture's workload on one sandbox database: data generated, the optimizer's set chosen and proven, then the
 * index_advisor-rule baseline on the same data; and both compared with the answer key. The test and the bench share it.
 */
public record WorkloadComparison(GenerationReport data, IndexAdvisor.Advice advice, SingleColumnBaseline.Result baseline,
        long dataMs, long adviceMs, long baselineMs) {

    public static WorkloadComparison run(SandboxDatabase db, long rowBudget) {
        return run(db, rowBudget, 0);
    }

    /** With {@code baselineRuns} > 0 the baseline's queries are also run (EXPLAIN ANALYZE) that many times each. */
    public static WorkloadComparison run(SandboxDatabase db, long rowBudget, int baselineRuns) {
        ScriptResult schema = db.apply(WorkloadFixture.schema());
        if (schema.error() != null) {
            throw new IllegalStateException("schema.sql: " + schema.error());
        }
        long t0 = System.nanoTime();
        GenerationSettings d = GenerationSettings.defaults();
        GenerationReport data = new DataGenerator(new GenerationSettings(rowBudget, d.defaultRows(), d.seed(),
                d.chunkTarget())).fill(db, WorkloadFixture.rowCounts().rowCounts(), Map.of());
        long t1 = System.nanoTime();
        SingleColumnBaseline.Result baseline = SingleColumnBaseline.run(db, WorkloadFixture.workload(),
                baselineRuns);
        long t2 = System.nanoTime();
        // the same index budget as the baseline: fewer or as many indexes, compared on cost
        IndexAdvisor.Settings settings = IndexAdvisor.Settings.defaults();
        IndexAdvisor.Advice advice = new IndexAdvisor(settings.withMaxIndexes(Math.min(settings.maxIndexes(),
                baseline.indexes().size()))).advise(db, WorkloadFixture.workload(),
                WorkloadFixture.writeRates().writeRates(), Map.of(), java.util.Set.of());
        long t3 = System.nanoTime();
        IndexAdvisor.release(db, advice);
        return new WorkloadComparison(data, advice, baseline, (t1 - t0) / 1_000_000, (t3 - t2) / 1_000_000,
                (t2 - t1) / 1_000_000);
    }

    public List<IndexAdvisor.Chosen> kept() {
        return advice.indexes().stream().filter(IndexAdvisor.Chosen::kept).toList();
    }

    public double ourCost() {
        return advice.queries().stream().mapToDouble(q -> q.genericAfter().totalCost()).sum();
    }

    public double beforeCost() {
        return advice.queries().stream().mapToDouble(q -> q.genericBefore().totalCost()).sum();
    }

    public double baselineCost() {
        return baseline.after().values().stream().mapToDouble(PlanNode::totalCost).sum();
    }

    public double weighted(java.util.function.Function<IndexAdvisor.QueryResult, PlanNode> plan) {
        return advice.queries().stream().mapToDouble(q -> (q.query().frequency() == null ? 1 : q.query().frequency())
                * plan.apply(q).totalCost()).sum();
    }

    public double baselineWeighted() {
        double sum = 0;
        for (WorkloadQuery q : WorkloadFixture.workload()) {
            PlanNode p = baseline.after().get(q.name());
            sum += p == null ? 0 : (q.frequency() == null ? 1 : q.frequency()) * p.totalCost();
        }
        return sum;
    }

    public long ourBytes() {
        return kept().stream().mapToLong(IndexAdvisor.Chosen::bytes).sum();
    }

    public IndexAdvisor.QueryResult query(String name) {
        return advice.queries().stream().filter(q -> q.query().name().equals(name)).findFirst().orElseThrow();
    }

    /** Each expected index: which kept index matches it (same table, same leading keys), or none. */
    public List<String> againstAnswerKey() {
        List<String> lines = new ArrayList<>();
        for (WorkloadFixture.ExpectedIndex e : WorkloadFixture.expected().indexes()) {
            List<String> want = e.keys().stream().map(k -> normal(k.replace(" gin_trgm_ops", ""))).toList();
            IndexAdvisor.Chosen match = kept().stream().filter(c -> c.candidate().table().equals(e.table()))
                    .filter(c -> keys(c.candidate()).equals(want)).findFirst().orElse(null);
            IndexAdvisor.Chosen lead = match != null ? null : kept().stream()
                    .filter(c -> c.candidate().table().equals(e.table()))
                    .filter(c -> !keys(c.candidate()).isEmpty() && keys(c.candidate()).get(0).equals(want.get(0)))
                    .findFirst().orElse(null);
            lines.add(String.format(Locale.ROOT, "%-16s %-44s %s", e.table(), String.join(", ", e.keys())
                    + (e.where() == null ? "" : " where " + e.where()), match != null ? "same keys: " + match.name()
                    + (normalWhere(match.candidate().where()).equals(normalWhere(e.where())) ? "" : " (predicate "
                    + match.candidate().where() + ")") : lead != null ? "same leading key: " + lead.name() + " ("
                    + String.join(", ", keys(lead.candidate())) + ")" : "not chosen"));
        }
        for (String q : WorkloadFixture.expected().noIndex()) {
            boolean none = kept().stream().noneMatch(c -> c.serves().contains(q));
            lines.add(String.format(Locale.ROOT, "%-16s %-44s %s", "(no index)", q, none ? "none chosen, as expected"
                    : "an index serves it"));
        }
        return lines;
    }

    private static List<String> keys(Candidate c) {
        return c.keys().stream().map(k -> normal(k.expr() + (k.desc() ? " desc" : ""))).collect(Collectors.toList());
    }

    private static String normal(String k) {
        return k.toLowerCase(Locale.ROOT).replaceAll("\\s+", " ").replace("( ", "(").replace(" )", ")").strip();
    }

    private static String normalWhere(String w) {
        return w == null ? "" : w.toLowerCase(Locale.ROOT).replaceAll("::\\w+", "").replaceAll("[()\\s]", "");
    }
}
