package dev.backendteam.dbarchitect.messaging;

import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import com.github.tomakehurst.wiremock.stubbing.Scenario;
import dev.backendteam.contract.Contract;
import dev.backendteam.contract.FailureKind;
import dev.backendteam.contract.JobInputs;
import dev.backendteam.contract.Json;
import dev.backendteam.contract.ResultEvent;
import dev.backendteam.contract.ResultStatus;
import dev.backendteam.contract.Specialist;
import dev.backendteam.contract.TaskEvent;
import dev.backendteam.contract.TaskKind;
import dev.backendteam.contract.llm.ModelCall;
import dev.backendteam.runtime.messaging.TaskConsumer;
import io.quarkus.test.junit.QuarkusTest;
import org.eclipse.microprofile.reactive.messaging.Message;
import org.junit.jupiter.api.Test;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;

import java.util.List;
import java.util.Map;
import java.util.UUID;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.containing;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The model conversation with openai chosen at run time, and the provider's faults through quarkus-langchain4j's
 * OpenAI client: a rate limit honours Retry-After, server errors and malformed answers are retried within bounds,
 * a provider that stays down fails the step with the reason after a bounded number of calls.
 */
@QuarkusTest
@TestProfile(OpenAiConversationTest.Profile.class)
class OpenAiConversationTest extends ModelProviderConversation {

    OpenAiConversationTest() {
        super("openai", "gpt-4o-mini");
    }

    private static final String ASK = "Add comments to posts; only the author may edit or delete a comment.";

    private String faulty(String marker, ResponseDefinitionBuilder first, String next) {
        ProviderStub.server.resetRequests();
        ProviderStub.server.stubFor(post(urlEqualTo("/v1/chat/completions")).atPriority(1)
                .withRequestBody(containing(marker)).inScenario(marker).whenScenarioStateIs(Scenario.STARTED)
                .willReturn(first).willSetStateTo(next));
        String jobId = "job-" + UUID.randomUUID();
        connector.source(TaskConsumer.TASKS).send(Message.of(Json.write(new TaskEvent(Contract.VERSION, jobId + "-t1",
                jobId, 1, 1, Specialist.DB_ARCHITECT, null, TaskKind.WORK, ASK + " " + marker, JobInputs.empty(),
                List.of(), 0, null, List.of(), null, null))));
        return jobId;
    }

    @Test
    void aRateLimitWaitsWhatRetryAfterSaysThenTheConversationGoesOn() {
        String jobId = faulty("case-rate-limited", aResponse().withStatus(429).withHeader("Retry-After", "1")
                .withHeader("Content-Type", "application/json").withBody("{\"error\":{\"message\":\"Rate limit"
                        + " reached\",\"type\":\"requests\",\"code\":\"rate_limit_exceeded\"}}"), "limited once");
        ResultEvent result = result(jobId);
        assertEquals(ResultStatus.SUCCEEDED, result.status(), result.reason());
        ModelCall first = result.usage().calls().get(0);
        assertEquals(1, first.retries());
        assertTrue(first.latencyMs() >= 1000, "waited for Retry-After (1 s), not the 50 ms backoff: " + first);
        assertEquals(3, ProviderStub.server.getAllServeEvents().size());
    }

    @Test
    void aMalformedAnswerIsRetried() {
        String jobId = faulty("case-malformed", aResponse().withStatus(200).withHeader("Content-Type",
                "application/json").withBody("{\"id\":\"chatcmpl-x\",\"choices\":[{\"message\":{\"content\":"),
                "malformed once");
        ResultEvent result = result(jobId);
        assertEquals(ResultStatus.SUCCEEDED, result.status(), result.reason());
        assertEquals(1, result.usage().calls().get(0).retries());
    }

    @Test
    void aTimeoutIsRetried() {
        String jobId = faulty("case-slow", aResponse().withFixedDelay(5000).withStatus(200), "slow once");
        ResultEvent result = result(jobId);
        assertEquals(ResultStatus.SUCCEEDED, result.status(), result.reason());
        ModelCall first = result.usage().calls().get(0);
        assertEquals(1, first.retries());
        assertTrue(first.latencyMs() < 5000, "the 3 s timeout cut the call: " + first);
    }

    @Test
    void aProviderThatStaysDownFailsTheStepAfterBoundedCalls() {
        ProviderStub.server.resetRequests();
        ProviderStub.server.stubFor(post(urlEqualTo("/v1/chat/completions")).atPriority(1)
                .withRequestBody(containing("case-down")).willReturn(aResponse().withStatus(503)
                        .withHeader("Content-Type", "application/json")
                        .withBody("{\"error\":{\"message\":\"The server is overloaded\",\"type\":\"server_error\"}}")));
        String jobId = "job-" + UUID.randomUUID();
        connector.source(TaskConsumer.TASKS).send(Message.of(Json.write(new TaskEvent(Contract.VERSION, jobId + "-t1",
                jobId, 1, 1, Specialist.DB_ARCHITECT, null, TaskKind.WORK, ASK + " case-down", JobInputs.empty(),
                List.of(), 0, null, List.of(), null, null))));
        ResultEvent result = result(jobId);
        assertEquals(ResultStatus.FAILED, result.status());
        assertEquals(FailureKind.MODEL, result.failureKind());
        assertTrue(result.reason().contains("after 3 tries") && result.reason().contains("503"), result.reason());
        assertEquals(3, ProviderStub.server.getAllServeEvents().size(), "three tries, no more");
        assertTrue(result.usage().calls().get(0).error() != null);
    }

    @Test
    void aCallBeyondTheJobsTokenBudgetIsNeverMade() {
        ProviderStub.server.resetRequests();
        String jobId = "job-" + UUID.randomUUID();
        connector.source(TaskConsumer.TASKS).send(Message.of(Json.write(new TaskEvent(Contract.VERSION, jobId + "-t1",
                jobId, 1, 1, Specialist.DB_ARCHITECT, null, TaskKind.WORK, ASK, JobInputs.empty(), List.of(), 0, null,
                List.of(), null, 200L))));
        ResultEvent result = result(jobId);
        assertEquals(ResultStatus.FAILED, result.status());
        assertEquals(FailureKind.BUDGET, result.failureKind());
        assertTrue(result.reason().contains("token budget"), result.reason());
        assertEquals(0, ProviderStub.server.getAllServeEvents().size());
    }

    public static class Profile implements QuarkusTestProfile {
        @Override
        public List<TestResourceEntry> testResources() {
            return List.of(new TestResourceEntry(ProviderStub.class, Map.of("provider", "openai"), true));
        }
    }
}
