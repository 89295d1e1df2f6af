package dev.backendteam.stack;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.util.List;
import java.util.Map;
import java.util.jar.Attributes;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The whole stack with real PostgreSQL and Kafka, the five services played by {@link StandInService} jars. */
class LocalStackTest {

    /** {@code <root>/<service>/target/quarkus-app/quarkus-run.jar} for each service, each a {@link StandInService}. */
    static Path projectWithStandIns(Path root) throws IOException {
        Manifest manifest = new Manifest();
        manifest.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
        manifest.getMainAttributes().put(Attributes.Name.MAIN_CLASS, StandInService.class.getName());
        manifest.getMainAttributes().put(Attributes.Name.CLASS_PATH, ServiceProcessTest.testClasses().toUri().toString());
        for (String service : StackConfig.ALL_SERVICES) {
            Path jar = LocalStack.runnerJar(root, service);
            Files.createDirectories(jar.getParent());
            try (OutputStream out = Files.newOutputStream(jar); JarOutputStream ignored = new JarOutputStream(out, manifest)) {
                // manifest only
            }
        }
        return root;
    }

    @Test
    void startsEverythingFindsItAsLeftoversAndStopsItFromThePidFiles(@TempDir Path root) throws Exception {
        StackConfig config = StackConfig.builder(projectWithStandIns(root))
                .freePorts()
                .postgresBinaries(PostgresServerTest.SHARED_BINARIES)
                .environment("BACKEND_TEAM_API_KEYS", "test-key")
                .environment("specialist-ops", "OPS_ONLY", "yes")
                .replicas("specialist-ops", 2)
                .build();
        assertEquals(root.resolve(".backend-team"), config.stateDirectory());
        try (LocalStack stack = LocalStack.start(config)) {
            String orchestrator = stack.gatewayUrl();
            assertEquals(stack.jdbcUrl(), ServiceProcessTest.get(orchestrator + "/env/QUARKUS_DATASOURCE_JDBC_URL"));
            assertEquals(stack.jdbcUrl(), stack.postgres().jdbcUrl(LocalStack.DATABASE));
            assertEquals("127.0.0.1", ServiceProcessTest.get(orchestrator + "/env/QUARKUS_HTTP_HOST"));
            String ops = stack.service("specialist-ops").url();
            assertEquals(stack.bootstrapServers(), ServiceProcessTest.get(ops + "/env/KAFKA_BOOTSTRAP_SERVERS"));
            assertEquals("test-key", ServiceProcessTest.get(ops + "/env/BACKEND_TEAM_API_KEYS"));
            // the services' JVM environment (ServiceJvm): glibc's arenas capped
            assertEquals("2", ServiceProcessTest.get(ops + "/env/MALLOC_ARENA_MAX"));
            assertEquals("yes", ServiceProcessTest.get(ops + "/env/OPS_ONLY"));
            // the second replica runs the same module, with its environment, on a port of its own
            String replica = stack.service("specialist-ops-2").url();
            assertNotEquals(ops, replica);
            assertEquals("yes", ServiceProcessTest.get(replica + "/env/OPS_ONLY"));
            assertEquals(stack.bootstrapServers(), ServiceProcessTest.get(replica + "/env/KAFKA_BOOTSTRAP_SERVERS"));
            try (Connection c = stack.postgres().connect(LocalStack.DATABASE)) {
                assertTrue(c.isValid(5));
            }
            StackState state = StackState.read(config.stateDirectory()).orElseThrow();
            assertEquals(stack.gatewayUrl(), state.gatewayUrl());
            assertEquals(stack.kafka().controllerPort(), state.kafkaControllerPort());

            // The e2e crash scenario: SIGKILL the orchestrator mid-job, start it again.
            ServiceProcess service = stack.service(StackConfig.ORCHESTRATOR);
            long before = service.pid();
            service.kill();
            service.start();
            assertNotEquals(before, service.pid());
            ServiceProcessTest.get(stack.gatewayUrl() + ServiceProcess.READY_PATH);

            // A second start from the same state folder sees all eight processes and refuses.
            List<Leftover> running = LocalStack.findLeftovers(config.stateDirectory());
            assertEquals(8, running.size(), running.toString());
            assertEquals(List.of("kafka", "postgres"),
                    running.subList(6, 8).stream().map(Leftover::component).toList(), "services are stopped first");
            StackException refused = assertThrows(StackException.class, () -> LocalStack.start(config));
            assertTrue(refused.getMessage().contains("still running") && refused.getMessage().contains("orchestrator"),
                    refused.getMessage());

            // What a later JVM does after this one died: stop everything from the pid files alone.
            List<Leftover> stopped = LocalStack.stopLeftovers(config.stateDirectory());
            assertEquals(8, stopped.size());
            for (Leftover leftover : stopped) {
                assertFalse(ProcessHandle.of(leftover.pid()).map(Signals::isRunning).orElse(false), leftover.toString());
            }
            assertTrue(PidFile.all(config.stateDirectory()).isEmpty());
            assertTrue(LocalStack.findLeftovers(config.stateDirectory()).isEmpty());
        }
    }

