package dev.backendteam.contract.llm;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import com.github.tomakehurst.wiremock.stubbing.Scenario;
import dev.langchain4j.model.chat.ChatModel;
import dev.langchain4j.model.chat.request.json.JsonObjectSchema;
import dev.langchain4j.model.openai.OpenAiChatModel;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.containing;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The model session against a WireMock stub of OpenAI's chat completions API, through langchain4j's real OpenAI
 * client: the tool loop, accounting, the budget, and every provider fault the session must survive or stop on.
 */
class ModelSessionTest {
    private static final String PATH = "/v1/chat/completions";
    private static WireMockServer wiremock;

    private final List<Duration> waits = new ArrayList<>();
    private final List<String> linted = new ArrayList<>();

    @BeforeAll
    static void start() {
        wiremock = new WireMockServer(options().dynamicPort().bindAddress("127.0.0.1"));
        wiremock.start();
    }

    @AfterAll
    static void stop() {
        wiremock.stop();
    }

    @BeforeEach
    void reset() {
        wiremock.resetAll();
    }

    private ModelSession session(Duration timeout) {
        ChatModel model = OpenAiChatModel.builder().baseUrl(wiremock.baseUrl() + "/v1").apiKey("sk-test")
                .modelName("gpt-4o-mini").maxRetries(0).timeout(timeout).build();
        return new ModelSession(model, "openai", "gpt-4o-mini", ModelSession.Settings.STANDARD, null,
                waits::add, System::nanoTime);
    }

    private ModelTool lint() {
        return ModelTool.of("lint_sql", "Lints one migration", JsonObjectSchema.builder()
                .addStringProperty("sql", "the migration").required("sql").build(), args -> {
                    linted.add(args.get("sql").asText());
                    return "{\"findings\":[]}";
                });
    }

    /** Stubs the conversation: each response in turn, then the last one again. */
    private static void conversation(ResponseDefinitionBuilder... responses) {
        String state = Scenario.STARTED;
        for (int i = 0; i < responses.length; i++) {
            String next = i + 1 < responses.length ? "turn " + (i + 1) : state;
            wiremock.stubFor(post(urlEqualTo(PATH)).inScenario("conversation").whenScenarioStateIs(state)
                    .willReturn(responses[i]).willSetStateTo(next));
            state = next;
        }
    }

    private static ResponseDefinitionBuilder ok(String file) {
        return aResponse().withStatus(200).withHeader("Content-Type", "application/json").withBody(resource(file));
    }

    @Test
    void aToolRoundRunsTheEngineCallAndEveryCallIsAccounted() {
        conversation(ok("tool-call.json"), ok("answer.json"));
        UsageLedger ledger = new UsageLedger(null);
        ModelSession.Reply reply;
        try (UsageLedger.Scope bound = UsageLedger.bind(ledger)) {
            reply = session(Duration.ofSeconds(5)).converse("review", "You review migrations.", "Review it.",
                    List.of(lint()), null);
        }
        assertEquals("{\"verdict\":\"clean\"}", reply.text());
        assertEquals(List.of("create table comments (id bigint primary key)"), linted);
        assertEquals(1, reply.toolCalls());
        ModelUsage usage = ledger.usage();
        assertEquals(2, usage.calls().size());
        assertEquals(212 + 280, usage.tokensIn());
        assertEquals(31 + 9, usage.tokensOut());
        assertEquals(1, usage.toolCalls());
        assertEquals("openai", usage.calls().get(0).provider());
        wiremock.verify(postRequestedFor(urlEqualTo(PATH)).withRequestBody(containing("\"lint_sql\"")));
        // The tool's answer went back to the model under the call's id.
        wiremock.verify(postRequestedFor(urlEqualTo(PATH)).withRequestBody(containing("call_1"))
                .withRequestBody(containing("findings")));
    }

    @Test
    void anUnknownToolAndInvalidArgumentsGoBackToTheModelAsErrors() {
        conversation(ok("unknown-tool.json"), ok("answer.json"));
        ModelSession.Reply reply = session(Duration.ofSeconds(5)).converse("review", "s", "u", List.of(lint()), null);
        assertEquals(2, reply.toolCalls());
        assertTrue(linted.isEmpty(), "neither call reached the engine");
        String second = wiremock.getAllServeEvents().stream().map(e -> e.getRequest().getBodyAsString())
                .filter(b -> b.contains("call_2")).findFirst().orElseThrow();
        assertTrue(second.contains("there is no tool named 'write_target'"), second);
        assertTrue(second.contains("'sql' is required") && second.contains("'statement' is not a parameter"), second);
    }

