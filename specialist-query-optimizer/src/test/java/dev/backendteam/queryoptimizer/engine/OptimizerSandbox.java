package dev.backendteam.queryoptimizer.engine;

import dev.backendteam.sandbox.PostgresServers;
import dev.backendteam.sandbox.Sandbox;
import dev.backendteam.sandbox.SandboxSettings;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** The optimizer tests' sandboxes: one per server of {@link PostgresServers}, for the test JVM. */
public final class OptimizerSandbox {
    private static final Map<Integer, Sandbox> SANDBOXES = new ConcurrentHashMap<>();

    private OptimizerSandbox() {
    }

    public static Sandbox on(PostgresServers.TestServer server) {
        return SANDBOXES.computeIfAbsent(server.major(), m -> {
            Sandbox s = new Sandbox(SandboxSettings.builder(server.adminUrl(), server.superuser(), server.password())
                    .pgVersion(server.major()).stepBudget(Duration.ofSeconds(240))
                    .statementTimeout(Duration.ofSeconds(30)).build());
            s.prepare();
            Runtime.getRuntime().addShutdownHook(new Thread(s::close));
            return s;
        });
    }
}
