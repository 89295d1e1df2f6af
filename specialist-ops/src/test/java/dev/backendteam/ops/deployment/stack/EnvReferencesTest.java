package dev.backendteam.ops.deployment.stack;

import org.junit.jupiter.api.Test;

import java.util.LinkedHashMap;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The environment variables a property expression names, as the deploy files list them (StackDetector). */
class EnvReferencesTest {

    @Test
    void aDefaultThatIsAnExpressionStaysWhole() {
        // the orchestrator's own line: DEPLOY.md once showed the default as "${backend-team.step-deadline:120s"
        assertEquals(Map.of("BACKEND_TEAM_STEP_DEADLINES_DB_ARCHITECT", "${backend-team.step-deadline:120s}"),
                StackDetector.envReferences(
                        "${BACKEND_TEAM_STEP_DEADLINES_DB_ARCHITECT:${backend-team.step-deadline:120s}}"));
    }

    @Test
    void referencesInsideADefaultAndBesideItAreFound() {
        Map<String, String> expected = new LinkedHashMap<>();
        expected.put("DB_URL", "jdbc:postgresql://${DB_HOST:localhost}:${DB_PORT:5432}/app");
        expected.put("DB_HOST", "localhost");
        expected.put("DB_PORT", "5432");
        expected.put("APP_NAME", null);
        assertEquals(expected, StackDetector.envReferences(
                "${DB_URL:jdbc:postgresql://${DB_HOST:localhost}:${DB_PORT:5432}/app} as ${APP_NAME}"));
    }

    @Test
    void plainDefaultsEmptyDefaultsAndBrokenExpressions() {
        Map<String, String> expected = new LinkedHashMap<>();
        expected.put("PORT", "8080");
        expected.put("TOKEN", "");
        assertEquals(expected, StackDetector.envReferences("${PORT:8080} ${TOKEN:} ${lower.case:x} ${UNCLOSED:oops"));
        assertEquals(Map.of(), StackDetector.envReferences("no expression at all, $HOME or {BRACES}"));
    }
}
