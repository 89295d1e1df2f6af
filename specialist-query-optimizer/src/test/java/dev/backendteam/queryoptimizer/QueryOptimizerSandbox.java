package dev.backendteam.queryoptimizer;

import dev.backendteam.sandbox.PostgresServers;
import dev.backendteam.sandbox.Sandbox;
import dev.backendteam.sandbox.TestSandboxes;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/** The query-optimizer tests' sandboxes ({@link TestSandboxes}) and test resources. */
public final class QueryOptimizerSandbox {

    private QueryOptimizerSandbox() {
    }

    public static Sandbox on(PostgresServers.TestServer server) {
        return TestSandboxes.on(server);
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
