package dev.backendteam.ops.messaging;

import com.github.tomakehurst.wiremock.WireMockServer;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;

import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;

/**
 * A WireMock stub of OpenAI's chat completions API (mappings and bodies under {@code src/test/resources/llm/openai}),
 * and the service's configuration choosing that provider at run time, as BACKEND_TEAM_LLM_* would in production.
 * (db-architect's tests hold the same fixture for its three providers.)
 */
public class ProviderStub implements QuarkusTestResourceLifecycleManager {
    static volatile WireMockServer server;

    @Override
    public Map<String, String> start() {
        server = new WireMockServer(options().dynamicPort().bindAddress("127.0.0.1")
                .usingFilesUnderClasspath("llm/openai"));
        server.start();
        return Map.of("backend-team.llm.provider", "openai",
                "backend-team.llm.openai.base-url", server.baseUrl() + "/v1",
                "backend-team.llm.openai.api-key", "test-key-openai",
                "backend-team.llm.openai.model", "gpt-4o-mini",
                "backend-team.llm.backoff", "50ms", "backend-team.llm.timeout", "3s");
    }

    @Override
    public void stop() {
        if (server != null) {
            server.stop();
        }
    }

    /** The request bodies the stub received, first first. */
    static List<String> bodies() {
        List<String> bodies = new ArrayList<>(server.getAllServeEvents().stream()
                .map(e -> e.getRequest().getBodyAsString()).toList());
        Collections.reverse(bodies);
        return bodies;
    }
}