    @Test
    void aModelThatOnlyCallsToolsIsStoppedAfterTheBoundedRounds() {
        conversation(ok("tool-call.json"));
        ModelFailedException e = assertThrows(ModelFailedException.class, () -> session(Duration.ofSeconds(5))
                .converse("review", "s", "u", List.of(lint()), null));
        assertTrue(e.getMessage().contains("kept calling tools"), e.getMessage());
        assertEquals(ModelSession.Settings.STANDARD.toolRounds() + 1, wiremock.getAllServeEvents().size());
    }

    @Test
    void aConversationRunsABoundedNumberOfToolCallsHoweverManyTheModelAsksFor() throws Exception {
        com.fasterxml.jackson.databind.node.ObjectNode body = (com.fasterxml.jackson.databind.node.ObjectNode)
                dev.backendteam.contract.Json.events().readTree(resource("tool-call.json"));
        com.fasterxml.jackson.databind.node.ArrayNode calls = ((com.fasterxml.jackson.databind.node.ObjectNode) body
                .get("choices").get(0).get("message")).putArray("tool_calls");
        for (int i = 0; i < 40; i++) {
            calls.addObject().put("id", "call_" + i).put("type", "function").putObject("function")
                    .put("name", "lint_sql").put("arguments", "{\"sql\":\"select " + i + "\"}");
        }
        conversation(aResponse().withStatus(200).withHeader("Content-Type", "application/json")
                .withBody(body.toString()), ok("answer.json"));
        ModelSession session = session(Duration.ofSeconds(5));
        ModelSession.Reply reply = session.converse("review", "s", "u", List.of(lint()), null);
        assertEquals(session.maxToolCalls(), linted.size(), "the engine ran only the allowed calls");
        assertEquals(40, reply.toolCalls());
        assertTrue(wiremock.getAllServeEvents().get(0).getRequest().getBodyAsString()
                .contains("has used its " + session.maxToolCalls() + " tool calls"));
    }

    @Test
    void aRateLimitIsRetriedWithBackoffThenSucceeds() {
        conversation(aResponse().withStatus(429).withHeader("Retry-After", "2")
                .withHeader("Content-Type", "application/json").withBody(resource("rate-limited.json")),
                ok("answer.json"));
        UsageLedger ledger = new UsageLedger(null);
        try (UsageLedger.Scope bound = UsageLedger.bind(ledger)) {
            session(Duration.ofSeconds(5)).converse("plan", "s", "u", List.of(), null);
        }
        // langchain4j's plain client keeps no headers, so the session's backoff applies; the services' REST clients
        // keep Retry-After (RetryAfterFilter, tested with quarkus-langchain4j's client in db-architect).
        assertEquals(List.of(Duration.ofMillis(500)), waits);
        assertEquals(1, ledger.usage().retries());
        assertEquals(2, wiremock.getAllServeEvents().size());
    }

    @Test
    void aRetryAfterCarriedByTheProviderIsWaitedUpToTheCap() {
        conversation(aResponse().withStatus(200).withHeader("Content-Type", "application/json")
                .withBody(resource("answer.json")));
        ChatModel real = OpenAiChatModel.builder().baseUrl(wiremock.baseUrl() + "/v1").apiKey("sk-test")
                .modelName("gpt-4o-mini").maxRetries(0).build();
        ChatModel busyOnce = new ChatModel() {
            @Override
            public dev.langchain4j.model.chat.response.ChatResponse chat(
                    dev.langchain4j.model.chat.request.ChatRequest request) {
                if (waits.isEmpty()) {
                    throw new ProviderFault.Busy(429, "7"); // as a service's response filter raises it
                }
                return real.chat(request);
            }
        };
        ModelSession session = new ModelSession(busyOnce, "openai", "gpt-4o-mini", new ModelSession.Settings(3, Duration.ofMillis(500), Duration.ofSeconds(5), 8),
                null, waits::add, System::nanoTime);
        session.converse("plan", "s", "u", List.of(), null);
        assertEquals(List.of(Duration.ofSeconds(5)), waits, "Retry-After: 7 s, capped at the 5 s maximum wait");
    }