    @Test
    void aTakenPortIsNamedBeforeAnythingStarts(@TempDir Path root) throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getByName(Ports.HOST))) {
            StackConfig config = StackConfig.builder(projectWithStandIns(root))
                    .freePorts()
                    .servicePort("specialist-security", taken.getLocalPort())
                    .build();
            StackException e = assertThrows(StackException.class, () -> LocalStack.start(config));
            assertTrue(e.getMessage().contains("port " + taken.getLocalPort() + " (for specialist-security)"),
                    e.getMessage());
            assertTrue(PidFile.all(config.stateDirectory()).isEmpty());
        }
    }

    @Test
    void missingServiceJarsAreNamed(@TempDir Path root) {
        StackConfig config = StackConfig.builder(root).freePorts().build();
        StackException e = assertThrows(StackException.class, () -> LocalStack.start(config));
        assertTrue(e.getMessage().contains(LocalStack.runnerJar(root, "specialist-ops").toString()), e.getMessage());
    }

    @Test
    void replicasFollowTheirSpecialistAndRunItsModule() {
        StackConfig config = StackConfig.builder(Path.of("/repo")).replicas("specialist-security", 3)
                .replicas("specialist-security", 2).build();
        assertEquals(List.of("orchestrator", "specialist-db-architect", "specialist-security", "specialist-security-2",
                "specialist-query-optimizer", "specialist-ops"), config.services());
        assertEquals(0, config.servicePort("specialist-security-2"), "a replica takes a free port");
        assertEquals("specialist-security", StackConfig.moduleOf("specialist-security-2"));
        assertEquals("orchestrator-2", StackConfig.moduleOf("orchestrator-2"), "the orchestrator has no replicas here");
        assertFalse(StackConfig.isReplica("specialist-security"));
        assertThrows(IllegalArgumentException.class, () -> StackConfig.builder(Path.of("/repo")).replicas("orchestrator", 2));
        assertThrows(IllegalArgumentException.class, () -> StackConfig.builder(Path.of("/repo")).replicas("specialist-ops", 10));
    }

    @Test
    void perServiceEnvironmentWinsOverTheCommonOne() {
        StackConfig config = StackConfig.builder(Path.of("/repo"))
                .environment("A", "common")
                .environment("orchestrator", "A", "own")
                .build();
        assertEquals(Map.of("A", "own"), config.environmentOf("orchestrator"));
        assertEquals(Map.of("A", "common"), config.environmentOf("specialist-ops"));
        assertEquals(8080, config.servicePort("orchestrator"));
        assertEquals(Path.of("/repo/.backend-team"), config.stateDirectory());
    }
}
