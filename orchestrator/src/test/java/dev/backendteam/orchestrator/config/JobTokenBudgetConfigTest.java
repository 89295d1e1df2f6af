package dev.backendteam.orchestrator.config;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The job token budget as the service reads it: application.properties under an environment. */
class JobTokenBudgetConfigTest {

    @Test
    void aJobMaySpendTwoHundredThousandTokensUnlessTheEnvironmentSaysOtherwise() throws IOException {
        assertEquals(200_000L, EngineProducer.settings(StepDeadlinesConfigTest.config(Map.of())).jobTokenBudget());
        assertEquals(5_000L, EngineProducer.settings(StepDeadlinesConfigTest.config(Map.of(
                "BACKEND_TEAM_LLM_JOB_TOKEN_BUDGET", "5000"))).jobTokenBudget());
        assertEquals(0L, EngineProducer.settings(StepDeadlinesConfigTest.config(Map.of(
                "BACKEND_TEAM_LLM_JOB_TOKEN_BUDGET", "0"))).jobTokenBudget(), "0: no model calls at all");
    }

    @Test
    void aNegativeBudgetIsRefusedAtStart() throws IOException {
        OrchestratorConfig config = StepDeadlinesConfigTest.config(Map.of("BACKEND_TEAM_LLM_JOB_TOKEN_BUDGET", "-1"));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> EngineProducer.settings(config));
        assertTrue(e.getMessage().contains("BACKEND_TEAM_LLM_JOB_TOKEN_BUDGET) is -1"), e.getMessage());
    }
}
