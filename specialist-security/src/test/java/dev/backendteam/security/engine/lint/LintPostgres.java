package dev.backendteam.security.engine.lint;

import dev.backendteam.sandbox.Sandbox;
import dev.backendteam.sandbox.SandboxDatabase;
import dev.backendteam.sandbox.SandboxSettings;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * One embedded PostgreSQL 17 (zonky) and one prepared sandbox on it for the whole test JVM, started by the first test
 * that asks and stopped by a shutdown hook. Binaries and data live under {@code target/postgres}.
 *
 * <p>Cloning the template is most of a case's time, so {@link #database()} hands out databases a background thread
 * created while the previous cases ran.
 */
final class LintPostgres {
    private static final String ADMIN = "postgres";
    private static final int SPARES = 2;
    private static EmbeddedPostgres postgres;
    private static Sandbox sandbox;
    private static ExecutorService maker;
    private static final Deque<Future<SandboxDatabase>> spares = new ArrayDeque<>();

    private LintPostgres() {
    }

    static synchronized Sandbox sandbox() {
        if (sandbox == null) {
            postgres = start();
            Runtime.getRuntime().addShutdownHook(new Thread(LintPostgres::stop, "lint-postgres-stop"));
            sandbox = new Sandbox(SandboxSettings.builder(url("postgres"), ADMIN, ADMIN).build());
            sandbox.prepare();
            maker = Executors.newSingleThreadExecutor(r -> {
                Thread t = new Thread(r, "lint-postgres-databases");
                t.setDaemon(true);
                return t;
            });
        }
        return sandbox;
    }

    /** A fresh sandbox database (explicit grants, the default budget); the caller closes it. */
    static synchronized SandboxDatabase database() {
        Sandbox s = sandbox();
        while (spares.size() < SPARES + 1) {
            spares.add(maker.submit(() -> s.create("lint test case")));
        }
        try {
            return spares.poll().get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while a sandbox database was created", e);
        } catch (ExecutionException e) {
            throw new IllegalStateException("cannot create a sandbox database", e.getCause());
        }
    }

    /**
     * Runs SQL as the server's superuser in one sandbox database: for what a Supabase project's postgres role may do
     * and the sandbox's runner role may not.
     */
    static void asAdmin(String database, String sql) {
        sandbox();
        try (Connection c = DriverManager.getConnection(url(database), ADMIN, ADMIN);
             Statement st = c.createStatement()) {
            st.execute(sql);
        } catch (SQLException e) {
            throw new IllegalStateException("as admin in " + database + ": " + e.getMessage(), e);
        }
    }

    private static String url(String database) {
        return "jdbc:postgresql://127.0.0.1:" + postgres.getPort() + "/" + database;
    }

    private static EmbeddedPostgres start() {
        Path base = Paths.get(System.getProperty("sandbox.test.dir", "target/postgres")).toAbsolutePath();
        try {
            Files.createDirectories(base.resolve("zonky-bin"));
            Files.createDirectories(base.resolve("zonky"));
            EmbeddedPostgres.Builder builder;
            // zonky reads its scratch folder from this property when a builder is made
            String previous = System.getProperty("ot.epg.working-dir");
            System.setProperty("ot.epg.working-dir", base.resolve("zonky").toString());
            try {
                builder = EmbeddedPostgres.builder();
            } finally {
                if (previous == null) {
                    System.clearProperty("ot.epg.working-dir");
                } else {
                    System.setProperty("ot.epg.working-dir", previous);
                }
            }
            return builder.setOverrideWorkingDirectory(base.resolve("zonky-bin").toFile())
                    .setServerConfig("fsync", "off")
                    .setServerConfig("listen_addresses", "127.0.0.1")
                    .setPGStartupWait(Duration.ofSeconds(60))
                    .start();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start embedded PostgreSQL 17", e);
        }
    }

    private static synchronized void stop() {
        try {
            if (maker != null) {
                maker.shutdownNow();
            }
            if (sandbox != null) {
                sandbox.close();
            }
            if (postgres != null) {
                postgres.close();
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
