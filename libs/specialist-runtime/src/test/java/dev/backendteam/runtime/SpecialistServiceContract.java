package dev.backendteam.runtime;

import dev.backendteam.contract.Contract;
import dev.backendteam.contract.EventTypes;
import dev.backendteam.contract.FailureKind;
import dev.backendteam.contract.JobInputs;
import dev.backendteam.contract.Json;
import dev.backendteam.contract.PoisonMessageException;
import dev.backendteam.contract.ResultEvent;
import dev.backendteam.contract.ResultStatus;
import dev.backendteam.contract.Role;
import dev.backendteam.contract.Specialist;
import dev.backendteam.contract.TaskEvent;
import dev.backendteam.contract.TaskKind;
import dev.backendteam.contract.Topics;
import dev.backendteam.runtime.messaging.TaskConsumer;
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
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Function;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.is;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What every specialist service promises, inside Quarkus with SmallRye's in-memory connector standing in for Kafka:
 * one keyed CloudEvent result per task, acknowledged only after the result; poison nacked while the consumer carries
 * on; each role dispatched, an unknown one failed on its merits; one log line per task with its job id; health and
 * metrics. A service's test extends this (annotated {@code @QuarkusTest}), names its service and the inputs with
 * which a task of each role succeeds, and adds its own cases.
 */
public abstract class SpecialistServiceContract {
    protected static final Duration WAIT = Duration.ofSeconds(15);

    @Inject
    @Connector("smallrye-in-memory")
    protected InMemoryConnector connector;

    private final Specialist service;
    private final Function<Role, JobInputs> succeedingInputs;

    /** {@code succeedingInputs}: inputs with which a work task of the role succeeds. */
    protected SpecialistServiceContract(Specialist service, Function<Role, JobInputs> succeedingInputs) {
        this.service = service;
        this.succeedingInputs = succeedingInputs;
    }

    /** The service under test. */
    protected Specialist service() {
        return service;
    }

    /** The roles the service hosts: every role of the service. */
    protected List<Role> hostedRoles() {
        return service().roles();
    }

    /** Records how the service settled one incoming task record. */
    protected static final class Delivery {
        /** Completed on acknowledgement: whether the task's result had reached the sink by then. */
        public final CompletableFuture<Boolean> acked = new CompletableFuture<>();
        public final CompletableFuture<Throwable> nacked = new CompletableFuture<>();
    }

    protected TaskEvent task(String jobId, Specialist service, String role, TaskKind kind, JobInputs inputs) {
        return new TaskEvent(Contract.VERSION, jobId + "-t3", jobId, 3, 2, service, role, kind,
                "the app fails on comments", inputs, List.of(), 0, null);
    }

    protected TaskEvent work(String jobId, Role role) {
        return task(jobId, service(), role.id(), TaskKind.WORK, succeedingInputs.apply(role));
    }

    protected static String newJobId() {
        return "job-" + UUID.randomUUID();
    }

    protected Delivery send(String payload) {
        return send(payload, null);
    }

