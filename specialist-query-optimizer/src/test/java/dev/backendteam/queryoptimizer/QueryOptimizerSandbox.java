package dev.backendteam.queryoptimizer;

import dev.backendteam.sandbox.PostgresServers;
import dev.backendteam.sandbox.Sandbox;
import dev.backendteam.sandbox.SandboxSettings;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** The query-optimizer tests' sandboxes: one per server of {@link PostgresServers}, for the test JVM. */
public final class QueryOptimizerSandbox {
    // one Sandbox per server and JVM: two would prepare the same template databases over each other
    private static final Map<Integer, Sandbox> SANDBOXES = new ConcurrentHashMap<>();

    private QueryOptimizerSandbox() {
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

    public static String resource(String path) {
        try (InputStream in = QueryOptimizerSandbox.class.getResourceAsStream("/" + path)) {
            if (in == null) {
                throw new IllegalStateException("no test resource " + path);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
