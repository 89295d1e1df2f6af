package dev.backendteam.security.engine;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.backendteam.contract.Artifact;
import dev.backendteam.contract.Contract;
import dev.backendteam.contract.JobInputs;
import dev.backendteam.contract.Specialist;
import dev.backendteam.contract.TaskEvent;
import dev.backendteam.contract.TaskKind;
import dev.backendteam.sandbox.PostgresServers;
import dev.backendteam.sandbox.Sandbox;
import dev.backendteam.sandbox.TestSandboxes;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;

/** The security tests' sandboxes (one per server of {@link PostgresServers}, for the test JVM) and their inputs. */
public final class SecuritySandbox {
    private SecuritySandbox() {
    }

    public static Sandbox on(PostgresServers.TestServer server) {
        return TestSandboxes.on(server);
    }

    static String resource(String path) {
        try (InputStream in = SecuritySandbox.class.getResourceAsStream("/" + path)) {
            if (in == null) {
                throw new IllegalStateException("no test resource " + path);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static JsonNode yaml(String text) {
        try {
            return new ObjectMapper(new YAMLFactory()).readTree(text);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The spec of deploy/examples/new-feature.yaml (the README example). */
    public static JsonNode exampleSpec() {
        try {
            return new ObjectMapper(new YAMLFactory()).readTree(new java.io.File("../deploy/examples/new-feature.yaml"))
                    .get("spec");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static TaskEvent task(TaskKind kind, JobInputs inputs, List<Artifact> artifacts) {
        return new TaskEvent(Contract.VERSION, "t-1", "job-1", 2, 1, Specialist.SECURITY, "security", kind,
                "secure it", inputs, artifacts, 0, Instant.now().plusSeconds(120));
    }

    public static JobInputs specOnly(JsonNode spec) {
        return new JobInputs(spec, null, null, null, null, null, null, null, null);
    }

    static JobInputs sqlOnly(String sql, JsonNode spec) {
        return new JobInputs(spec, sql, null, null, null, null, null, null, null);
    }

    public static Artifact exampleMigrations() {
        return Artifact.migration("create_task_tracker", resource("matrix/new-feature-migrations.sql"),
                "-- not used by the security step", Specialist.DB_ARCHITECT);
    }
}
