package dev.backendteam.security.engine;

import com.github.tomakehurst.wiremock.WireMockServer;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.Map;

import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;

/**
 * What {@link AccessDraftingTest} runs against: a WireMock stub of OpenAI's HTTP API, configured as the service's model
 * provider (so the runtime wires quarkus-langchain4j's OpenAI client to it), and a PostgreSQL 17 (zonky's embedded
 * binaries, under target/) for the sandbox the test builds its engine on.
 */
public class DraftingStack implements QuarkusTestResourceLifecycleManager {
    static final String POSTGRES_PORT = "drafting-test.postgres-port";
    static final String WIREMOCK_PORT = "drafting-test.wiremock-port";

    private WireMockServer wiremock;
    private EmbeddedPostgres postgres;

    @Override
    public Map<String, String> start() {
        wiremock = new WireMockServer(options().dynamicPort().bindAddress("127.0.0.1"));
        wiremock.start();
        Path base = Paths.get(System.getProperty("sandbox.test.dir", "target/postgres")).resolve("drafting");
        String previous = System.getProperty("ot.epg.working-dir");
        try {
            Files.createDirectories(base.resolve("zonky"));
            Files.createDirectories(base.resolve("zonky-bin"));
            // zonky reads its scratch folder from this property when a builder is made
            System.setProperty("ot.epg.working-dir", base.resolve("zonky").toString());
            EmbeddedPostgres.Builder builder = EmbeddedPostgres.builder();
            postgres = builder.setOverrideWorkingDirectory(base.resolve("zonky-bin").toFile())
                    .setServerConfig("fsync", "off").setServerConfig("listen_addresses", "127.0.0.1")
                    .setPGStartupWait(Duration.ofSeconds(60)).start();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start embedded PostgreSQL 17", e);
        } finally {
            if (previous == null) {
                System.clearProperty("ot.epg.working-dir");
            } else {
                System.setProperty("ot.epg.working-dir", previous);
            }
        }
        return Map.of("backend-team.llm.provider", "openai",
                "backend-team.llm.openai.base-url", wiremock.baseUrl() + "/v1",
                "backend-team.llm.openai.api-key", "sk-test",
                "backend-team.llm.openai.model", "gpt-4o-mini",
                WIREMOCK_PORT, String.valueOf(wiremock.port()),
                POSTGRES_PORT, String.valueOf(postgres.getPort()));
    }

    @Override
    public void stop() {
        if (wiremock != null) {
            wiremock.stop();
        }
        if (postgres != null) {
            try {
                postgres.close();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }
}
