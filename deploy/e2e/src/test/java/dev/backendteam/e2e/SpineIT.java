package dev.backendteam.e2e;

import dev.backendteam.contract.JobCompleted;
import dev.backendteam.contract.JobStatus;
import dev.backendteam.contract.Json;
import dev.backendteam.contract.ResultEvent;
import dev.backendteam.stack.LocalStack;
import dev.backendteam.stack.ServiceProcess;
import io.restassured.http.ContentType;
import io.restassured.specification.RequestSpecification;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The spine end to end: real Kafka broker, real PostgreSQL, the five packaged services as separate processes.
 * Jobs go gateway → Kafka → specialists → back → validation round → report.
 */
@ExtendWith(RunningStack.class)
class SpineIT {
    private static final Duration JOB_WAIT = Duration.ofSeconds(90);
    private static final String SPEC = "{\"entities\":[{\"name\":\"post\",\"owner\":true},"
            + "{\"name\":\"comment\",\"belongsTo\":\"post\",\"owner\":true}]}";

    private static LocalStack stack() {
        return RunningStack.stack();
    }

    private static RequestSpecification as(String key) {
        return given().baseUri(stack().gatewayUrl()).header("Authorization", "Bearer " + key);
    }

    private static RequestSpecification alice() {
        return as(RunningStack.ALICE_KEY);
    }

    private static String submit(String body) {
        return alice().contentType(ContentType.JSON).body(body).post("/jobs").then().statusCode(202)
                .header("Location", containsString("/jobs/")).extract().path("id");
    }

    private static void awaitStatus(String id, String status) {
        await().atMost(JOB_WAIT).pollInterval(Duration.ofMillis(200)).untilAsserted(() ->
                alice().get("/jobs/" + id).then().statusCode(200).body("status", equalTo(status)));
    }

    /**
     * The specialists start before the orchestrator provisions the topics (alongside the broker, on a JDK without a
     * start-up cache): their consumers must not have had the broker auto-create their topics with one partition, or
     * a second replica would get none. The provisioner also raises a topic found with fewer partitions.
     */
    @Test
    void everyContractTopicHasTheConfiguredPartitions() throws Exception {
        List<String> topics = new java.util.ArrayList<>(List.of(dev.backendteam.contract.Topics.RESULTS,
                dev.backendteam.contract.Topics.JOBS_REQUESTED, dev.backendteam.contract.Topics.JOBS_ANSWERS));
        for (dev.backendteam.contract.Specialist s : dev.backendteam.contract.Specialist.values()) {
            topics.add(dev.backendteam.contract.Topics.tasks(s));
        }
        try (var admin = org.apache.kafka.clients.admin.Admin.create(stack().kafkaClientProperties())) {
            Map<String, Integer> partitions = new java.util.TreeMap<>();
            admin.describeTopics(topics).allTopicNames().get(30, java.util.concurrent.TimeUnit.SECONDS)
                    .forEach((name, d) -> partitions.put(name, d.partitions().size()));
            for (String topic : topics) {
                assertEquals(3, partitions.get(topic), topic + ": " + partitions);
            }
        }
    }

    @Test
    void aRestJobCompletesWithItsStepsInFlowOrderAndItsValidationRound() {
        String id = submit("{\"task\":\"Comments on posts; only the author may edit\",\"flow\":\"new-feature\","
                + "\"spec\":" + SPEC + "}");
        awaitStatus(id, "completed");
        List<String> steps = alice().get("/jobs/" + id).then().extract().jsonPath()
                .getList("steps.collect { it.kind + ':' + it.service + ':' + it.role + ':' + it.status }");
        assertEquals(List.of("work:db-architect:schema:succeeded", "work:security:security:succeeded",
                "work:query-optimizer:query-optimizer:succeeded", "work:db-architect:api-data:succeeded",
                "work:ops:edge-functions:succeeded", "validate:db-architect:schema:succeeded",
                "validate:security:security:succeeded", "validate:query-optimizer:query-optimizer:succeeded",
                "validate:db-architect:api-data:succeeded", "validate:ops:edge-functions:succeeded"), steps);
        String report = alice().accept("text/markdown").get("/jobs/" + id + "/report").then().statusCode(200)
                .extract().asString();
        assertTrue(report.contains("### `001_"), "numbered migrations in the report:\n" + report);
        assertTrue(report.contains("functions.none-needed"), "the task asks for no edge function, and says so:\n"
                + report);
        String validation = report.substring(report.indexOf("## Validation"));
        assertTrue(validation.contains("passed — "), "evidence from the sandbox:\n" + validation);
        assertTrue(!validation.contains("**failed**"), validation);
    }

