package dev.backendteam.dbarchitect.messaging;

import dev.backendteam.contract.Contract;
import dev.backendteam.contract.EventTypes;
import dev.backendteam.contract.JobInputs;
import dev.backendteam.contract.Json;
import dev.backendteam.contract.PoisonMessageException;
import dev.backendteam.contract.ResultEvent;
import dev.backendteam.contract.ResultStatus;
import dev.backendteam.contract.Specialist;
import dev.backendteam.contract.TaskEvent;
import dev.backendteam.contract.TaskKind;
import dev.backendteam.contract.Topics;
import io.quarkus.test.junit.QuarkusTest;
import io.smallrye.reactive.messaging.ce.OutgoingCloudEventMetadata;
import io.smallrye.reactive.messaging.kafka.api.OutgoingKafkaRecordMetadata;
import io.smallrye.reactive.messaging.memory.InMemoryConnector;
import io.smallrye.reactive.messaging.memory.InMemorySink;
import io.smallrye.reactive.messaging.memory.InMemorySource;
import jakarta.inject.Inject;
import org.eclipse.microprofile.reactive.messaging.Message;
import org.eclipse.microprofile.reactive.messaging.spi.Connector;
import org.jboss.logmanager.ExtLogRecord;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.is;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The service end to end inside Quarkus, with SmallRye's in-memory connector standing in for Kafka. */
@QuarkusTest
class DbArchitectServiceTest {
    private static final Duration WAIT = Duration.ofSeconds(10);

    @Inject
    @Connector("smallrye-in-memory")
    InMemoryConnector connector;

    /** Records how the service settled one incoming task record. */
    private static final class Delivery {
        /** Completed on acknowledgement: whether the task's result had reached the sink by then. */
        final CompletableFuture<Boolean> acked = new CompletableFuture<>();
        final CompletableFuture<Throwable> nacked = new CompletableFuture<>();
    }

    /** The smallest spec: one table, so that a task succeeds. */
    private static final JobInputs ONE_TABLE = new JobInputs(Json.events().createObjectNode().set("entities",
            Json.events().createArrayNode().add(Json.events().createObjectNode().put("name", "note"))), null, null,
            null, null, null, null, null);

    private static TaskEvent task(String jobId, Specialist service, String role, JobInputs inputs) {
        return new TaskEvent(Contract.VERSION, jobId + "-t3", jobId, 3, 2, service, role, TaskKind.WORK,
                "the app fails on comments", inputs, List.of(), 0, null);
    }

    private Delivery send(String payload) {
        return send(payload, null);
    }

    private Delivery send(String payload, String jobId) {
        Delivery delivery = new Delivery();
        InMemorySource<Message<String>> tasks = connector.source(TaskConsumer.TASKS);
        InMemorySink<String> results = connector.sink(Topics.RESULTS);
        tasks.send(Message.of(payload)
                .withAck(() -> {
                    delivery.acked.complete(jobId != null && resultFor(results, jobId).isPresent());
                    return CompletableFuture.completedFuture(null);
                })
                .withNack(failure -> {
                    delivery.nacked.complete(failure);
                    return CompletableFuture.completedFuture(null);
                }));
        return delivery;
    }

    private Message<String> awaitResult(String jobId) {
        InMemorySink<String> results = connector.sink(Topics.RESULTS);
        return await().atMost(WAIT).until(() -> resultFor(results, jobId), Optional::isPresent).orElseThrow();
    }

    private static Optional<Message<String>> resultFor(InMemorySink<String> results, String jobId) {
        return results.received().stream().map(m -> (Message<String>) m)
                .filter(m -> Json.read(m.getPayload(), ResultEvent.class).jobId().equals(jobId)).findFirst();
    }

    @Test
    void aTaskYieldsOneKeyedCloudEventResultAndIsAcknowledgedOnlyAfterIt() throws Exception {
        String jobId = "job-" + UUID.randomUUID();
        JobInputs inputs = new JobInputs(
                Json.events().readTree("{\"entities\":[{\"name\":\"post\"},{\"name\":\"comment\"}]}"),
                "create table post (id uuid primary key); create table comment (id uuid primary key);", null, null,
                null, null, null, null);
        Delivery delivery = send(Json.write(task(jobId, Specialist.DB_ARCHITECT, null, inputs)), jobId);

        Message<String> message = awaitResult(jobId);
        ResultEvent result = Json.read(message.getPayload(), ResultEvent.class);
        assertEquals(jobId, result.jobId());
        assertEquals(jobId + "-t3", result.taskId());
        assertEquals(3, result.step());
        assertEquals(2, result.attempt());
        assertEquals(Specialist.DB_ARCHITECT, result.service());
        assertNull(result.role());
        assertEquals(ResultStatus.SUCCEEDED, result.status(), result.reason());
        assertEquals(2, result.findings().stream().filter(f -> f.ruleId().equals("design.table-exists")).count(),
                result.findings().toString());
        assertEquals(List.of("database.types.ts", "schema.mmd"), result.artifacts().stream().map(a -> a.name())
                .toList(), "both tables exist in the given SQL: no migration, but their types and diagram");
        assertNull(result.handoff());

        OutgoingKafkaRecordMetadata<?> kafka = message.getMetadata(OutgoingKafkaRecordMetadata.class).orElseThrow();
        assertEquals(jobId, kafka.getKey());
        OutgoingCloudEventMetadata<?> ce = message.getMetadata(OutgoingCloudEventMetadata.class).orElseThrow();
        assertEquals(EventTypes.RESULT, ce.getType());
        assertEquals(URI.create("urn:backend-team:db-architect"), ce.getSource());
        assertEquals(jobId + "-t3:result", ce.getId());
        assertEquals(Optional.of(jobId), ce.getSubject());
        assertEquals(Optional.of("application/json"), ce.getDataContentType());
        assertEquals("1.0", ce.getSpecVersion());

        boolean publishedWhenAcked = await().atMost(WAIT).until(() -> delivery.acked.getNow(null), r -> r != null);
        assertTrue(publishedWhenAcked, "the task was acknowledged before Kafka acknowledged its result");
        assertFalse(delivery.nacked.isDone());
        assertEquals(1, connector.<String>sink(Topics.RESULTS).received().stream()
                .filter(m -> m.getPayload().contains(jobId)).count());
    }