    protected Delivery send(String payload, String jobId) {
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

    protected Message<String> awaitResult(String jobId) {
        InMemorySink<String> results = connector.sink(Topics.RESULTS);
        return await().atMost(WAIT).until(() -> resultFor(results, jobId), Optional::isPresent).orElseThrow();
    }

    protected ResultEvent resultOf(TaskEvent task) {
        send(Json.write(task), task.jobId());
        return Json.read(awaitResult(task.jobId()).getPayload(), ResultEvent.class);
    }

    @SuppressWarnings("unchecked")
    protected static Optional<Message<String>> resultFor(InMemorySink<String> results, String jobId) {
        return results.received().stream().map(m -> (Message<String>) m)
                .filter(m -> Json.read(m.getPayload(), ResultEvent.class).jobId().equals(jobId)).findFirst();
    }

    @Test
    void aTaskYieldsOneKeyedCloudEventResultAndIsAcknowledgedOnlyAfterIt() throws Exception {
        String jobId = newJobId();
        Role role = hostedRoles().get(0);
        Delivery delivery = send(Json.write(work(jobId, role)), jobId);

        Message<String> message = awaitResult(jobId);
        ResultEvent result = Json.read(message.getPayload(), ResultEvent.class);
        assertEquals(jobId, result.jobId());
        assertEquals(jobId + "-t3", result.taskId());
        assertEquals(3, result.step());
        assertEquals(2, result.attempt());
        assertEquals(service(), result.service());
        assertEquals(role.id(), result.role());
        assertEquals(ResultStatus.SUCCEEDED, result.status(), result.reason());

        OutgoingKafkaRecordMetadata<?> kafka = message.getMetadata(OutgoingKafkaRecordMetadata.class).orElseThrow();
        assertEquals(jobId, kafka.getKey());
        OutgoingCloudEventMetadata<?> ce = message.getMetadata(OutgoingCloudEventMetadata.class).orElseThrow();
        assertEquals(EventTypes.RESULT, ce.getType());
        assertEquals(URI.create("urn:backend-team:" + service().id()), ce.getSource());
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
    void everyHostedRoleAnswersAndARoleTheServiceDoesNotHostFailsOnItsMerits() {
        for (Role role : hostedRoles()) {
            ResultEvent result = resultOf(work(newJobId(), role));
            assertEquals(ResultStatus.SUCCEEDED, result.status(), role.id() + ": " + result.reason());
            assertEquals(role.id(), result.role());
        }
        ResultEvent unknown = resultOf(task(newJobId(), service(), "janitor", TaskKind.WORK, JobInputs.empty()));
        assertEquals(ResultStatus.FAILED, unknown.status());
        assertEquals(FailureKind.INVALID_INPUT, unknown.failureKind(), "a wrong role is not worth retrying");
        assertTrue(unknown.reason().contains("no role 'janitor'"), unknown.reason());
    }

    @Test
    void poisonTasksAreNackedAndTheConsumerCarriesOn() {
        Delivery malformed = send("{not json");
        Throwable reason = await().atMost(WAIT).until(() -> malformed.nacked.getNow(null), r -> r != null);
        assertInstanceOf(PoisonMessageException.class, reason);

        Specialist other = Arrays.stream(Specialist.values()).filter(s -> s != service()).findFirst().orElseThrow();
        String strayJob = newJobId();
        Delivery stray = send(Json.write(task(strayJob, other, null, TaskKind.WORK, JobInputs.empty())));
        Throwable strayReason = await().atMost(WAIT).until(() -> stray.nacked.getNow(null), r -> r != null);
        assertTrue(strayReason.getMessage().contains("reached '" + service().id() + "'"), strayReason.getMessage());

        Delivery empty = send("");
        assertInstanceOf(PoisonMessageException.class,
                await().atMost(WAIT).until(() -> empty.nacked.getNow(null), r -> r != null));

        String goodJob = newJobId();
        Delivery good = send(Json.write(work(goodJob, hostedRoles().get(0))));
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
            String jobId = newJobId();
            Delivery delivery = send(Json.write(work(jobId, hostedRoles().get(0))));
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
        Role role = hostedRoles().get(0);
        resultOf(work(newJobId(), role));

        given().when().get("/q/health/ready").then().statusCode(200).body("status", is("UP"))
                .body("checks.find { it.name == 'specialist' }.data.service", is(service().id()))
                .body("checks.find { it.name == 'specialist' }.data.roles", is(String.join(",",
                        hostedRoles().stream().map(Role::id).toList())));
        given().when().get("/q/health/live").then().statusCode(200).body("status", is("UP"));
        given().when().get("/q/health/started").then().statusCode(200).body("status", is("UP"));
        given().when().get("/q/metrics").then().statusCode(200)
                .body(containsString("backend_team_task_duration_seconds_count{kind=\"work\",role=\"" + role.id()
                        + "\",service=\"" + service().id() + "\",status=\"succeeded\"}"));
        given().when().get("/q/health").then().body("checks.name", hasItem("specialist"));
    }

    /**
     * A request without a host gets a 400 problem and no ERROR line: Quarkus's error handler logged each one, with a
     * JSON body of its own (an error id). HTTP/1.0 needs no host.
     */
    @Test
    void aRequestWithoutAHostIsRefusedWithAProblemAndNoErrorLog() throws Exception {
        List<LogRecord> errors = new CopyOnWriteArrayList<>();
        Handler capture = new Handler() {
            @Override
            public void publish(LogRecord record) {
                if (record.getLevel().intValue() >= java.util.logging.Level.SEVERE.intValue()) {
                    errors.add(record);
                }
            }

            @Override
            public void flush() {
            }

            @Override
            public void close() {
            }
        };
        Logger root = Logger.getLogger("");
        root.addHandler(capture);
        try {
            for (String hostless : List.of("GET /q/health/ready HTTP/1.1\r\n\r\n", "BREW /q/health HTCPCP/1.0\r\n\r\n")) {
                String answer = raw(hostless);
                assertTrue(answer.matches("(?s)\\S+ 400 .*"), hostless + " -> " + answer);
                assertTrue(answer.toLowerCase(java.util.Locale.ROOT).contains("content-type: application/problem+json"),
                        answer);
                assertTrue(answer.contains("urn:backend-team:problem:no-host"), answer);
            }
            assertTrue(raw("GET /q/health/live HTTP/1.0\r\n\r\n").startsWith("HTTP/1.0 200"));
            assertEquals(List.of(), errors.stream().map(LogRecord::getMessage).toList());
        } finally {
            root.removeHandler(capture);
        }
    }

    /** What the service's port answers to these bytes, up to its closing the connection (or 5 s). */
    private static String raw(String request) throws java.io.IOException {
        try (java.net.Socket socket = new java.net.Socket("127.0.0.1", io.restassured.RestAssured.port)) {
            socket.setSoTimeout(5_000);
            socket.getOutputStream().write(request.getBytes(java.nio.charset.StandardCharsets.ISO_8859_1));
            socket.getOutputStream().flush();
            java.io.ByteArrayOutputStream answer = new java.io.ByteArrayOutputStream();
            byte[] buffer = new byte[8192];
            try {
                for (int n; (n = socket.getInputStream().read(buffer)) > 0; ) {
                    answer.write(buffer, 0, n);
                }
            } catch (java.net.SocketTimeoutException e) {
                // an answer kept open: what came so far is the answer
            }
            return answer.toString(java.nio.charset.StandardCharsets.ISO_8859_1);
        }
    }
}
