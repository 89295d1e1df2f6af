package dev.backendteam.dbarchitect.messaging;

import dev.backendteam.contract.Artifact;
import dev.backendteam.contract.Contract;
import dev.backendteam.contract.JobInputs;
import dev.backendteam.contract.Json;
import dev.backendteam.contract.ResultEvent;
import dev.backendteam.contract.ResultStatus;
import dev.backendteam.contract.Specialist;
import dev.backendteam.contract.TaskEvent;
import dev.backendteam.contract.TaskKind;
import dev.backendteam.contract.llm.ModelCall;
import dev.backendteam.dbarchitect.engine.DbArchitectEngine;
import dev.backendteam.runtime.ServiceResults;
import dev.backendteam.runtime.messaging.TaskConsumer;
import io.smallrye.reactive.messaging.memory.InMemoryConnector;
import jakarta.inject.Inject;
import org.eclipse.microprofile.reactive.messaging.Message;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.UUID;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The same conversation with each provider, through the service as it runs: the task arrives on the tasks channel,
 * the runtime's model (chosen by configuration) drafts a spec with one tool call, the engine designs from it, and the
 * result carries the usage the provider reported. Subclasses pick the provider.
 */
abstract class ModelProviderConversation {
    @Inject
    @org.eclipse.microprofile.reactive.messaging.spi.Connector("smallrye-in-memory")
    InMemoryConnector connector;

    private final String provider;
    private final String model;

    ModelProviderConversation(String provider, String model) {
        this.provider = provider;
        this.model = model;
    }

    @Test
    void plainWordsBecomeADraftedSpecAndItsMigrations() {
        String jobId = "job-" + UUID.randomUUID();
        TaskEvent task = new TaskEvent(Contract.VERSION, jobId + "-t1", jobId, 1, 1, Specialist.DB_ARCHITECT, null,
                TaskKind.WORK, "Add comments to posts; only the author may edit or delete a comment; list the latest"
                + " comments per post fast.", JobInputs.empty(), List.of(), 0, null, List.of(), null, 100_000L);
        connector.source(TaskConsumer.TASKS).send(Message.of(Json.write(task)));
        ResultEvent result = result(jobId);
        assertEquals(ResultStatus.SUCCEEDED, result.status(), result.reason());
        List<String> names = result.artifacts().stream().map(Artifact::name).toList();
        assertTrue(names.containsAll(List.of("create_post", "create_comment", DbArchitectEngine.DRAFTED_SPEC_FILE)),
                names.toString());
        List<ModelCall> calls = result.usage().calls();
        assertEquals(2, calls.size(), calls.toString());
        assertTrue(calls.stream().allMatch(c -> c.provider().equals(provider) && c.model().equals(model)),
                calls.toString());
        assertEquals(1480 + 1702, result.usage().tokensIn());
        assertEquals(96 + 160, result.usage().tokensOut());
        assertEquals(1, result.usage().toolCalls());
        assertEquals(2, ProviderStub.server.getAllServeEvents().size());
    }

    ResultEvent result(String jobId) {
        return ServiceResults.await(connector, jobId, Duration.ofSeconds(60));
    }
}
