package dev.backendteam.orchestrator.config;

import dev.backendteam.contract.Specialist;
import dev.backendteam.orchestrator.engine.JobCoordinator;
import io.quarkus.runtime.configuration.DurationConverter;
import io.smallrye.config.EnvConfigSource;
import io.smallrye.config.PropertiesConfigSource;
import io.smallrye.config.SmallRyeConfig;
import io.smallrye.config.SmallRyeConfigBuilder;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.time.Duration;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The per-service step deadlines as the service reads them: the orchestrator's application.properties under an
 * environment, so the variables the README documents are the ones that work.
 */
class StepDeadlinesConfigTest {

    /** The service's configuration under {@code env}; other config tests read their settings the same way. */
    static OrchestratorConfig config(Map<String, String> env) throws IOException {
        SmallRyeConfig config = new SmallRyeConfigBuilder().addDefaultInterceptors()
                .withConverter(Duration.class, 200, new DurationConverter())
                .withSources(new EnvConfigSource(env, 300))
                .withSources(new PropertiesConfigSource(StepDeadlinesConfigTest.class.getResource(
                        "/application.properties"), 250))
                .withMapping(OrchestratorConfig.class).build();
        return config.getConfigMapping(OrchestratorConfig.class);
    }

    @Test
    void queryOptimizerHasItsOwnDefaultAndTheOthersTheGeneralOne() throws IOException {
        JobCoordinator.Settings settings = EngineProducer.settings(config(Map.of()));
        assertEquals(Duration.ofSeconds(300), settings.deadline(Specialist.QUERY_OPTIMIZER));
        assertEquals(Duration.ofSeconds(120), settings.deadline(Specialist.SECURITY));
        assertEquals(Duration.ofSeconds(120), settings.deadline(Specialist.DB_ARCHITECT));
    }

    @Test
    void theDocumentedEnvironmentVariablesWin() throws IOException {
        JobCoordinator.Settings settings = EngineProducer.settings(config(Map.of(
                "BACKEND_TEAM_STEP_DEADLINES_QUERY_OPTIMIZER", "600s", "BACKEND_TEAM_STEP_DEADLINE", "90s")));
        assertEquals(Duration.ofSeconds(600), settings.deadline(Specialist.QUERY_OPTIMIZER));
        assertEquals(Duration.ofSeconds(90), settings.deadline(Specialist.OPS));
    }

    @Test
    void anotherServiceCanBeGivenOneByEnvironment() throws IOException {
        JobCoordinator.Settings settings = EngineProducer.settings(config(Map.of(
                "BACKEND_TEAM_STEP_DEADLINES_SECURITY", "200s")));
        assertEquals(Duration.ofSeconds(200), settings.deadline(Specialist.SECURITY));
        assertEquals(Duration.ofSeconds(300), settings.deadline(Specialist.QUERY_OPTIMIZER));
    }

    @Test
    void dbArchitectFollowsTheGeneralDeadlineUnlessItHasItsOwn() throws IOException {
        assertEquals(Duration.ofSeconds(90), EngineProducer.settings(config(Map.of("BACKEND_TEAM_STEP_DEADLINE",
                "90s"))).deadline(Specialist.DB_ARCHITECT));
        assertEquals(Duration.ofSeconds(200), EngineProducer.settings(config(Map.of("BACKEND_TEAM_STEP_DEADLINE",
                "90s", "BACKEND_TEAM_STEP_DEADLINES_DB_ARCHITECT", "200s"))).deadline(Specialist.DB_ARCHITECT));
    }

    @Test
    void aDeadlineForAServiceThatDoesNotExistIsRefused() {
        SmallRyeConfig config = new SmallRyeConfigBuilder().addDefaultInterceptors()
                .withConverter(Duration.class, 200, new DurationConverter())
                .withSources(new PropertiesConfigSource(Map.of("backend-team.step-deadlines.\"query-optimiser\"",
                        "200s"), "test", 300))
                .withMapping(OrchestratorConfig.class).build();
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> EngineProducer.settings(config.getConfigMapping(OrchestratorConfig.class)));
        assertTrue(e.getMessage().contains("unknown specialist 'query-optimiser'"), e.getMessage());
    }
}
