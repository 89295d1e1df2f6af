package dev.backendteam.e2e;

import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import io.restassured.specification.RequestSpecification;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.anyOf;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The README's performance example through the running stack: routed to the performance flow, the monitor says it
 * did not run (no target), the query-optimizer generates data, proves its indexes and delivers each alone in a
 * concurrent migration, and the validation round replays them on fresh data.
 */
class PerformanceIT {
    private static final Duration JOB_WAIT = Duration.ofSeconds(200);

    private static RequestSpecification alice() {
        return given().baseUri(RunningStack.stack().gatewayUrl())
                .header("Authorization", "Bearer " + RunningStack.ALICE_KEY);
    }

    private static String submit(String body) {
        return alice().contentType(ContentType.JSON).body(body).post("/jobs").then().statusCode(202).extract()
                .path("id");
    }

    private static JsonPath finished(String id) {
        await().atMost(JOB_WAIT).pollInterval(Duration.ofMillis(250)).untilAsserted(() -> alice()
                .get("/jobs/" + id).then().body("status", anyOf(equalTo("completed"), equalTo("failed"),
                        equalTo("needs_input"))));
        return alice().accept(ContentType.JSON).get("/jobs/" + id + "/report").then().statusCode(200).extract()
                .jsonPath();
    }

    private static List<Map<String, Object>> checks(JsonPath report, String service, String kind) {
        return report.getList("validation").stream().map(v -> {
            @SuppressWarnings("unchecked")
            Map<String, Object> m = (Map<String, Object>) v;
            return m;
        }).filter(v -> service.equals(v.get("service")) && kind.equals(v.get("kind"))).toList();
    }

    @Test
    void thePerformanceExampleGetsProvenIndexesEachInItsOwnConcurrentMigration() throws Exception {
        String id = submit(Files.readString(Path.of(System.getProperty("backend-team.root", "../.."))
                .resolve("deploy/examples/performance.json")));
        JsonPath report = finished(id);
        assertEquals("completed", report.getString("status"), report.getString("reason"));
        assertEquals("performance", report.getString("flow"));

        List<Map<String, Object>> monitor = checks(report, "ops", "work");
        assertTrue(monitor.stream().anyMatch(c -> "not_run".equals(c.get("status"))
                && String.valueOf(c.get("details")).startsWith("no target database")), monitor.toString());

        List<Map<String, Object>> work = checks(report, "query-optimizer", "work");
        for (String check : List.of("schema loaded in the sandbox", "realistic data generated",
                "index set proven on the data")) {
            assertTrue(work.stream().anyMatch(c -> check.equals(c.get("check")) && "passed".equals(c.get("status"))),
                    check + " in " + work);
        }
        List<String> names = report.getList(
                "bundle.findAll { it.kind == 'migration' && it.producedBy == 'query-optimizer' }.name");
        List<String> contents = report.getList(
                "bundle.findAll { it.kind == 'migration' && it.producedBy == 'query-optimizer' }.content");
        assertFalse(names.isEmpty(), "indexes were delivered");
        assertTrue(names.stream().anyMatch(n -> n.contains("idx_comments_post_id_created_at")), names.toString());
        for (String sql : contents) {
            assertEquals(1, sql.lines().filter(l -> l.startsWith("create index concurrently if not exists")).count(),
                    "one concurrent index per migration: " + sql);
        }
        List<Map<String, Object>> replay = checks(report, "query-optimizer", "validate");
        assertTrue(replay.stream().anyMatch(c -> String.valueOf(c.get("check")).startsWith("index set: every kept")
                && "passed".equals(c.get("status"))), replay.toString());
        String markdown = alice().accept("text/markdown").get("/jobs/" + id + "/report").then().statusCode(200)
                .extract().asString();
        assertTrue(markdown.contains("idx_comments_post_id_created_at"), "the report names the index");
        assertTrue(report.getBoolean("proven"), "proven");
    }
}