    @Test
    void serverErrorsAreRetriedABoundedNumberOfTimesThenTheCallFailsWithTheReason() {
        conversation(aResponse().withStatus(503).withHeader("Content-Type", "application/json")
                .withBody(resource("server-error.json")));
        UsageLedger ledger = new UsageLedger(null);
        ModelFailedException e;
        try (UsageLedger.Scope bound = UsageLedger.bind(ledger)) {
            e = assertThrows(ModelFailedException.class, () -> session(Duration.ofSeconds(5))
                    .converse("plan", "s", "u", List.of(), null));
        }
        assertEquals(3, wiremock.getAllServeEvents().size());
        assertEquals(List.of(Duration.ofMillis(500), Duration.ofMillis(1000)), waits);
        assertTrue(e.getMessage().contains("after 3 tries") && e.getMessage().contains("server error"),
                e.getMessage());
        assertEquals(1, ledger.usage().calls().size());
        assertEquals(2, ledger.usage().retries());
        assertTrue(ledger.usage().calls().get(0).error().contains("server error"));
    }

    @Test
    void aRefusedKeyIsNotRetried() {
        conversation(aResponse().withStatus(401).withHeader("Content-Type", "application/json")
                .withBody("{\"error\":{\"message\":\"Incorrect API key provided\",\"type\":\"invalid_request_error\"}}"));
        ModelFailedException e = assertThrows(ModelFailedException.class, () -> session(Duration.ofSeconds(5))
                .converse("plan", "s", "u", List.of(), null));
        assertEquals(1, wiremock.getAllServeEvents().size());
        assertTrue(e.getMessage().contains("refused"), e.getMessage());
    }

    @Test
    void aMalformedBodyIsRetried() {
        conversation(aResponse().withStatus(200).withHeader("Content-Type", "application/json")
                .withBody(resource("malformed.txt")), ok("answer.json"));
        ModelSession.Reply reply = session(Duration.ofSeconds(5)).converse("plan", "s", "u", List.of(), null);
        assertEquals("{\"verdict\":\"clean\"}", reply.text());
        assertEquals(2, wiremock.getAllServeEvents().size());
    }

    @Test
    void aTimeoutIsRetriedAndNeverHangs() {
        conversation(ok("answer.json").withFixedDelay(1500), ok("answer.json"));
        long start = System.nanoTime();
        ModelSession.Reply reply = session(Duration.ofMillis(300)).converse("plan", "s", "u", List.of(), null);
        assertEquals("{\"verdict\":\"clean\"}", reply.text());
        assertTrue(Duration.ofNanos(System.nanoTime() - start).toMillis() < 1400, "the client's timeout cut it");
        assertEquals(1, waits.size());
    }

    @Test
    void aCallThatWouldExceedTheBudgetIsNeverMade() {
        conversation(ok("answer.json"));
        UsageLedger ledger = new UsageLedger(50L);
        BudgetExceededException e;
        try (UsageLedger.Scope bound = UsageLedger.bind(ledger)) {
            e = assertThrows(BudgetExceededException.class, () -> session(Duration.ofSeconds(5))
                    .converse("plan", "s", "x".repeat(400), List.of(), null));
        }
        assertTrue(e.getMessage().contains("50"), e.getMessage());
        assertEquals(0, wiremock.getAllServeEvents().size());
    }

    @Test
    void theBudgetCountsTokensAlreadySpent() {
        conversation(ok("answer.json"));
        UsageLedger ledger = new UsageLedger(400L);
        try (UsageLedger.Scope bound = UsageLedger.bind(ledger)) {
            session(Duration.ofSeconds(5)).converse("first", "s", "u", List.of(), null);
            assertEquals(289, ledger.spent());
            assertThrows(BudgetExceededException.class, () -> session(Duration.ofSeconds(5))
                    .converse("second", "s", "x".repeat(500), List.of(), null));
        }
        assertEquals(1, wiremock.getAllServeEvents().size());
    }

    static String resource(String name) {
        try (InputStream in = ModelSessionTest.class.getResourceAsStream("/llm/openai/" + name)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
