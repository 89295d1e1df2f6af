package dev.backendteam.dbarchitect.messaging;

import com.github.tomakehurst.wiremock.WireMockServer;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

import java.util.Map;

import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;

/**
 * A WireMock stub of one provider's HTTP API (mappings and bodies under {@code src/test/resources/llm/<provider>}), and
 * the service's configuration choosing that provider at run time, as BACKEND_TEAM_LLM_* would in production.
 */
public class ProviderStub implements QuarkusTestResourceLifecycleManager {
    static volatile WireMockServer server;
    private String provider;

    @Override
    public void init(Map<String, String> args) {
        provider = args.get("provider");
    }

    @Override
    public Map<String, String> start() {
        server = new WireMockServer(options().dynamicPort().bindAddress("127.0.0.1")
                .usingFilesUnderClasspath("llm/" + provider));
        server.start();
        String url = server.baseUrl() + (provider.equals("ollama") ? "" : "/v1");
        return Map.of("backend-team.llm.provider", provider,
                "backend-team.llm." + provider + ".base-url", url,
                "backend-team.llm." + provider + ".api-key", "test-key-" + provider,
                "backend-team.llm." + provider + ".model", switch (provider) {
                    case "openai" -> "gpt-4o-mini";
                    case "anthropic" -> "claude-sonnet-4-5";
                    default -> "llama3.1";
                },
                "backend-team.llm.backoff", "50ms", "backend-team.llm.timeout", "3s");
    }

    @Override
    public void stop() {
        if (server != null) {
            server.stop();
        }
    }
}
