package dev.backendteam.security.bench;

import dev.backendteam.contract.Evidence;
import dev.backendteam.contract.ResultStatus;
import dev.backendteam.contract.StepOutcome;
import dev.backendteam.contract.TaskKind;
import dev.backendteam.sandbox.Sandbox;
import dev.backendteam.sandbox.SandboxSettings;
import dev.backendteam.security.engine.CatalogueLints;
import dev.backendteam.security.engine.SecurityEngine;
import dev.backendteam.security.engine.SecuritySandbox;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * A benchmark, not a test: the security step on the README example (db-architect's migrations of
 * deploy/examples/new-feature.yaml), every proof included — sandbox database created from the template, schema
 * applied, intent, grants and policies generated and applied, lints, the RLS matrix (198 cells), every policy dropped
 * and made true in turn (sensitivity), the down script and the pgTAP file where the server has pgTAP. Prints each
 * run's figures and the median. Target: ≤ 2 s per step on the development machine (2 cores).
 *
 * <p>Run: {@code specialist-security/bench.sh [runs]} (an embedded PostgreSQL 17), or with
 * {@code BENCH_ADMIN_URL=jdbc:postgresql://127.0.0.1:5432/postgres BENCH_ADMIN_USER=… BENCH_ADMIN_PASSWORD=…} to use
 * a server of your own (e.g. PostgreSQL 15 with pgTAP).
 */
public final class MatrixBench {

    private MatrixBench() {
    }

    public static void main(String[] args) throws Exception {
        int runs = args.length > 0 ? Integer.parseInt(args[0]) : 10;
        EmbeddedPostgres embedded = null;
        String url = System.getenv("BENCH_ADMIN_URL");
        String user = System.getenv().getOrDefault("BENCH_ADMIN_USER", "postgres");
        String password = System.getenv().getOrDefault("BENCH_ADMIN_PASSWORD", "postgres");
        if (url == null) {
            Path dir = Path.of("target/bench-postgres").toAbsolutePath();
            Files.createDirectories(dir);
            embedded = EmbeddedPostgres.builder().setOverrideWorkingDirectory(dir.toFile())
                    .setServerConfig("fsync", "off").setServerConfig("listen_addresses", "127.0.0.1")
                    .setPGStartupWait(Duration.ofSeconds(60)).start();
            url = "jdbc:postgresql://127.0.0.1:" + embedded.getPort() + "/postgres";
        }
        try (Sandbox sandbox = new Sandbox(SandboxSettings.builder(url, user, password).build())) {
            long prepared = System.nanoTime();
            sandbox.prepare();
            System.out.printf("sandbox prepared (template built if missing) in %d ms%n", ms(prepared));
            SecurityEngine engine = new SecurityEngine(Optional.of(sandbox), new CatalogueLints());
            long[] totals = new long[runs];
            long[] matrix = new long[runs];
            for (int i = 0; i < runs; i++) {
                long started = System.nanoTime();
                StepOutcome out = engine.work(SecuritySandbox.task(TaskKind.WORK,
                        SecuritySandbox.specOnly(SecuritySandbox.exampleSpec()),
                        List.of(SecuritySandbox.exampleMigrations())));
                totals[i] = ms(started);
                if (out.status() != ResultStatus.SUCCEEDED) {
                    throw new IllegalStateException("the step did not succeed: " + out.reason());
                }
                List<String> parts = new ArrayList<>();
                for (Evidence e : out.evidence()) {
                    parts.add(e.check().substring(0, e.check().indexOf(':') < 0 ? Math.min(20, e.check().length())
                            : e.check().indexOf(':')) + " " + e.durationMs() + " ms (" + e.status().name()
                            .toLowerCase() + ")");
                    if (e.check().startsWith("rls matrix:")) {
                        matrix[i] = e.durationMs();
                    }
                }
                System.out.printf("run %2d: step %5d ms | %s%n", i + 1, totals[i], String.join(" | ", parts));
            }
            System.out.printf("median of %d runs: whole step %d ms (sandbox database, apply, generate, lints, matrix,"
                    + " sensitivity, down, pgTAP); matrix with its sensitivity %d ms; first run %d ms. Target: <= 2000"
                    + " ms per step.%n", runs, median(totals), median(matrix), totals[0]);
        } finally {
            if (embedded != null) {
                embedded.close();
            }
        }
    }

    private static long median(long[] values) {
        long[] sorted = values.clone();
        Arrays.sort(sorted);
        return sorted[sorted.length / 2];
    }

    private static long ms(long since) {
        return (System.nanoTime() - since) / 1_000_000;
    }
}
