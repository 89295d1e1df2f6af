package dev.backendteam.orchestrator;

import dev.backendteam.contract.Artifact;
import dev.backendteam.contract.Evidence;
import dev.backendteam.contract.FailureKind;
import dev.backendteam.contract.Finding;
import dev.backendteam.contract.Handoff;
import dev.backendteam.contract.JobInputs;
import dev.backendteam.contract.JobRequest;
import dev.backendteam.contract.JobUpdate;
import dev.backendteam.contract.Json;
import dev.backendteam.contract.PoisonMessageException;
import dev.backendteam.contract.ResultEvent;
import dev.backendteam.contract.Severity;
import dev.backendteam.contract.Specialist;
import dev.backendteam.contract.StepOutcome;
import dev.backendteam.contract.TaskEvent;
import dev.backendteam.contract.TaskKind;
import dev.backendteam.contract.Topics;
import dev.backendteam.contract.WriteRate;
import dev.backendteam.contract.llm.ModelCall;
import dev.backendteam.contract.llm.ModelUsage;
import dev.backendteam.orchestrator.config.OrchestratorConfig;
import dev.backendteam.orchestrator.repository.JobRepository;
import dev.backendteam.orchestrator.service.JobService;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.smallrye.reactive.messaging.kafka.api.OutgoingKafkaRecordMetadata;
import io.smallrye.reactive.messaging.memory.InMemoryConnector;
import io.smallrye.reactive.messaging.memory.InMemorySink;
import jakarta.enterprise.inject.Any;
import jakarta.inject.Inject;
import org.eclipse.microprofile.reactive.messaging.Message;
import org.junit.jupiter.api.Test;

import javax.sql.DataSource;
import java.io.ByteArrayInputStream;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.endsWith;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.notNullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The gateway and the job flow against a real PostgreSQL job store; Kafka is replaced by in-memory channels here
 * (the end-to-end suite in deploy/e2e runs the real broker).
 */
@QuarkusTest
@QuarkusTestResource(EmbeddedPostgresResource.class)
class JobApiTest {
    private static final String PROBLEM = "application/problem+json";
    /** A NUL as JSON writes it; the gateway reads it as the character U+0000, which PostgreSQL cannot store. */
    private static final String NUL = "\\u0000";

    @Inject
    @Any
    InMemoryConnector connector;

    @Inject
    JobService jobs;

    @Inject
    OrchestratorConfig config;

    @Inject
    DataSource store;

    private InMemorySink<String> outbox() {
        return connector.sink("backend-team-outbox");
    }

    private static String topic(Message<String> m) {
        return m.getMetadata(OutgoingKafkaRecordMetadata.class).map(OutgoingKafkaRecordMetadata::getTopic)
                .orElse("?");
    }

    private Optional<TaskEvent> task(String jobId, int step, TaskKind kind) {
        for (Message<String> m : new ArrayList<>(outbox().received())) {
            if (topic(m).startsWith(Topics.TASKS_PREFIX)) {
                TaskEvent t = Json.read(m.getPayload(), TaskEvent.class);
                if (t.jobId().equals(jobId) && t.step() == step && t.kind() == kind) {
                    return Optional.of(t);
                }
            }
        }
        return Optional.empty();
    }

    private TaskEvent awaitTask(String jobId, int step, TaskKind kind) {
        return await().atMost(Duration.ofSeconds(10)).until(() -> task(jobId, step, kind), Optional::isPresent)
                .orElseThrow();
    }

    private void result(ResultEvent result) {
        connector.source(Topics.RESULTS).send(Json.write(result));
    }

    private String submit(String body) {
        return given().contentType(ContentType.JSON).body(body).post("/jobs").then().statusCode(202)
                .header("Location", notNullValue()).extract().path("id");
    }

