package dev.backendteam.sandbox;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * One prepared {@link Sandbox} per server of {@link PostgresServers}, for the test JVM, closed when it exits: what a
 * specialist's tests build their databases on (a template is built once, not per test class).
 */
public final class TestSandboxes {
    private static final Map<Integer, Sandbox> SANDBOXES = new ConcurrentHashMap<>();

    private TestSandboxes() {
    }

    /**
     * The sandbox on {@code server}, with a step budget of 240 s and statements of 30 s at most: room for the
     * query-optimizer's data and index builds.
     */
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
