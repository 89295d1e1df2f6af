package dev.backendteam.runtime.llm;

import dev.backendteam.contract.llm.ModelChoice;
import dev.backendteam.contract.llm.ModelSession;
import dev.langchain4j.model.anthropic.AnthropicChatModel;
import dev.langchain4j.model.chat.ChatModel;
import io.quarkiverse.langchain4j.ModelName;
import io.quarkiverse.langchain4j.jaxrsclient.JaxRsHttpClientBuilderFactory;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import org.eclipse.microprofile.config.Config;
import org.jboss.logging.Logger;

import java.util.Optional;

/**
 * The service's model, chosen at run time among the providers compiled in (BRIEF §6a): OpenAI and OpenAI-compatible
 * servers and Ollama through quarkus-langchain4j's named models {@value #OPENAI} and {@value #OLLAMA} (their
 * {@code quarkus.langchain4j.*} settings are mapped from {@code backend-team.llm.*} in the shared configuration),
 * Anthropic through langchain4j's own module (its Quarkus extension is not served here). Empty when
 * {@code backend-team.llm.provider} is {@code none}: the role then takes its deterministic path. The session adds the
 * retries, so the clients retry nothing themselves.
 */
public class ModelWiring {
    public static final String OPENAI = "openai";
    public static final String OLLAMA = "ollama";
    private static final Logger LOG = Logger.getLogger(ModelWiring.class);

    @Produces
    @Singleton
    Optional<ModelSession> model(Config config, @ModelName(OPENAI) ChatModel openai,
            @ModelName(OLLAMA) ChatModel ollama) {
        ModelChoice choice = ModelChoice.read(key -> config.getOptionalValue(key, String.class));
        LOG.infof("model: %s", choice.describe());
        return choice.session(provider -> switch (provider) {
            case OPENAI -> openai;
            case OLLAMA -> ollama;
            default -> AnthropicChatModel.builder()
                    // The extension's HTTP client, named: a second client on the class path must not make it ambiguous.
                    .httpClientBuilder(new JaxRsHttpClientBuilderFactory().create()).baseUrl(choice.baseUrl())
                    .apiKey(choice.apiKey() == null ? "" : choice.apiKey()).modelName(choice.model())
                    .timeout(choice.timeout()).maxRetries(0).maxTokens(4096).build();
        });
    }
}