    private void awaitStatus(String id, String status) {
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> given().get("/jobs/" + id).then()
                .body("status", equalTo(status)));
    }

    @Test
    void aJobRunsThroughItsStepAndTheValidationRoundAndIsReported() throws Exception {
        String id = submit("{\"task\":\"review our policies\",\"flow\":\"security-review\","
                + "\"sql\":\"create table t(id bigint primary key);\"}");
        TaskEvent work = awaitTask(id, 1, TaskKind.WORK);
        assertEquals("create table t(id bigint primary key);", work.inputs().sql());
        given().get("/jobs/" + id).then().body("status", equalTo("running")).body("steps[0].service",
                equalTo("security"));

        result(ResultEvent.of(work, StepOutcome.succeeded(null, null, null, null), 5));
        TaskEvent validate = awaitTask(id, 2, TaskKind.VALIDATE);
        ResultEvent validated = ResultEvent.of(validate, StepOutcome.succeeded(null, null,
                List.of(new Evidence("rls matrix", true, "4 actors x 4 operations", 9)), null), 9);
        result(validated);
        awaitStatus(id, "completed");

        // A duplicated result changes nothing.
        int events = given().get("/jobs/" + id).then().extract().path("steps.size()");
        result(validated);
        await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> given().get("/q/metrics").then()
                .body(containsString("backend_team_results_total{outcome=\"duplicate\"}")));
        given().get("/jobs/" + id).then().body("status", equalTo("completed")).body("steps.size()", equalTo(events));

        given().accept("text/markdown").get("/jobs/" + id + "/report").then().statusCode(200)
                .contentType(containsString("text/markdown"))
                .body(containsString("## Summary"), containsString("## Validation"),
                        containsString("passed — rls matrix"));
        given().accept(ContentType.JSON).get("/jobs/" + id + "/report").then().statusCode(200)
                .body("validation[0].check", equalTo("rls matrix"));
        byte[] zip = given().get("/jobs/" + id + "/bundle").then().statusCode(200)
                .contentType("application/zip").extract().asByteArray();
        try (ZipInputStream in = new ZipInputStream(new ByteArrayInputStream(zip))) {
            ZipEntry first = in.getNextEntry();
            assertEquals("REPORT.md", first.getName());
        }
        String sse = given().get("/jobs/" + id + "/events").then().statusCode(200)
                .contentType(containsString("text/event-stream")).extract().asString();
        assertTrue(sse.contains("event:job.queued") || sse.contains("event: job.queued"), sse);
        assertTrue(sse.contains("job.completed"), sse);

        List<JobUpdate> updates = outbox().received().stream().filter(m -> topic(m).equals(Topics.JOBS_UPDATES))
                .map(m -> Json.read(m.getPayload(), JobUpdate.class)).filter(u -> u.jobId().equals(id)).toList();
        assertTrue(updates.stream().anyMatch(u -> u.type().equals("job.completed")));
        assertTrue(outbox().received().stream().anyMatch(m -> topic(m).equals(Topics.JOBS_COMPLETED)
                && m.getPayload().contains(id)));
    }

    @Test
    void anAppendedSecurityStepAndItsHandoverAreStoredAndServed() {
        String id = submit("{\"task\":\"relation invoice does not exist\",\"flow\":\"bug\"}");
        TaskEvent debugger = awaitTask(id, 1, TaskKind.WORK);
        result(ResultEvent.of(debugger, StepOutcome.succeeded(null, null, null,
                new Handoff(Specialist.DB_ARCHITECT, null, "the table is missing")), 5));
        TaskEvent architect = awaitTask(id, 2, TaskKind.WORK);
        result(ResultEvent.of(architect, StepOutcome.succeeded(List.of(Artifact.migration("create_invoice",
                "create table public.invoice (id bigint primary key, user_id uuid);", "drop table public.invoice;",
                Specialist.DB_ARCHITECT)), null, null, null), 5));
        TaskEvent security = awaitTask(id, 3, TaskKind.WORK);
        assertEquals(Specialist.SECURITY, security.service());
        given().get("/jobs/" + id).then().body("steps[2].origin", equalTo("appended"))
                .body("steps[2].cause", containsString("exposed schema: public.invoice;"));
        Finding columns = new Finding("handover.policy-columns", Severity.INFO, "public.invoice", "filter on user_id",
                "user_id", null);
        result(ResultEvent.of(security, StepOutcome.succeeded(null, List.of(columns), null, null), 5));
        assertEquals(List.of(columns), awaitTask(id, 4, TaskKind.VALIDATE).handover(),
                "the handover survives the job store");
        given().accept(ContentType.JSON).get("/jobs/" + id + "/report").then()
                .body("steps[2].cause", containsString("public.invoice"))
                .body("notes", hasItem(containsString("Step 3 (security) was appended by the orchestrator")));
    }

    @Test
    void aPoisonResultDoesNotStopTheConsumer() {
        connector.source(Topics.RESULTS).send("{this is not json");
        String id = submit("{\"task\":\"x\",\"flow\":\"security-review\"}");
        TaskEvent work = awaitTask(id, 1, TaskKind.WORK);
        result(ResultEvent.of(work, StepOutcome.succeeded(null, null, null, null), 5));
        awaitTask(id, 2, TaskKind.VALIDATE);
    }

    @Test
    void anUnclearTaskWaitsForItsAnswer() {
        String id = submit("{\"task\":\"hello\"}");
        awaitStatus(id, "needs_input");
        given().get("/jobs/" + id).then().body("question", containsString("Which kind of job"));
        given().contentType(ContentType.JSON).body("{\"answer\":\"bug\",\"logs\":\"ERROR: boom\"}")
                .post("/jobs/" + id + "/answers").then().statusCode(202);
        TaskEvent debugger = awaitTask(id, 1, TaskKind.WORK);
        assertEquals("debugger", debugger.role());
        assertEquals("ERROR: boom", debugger.inputs().logs());
        given().contentType(ContentType.JSON).body("{\"answer\":\"again\"}").post("/jobs/" + id + "/answers")
                .then().statusCode(409).contentType(PROBLEM).body("type", containsString("nothing-asked"));
    }

    @Test
    void eventJobsEchoTheirCorrelationId() {
        connector.source(Topics.JOBS_REQUESTED).send("{\"task\":\"deploy to railway\",\"correlationId\":\"c-42\"}");
        connector.source(Topics.JOBS_REQUESTED).send("{\"task\":\"deploy to railway\",\"correlationId\":\"c-42\"}");
        await().atMost(Duration.ofSeconds(10)).until(() -> outbox().received().stream()
                .filter(m -> topic(m).equals(Topics.JOBS_UPDATES)).map(m -> Json.read(m.getPayload(), JobUpdate.class))
                .anyMatch(u -> "c-42".equals(u.correlationId()) && u.type().equals("step.started")));
        long created = outbox().received().stream().filter(m -> topic(m).equals(Topics.JOBS_UPDATES))
                .map(m -> Json.read(m.getPayload(), JobUpdate.class))
                .filter(u -> "c-42".equals(u.correlationId()) && u.type().equals("job.queued")).count();
        assertEquals(1, created, "a redelivered request creates no second job");
    }

    @Test
    void cancellingFinishesTheJobOnce() {
        String id = submit("{\"task\":\"x\",\"flow\":\"bug\"}");
        given().post("/jobs/" + id + "/cancel").then().statusCode(202).body("status", equalTo("cancelled"));
        given().post("/jobs/" + id + "/cancel").then().statusCode(409).contentType(PROBLEM);
    }

    @Test
    void idempotencyKeysReturnTheSameJobAndRefuseAnotherBody() {
        String body = "{\"task\":\"x\",\"flow\":\"bug\"}";
        String first = given().header("Idempotency-Key", "k-1").contentType(ContentType.JSON).body(body)
                .post("/jobs").then().statusCode(202).extract().path("id");
        String reordered = "{ \"flow\": \"bug\", \"task\": \"x\" }";
        given().header("Idempotency-Key", "k-1").contentType(ContentType.JSON).body(reordered).post("/jobs").then()
                .statusCode(202).header("Idempotent-Replayed", "true").body("id", equalTo(first));
        given().header("Idempotency-Key", "k-1").contentType(ContentType.JSON).body("{\"task\":\"y\"}")
                .post("/jobs").then().statusCode(409).contentType(PROBLEM)
                .body("type", containsString("idempotency-key-reused"));
    }

    @Test
    void badRequestsAreProblemDetails() {
        given().contentType(ContentType.JSON).body("{\"task\": ").post("/jobs").then().statusCode(400)
                .contentType(PROBLEM).body("detail", containsString("malformed JSON"));
        given().contentType(ContentType.JSON).body("{}").post("/jobs").then().statusCode(422)
                .contentType(PROBLEM).body("errors.field", hasItem("task"));
        given().contentType(ContentType.JSON).body("{\"task\":\"  \"}").post("/jobs").then().statusCode(422);
        given().contentType(ContentType.JSON).body("{\"task\":\"x\",\"flwo\":\"bug\"}").post("/jobs").then()
                .statusCode(400).contentType(PROBLEM).body("errors[0].field", equalTo("flwo"));
        given().contentType(ContentType.JSON).body("{\"task\":\"x\",\"flow\":\"nope\"}").post("/jobs").then()
                .statusCode(422)
                .body("errors[0].message", containsString("known: api, bug, deployment, edge-functions, new-feature,"));
        given().contentType(ContentType.JSON).body("{\"task\":\"x\",\"target\":\"prod\"}").post("/jobs").then()
                .statusCode(422).body("errors[0].field", equalTo("target"))
                .body("errors[0].message", containsString("staging"));
        given().contentType(ContentType.JSON).body("{\"task\":\"x\",\"flow\":\"bug\",\"target\":\"staging\"}")
                .post("/jobs").then().statusCode(202);
        given().contentType(ContentType.JSON).body("{\"task\":\"" + "x".repeat(1024 * 1024) + "\"}").post("/jobs")
                .then().statusCode(413).contentType(PROBLEM);
        given().get("/jobs/00000000-0000-0000-0000-000000000000").then().statusCode(404).contentType(PROBLEM);
        given().get("/jobs/not-a-uuid").then().statusCode(404);
    }

    private List<UUID> jobIds(String owner) {
        return jobs.list(owner, null, null, 100).stream().map(JobRepository.Summary::id).toList();
    }

    @Test
    void aNulCharacterIsRefusedNamingItsFieldAndCreatesNoJob() {
        Map<String, String> bodies = Map.of(
                "task", "{\"task\":\"add comments" + NUL + "\"}",
                "correlationId", "{\"task\":\"x\",\"correlationId\":\"c" + NUL + "\"}",
                "files[2].content", "{\"task\":\"x\",\"files\":[{\"path\":\"a\",\"content\":\"\"},"
                        + "{\"path\":\"b\",\"content\":\"\"},{\"path\":\"c\",\"content\":\"x" + NUL + "\"}]}",
                "spec.entities[0].name", "{\"task\":\"x\",\"spec\":{\"entities\":[{\"name\":\"po" + NUL + "st\"}]}}",
                "queries[0].sql", "{\"task\":\"x\",\"queries\":[{\"name\":\"q\",\"sql\":\"select" + NUL + "\"}]}");
        List<UUID> before = jobIds("local");
        bodies.forEach((field, body) -> given().contentType(ContentType.JSON).body(body).post("/jobs").then()
                .statusCode(422).contentType(PROBLEM).body("type", equalTo("urn:backend-team:problem:invalid-request"))
                .body("errors.field", equalTo(List.of(field))).body("errors[0].message", containsString("NUL")));
        given().get("/jobs?limit=100").then().statusCode(200).body("items.size()", equalTo(before.size()));
        assertEquals(before, jobIds("local"), "no job was created");
    }

    @Test
    void aValueOfTheWrongJsonTypeIsMalformedNotConverted() {
        List<UUID> before = jobIds("local");
        for (String scalar : List.of("5", "true", "5.5")) {
            given().contentType(ContentType.JSON).body("{\"task\":" + scalar + "}").post("/jobs").then()
                    .statusCode(400).contentType(PROBLEM).body("type", endsWith(":malformed-request"))
                    .body("errors[0].field", equalTo("task"));
        }
        given().contentType(ContentType.JSON).body("{\"task\":\"x\",\"rowCounts\":{\"t\":\"5\"}}").post("/jobs")
                .then().statusCode(400).contentType(PROBLEM).body("type", endsWith(":malformed-request"))
                .body("errors[0].field", equalTo("rowCounts.t"));
        assertEquals(before, jobIds("local"), "no job was created");
    }

    @Test
    void aFilePathOutsideTheProjectIsRefused() {
        List<UUID> before = jobIds("local");
        given().contentType(ContentType.JSON).body("{\"task\":\"x\",\"files\":[{\"path\":\"Dockerfile\","
                + "\"content\":\"FROM x\"},{\"path\":\"../../etc/passwd\",\"content\":\"x\"}]}").post("/jobs")
                .then().statusCode(422).contentType(PROBLEM).body("type", endsWith(":invalid-request"))
                .body("errors[0].field", equalTo("files[1].path"))
                .body("errors[0].message", containsString("has a '..' segment"));
        given().contentType(ContentType.JSON).body("{\"task\":\"x\",\"files\":[{\"path\":\"/etc/passwd\","
                + "\"content\":\"x\"}]}").post("/jobs").then().statusCode(422)
                .body("errors[0].field", equalTo("files[0].path")).body("errors[0].message", containsString("absolute"));
        assertEquals(before, jobIds("local"), "no job was created");
    }

    @Test
    void anAnswerWithANulOrAnUnsafePathIsRefusedAndTheJobStillWaits() {
        String id = submit("{\"task\":\"hello\"}");
        awaitStatus(id, "needs_input");
        given().contentType(ContentType.JSON).body("{\"answer\":\"bug\",\"logs\":\"ERROR: boom" + NUL + "\"}")
                .post("/jobs/" + id + "/answers").then().statusCode(422).contentType(PROBLEM)
                .body("type", endsWith(":invalid-request")).body("errors.field", equalTo(List.of("logs")));
        given().contentType(ContentType.JSON).body("{\"answer\":\"bug\",\"files\":[{\"path\":\"a/../../b\","
                + "\"content\":\"x\"}]}").post("/jobs/" + id + "/answers").then().statusCode(422)
                .contentType(PROBLEM).body("errors[0].field", equalTo("files[0].path"));
        given().get("/jobs/" + id).then().body("status", equalTo("needs_input"));
        given().contentType(ContentType.JSON).body("{\"answer\":\"bug\",\"logs\":\"ERROR: boom\"}")
                .post("/jobs/" + id + "/answers").then().statusCode(202);
    }

    @Test
    void aRequestEventWithANulIsDeadLetteredNamingTheField() throws Exception {
        List<UUID> before = jobIds(config.eventsOwner());
        CompletableFuture<Throwable> settled = new CompletableFuture<>();
        Message<String> record = Message.of("{\"task\":\"deploy to railway\",\"correlationId\":\"c-nul\","
                + "\"files\":[{\"path\":\"Dockerfile\",\"content\":\"FROM x" + NUL + "\"}]}", () -> {
                    settled.complete(null);
                    return CompletableFuture.completedFuture(null);
                }, reason -> {
                    settled.complete(reason);
                    return CompletableFuture.completedFuture(null);
                });
        connector.<Message<String>>source(Topics.JOBS_REQUESTED).send(record);
        Throwable reason = settled.get(10, TimeUnit.SECONDS);
        assertNotNull(reason, "the record is nacked, so it goes to the dead-letter topic, not acked");
        Throwable poison = reason;
        while (poison != null && !(poison instanceof PoisonMessageException)) {
            poison = poison.getCause();
        }
        assertNotNull(poison, "a poison message, not a job-store failure: " + reason);
        assertTrue(poison.getMessage().contains("files[0].content"), poison.getMessage());
        assertEquals(before, jobIds(config.eventsOwner()), "no job was created");

        // the channel carries on with the next record
        connector.source(Topics.JOBS_REQUESTED).send("{\"task\":\"deploy to railway\",\"correlationId\":\"c-after-nul\"}");
        await().atMost(Duration.ofSeconds(10)).until(() -> outbox().received().stream()
                .filter(m -> topic(m).equals(Topics.JOBS_UPDATES)).map(m -> Json.read(m.getPayload(), JobUpdate.class))
                .anyMatch(u -> "c-after-nul".equals(u.correlationId()) && u.type().equals("job.queued")));
    }

    /** The query-optimizer's inputs as a user sends them: frequencies, write rates, a plan in EXPLAIN's JSON format. */
    private static final String OPTIMIZER_INPUTS = "\"queries\":[{\"name\":\"latest_comments\",\"sql\":\"select * from "
            + "comments where post_id = $1 order by created_at desc limit 20\",\"frequency\":1200.5}],"
            + "\"writeRates\":{\"public.comments\":{\"inserts\":40,\"updates\":2.5,\"deletes\":0.1}},"
            + "\"explain\":[{\"Plan\":{\"Node Type\":\"Limit\",\"Total Cost\":1234.56,\"Plans\":[{\"Node Type\":"
            + "\"Seq Scan\",\"Relation Name\":\"comments\"}]},\"Execution Time\":812.3}]";

    @Test
    void theOptimizersInputsReachTheStoredJobAndTheTaskUnchanged() {
        JobRequest sent = Json.read("{" + OPTIMIZER_INPUTS + "}", JobRequest.class);
        String id = submit("{\"task\":\"latest comments are slow\",\"flow\":\"performance\"," + OPTIMIZER_INPUTS + "}");
        JobInputs stored = jobs.get(UUID.fromString(id), "local").inputs;
        assertOptimizerInputs(sent, stored);
        assertOptimizerInputs(sent, awaitTask(id, 1, TaskKind.WORK).inputs());

        String asking = submit("{\"task\":\"hello\"}");
        awaitStatus(asking, "needs_input");
        given().contentType(ContentType.JSON).body("{\"answer\":\"performance\",\"flow\":\"performance\","
                + OPTIMIZER_INPUTS + "}").post("/jobs/" + asking + "/answers").then().statusCode(202);
        assertOptimizerInputs(sent, awaitTask(asking, 1, TaskKind.WORK).inputs());
        assertOptimizerInputs(sent, jobs.get(UUID.fromString(asking), "local").inputs);
    }

    private static void assertOptimizerInputs(JobRequest sent, JobInputs inputs) {
        assertEquals(sent.queries(), inputs.queries());
        assertEquals(1200.5, inputs.queries().get(0).frequency());
        assertEquals(Map.of("public.comments", new WriteRate(40.0, 2.5, 0.1)), inputs.writeRates());
        assertEquals(sent.explain(), inputs.explain());
    }

    @Test
    void badOptimizerInputsAreProblemDetailsNamingTheField() {
        List<UUID> before = jobIds("local");
        Map<String, String> unacceptable = Map.of(
                "queries[0].frequency", "\"queries\":[{\"sql\":\"select 1\",\"frequency\":-1}]",
                "writeRates.comments.inserts", "\"writeRates\":{\"comments\":{\"inserts\":-5}}",
                "writeRates.comments.updates", "\"writeRates\":{\"comments\":{\"updates\":1e400}}",
                "writeRates.drop table comments", "\"writeRates\":{\"drop table comments\":{\"inserts\":1}}",
                "explain", "\"explain\":{\"Node Type\":\"Seq Scan\"}");
        unacceptable.forEach((field, json) -> given().contentType(ContentType.JSON).body("{\"task\":\"x\"," + json + "}")
                .post("/jobs").then().statusCode(422).contentType(PROBLEM).body("type", endsWith(":invalid-request"))
                .body("errors.field", equalTo(List.of(field))));
        given().contentType(ContentType.JSON).body("{\"task\":\"x\",\"explain\":\"" + "x".repeat(300_000) + "\"}")
                .post("/jobs").then().statusCode(422).contentType(PROBLEM).body("errors[0].field", equalTo("explain"))
                .body("errors[0].message", containsString("longer than"));
        given().contentType(ContentType.JSON).body("{\"task\":\"x\",\"explain\":\" \"}").post("/jobs").then()
                .statusCode(422).body("errors[0].field", equalTo("explain"));
        Map<String, String> malformed = Map.of(
                "queries[0].frequency", "\"queries\":[{\"sql\":\"select 1\",\"frequency\":\"often\"}]",
                "writeRates.comments.upserts", "\"writeRates\":{\"comments\":{\"upserts\":5}}",
                "writeRates.comments.inserts", "\"writeRates\":{\"comments\":{\"inserts\":\"5\"}}");
        malformed.forEach((field, json) -> given().contentType(ContentType.JSON).body("{\"task\":\"x\"," + json + "}")
                .post("/jobs").then().statusCode(400).contentType(PROBLEM).body("type", endsWith(":malformed-request"))
                .body("errors[0].field", equalTo(field)));
        assertEquals(before, jobIds("local"), "no job was created");

        String id = submit("{\"task\":\"hello\"}");
        awaitStatus(id, "needs_input");
        given().contentType(ContentType.JSON).body("{\"answer\":\"performance\",\"queries\":[{\"sql\":\"select 1\","
                + "\"frequency\":-2}],\"explain\":42}").post("/jobs/" + id + "/answers").then().statusCode(422)
                .contentType(PROBLEM).body("errors.field", equalTo(List.of("queries[0].frequency", "explain")));
        given().contentType(ContentType.JSON).body("{\"answer\":\"performance\",\"writeRates\":{\"t\":{\"inserts\":1,"
                + "\"merges\":1}}}").post("/jobs/" + id + "/answers").then().statusCode(400).contentType(PROBLEM)
                .body("errors[0].field", equalTo("writeRates.t.merges"));
        given().get("/jobs/" + id).then().body("status", equalTo("needs_input"));
    }

    @Test
    void listingIsNewestFirstAndPaged() {
        String older = submit("{\"task\":\"a\",\"flow\":\"bug\"}");
        String newer = submit("{\"task\":\"b\",\"flow\":\"bug\"}");
        String next = given().get("/jobs?limit=1").then().statusCode(200).body("items[0].id", equalTo(newer))
                .extract().path("next");
        given().get(next).then().statusCode(200).body("items[0].id", equalTo(older));
    }

    /** A counter's value on /q/metrics, 0 while it does not exist. */
    private static double metric(String name, Map<String, String> tags) {
        for (String line : given().get("/q/metrics").then().statusCode(200).extract().asString().lines().toList()) {
            if (line.startsWith(name + "{") && tags.entrySet().stream()
                    .allMatch(t -> line.contains("," + t.getKey() + "=\"" + t.getValue() + "\"")
                            || line.contains("{" + t.getKey() + "=\"" + t.getValue() + "\""))) {
                return Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
            }
        }
        return 0;
    }

    private static Map<String, String> tags(String model, String... more) {
        Map<String, String> tags = new java.util.HashMap<>(Map.of("service", "security", "provider", "openai",
                "model", model));
        for (int i = 0; i < more.length; i += 2) {
            tags.put(more[i], more[i + 1]);
        }
        return tags;
    }

    @Test
    void modelUsageIsStoredServedReportedAndCountedOncePerResult() {
        String model = "usage-" + UUID.randomUUID().toString().substring(0, 8);
        String id = submit("{\"task\":\"review our policies\",\"flow\":\"security-review\"}");
        TaskEvent work = awaitTask(id, 1, TaskKind.WORK);
        long budget = config.llm().jobTokenBudget();
        assertEquals(budget, work.tokenBudget(), "the first task may spend the whole budget");
        ResultEvent drafted = ResultEvent.of(work, StepOutcome.succeeded(null, null, null, null), 5, new ModelUsage(
                List.of(new ModelCall("openai", model, "draft policies", 1200, 300, 850, 1, 2, null),
                        new ModelCall("openai", model, "repair", 0, 0, 400, 2, 0, "HTTP 503"))));
        result(drafted);
        TaskEvent validate = awaitTask(id, 2, TaskKind.VALIDATE);
        assertEquals(budget - 1500, validate.tokenBudget(), "what the work step spent is gone from the budget");

        double duplicates = metric("backend_team_results_total", Map.of("outcome", "duplicate"));
        result(drafted);
        await().atMost(Duration.ofSeconds(5)).until(() -> metric("backend_team_results_total",
                Map.of("outcome", "duplicate")) == duplicates + 1);
        assertEquals(1200.0, metric("backend_team_model_tokens_total", tags(model, "direction", "in")),
                "the duplicate is not counted");
        assertEquals(300.0, metric("backend_team_model_tokens_total", tags(model, "direction", "out")));
        assertEquals(1.0, metric("backend_team_model_calls_total", tags(model, "outcome", "ok")));
        assertEquals(1.0, metric("backend_team_model_calls_total", tags(model, "outcome", "failed")));
        assertEquals(3.0, metric("backend_team_model_retries_total", tags(model)));

        result(ResultEvent.of(validate, StepOutcome.succeeded(null, null,
                List.of(new Evidence("rls matrix", true, "4 actors x 4 operations", 9)), null), 9));
        awaitStatus(id, "completed");
        given().get("/jobs/" + id).then()
                .body("usage.calls", equalTo(2)).body("usage.failedCalls", equalTo(1))
                .body("usage.tokensIn", equalTo(1200)).body("usage.tokensOut", equalTo(300))
                .body("usage.tokens", equalTo(1500)).body("usage.latencyMs", equalTo(1250))
                .body("usage.retries", equalTo(3)).body("usage.toolCalls", equalTo(2))
                .body("usage.byModel[0].provider", equalTo("openai")).body("usage.byModel[0].model", equalTo(model))
                .body("usage.byModel[0].tokens", equalTo(1500))
                .body("steps[0].usage.tokens", equalTo(1500))
                .body("steps[1].containsKey('usage')", equalTo(false))
                .body("containsKey('orchestratorUsage')", equalTo(false));
        given().accept(ContentType.JSON).get("/jobs/" + id + "/report").then()
                .body("usage.tokens", equalTo(1500))
                .body("steps[0].modelCalls.purpose", equalTo(List.of("draft policies", "repair")))
                .body("steps[0].modelCalls[1].error", equalTo("HTTP 503"));
        given().accept("text/markdown").get("/jobs/" + id + "/report").then()
                .body(containsString("\n## Model usage\n"),
                        containsString("| 1 | security(security) | openai | " + model + " | 2 | 1200 | 300 | 1250 ms | 3 "
                                + "| 2 |"),
                        containsString("| **total** |  |  |  | 2 | 1200 | 300 | 1250 ms | 3 | 2 |"),
                        containsString("1500 tokens in all; 1 of 2 calls failed."));
    }

    @Test
    void aLateAnswerOfATimedOutAttemptIsChargedToItsStep() throws Exception {
        String id = submit("{\"task\":\"review our policies\",\"flow\":\"security-review\"}");
        TaskEvent first = awaitTask(id, 1, TaskKind.WORK);
        try (Connection c = store.getConnection(); PreparedStatement ps = c.prepareStatement(
                "update steps set deadline_at = now() - interval '1 second' where job_id = ?::uuid and seq = 1")) {
            ps.setString(1, id);
            ps.executeUpdate();
        }
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> given().get("/jobs/" + id).then()
                .body("steps[0].attempt", equalTo(2)));
        result(ResultEvent.of(first, StepOutcome.succeeded(null, null, null, null), 5, new ModelUsage(List.of(
                new ModelCall("openai", "gpt-4o-mini", "draft policies", 700, 100, 900, 0, 0, null)))));
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> given().get("/jobs/" + id).then()
                .body("steps[0].usage.tokens", equalTo(800)).body("steps[0].status", equalTo("running"))
                .body("steps[0].attempt", equalTo(2)).body("usage.tokens", equalTo(800)));
    }

    @Test
    void aStepStoppedByTheBudgetFailsTheJobWithTheReasonAndNoRetry() {
        String id = submit("{\"task\":\"review our policies\",\"flow\":\"security-review\"}");
        TaskEvent work = awaitTask(id, 1, TaskKind.WORK);
        String why = "the job's token budget would be exceeded: draft policies needs about 9000 tokens, 4000 of the "
                + "step's 200000 remain (setting backend-team.llm.job-token-budget)";
        result(ResultEvent.of(work, StepOutcome.failed(FailureKind.BUDGET, why, null), 5, new ModelUsage(List.of(
                new ModelCall("openai", "gpt-4o-mini", "draft policies", 150000, 46000, 9000, 0, 0, null)))));
        awaitStatus(id, "failed");
        given().get("/jobs/" + id).then().body("reason", equalTo("security failed: budget: " + why))
                .body("steps.size()", equalTo(1)).body("steps[0].attempt", equalTo(1))
                .body("steps[0].status", equalTo("failed")).body("usage.tokens", equalTo(196000));
        given().accept("text/markdown").get("/jobs/" + id + "/report").then()
                .body(containsString("- **Status:** failed — security failed: budget: " + why));
    }

    @Test
    void openApiAndHealthAreServed() {
        given().get("/q/openapi").then().statusCode(200).body(containsString("/jobs/{id}/answers"));
        String json = "application/json";
        given().accept(json).get("/q/openapi").then().statusCode(200)
                .body("components.schemas.QueryInput.properties.frequency.description", containsString("calls per minute"))
                .body("components.schemas.JobRequest.properties.writeRates.description", containsString("rows per second"))
                .body("components.schemas.JobRequest.properties.writeRates.additionalProperties.$ref",
                        endsWith("/WriteRate"))
                .body("components.schemas.WriteRate.properties.inserts.description", containsString("inserted"))
                .body("components.schemas.WriteRate.properties.deletes.description", containsString("≥ 0"))
                .body("components.schemas.JobRequest.properties.explain.description", containsString("FORMAT JSON"))
                .body("components.schemas.JobRequest.properties.explain.oneOf.type.flatten()",
                        equalTo(List.of("string", "array", "object")))
                .body("components.schemas.JobAnswer.properties.explain.description", containsString("EXPLAIN"))
                .body("components.schemas.JobAnswer.properties.writeRates.description", notNullValue())
                .body("components.schemas.JobRequest.properties.task.description", notNullValue())
                .body("components.schemas.JobView.properties.usage.$ref", endsWith("/UsageSummary"))
                .body("components.schemas.UsageSummary.properties.byModel.items.$ref", endsWith("/ByModel"))
                .body("paths.'/jobs/{id}'.get.description", containsString("per provider and model"));
        given().get("/q/health/ready").then().statusCode(200);
        given().get("/q/health/live").then().statusCode(200);
        given().get("/q/health/started").then().statusCode(200);
    }
}
