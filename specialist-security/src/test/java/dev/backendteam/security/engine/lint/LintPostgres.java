package dev.backendteam.security.engine.lint;

import dev.backendteam.sandbox.PostgresServers;
import dev.backendteam.sandbox.Sandbox;
import dev.backendteam.sandbox.SandboxDatabase;
import dev.backendteam.security.engine.SecuritySandbox;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * The lint tests' sandbox: the one PostgreSQL 17 of the test JVM ({@link PostgresServers}, shared with the engine
 * tests) and its prepared sandbox. Cloning the template is most of a case's time, so {@link #database()} hands out
 * databases a background thread created while the previous cases ran.
 */
final class LintPostgres {
    private static final int SPARES = 2;
    private static PostgresServers.TestServer server;
    private static Sandbox sandbox;
    private static ExecutorService maker;
    private static final Deque<Future<SandboxDatabase>> spares = new ArrayDeque<>();

    private LintPostgres() {
    }

    /** Called by each lint test class before its tests, with the servers of {@link PostgresServers}. */
    static synchronized void use(PostgresServers.Servers servers) {
        if (sandbox == null) {
            server = servers.pg17();
            sandbox = SecuritySandbox.on(server);
            maker = Executors.newSingleThreadExecutor(r -> {
                Thread t = new Thread(r, "lint-postgres-databases");
                t.setDaemon(true);
                return t;
            });
        }
    }

    /** A fresh sandbox database (explicit grants, the default budget); the caller closes it. */
    static synchronized SandboxDatabase database() {
        Sandbox s = sandbox;
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
        try (Connection c = server.connect(database); Statement st = c.createStatement()) {
            st.execute(sql);
        } catch (SQLException e) {
            throw new IllegalStateException("as admin in " + database + ": " + e.getMessage(), e);
        }
    }
}
