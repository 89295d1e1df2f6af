package dev.backendteam.contract.llm;

import dev.langchain4j.agent.tool.ToolExecutionRequest;
import dev.langchain4j.agent.tool.ToolSpecification;
import dev.langchain4j.data.message.AiMessage;
import dev.langchain4j.data.message.ChatMessage;
import dev.langchain4j.data.message.SystemMessage;
import dev.langchain4j.data.message.ToolExecutionResultMessage;
import dev.langchain4j.data.message.UserMessage;
import dev.langchain4j.model.chat.ChatModel;
import dev.langchain4j.model.chat.request.ChatRequest;
import dev.langchain4j.model.chat.response.ChatResponse;
import dev.langchain4j.model.output.TokenUsage;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.LongSupplier;

/**
 * Every call a role makes to its model goes through here (BRIEF §6a). Each call is admitted against the job's token
 * budget first, retried a bounded number of times with backoff when the provider fault is one another try may cure
 * (429 honouring Retry-After up to a cap, 5xx, timeouts, malformed answers), and recorded in the task's
 * {@link UsageLedger} with its tokens, latency, retries and tool calls, failed or not. A conversation with tools runs
 * a bounded number of rounds; a call to an unknown tool or with invalid arguments goes back to the model as an error.
 * The model never runs anything itself: tools are the role's own engine calls.
 */
public final class ModelSession {

    /**
     * @param attempts   tries per call, the first included
     * @param backoff    the wait before the first retry, doubled each time
     * @param maxWait    the longest wait before a retry, a provider's Retry-After included
     * @param toolRounds model turns with tool calls in one conversation before it must answer
     */
    public record Settings(int attempts, Duration backoff, Duration maxWait, int toolRounds) {
        public static final Settings STANDARD = new Settings(3, Duration.ofMillis(500), Duration.ofSeconds(20), 8);

        public Settings {
            if (attempts < 1 || toolRounds < 1) {
                throw new IllegalArgumentException("a model call needs at least one attempt and one round");
            }
        }
    }

    /** Waits between tries; tests pass one that records instead of sleeping. */
    public interface Sleeper {
        void sleep(Duration duration) throws InterruptedException;
    }

    /** The model's last answer in a conversation, and what the conversation cost in tool calls. */
    public record Reply(String text, List<ChatMessage> transcript, int toolCalls) {
    }

    private final ChatModel model;
    private final String provider;
    private final String modelName;
    private final Settings settings;
    private final ProviderFault.Reader faults;
    private final Sleeper sleeper;
    private final LongSupplier clock;

    public ModelSession(ChatModel model, String provider, String modelName, Settings settings,
            ProviderFault.Reader faults) {
        this(model, provider, modelName, settings, faults, d -> Thread.sleep(d.toMillis()), System::nanoTime);
    }

    public ModelSession(ChatModel model, String provider, String modelName, Settings settings,
            ProviderFault.Reader faults, Sleeper sleeper, LongSupplier nanoClock) {
        this.model = Objects.requireNonNull(model);
        this.provider = provider;
        this.modelName = modelName;
        this.settings = settings;
        this.faults = faults == null ? e -> null : faults;
        this.sleeper = sleeper;
        this.clock = nanoClock;
    }

    public String provider() {
        return provider;
    }

    public String modelName() {
        return modelName;
    }

    /**
     * The response format that asks for a JSON answer where the provider's client supports one (OpenAI's JSON mode,
     * Ollama's format); null for Anthropic, whose answers are read from text (prompts ask for JSON alone).
     */
    public dev.langchain4j.model.chat.request.ResponseFormat jsonFormat() {
        return "anthropic".equals(provider) ? null : dev.langchain4j.model.chat.request.ResponseFormat.JSON;
    }

    /** One request, retried within bounds; throws {@link ModelFailedException} when no try succeeded. */
    public ChatResponse call(String purpose, ChatRequest request) {
        UsageLedger ledger = UsageLedger.current();
        ledger.admit(purpose, TokenEstimate.of(request));
        long start = clock.getAsLong();
        int retries = 0;
        while (true) {
            try {
                ChatResponse response = model.chat(request);
                if (response == null || response.aiMessage() == null) {
                    throw new MalformedAnswer("the provider returned no message");
                }
                TokenUsage usage = response.tokenUsage();
                AiMessage message = response.aiMessage();
                ledger.record(new ModelCall(provider, modelName, purpose, tokens(usage, true), tokens(usage, false),
                        millisSince(start), retries, message.hasToolExecutionRequests()
                                ? message.toolExecutionRequests().size() : 0, null));
                return response;
            } catch (RuntimeException e) {
                ProviderFault fault = e instanceof MalformedAnswer
                        ? new ProviderFault(ProviderFault.Kind.MALFORMED, null, null, e.getMessage()) : read(e);
                Duration wait = wait(fault, retries);
                boolean last = retries + 1 >= settings.attempts() || ledger.wouldPassDeadline(wait);
                if (!fault.kind().retryable() || last) {
                    String reason = "the model (" + provider + " " + modelName + ") failed on " + purpose + " after "
                            + (retries + 1) + (retries == 0 ? " try" : " tries") + ": " + fault.describe();
                    ledger.record(new ModelCall(provider, modelName, purpose, 0, 0, millisSince(start), retries, 0,
                            fault.describe()));
                    throw new ModelFailedException(reason, e);
                }
                pause(wait, e);
                retries++;
            }
        }
    }

