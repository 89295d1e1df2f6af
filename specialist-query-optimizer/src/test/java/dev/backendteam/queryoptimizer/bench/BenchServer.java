package dev.backendteam.queryoptimizer.bench;

import dev.backendteam.sandbox.Sandbox;
import dev.backendteam.sandbox.SandboxSettings;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

/**
 * The server a bench runs on: {@code BENCH_ADMIN_URL} / {@code _USER} / {@code _PASSWORD} when set, else an embedded
 * PostgreSQL 17 under target/bench-postgres (fsync off: a bench measures the planner and the generator, not the
 * disk). Its sandbox has the budgets a bench needs (a step of 30 minutes, statements of 5).
 */
final class BenchServer implements AutoCloseable {
    private final EmbeddedPostgres embedded;
    private final Sandbox sandbox;

    private BenchServer(EmbeddedPostgres embedded, Sandbox sandbox) {
        this.embedded = embedded;
        this.sandbox = sandbox;
    }

    static BenchServer start() throws IOException {
        EmbeddedPostgres embedded = null;
        String url = System.getenv("BENCH_ADMIN_URL");
        String user = System.getenv().getOrDefault("BENCH_ADMIN_USER", "postgres");
        String password = System.getenv().getOrDefault("BENCH_ADMIN_PASSWORD", "postgres");
        if (url == null) {
            Path dir = Path.of("target/bench-postgres").toAbsolutePath();
            Files.createDirectories(dir);
            embedded = EmbeddedPostgres.builder().setOverrideWorkingDirectory(dir.toFile())
                    .setServerConfig("fsync", "off")
                    .setServerConfig("log_min_duration_statement", System.getenv().getOrDefault("BENCH_LOG_MS", "-1"))
                    .setServerConfig("listen_addresses", "127.0.0.1")
                    .setPGStartupWait(Duration.ofSeconds(60)).start();
            url = "jdbc:postgresql://127.0.0.1:" + embedded.getPort() + "/postgres";
        }
        Sandbox sandbox = new Sandbox(SandboxSettings.builder(url, user, password).stepBudget(Duration.ofMinutes(30))
                .statementTimeout(Duration.ofMinutes(5)).build());
        sandbox.prepare();
        return new BenchServer(embedded, sandbox);
    }

    Sandbox sandbox() {
        return sandbox;
    }

    @Override
    public void close() throws IOException {
        sandbox.close();
        if (embedded != null) {
            embedded.close();
        }
    }
}
