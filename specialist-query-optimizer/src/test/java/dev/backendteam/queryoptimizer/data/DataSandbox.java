package dev.backendteam.queryoptimizer.data;

import dev.backendteam.sandbox.PostgresServers;
import dev.backendteam.sandbox.Sandbox;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/** The data generator tests' sandboxes, one per test server for the test JVM, and their schema. */
public final class DataSandbox {

    private DataSandbox() {
    }

    public static Sandbox on(PostgresServers.TestServer server) {
        return dev.backendteam.queryoptimizer.QueryOptimizerSandbox.on(server);
    }

    /** The task tracker schema of the tests and the bench (src/test/resources). */
    public static String taskTracker() {
        try (InputStream in = DataSandbox.class.getResourceAsStream("task-tracker.sql")) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Rows of the task tracker's tables, about {@code total} in all with auth.users' share. */
    public static Map<String, Long> taskTrackerRows(long total) {
        double f = total / 51_000.0;
        return Map.of("organizations", r(200, f), "profiles", r(800, f), "memberships", r(3_000, f),
                "projects", r(2_000, f), "public.tasks", r(20_000, f), "tags", r(500, f), "task_tags", r(15_000, f),
                "line_items", r(8_500, f));
    }

    private static long r(long rows, double f) {
        return Math.max(1, Math.round(rows * f));
    }
}