    /**
     * A conversation: the system prompt, the user's turn, then as many tool rounds as the model asks for (bounded),
     * until it answers in words. {@code format} shapes the final answer (JSON mode for structured output); null for none.
     */
    public Reply converse(String purpose, String system, String user, List<ModelTool> tools,
            dev.langchain4j.model.chat.request.ResponseFormat format) {
        List<ChatMessage> messages = new ArrayList<>();
        messages.add(SystemMessage.from(system));
        messages.add(UserMessage.from(user));
        return converse(purpose, messages, tools, format);
    }

    /** Continues a conversation (e.g. with the errors of the last draft appended as a user turn). */
    public Reply converse(String purpose, List<ChatMessage> history, List<ModelTool> tools,
            dev.langchain4j.model.chat.request.ResponseFormat format) {
        List<ChatMessage> messages = new ArrayList<>(history);
        Map<String, ModelTool> byName = new LinkedHashMap<>();
        tools.forEach(t -> byName.put(t.name(), t));
        List<ToolSpecification> specifications = tools.stream().map(ModelTool::specification).toList();
        int toolCalls = 0;
        for (int round = 0; round <= settings.toolRounds(); round++) {
            // The model is named on every request: the server picks it at run time (Ollama's extension fixes its
            // default model at build time).
            ChatRequest.Builder request = ChatRequest.builder().messages(messages).modelName(modelName);
            if (!specifications.isEmpty()) {
                request.toolSpecifications(specifications);
            }
            if (format != null) {
                request.responseFormat(format);
            }
            AiMessage answer = call(purpose, request.build()).aiMessage();
            messages.add(answer);
            if (!answer.hasToolExecutionRequests()) {
                return new Reply(answer.text() == null ? "" : answer.text(), List.copyOf(messages), toolCalls);
            }
            for (ToolExecutionRequest call : answer.toolExecutionRequests()) {
                toolCalls++;
                // Each tool is an engine call (a sandbox proof, a matrix run): a conversation gets a bounded number.
                messages.add(ToolExecutionResultMessage.from(call, toolCalls > maxToolCalls()
                        ? "error: this conversation has used its " + maxToolCalls() + " tool calls; answer now"
                        : run(byName, call)));
            }
        }
        throw new ModelFailedException("the model (" + provider + " " + modelName + ") kept calling tools on "
                + purpose + " for " + settings.toolRounds() + " rounds without answering", null);
    }

    /** Tool calls one conversation may run: two per round. */
    int maxToolCalls() {
        return settings.toolRounds() * 2;
    }

    private static String run(Map<String, ModelTool> tools, ToolExecutionRequest call) {
        ModelTool tool = tools.get(call.name());
        if (tool == null) {
            return "error: there is no tool named '" + call.name() + "'; the tools are: "
                    + (tools.isEmpty() ? "none" : String.join(", ", tools.keySet()));
        }
        try {
            return tool.call(call.arguments());
        } catch (ModelTool.ArgumentException e) {
            return "error: invalid arguments for " + call.name() + ": " + e.getMessage();
        }
    }

    private ProviderFault read(RuntimeException e) {
        ProviderFault specific = faults.read(e);
        return specific != null ? specific : ProviderFault.standard(e);
    }

    private Duration wait(ProviderFault fault, int retries) {
        Duration backoff = settings.backoff().multipliedBy(1L << Math.min(retries, 10));
        Duration wait = fault.retryAfter() != null ? fault.retryAfter() : backoff;
        return wait.compareTo(settings.maxWait()) > 0 ? settings.maxWait() : wait;
    }

    private void pause(Duration duration, RuntimeException cause) {
        try {
            sleeper.sleep(duration);
        } catch (InterruptedException interrupted) {
            Thread.currentThread().interrupt();
            throw new ModelFailedException("interrupted while waiting to retry the model", cause);
        }
    }

    private long millisSince(long start) {
        return (clock.getAsLong() - start) / 1_000_000;
    }

    private static long tokens(TokenUsage usage, boolean in) {
        if (usage == null) {
            return 0;
        }
        Integer count = in ? usage.inputTokenCount() : usage.outputTokenCount();
        return count == null ? 0 : count;
    }

    /** An answer the provider sent but that carries nothing to use. */
    private static final class MalformedAnswer extends RuntimeException {
        MalformedAnswer(String message) {
            super(message);
        }
    }
}