    @Test
    void anEventJobCompletesAndItsCorrelationIdComesBack() throws Exception {
        String correlation = "e2e-" + UUID.randomUUID();
        Topics.send(stack().kafkaClientProperties(), dev.backendteam.contract.Topics.JOBS_REQUESTED, correlation,
                "{\"task\":\"Review our row level security policies\",\"correlationId\":\"" + correlation
                        + "\",\"sql\":\"create table notes(id bigint primary key);\"}",
                Map.of("ce_specversion", "1.0", "ce_type", "dev.backendteam.job.requested.v1",
                        "ce_source", "urn:e2e", "ce_id", correlation));
        ConsumerRecord<String, String> done = Topics.await(stack().kafkaClientProperties(),
                dev.backendteam.contract.Topics.JOBS_COMPLETED, r -> r.value().contains(correlation), JOB_WAIT);
        JobCompleted completed = Json.read(done.value(), JobCompleted.class);
        assertEquals(correlation, completed.correlationId());
        assertEquals(JobStatus.COMPLETED, completed.status(), completed.reason());
        assertEquals(completed.jobId(), done.key(), "key = job id");
        assertEquals("1.0", Topics.header(done, "ce_specversion").orElse(null), "CloudEvents binary mode");
        assertEquals("dev.backendteam.job.completed.v1", Topics.header(done, "ce_type").orElse(null));
        ConsumerRecord<String, String> update = Topics.await(stack().kafkaClientProperties(),
                dev.backendteam.contract.Topics.JOBS_UPDATES, r -> r.value().contains(correlation), JOB_WAIT);
        assertTrue(update.value().contains("\"correlationId\":\"" + correlation + "\""));
    }

    @Test
    void aDuplicatedResultIsIgnored() throws Exception {
        String id = submit("{\"task\":\"x\",\"flow\":\"security-review\","
                + "\"sql\":\"create table notes(id bigint primary key, body text);\"}");
        awaitStatus(id, "completed");
        ConsumerRecord<String, String> first = Topics.await(stack().kafkaClientProperties(),
                dev.backendteam.contract.Topics.RESULTS, r -> id.equals(r.key())
                        && Json.read(r.value(), ResultEvent.class).step() == 1, JOB_WAIT);
        int before = duplicates();
        String job = alice().get("/jobs/" + id).then().extract().asString();
        Topics.send(stack().kafkaClientProperties(), dev.backendteam.contract.Topics.RESULTS, id, first.value(),
                Map.of("ce_specversion", "1.0", "ce_type", "dev.backendteam.result.v1", "ce_source", "urn:e2e",
                        "ce_id", UUID.randomUUID().toString()));
        await().atMost(JOB_WAIT).until(() -> duplicates() > before);
        assertEquals(job, alice().get("/jobs/" + id).then().extract().asString(), "the job did not change");
    }

