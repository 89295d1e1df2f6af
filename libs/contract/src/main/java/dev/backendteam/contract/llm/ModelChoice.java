package dev.backendteam.contract.llm;

import java.time.Duration;
import java.util.Locale;
import java.util.Optional;
import java.util.function.Function;

/**
 * Which model a service talks to, read from its configuration at run time (BRIEF §6a): every provider is compiled in,
 * {@code backend-team.llm.provider} (BACKEND_TEAM_LLM_PROVIDER) picks one, and each provider has its own base URL, key
 * and model ({@code backend-team.llm.<provider>.base-url|api-key|model}). {@code none}, the default, is the
 * deterministic path. The key is a secret: it is never part of {@link #describe()} or of anything written.
 */
public record ModelChoice(Provider provider, String baseUrl, String apiKey, String model, Duration timeout,
        ModelSession.Settings settings) {
    public static final String PREFIX = "backend-team.llm.";

    public enum Provider {
        NONE(null, null, false),
        /** OpenAI, or any server speaking its chat completions API (vLLM, LM Studio, llama.cpp, LiteLLM…). */
        OPENAI("https://api.openai.com/v1", "gpt-4o-mini", true),
        /** Anthropic's Messages API. */
        ANTHROPIC("https://api.anthropic.com/v1", "claude-sonnet-4-5", true),
        /** Ollama's chat API. */
        OLLAMA("http://localhost:11434", "llama3.1", false);

        private final String defaultUrl;
        private final String defaultModel;
        private final boolean keyed;

        Provider(String defaultUrl, String defaultModel, boolean keyed) {
            this.defaultUrl = defaultUrl;
            this.defaultModel = defaultModel;
            this.keyed = keyed;
        }

        public String id() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /** A configuration that cannot work; the service refuses to start with it rather than fail every step. */
    public static final class InvalidChoice extends RuntimeException {
        public InvalidChoice(String message) {
            super(message);
        }
    }

    public static ModelChoice read(Function<String, Optional<String>> config) {
        String name = config.apply(PREFIX + "provider").map(String::strip).filter(s -> !s.isEmpty()).orElse("none")
                .toLowerCase(Locale.ROOT);
        Provider provider;
        try {
            provider = Provider.valueOf(name.toUpperCase(Locale.ROOT).replace('-', '_'));
        } catch (IllegalArgumentException e) {
            throw new InvalidChoice("backend-team.llm.provider (BACKEND_TEAM_LLM_PROVIDER) is '" + name
                    + "'; it must be one of none, openai, anthropic, ollama");
        }
        Duration timeout = duration(config, "timeout", Duration.ofSeconds(60));
        ModelSession.Settings settings = new ModelSession.Settings(number(config, "attempts", 3),
                duration(config, "backoff", Duration.ofMillis(500)), duration(config, "max-wait",
                        Duration.ofSeconds(20)), number(config, "tool-rounds", 8));
        if (provider == Provider.NONE) {
            return new ModelChoice(provider, null, null, null, timeout, settings);
        }
        String p = PREFIX + provider.id() + ".";
        String url = config.apply(p + "base-url").filter(s -> !s.isBlank()).orElse(provider.defaultUrl);
        String key = config.apply(p + "api-key").filter(s -> !s.isBlank()).orElse(null);
        String model = config.apply(p + "model").filter(s -> !s.isBlank()).orElse(provider.defaultModel);
        if (provider.keyed && key == null && url.equals(provider.defaultUrl)) {
            throw new InvalidChoice(provider.id() + " is chosen but " + envName(p + "api-key") + " is not set");
        }
        return new ModelChoice(provider, url, key, model, timeout, settings);
    }

    /**
     * The session with the chosen provider's model, from {@code models} (the service's clients by provider); empty for
     * {@code none}.
     */
    public Optional<ModelSession> session(Function<Provider, dev.langchain4j.model.chat.ChatModel> models) {
        if (!enabled()) {
            return Optional.empty();
        }
        return Optional.of(new ModelSession(models.apply(provider), provider.id(), model, settings, null));
    }

    public boolean enabled() {
        return provider != Provider.NONE;
    }

    /** For logs and health: provider, model and server, never the key. */
    public String describe() {
        return enabled() ? provider.id() + " " + model + " at " + server(baseUrl) : "none (the deterministic path)";
    }

    /** A URL without what may carry a secret (user info, query, fragment): some gateways take a key there. */
    static String server(String url) {
        try {
            java.net.URI u = java.net.URI.create(url);
            return new java.net.URI(u.getScheme(), null, u.getHost(), u.getPort(), u.getPath(), null, null).toString();
        } catch (IllegalArgumentException | java.net.URISyntaxException e) {
            return "(a URL that does not parse)";
        }
    }

    /** The environment variable MicroProfile Config maps to a property. */
    public static String envName(String property) {
        return property.toUpperCase(Locale.ROOT).replaceAll("[^A-Z0-9]", "_");
    }

    private static Duration duration(Function<String, Optional<String>> config, String key, Duration fallback) {
        Optional<String> value = config.apply(PREFIX + key).map(String::strip).filter(s -> !s.isEmpty());
        if (value.isEmpty()) {
            return fallback;
        }
        String v = value.get().toLowerCase(Locale.ROOT);
        try {
            return v.startsWith("p") ? Duration.parse(v.toUpperCase(Locale.ROOT))
                    : v.endsWith("ms") ? Duration.ofMillis(Long.parseLong(v.substring(0, v.length() - 2)))
                    : v.endsWith("s") ? Duration.ofSeconds(Long.parseLong(v.substring(0, v.length() - 1)))
                    : Duration.ofSeconds(Long.parseLong(v));
        } catch (RuntimeException e) {
            throw new InvalidChoice(envName(PREFIX + key) + " is '" + value.get() + "': write seconds (60s) or ms");
        }
    }

    private static int number(Function<String, Optional<String>> config, String key, int fallback) {
        Optional<String> value = config.apply(PREFIX + key).map(String::strip).filter(s -> !s.isEmpty());
        try {
            int n = value.map(Integer::parseInt).orElse(fallback);
            if (n < 1) {
                throw new NumberFormatException();
            }
            return n;
        } catch (NumberFormatException e) {
            throw new InvalidChoice(envName(PREFIX + key) + " must be a positive whole number");
        }
    }

    @Override
    public String toString() {
        return "ModelChoice[" + describe() + "]";
    }
}
