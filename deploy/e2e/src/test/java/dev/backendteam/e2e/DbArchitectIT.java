package dev.backendteam.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import io.restassured.specification.RequestSpecification;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

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
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * db-architect end to end through Kafka, with proofs in the sandbox of the real PostgreSQL: README's example spec
 * becomes migrations that pass the linter and every proof; bad input fails clearly and the service carries on.
 */
@ExtendWith(RunningStack.class)
class DbArchitectIT {
    private static final Duration JOB_WAIT = Duration.ofSeconds(120);

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

    @Test
    void theReadmeExampleSpecBecomesMigrationsThatPassEveryProof() throws Exception {
        Path example = Path.of(System.getProperty("backend-team.root", "../..")).resolve(
                "deploy/examples/new-feature.yaml");
        JsonNode job = new ObjectMapper(new YAMLFactory()).readTree(Files.readString(example));
        assertTrue(job.path("spec").path("entities").size() >= 8, "the example has at least 8 entities");
        JsonPath report = finished(submit(new ObjectMapper().writeValueAsString(job)));
        assertEquals("completed", report.getString("status"), report.getString("reason"));

        List<String> migrations = report.getList("bundle.findAll { it.kind == 'migration' }.name");
        assertTrue(migrations.size() >= 8, "migrations: " + migrations);
        assertTrue(migrations.get(0).startsWith("001_"), migrations.get(0));
        List<Map<String, Object>> validation = report.getList("validation");
        for (String check : List.of("apply:", "down:", "up again:")) {
            assertTrue(validation.stream().anyMatch(v -> String.valueOf(v.get("check")).startsWith(check)
                            && Boolean.TRUE.equals(v.get("passed")) && "validate".equals(v.get("kind"))),
                    "the validation round proved '" + check + "': " + validation);
        }
        assertTrue(validation.stream().filter(v -> "db-architect".equals(v.get("service")))
                .allMatch(v -> "passed".equals(v.get("status"))), "every db-architect proof ran and passed: " + validation);
        assertTrue(validation.stream().noneMatch(v -> "failed".equals(v.get("status"))), validation.toString());
        assertTrue(validation.stream().filter(v -> "not_run".equals(v.get("status")))
                .allMatch(v -> String.valueOf(v.get("details")).startsWith("not built yet")), validation.toString());
        assertTrue(report.getBoolean("proven"), "passed proofs and no failure: the job is proven");
        List<Map<String, Object>> errors = report.getList(
                "steps.findAll { it.service == 'db-architect' }.findings.flatten().findAll { it.severity == 'error' }");
        assertEquals(List.of(), errors, "the generated migrations pass the linter");
    }

    @Test
    void aMalformedSpecFailsTheStepWithThePathOfEachProblem() {
        JsonPath report = finished(submit("{\"task\":\"design it\",\"flow\":\"new-feature\",\"spec\":{\"entities\":["
                + "{\"name\":\"post\"},{\"name\":\"comment\",\"belongsTo\":\"psot\"}]}}"));
        assertEquals("failed", report.getString("status"));
        assertTrue(report.getString("reason").contains("invalid_input"), report.getString("reason"));
        List<String> messages = report.getList("steps[0].findings.findAll { it.severity == 'error' }.message");
        assertTrue(messages.stream().anyMatch(m -> m.contains("psot")), messages.toString());
    }

    @Test
    void hostileAndMalformedSqlGiveFindingsWithLinesAndTheServiceCarriesOn() {
        JsonPath hostile = finished(submit("{\"task\":\"review this schema\",\"flow\":\"new-feature\",\"sql\":"
                + "\"create table t (id bigint primary key);\\ncopy t to program 'rm -rf /';\"}"));
        assertEquals("failed", hostile.getString("status"));
        List<Integer> lines = hostile.getList("steps[0].findings.findAll { it.severity == 'error' }.line");
        assertTrue(lines.contains(2), "the hostile statement is on line 2: " + lines);

        JsonPath malformed = finished(submit("{\"task\":\"review this schema\",\"flow\":\"new-feature\",\"sql\":"
                + "\"create table t (id bigint primary key);\\n\\ninsert into t values ('unterminated);\"}"));
        assertEquals("failed", malformed.getString("status"));
        List<Integer> malformedLines = malformed.getList(
                "steps[0].findings.findAll { it.severity == 'error' }.line");
        assertTrue(malformedLines.contains(3), "the unterminated string starts on line 3: " + malformedLines);

        JsonPath plainWords = finished(submit("{\"task\":\"add a comments table\",\"flow\":\"new-feature\"}"));
        assertEquals("needs_input", plainWords.getString("status"));
        assertTrue(plainWords.getString("question").contains("entities"), plainWords.getString("question"));

        JsonPath fine = finished(submit("{\"task\":\"review this schema\",\"flow\":\"new-feature\",\"sql\":"
                + "\"create table if not exists notes (id bigint generated always as identity primary key);\"}"));
        assertEquals("completed", fine.getString("status"), fine.getString("reason"));
    }
}
