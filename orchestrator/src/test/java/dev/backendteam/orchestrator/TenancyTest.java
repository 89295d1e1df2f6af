package dev.backendteam.orchestrator;

import dev.backendteam.contract.Topics;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;
import io.smallrye.reactive.messaging.kafka.api.IncomingKafkaRecordMetadata;
import io.smallrye.reactive.messaging.memory.InMemoryConnector;
import jakarta.enterprise.inject.Any;
import jakarta.inject.Inject;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.eclipse.microprofile.reactive.messaging.Message;
import org.junit.jupiter.api.Test;

import javax.sql.DataSource;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Function;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.not;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Tenancy (issue 14): no API key reaches another key's job by any endpoint, and a job it does not own answers exactly
 * as a job that does not exist (no oracle for guessed ids); a job that arrives by event belongs to the owner its
 * CloudEvents source maps to, else to the events owner.
 */
@QuarkusTest
@TestProfile(TenancyTest.Profile.class)
class TenancyTest {
    private static final String ALICE = "alice-key-0123456789abcdef";
    private static final String BOB = "bob-key-0123456789abcdef00";

    @Inject
    DataSource store;

    @Inject
    @Any
    InMemoryConnector connector;

    public static class Profile implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("backend-team.api-keys", "alice:" + ALICE + ",bob:" + BOB,
                    "backend-team.events-owners", "urn:alice-crm:*=alice");
        }

        @Override
        public List<TestResourceEntry> testResources() {
            return List.of(new TestResourceEntry(EmbeddedPostgresResource.class));
        }
    }

    private static RequestSpecification as(String key) {
        return given().header("X-API-Key", key);
    }

    /** Every way to reach a job by its id, with what its owner gets from it. */
    private static final Map<String, Function<String, Response>> WAYS = Map.of(
            "GET /jobs/{id}", id -> as(BOB).get("/jobs/" + id),
            "GET /jobs/{id}/report", id -> as(BOB).get("/jobs/" + id + "/report"),
            "GET /jobs/{id}/report?format=json", id -> as(BOB).get("/jobs/" + id + "/report?format=json"),
            "GET /jobs/{id}/bundle", id -> as(BOB).get("/jobs/" + id + "/bundle"),
            "GET /jobs/{id}/events", id -> as(BOB).header("Last-Event-ID", "0").get("/jobs/" + id + "/events"),
            "GET /jobs/{id}/events (Last-Event-ID 1)", id -> as(BOB).header("Last-Event-ID", "1")
                    .get("/jobs/" + id + "/events"),
            "POST /jobs/{id}/answers", id -> as(BOB).contentType(ContentType.JSON).body("{\"answer\": \"bug\"}")
                    .post("/jobs/" + id + "/answers"),
            "POST /jobs/{id}/cancel", id -> as(BOB).post("/jobs/" + id + "/cancel"));

    @Test
    void anotherKeysJobIsIndistinguishableFromNoJob() {
        String running = as(ALICE).contentType(ContentType.JSON).body("{\"task\": \"add comments to posts\", "
                + "\"flow\": \"new-feature\"}").post("/jobs").then().statusCode(202).extract().path("id");
        String asking = as(ALICE).contentType(ContentType.JSON).body("{\"task\": \"make it better\"}")
                .post("/jobs").then().statusCode(202).extract().path("id");
        String guessed = UUID.randomUUID().toString();
        for (String id : List.of(running, asking)) {
            WAYS.forEach((way, call) -> {
                Response theirs = call.apply(id);
                Response none = call.apply(guessed);
                assertEquals(404, theirs.statusCode(), way + " of alice's job as bob: " + theirs.asString());
                assertEquals("application/problem+json", theirs.contentType(), way);
                assertEquals(none.statusCode(), theirs.statusCode(), way);
                assertEquals(none.jsonPath().getString("detail").replace(guessed, id),
                        theirs.jsonPath().getString("detail"), way + ": the same words as for an id nobody has");
            });
        }
        as(BOB).get("/jobs").then().statusCode(200).body("items.id", not(hasItem(running)))
                .body("items.id", not(hasItem(asking)));
        // and nothing bob did changed alice's jobs
        as(ALICE).get("/jobs/" + running).then().statusCode(200).body("status", org.hamcrest.Matchers.equalTo(
                "running"));
        as(ALICE).get("/jobs/" + asking).then().statusCode(200).body("status", org.hamcrest.Matchers.equalTo(
                "needs_input"));
        as(ALICE).get("/jobs").then().body("items.id", hasItem(running));
    }

    @Test
    void aJobFromAnEventBelongsToTheEventsOwnerAndNoKeySeesIt() throws Exception {
        String correlation = "tenancy-" + UUID.randomUUID();
        connector.source(Topics.JOBS_REQUESTED).send("{\"task\": \"review our policies\", \"flow\": "
                + "\"security-review\", \"sql\": \"create table t (id bigint primary key);\", \"correlationId\": \""
                + correlation + "\"}");
        String id = await().atMost(Duration.ofSeconds(10)).until(() -> jobOf(correlation), j -> j != null);
        assertEquals("events", ownerOf(id));
        for (String key : List.of(ALICE, BOB)) {
            as(key).get("/jobs/" + id).then().statusCode(404);
            as(key).post("/jobs/" + id + "/cancel").then().statusCode(404);
            as(key).get("/jobs").then().body("items.id", not(hasItem(id)));
        }
    }

    @Test
    void aJobFromAnEventOfAMappedSourceIsItsOwnersAlone() throws Exception {
        String correlation = "tenancy-" + UUID.randomUUID();
        ConsumerRecord<String, String> record = new ConsumerRecord<>(Topics.JOBS_REQUESTED, 0, 0L, null,
                "{\"task\": \"the app crashes\", \"flow\": \"bug\", \"logs\": \"ERROR: boom\", "
                        + "\"correlationId\": \"" + correlation + "\"}");
        record.headers().add("ce_source", "urn:alice-crm:eu".getBytes(StandardCharsets.UTF_8));
        connector.source(Topics.JOBS_REQUESTED).send(Message.of(record.value())
                .addMetadata(new IncomingKafkaRecordMetadata<>(record, Topics.JOBS_REQUESTED)));
        String id = await().atMost(Duration.ofSeconds(10)).until(() -> jobOf(correlation), j -> j != null);
        assertEquals("alice", ownerOf(id));
        as(ALICE).get("/jobs/" + id).then().statusCode(200);
        as(ALICE).get("/jobs").then().body("items.id", hasItem(id));
        as(BOB).get("/jobs/" + id).then().statusCode(404);
        as(BOB).get("/jobs").then().body("items.id", not(hasItem(id)));
    }

    private String jobOf(String correlationId) throws Exception {
        try (Connection c = store.getConnection(); PreparedStatement s = c.prepareStatement(
                "select id from jobs where correlation_id = ?")) {
            s.setString(1, correlationId);
            try (ResultSet rs = s.executeQuery()) {
                return rs.next() ? rs.getString(1) : null;
            }
        }
    }

    private String ownerOf(String id) throws Exception {
        try (Connection c = store.getConnection(); PreparedStatement s = c.prepareStatement(
                "select owner from jobs where id = ?::uuid")) {
            s.setString(1, id);
            try (ResultSet rs = s.executeQuery()) {
                rs.next();
                return rs.getString(1);
            }
        }
    }
}
