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

    @Inject
    DataSource store;

    public static class Profile implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("backend-team.submissions-per-minute", "3",
                    "backend-team.api-keys", "alice:" + ALICE + ",bob:" + BOB);
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

    private long jobs() throws Exception {
        try (Connection c = store.getConnection(); ResultSet rs = c.createStatement()
                .executeQuery("select count(*) from jobs")) {
            rs.next();
            return rs.getLong(1);
        }
    }
}
