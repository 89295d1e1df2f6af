package dev.backendteam.runtime;

import dev.backendteam.contract.Json;
import dev.backendteam.contract.ResultEvent;
import dev.backendteam.contract.Topics;
import io.smallrye.reactive.messaging.memory.InMemoryConnector;
import io.smallrye.reactive.messaging.memory.InMemorySink;
import org.eclipse.microprofile.reactive.messaging.Message;

import java.time.Duration;
import java.util.Optional;


/** A service test's wait for the result of one job on the in-memory results channel. */
public final class ServiceResults {
    private ServiceResults() {
    }

    @SuppressWarnings("unchecked")
    public static ResultEvent await(InMemoryConnector connector, String jobId, Duration wait) {
        InMemorySink<String> results = connector.sink(Topics.RESULTS);
        Optional<Message<String>> found = org.awaitility.Awaitility.await().atMost(wait).until(() -> results
                .received().stream().map(m -> (Message<String>) m).filter(m -> m.getPayload().contains(jobId))
                .findFirst(), Optional::isPresent);
        return Json.read(found.orElseThrow().getPayload(), ResultEvent.class);
    }
}
