package dev.backendteam.queryoptimizer.bench;

import dev.backendteam.queryoptimizer.advisor.Candidate;
import dev.backendteam.queryoptimizer.advisor.IndexAdvisor;
import dev.backendteam.queryoptimizer.plan.PlanNode;
import dev.backendteam.queryoptimizer.workload.WorkloadComparison;
import dev.backendteam.sandbox.SandboxDatabase;

import java.time.Duration;
import java.util.Locale;
import java.util.Map;

/**
 * A benchmark, not a test: the fixture's workload (src/test/resources/workload: 8 tables, 13 queries with their calls
 * per minute and the tables' write rates) on generated data of the given size, in one sandbox database. Our index set
 * and the index_advisor-rule baseline (a single-column index on every filtered or joined column, one query at a
 * time, kept when the plan uses it) are built on the same data in the same run and compared: each query's planned
 * cost (its generic plan) and measured time (median of 3 runs of EXPLAIN ANALYZE with values sampled from the data),
 * the totals plain and weighted by calls per minute, index count and size, and the times of data generation, the
 * search and the proof. Our set gets at most as many indexes as the baseline has. Then the answer key written before
 * the optimizer existed (expected-indexes.md) against what was chosen.
 *
 * <p>Run: {@code specialist-query-optimizer/bench.sh advisor [rows]} (default 1,000,000; an embedded PostgreSQL 17),
 * or with {@code BENCH_ADMIN_URL=… BENCH_ADMIN_USER=… BENCH_ADMIN_PASSWORD=…} against a server of your own.
 */
public final class AdvisorBench {

    private AdvisorBench() {
    }

    public static void main(String[] args) throws Exception {
        long rows = args.length > 0 ? Long.parseLong(args[0]) : 1_000_000;
        try (BenchServer server = BenchServer.start();
             SandboxDatabase db = server.sandbox().create("advisor-bench", Duration.ofMinutes(30))) {
            print(WorkloadComparison.run(db, rows, 3), db.serverVersionNum());
        }
    }

    private static void print(WorkloadComparison r, int version) {
        System.out.printf(Locale.ROOT, "%nquery-optimizer advisor bench — PostgreSQL %d, %d rows generated in %.1f s"
                + " (scale %.4f)%n%n", version / 10000, r.data().totalRows(), r.dataMs() / 1000.0, r.data().scale());
        System.out.printf(Locale.ROOT, "%-28s %8s %10s %10s %10s %9s %9s %9s%n", "query", "calls/m", "cost before",
                "ours", "baseline", "ms before", "ms ours", "ms base");
        double[] t = new double[9];
        for (IndexAdvisor.QueryResult q : r.advice().queries()) {
            String n = q.query().name();
            double w = q.query().frequency() == null ? 1 : q.query().frequency();
            PlanNode base = r.baseline().after().get(n);
            PlanNode baseRun = r.baseline().runAfter().get(n);
            double mb = ms(q.runBefore());
            double mo = ms(q.runAfter());
            double mbl = ms(baseRun);
            System.out.printf(Locale.ROOT, "%-28s %8.2f %10.1f %10.1f %10.1f %9.2f %9.2f %9.2f%n", n, w,
                    q.genericBefore().totalCost(), q.genericAfter().totalCost(), base.totalCost(), mb, mo, mbl);
            t[0] += q.genericBefore().totalCost();
            t[1] += q.genericAfter().totalCost();
            t[2] += base.totalCost();
            t[3] += mb;
            t[4] += mo;
            t[5] += mbl;
            t[6] += w * q.genericBefore().totalCost();
            t[7] += w * q.genericAfter().totalCost();
            t[8] += w * base.totalCost();
        }
        System.out.printf(Locale.ROOT, "%-28s %8s %10.1f %10.1f %10.1f %9.2f %9.2f %9.2f%n", "total", "", t[0], t[1],
                t[2], t[3], t[4], t[5]);
        System.out.printf(Locale.ROOT, "%-28s %8s %10.0f %10.0f %10.0f   (cost × calls per minute)%n%n",
                "total, weighted", "", t[6], t[7], t[8]);
        System.out.printf(Locale.ROOT, "ours:     %2d indexes, %8.1f MB; %d candidates built, %d plans in the search"
                + " (%.1f s), advice with proof %.1f s%n", r.kept().size(), r.ourBytes() / 1048576.0,
                r.advice().candidates(), r.advice().plans(), r.advice().searchMs() / 1000.0, r.adviceMs() / 1000.0);
        System.out.printf(Locale.ROOT, "baseline: %2d indexes, %8.1f MB; %.1f s%n%n", r.baseline().indexes().size(),
                r.baseline().bytes() / 1048576.0, r.baselineMs() / 1000.0);
        System.out.println("ours:");
        r.kept().forEach(c -> System.out.printf(Locale.ROOT, "  %-52s %7.1f MB  serves %s%n", c.name(),
                c.bytes() / 1048576.0, String.join(", ", c.serves())));
        System.out.println("baseline:");
        for (Candidate c : r.baseline().indexes()) {
            System.out.println("  " + c.table() + " (" + c.keys().get(0).expr() + ")");
        }
        System.out.println(r.advice().search().exhaustive().ran() ? "exhaustive search: best " + r.advice().search()
                .exhaustive().total() : "exhaustive search: " + r.advice().search().exhaustive().reason());
        System.out.println("\nagainst the answer key written first (expected-indexes.md):");
        r.againstAnswerKey().forEach(l -> System.out.println("  " + l));
        Map<String, Long> data = r.data().rows();
        System.out.println("\nrows: " + data);
    }

    private static double ms(PlanNode p) {
        return p == null || p.actualTotalMs() == null ? 0 : p.actualTotalMs();
    }
}