    @Test
    void plainWordsAreAnsweredWithAQuestionCarryingAnExampleSpec() {
        String jobId = "job-" + UUID.randomUUID();
        send(Json.write(task(jobId, Specialist.DB_ARCHITECT, null, JobInputs.empty())), jobId);
        ResultEvent result = Json.read(awaitResult(jobId).getPayload(), ResultEvent.class);
        assertEquals(ResultStatus.NEEDS_INPUT, result.status());
        assertTrue(result.question().contains("{\"entities\": [{\"name\": \"post\""), result.question());
        assertTrue(result.artifacts().isEmpty());
    }

    @Test
    void poisonTasksAreNackedAndTheConsumerCarriesOn() {
        Delivery malformed = send("{not json");
        Throwable reason = await().atMost(WAIT).until(() -> malformed.nacked.getNow(null), r -> r != null);
        assertInstanceOf(PoisonMessageException.class, reason);

        String strayJob = "job-" + UUID.randomUUID();
        Delivery stray = send(Json.write(task(strayJob, Specialist.OPS, null, JobInputs.empty())));
        Throwable strayReason = await().atMost(WAIT).until(() -> stray.nacked.getNow(null), r -> r != null);
        assertTrue(strayReason.getMessage().contains("reached 'db-architect'"), strayReason.getMessage());

        Delivery empty = send("");
        assertInstanceOf(PoisonMessageException.class,
                await().atMost(WAIT).until(() -> empty.nacked.getNow(null), r -> r != null));

        String goodJob = "job-" + UUID.randomUUID();
        Delivery good = send(Json.write(task(goodJob, Specialist.DB_ARCHITECT, null, ONE_TABLE)));
        assertEquals(ResultStatus.SUCCEEDED, Json.read(awaitResult(goodJob).getPayload(), ResultEvent.class).status());
        await().atMost(WAIT).until(good.acked::isDone);
        assertTrue(resultFor(connector.sink(Topics.RESULTS), strayJob).isEmpty());
        assertFalse(malformed.acked.isDone());
    }

    @Test
    void eachTaskLogsOneLineCarryingItsJobId() {
        List<ExtLogRecord> lines = new CopyOnWriteArrayList<>();
        Handler capture = new Handler() {
            @Override
            public void publish(LogRecord record) {
                ExtLogRecord line = (ExtLogRecord) record;
                line.copyMdc(); // taken on the logging thread, not later on the test's
                lines.add(line);
            }

            @Override
            public void flush() {
            }

            @Override
            public void close() {
            }
        };
        Logger logger = Logger.getLogger(TaskConsumer.class.getName());
        logger.addHandler(capture);
        try {
            String jobId = "job-" + UUID.randomUUID();
            Delivery delivery = send(Json.write(task(jobId, Specialist.DB_ARCHITECT, null, ONE_TABLE)));
            assertEquals(ResultStatus.SUCCEEDED, Json.read(awaitResult(jobId).getPayload(), ResultEvent.class)
                    .status());
            await().atMost(WAIT).until(delivery.acked::isDone);
            List<ExtLogRecord> forJob = lines.stream().filter(r -> r.getFormattedMessage().contains(jobId)).toList();
            assertEquals(1, forJob.size(), forJob.toString());
            assertEquals(jobId, forJob.get(0).getMdc("jobId"));
            assertTrue(forJob.get(0).getFormattedMessage().contains("finished: succeeded"),
                    forJob.get(0).getFormattedMessage());
        } finally {
            logger.removeHandler(capture);
        }
    }

    @Test
    void healthAndMetricsAreServed() {
        String jobId = "job-" + UUID.randomUUID();
        send(Json.write(task(jobId, Specialist.DB_ARCHITECT, null, ONE_TABLE)));
        awaitResult(jobId);

        given().when().get("/q/health/ready").then().statusCode(200).body("status", is("UP"));
        given().when().get("/schemas/domain-spec.schema.json").then().statusCode(200)
                .body("title", is("backend-team domain spec"));
        given().when().get("/q/health/live").then().statusCode(200).body("status", is("UP"));
        given().when().get("/q/health/started").then().statusCode(200).body("status", is("UP"));
        given().when().get("/q/metrics").then().statusCode(200)
                .body(containsString("backend_team_task_duration_seconds_count{kind=\"work\",service=\"db-architect\","
                        + "status=\"succeeded\"}"));
    }
}