    private static int duplicates() {
        String metrics = given().baseUri(stack().gatewayUrl()).get("/q/metrics").then().statusCode(200).extract()
                .asString();
        return metrics.lines().filter(l -> l.startsWith("backend_team_results_total{outcome=\"duplicate\"}"))
                .mapToInt(l -> (int) Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1))).sum();
    }

    @Test
    void aPoisonMessageLandsInTheDeadLetterTopicAndTheConsumerCarriesOn() throws Exception {
        String marker = "poison-" + UUID.randomUUID();
        Topics.send(stack().kafkaClientProperties(), dev.backendteam.contract.Topics.RESULTS, marker,
                "{ this is not a result " + marker, Map.of());
        ConsumerRecord<String, String> dead = Topics.await(stack().kafkaClientProperties(), "backend-team.dlq.results",
                r -> r.value().contains(marker), JOB_WAIT);
        assertTrue(Topics.header(dead, "dead-letter-reason").orElse("").contains("not a valid ResultEvent"),
                "the reason travels with the dead letter");
        // a specialist's dead-letter producer is built on its first dead letter (lazy-client): this one builds it
        dev.backendteam.contract.Specialist security = dev.backendteam.contract.Specialist.SECURITY;
        String tasks = dev.backendteam.contract.Topics.tasks(security);
        Topics.send(stack().kafkaClientProperties(), tasks, marker, "{ this is not a task " + marker, Map.of());
        ConsumerRecord<String, String> deadTask = Topics.await(stack().kafkaClientProperties(),
                dev.backendteam.contract.Topics.deadLetters(tasks), r -> r.value().contains(marker), JOB_WAIT);
        assertTrue(Topics.header(deadTask, "dead-letter-reason").orElse("").contains("not a valid TaskEvent"),
                "the reason travels with the specialist's dead letter too");
        String id = submit("{\"task\":\"x\",\"flow\":\"security-review\","
                + "\"sql\":\"create table notes(id bigint primary key, body text);\"}");
        awaitStatus(id, "completed");
    }

    @Test
    void anUnclearTaskWaitsForItsAnswerAndThenCompletes() {
        String id = submit("{\"task\":\"hello team\"}");
        awaitStatus(id, "needs_input");
        alice().get("/jobs/" + id).then().body("question", containsString("Which kind of job"));
        alice().contentType(ContentType.JSON).body("{\"answer\":\"bug\",\"logs\":\"ERROR: relation \\\"comments\\\""
                + " does not exist (SQLSTATE 42P01)\"}").post("/jobs/" + id + "/answers").then().statusCode(202);
        // The debugger hands its diagnosis to db-architect, which has nothing to build the missing table from: it asks,
        // naming the table; a spec that defines it is enough.
        awaitStatus(id, "needs_input");
        alice().get("/jobs/" + id).then().body("question", containsString("comments"))
                .body("question", containsString("spec"));
        alice().contentType(ContentType.JSON).body("{\"answer\":\"here is the spec\",\"spec\":{\"entities\":["
                + "{\"name\":\"posts\",\"owner\":true},{\"name\":\"comments\",\"belongsTo\":\"posts\","
                + "\"owner\":true}]}}").post("/jobs/" + id + "/answers").then().statusCode(202);
        awaitStatus(id, "completed");
        List<String> work = alice().get("/jobs/" + id).then().extract().jsonPath()
                .getList("steps.findAll { it.kind == 'work' }.collect { it.service + ':' + it.origin }");
        assertEquals(List.of("ops:flow", "db-architect:handoff", "security:appended"), work,
                "the debugger's diagnosis hands off to db-architect");
    }

    @Test
    void anotherKeyCannotSeeTheJob() {
        String id = submit("{\"task\":\"x\",\"flow\":\"bug\",\"logs\":\"boom\"}");
        as(RunningStack.BOB_KEY).get("/jobs/" + id).then().statusCode(404)
                .contentType("application/problem+json");
        as(RunningStack.BOB_KEY).get("/jobs/" + id + "/report").then().statusCode(404);
        as(RunningStack.BOB_KEY).get("/jobs").then().statusCode(200).body("items.id", org.hamcrest.Matchers
                .not(org.hamcrest.Matchers.hasItem(id)));
        given().baseUri(stack().gatewayUrl()).get("/jobs/" + id).then().statusCode(401);
        as("wrong-key-0123456789abcdef").get("/jobs/" + id).then().statusCode(401);
    }

    /**
     * Killed mid-job, the orchestrator finishes the job after a restart. While it is down, one of its topics is
     * replaced by a one-partition topic, as an older setting or a broker's auto-creation would leave it: the restart
     * raises it to the configured partitions (TopicProvisioner), never removing any.
     */
    @Test
    void anOrchestratorKilledMidJobFinishesItAfterARestartThatRaisesAShrunkTopic() throws Exception {
        ServiceProcess orchestrator = stack().service("orchestrator");
        String id = submit("{\"task\":\"x\",\"flow\":\"new-feature\",\"spec\":" + SPEC + "}");
        orchestrator.kill();
        await().atMost(Duration.ofSeconds(20)).until(() -> !orchestrator.isAlive());
        // the dead-letter topic of the answers: only the orchestrator writes it, and only for a poison answer
        String shrunk = dev.backendteam.contract.Topics.deadLetters(dev.backendteam.contract.Topics.JOBS_ANSWERS);
        try (var admin = org.apache.kafka.clients.admin.Admin.create(stack().kafkaClientProperties())) {
            admin.deleteTopics(List.of(shrunk)).all().get(30, java.util.concurrent.TimeUnit.SECONDS);
            // a deleted topic's name is free again only once the broker has removed it
            await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(250)).ignoreExceptions().until(() -> {
                admin.createTopics(List.of(new org.apache.kafka.clients.admin.NewTopic(shrunk, 1, (short) 1)))
                        .all().get(10, java.util.concurrent.TimeUnit.SECONDS);
                return true;
            });
            assertEquals(1, partitions(admin, shrunk), "the topic was replaced before the restart");
            orchestrator.restart();
            awaitStatus(id, "completed");
            alice().get("/jobs/" + id).then().body("steps.size()", equalTo(10));
            await().atMost(Duration.ofSeconds(10)).untilAsserted(() ->
                    assertEquals(3, partitions(admin, shrunk), shrunk + " raised by the restarted orchestrator"));
        }
    }

    private static int partitions(org.apache.kafka.clients.admin.Admin admin, String topic) throws Exception {
        return admin.describeTopics(List.of(topic)).allTopicNames().get(30, java.util.concurrent.TimeUnit.SECONDS)
                .get(topic).partitions().size();
    }
}
