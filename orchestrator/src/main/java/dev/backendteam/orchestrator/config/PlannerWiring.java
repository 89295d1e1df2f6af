package dev.backendteam.orchestrator.config;

import dev.backendteam.contract.llm.ModelChoice;
import dev.backendteam.orchestrator.engine.FlowCatalog;
import dev.backendteam.orchestrator.engine.plan.SpecSchema;
import dev.backendteam.orchestrator.engine.plan.TaskPlanner;
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
 * The planner's model, chosen at run time like every specialist's (BACKEND_TEAM_LLM_PROVIDER and the provider's
 * URL, key and model; see README): OpenAI-compatible servers and Ollama through quarkus-langchain4j's named models,
 * Anthropic through langchain4j's module. Without one, jobs are routed by keywords (and example phrasings).
 */
public class PlannerWiring {
    private static final Logger LOG = Logger.getLogger(PlannerWiring.class);

    @Produces
    @Singleton
    Optional<TaskPlanner> planner(Config config, FlowCatalog catalog, @ModelName("openai") ChatModel openai,
            @ModelName("ollama") ChatModel ollama) {
        ModelChoice choice = ModelChoice.read(key -> config.getOptionalValue(key, String.class));
        LOG.infof("planner model: %s", choice.describe());
        return choice.session(provider -> switch (provider) {
            case OPENAI -> openai;
            case OLLAMA -> ollama;
            default -> AnthropicChatModel.builder().httpClientBuilder(new JaxRsHttpClientBuilderFactory().create())
                    .baseUrl(choice.baseUrl()).apiKey(choice.apiKey() == null ? "" : choice.apiKey())
                    .modelName(choice.model()).timeout(choice.timeout()).maxRetries(0).maxTokens(4096).build();
        }).map(session -> new TaskPlanner(session, catalog, SpecSchema.load()));
    }
}
