package dev.backendteam.orchestrator.config;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The routing settings as the service reads them: application.properties under an environment. */
class RoutingConfigTest {

    private static OrchestratorConfig.Routing routing(Map<String, String> env) throws IOException {
        return StepDeadlinesConfigTest.config(env).routing();
    }

    @Test
    void embeddingsAreOnByDefaultInTheirDefaultFolder() throws IOException {
        assertTrue(routing(Map.of()).embeddings());
        assertEquals(Optional.empty(), routing(Map.of()).workDirectory());
        assertEquals(Duration.ofMinutes(5), routing(Map.of()).modelKeepAlive());
    }

    @Test
    void theDocumentedVariablesTurnThemOffAndMoveTheirFolder() throws IOException {
        OrchestratorConfig.Routing routing = routing(Map.of("BACKEND_TEAM_ROUTING_EMBEDDINGS", "false",
                "BACKEND_TEAM_ROUTING_WORK_DIRECTORY", "/var/cache/backend-team",
                "BACKEND_TEAM_ROUTING_MODEL_KEEP_ALIVE", "90s"));
        assertFalse(routing.embeddings());
        assertEquals(Optional.of("/var/cache/backend-team"), routing.workDirectory());
        assertEquals(Duration.ofSeconds(90), routing.modelKeepAlive());
        assertEquals(Duration.ZERO, routing(Map.of("BACKEND_TEAM_ROUTING_MODEL_KEEP_ALIVE", "0")).modelKeepAlive());
    }
}
