package dev.backendteam.e2e;

import io.restassured.path.json.JsonPath;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The README's performance example through the running stack: routed to the performance flow, the monitor says it
 * did not run (no target), the query-optimizer generates data, proves its indexes and delivers each alone in a
 * concurrent migration, and the validation round replays them on fresh data.
 */
@ExtendWith(RunningStack.class)
class PerformanceIT {
    private static final Duration JOB_WAIT = Duration.ofSeconds(200);

    private static JsonPath finished(String id) {
        return Jobs.finished(id, JOB_WAIT);
    }

    @Test
    void thePerformanceExampleGetsProvenIndexesEachInItsOwnConcurrentMigration() throws Exception {
        String id = Jobs.submit(Files.readString(Path.of(System.getProperty("backend-team.root", "../.."))
                .resolve("deploy/examples/performance.json")));
        JsonPath report = finished(id);
        assertEquals("completed", report.getString("status"), report.getString("reason"));
        assertEquals("performance", report.getString("flow"));

        List<Map<String, Object>> monitor = Jobs.checks(report, "ops", "work");
        assertTrue(monitor.stream().anyMatch(c -> "not_run".equals(c.get("status"))
                && String.valueOf(c.get("details")).startsWith("no target database")), monitor.toString());

        List<Map<String, Object>> work = Jobs.checks(report, "query-optimizer", "work");
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
        List<Map<String, Object>> replay = Jobs.checks(report, "query-optimizer", "validate");
        assertTrue(replay.stream().anyMatch(c -> String.valueOf(c.get("check")).startsWith("index set: every kept")
                && "passed".equals(c.get("status"))), replay.toString());
        String markdown = Jobs.alice().accept("text/markdown").get("/jobs/" + id + "/report").then().statusCode(200)
                .extract().asString();
        assertTrue(markdown.contains("idx_comments_post_id_created_at"), "the report names the index");
        assertTrue(report.getBoolean("proven"), "proven");
    }
}
