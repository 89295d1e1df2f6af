package dev.backendteam.queryoptimizer.bench;

import dev.backendteam.queryoptimizer.data.DataGenerator;
import dev.backendteam.queryoptimizer.data.DataSandbox;
import dev.backendteam.queryoptimizer.data.GenerationReport;
import dev.backendteam.queryoptimizer.data.GenerationSettings;
import dev.backendteam.sandbox.Sandbox;
import dev.backendteam.sandbox.SandboxDatabase;
import dev.backendteam.sandbox.ScriptResult;

import java.util.Map;

/**
 * A benchmark, not a test: the data generator fills the task tracker schema (src/test/resources, 8 tables and
 * auth.users) with 1,000,000 rows in all (rowBudget 1,000,000), in a fresh sandbox database, ANALYZE included. Prints
 * the rows per table, the seconds and rows per second. Target: ≤ 60 s on the development machine (2 cores).
 *
 * <p>Run: {@code specialist-query-optimizer/bench.sh data [rows]} (an embedded PostgreSQL 17), or with
 * {@code BENCH_ADMIN_URL=… BENCH_ADMIN_USER=… BENCH_ADMIN_PASSWORD=…} to use a server of your own.
 */
public final class DataBench {

    private DataBench() {
    }

    public static void main(String[] args) throws Exception {
        long total = args.length > 0 ? Long.parseLong(args[0]) : 1_000_000;
        try (BenchServer server = BenchServer.start()) {
            Sandbox sandbox = server.sandbox();
            try (SandboxDatabase db = sandbox.create("data-bench")) {
                ScriptResult schema = db.apply(DataSandbox.taskTracker());
                if (!schema.ok()) {
                    throw new IllegalStateException(schema.error().describe());
                }
                GenerationSettings settings = GenerationSettings.defaults().withRowBudget(total);
                // the tables ask for a little more than the budget, so the run also shows the one scale factor
                Map<String, Long> counts = DataSandbox.taskTrackerRows(total);
                long started = System.nanoTime();
                GenerationReport report = new DataGenerator(settings).fill(db, counts, Map.of());
                double seconds = (System.nanoTime() - started) / 1e9;
                report.rows().forEach((table, rows) -> System.out.printf("%-22s %,10d rows%n", table, rows));
                System.out.printf("total %,d rows in %.1f s (fill, deferred links, ANALYZE and counts): %,.0f rows/s;"
                        + " scale %.4f; budget %,d. Target: <= 60 s for 1,000,000 rows.%n", report.totalRows(), seconds,
                        report.totalRows() / seconds, report.scale(), total);
                report.notes().forEach(n -> System.out.println("note: " + n));
            }
        }
    }
}
