package dev.backendteam.stack.cli;

import dev.backendteam.stack.StackConfig;
import dev.backendteam.stack.StackException;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The stack configuration the launcher derives from its options, and its refusals before anything starts. */
class StackStarterTest {
    private static final Path ROOT = Path.of("/repo");

    private static StackConfig config(Map<String, String> env, String... args) {
        CommandLine commandLine = CommandLine.parse(List.of(args), env, ROOT, ROOT);
        return new StackStarter(ROOT, commandLine, env, new PrintStream(new ByteArrayOutputStream())).config();
    }

    @Test
    void optionsBecomeTheStackConfiguration() {
        StackConfig defaults = config(Map.of(), "up");
        assertEquals(8080, defaults.servicePort("orchestrator"));
        assertEquals(8084, defaults.servicePort("specialist-ops"));
        assertEquals(0, defaults.postgresPort(), "PostgreSQL and Kafka on free ports unless set");
        assertEquals(Path.of("/repo/.backend-team"), defaults.stateDirectory());
        assertEquals(Map.of(), defaults.environmentOf("orchestrator"), "no keys: none passed on");

        StackConfig set = config(Map.of("BACKEND_TEAM_API_KEYS", "alice:alice-key-0123456789"), "up", "--port", "9080",
                "--ports", "postgres=5433,kafka=9092,kafka-controller=9093", "--state", "/tmp/st");
        assertEquals(9080, set.servicePort("orchestrator"));
        assertEquals(9083, set.servicePort("specialist-query-optimizer"));
        assertEquals(5433, set.postgresPort());
        assertEquals(9092, set.kafkaPort());
        assertEquals(9093, set.kafkaControllerPort());
        assertEquals(Path.of("/tmp/st"), set.stateDirectory());
        assertEquals("alice:alice-key-0123456789", set.environmentOf("orchestrator").get("BACKEND_TEAM_API_KEYS"));
    }

    @Test
    void aTakenPortIsNamedWithTheOptionThatMovesIt() throws IOException {
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
            int port = taken.getLocalPort();
            String message = assertThrows(StackException.class, () -> StackStarter.requireFreePorts(
                    config(Map.of(), "up", "--ports", "gateway=" + port))).getMessage();
            assertTrue(message.startsWith("port " + port + " (orchestrator, the gateway) is already in use on"
                    + " 127.0.0.1."), message);
            assertTrue(message.contains("--port 9080"), message);
        }
    }

    @Test
    void aPortGivenTwiceIsRefused() {
        String message = assertThrows(StackException.class, () -> StackStarter.requireFreePorts(
                config(Map.of(), "up", "--port", "0", "--ports", "postgres=45999,ops=45999"))).getMessage();
        assertEquals("port 45999 is configured for both specialist-ops and postgres; give one of them another port"
                + " (--port, --ports)", message);
    }
}
