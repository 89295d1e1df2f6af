package dev.backendteam.orchestrator;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.ResultSet;
import java.util.List;
import java.util.Map;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The submission budget per API key: past it a 429 problem with Retry-After, nothing stored, other keys unaffected. */
@QuarkusTest
@TestProfile(SubmissionRateLimitTest.Profile.class)
class SubmissionRateLimitTest {
    private static final String ALICE = "alice-key-0123456789abcdef";
    private static final String BOB = "bob-key-0123456789abcdef00";
    private static final String CAROL = "carol-key-0123456789abcdef";
    private static final String DAVE = "dave-key-0123456789abcdef0";

    @Inject
    DataSource store;

    @Inject
    dev.backendteam.orchestrator.rest.SubmissionGate gate;

    public static class Profile implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("backend-team.submissions-per-minute", "3", "backend-team.submissions-in-flight", "2",
                    "backend-team.api-keys", "alice:" + ALICE + ",bob:" + BOB + ",carol:" + CAROL + ",dave:" + DAVE);
        }

        @Override
        public List<TestResourceEntry> testResources() {
            return List.of(new TestResourceEntry(EmbeddedPostgresResource.class));
        }
    }

    private static Response submit(String key) {
        return given().header("X-API-Key", key).contentType(ContentType.JSON)
                .body("{\"task\": \"add comments to posts\", \"flow\": \"new-feature\"}").post("/jobs");
    }

    @Test
    void aKeyPastItsBudgetIsToldWhenToComeBackAndOthersAreNot() throws Exception {
        String id = null;
        for (int i = 0; i < 3; i++) {
            Response accepted = submit(ALICE);
            assertEquals(202, accepted.statusCode(), accepted.asString());
            id = accepted.path("id");
        }
        long jobs = jobs();
        Response refused = submit(ALICE);
        refused.then().statusCode(429).contentType("application/problem+json")
                .body("type", equalTo("urn:backend-team:problem:rate-limited"))
                .body("detail", containsString("3 jobs or answers a minute"));
        long retryAfter = Long.parseLong(refused.header("Retry-After"));
        assertTrue(retryAfter >= 1 && retryAfter <= 20, "3 a minute refill one every 20 s: " + retryAfter);
        assertEquals(jobs, jobs(), "a refused submission stores nothing");
        given().header("X-API-Key", ALICE).contentType(ContentType.JSON).body("{\"answer\": \"bug\"}")
                .post("/jobs/" + id + "/answers").then().statusCode(429);

        given().header("X-API-Key", ALICE).get("/jobs/" + id).then().statusCode(200);
        assertEquals(202, submit(BOB).statusCode(), "bob's budget is his own");
    }

    /**
     * Two uploads that never finish hold the replica's two places (taken before the body is read, on the event
     * loop): a third submission, from another key with budget left, gets 503 with Retry-After at once; when the two
     * connections close, their places come back and the next submission is taken.
     */
    @Test
    void pastTheSubmissionsInFlightTheGatewayIsBusyAndTakesTheNextOnceOnesEnd() throws Exception {
        List<java.net.Socket> slow = new java.util.ArrayList<>();
        try {
            String body = "{\"task\": \"add comments to posts\"}";
            for (int i = 0; i < 2; i++) {
                java.net.Socket socket = new java.net.Socket("127.0.0.1", io.restassured.RestAssured.port);
                socket.getOutputStream().write(("POST /jobs HTTP/1.1\r\nHost: localhost\r\nX-API-Key: " + CAROL
                        + "\r\nContent-Type: application/json\r\nContent-Length: " + body.length() + "\r\n\r\n"
                        + body.substring(0, 5)).getBytes(java.nio.charset.StandardCharsets.US_ASCII));
                socket.getOutputStream().flush();
                slow.add(socket);
            }
            awaitInFlight(2);
            long jobs = jobs();
            Response busy = submit(DAVE);
            busy.then().statusCode(503).contentType("application/problem+json")
                    .body("type", equalTo("urn:backend-team:problem:busy"))
                    .body("detail", containsString("2 submissions already"));
            assertEquals("1", busy.header("Retry-After"));
            assertEquals(jobs, jobs(), "a refused submission stores nothing");
            given().header("X-API-Key", DAVE).get("/jobs").then().statusCode(200); // reads are not bounded
        } finally {
            for (java.net.Socket socket : slow) {
                socket.close();
            }
        }
        awaitInFlight(0);
        assertEquals(202, submit(DAVE).statusCode(), "the places came back when the connections closed");
    }

    private void awaitInFlight(int n) throws InterruptedException {
        long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(10);
        while (gate.inFlight() != n && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        assertEquals(n, gate.inFlight(), "submissions in flight");
    }

    private long jobs() throws Exception {
        try (Connection c = store.getConnection(); ResultSet rs = c.createStatement()
                .executeQuery("select count(*) from jobs")) {
            rs.next();
            return rs.getLong(1);
        }
    }
}
