package dev.backendteam.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.restassured.path.json.JsonPath;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static io.restassured.RestAssured.given;
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

    private static JsonPath finished(String id) {
        return Jobs.finished(id, JOB_WAIT);
    }

    @Test
    void theReadmeExampleSpecBecomesMigrationsThatPassEveryProof() throws Exception {
        Path example = Path.of(System.getProperty("backend-team.root", "../..")).resolve(
                "deploy/examples/new-feature.yaml");
        JsonNode job = new ObjectMapper(new YAMLFactory()).readTree(Files.readString(example));
        assertTrue(job.path("spec").path("entities").size() >= 8, "the example has at least 8 entities");
        JsonPath report = finished(Jobs.submit(new ObjectMapper().writeValueAsString(job)));
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
        // what did not run says why: a role not built yet, or pgTAP missing from the embedded PostgreSQL
        assertTrue(validation.stream().filter(v -> "not_run".equals(v.get("status")))
                .allMatch(v -> String.valueOf(v.get("details")).startsWith("not built yet")
                        || String.valueOf(v.get("details")).startsWith("pgTAP is not installed")), validation.toString());
        assertTrue(report.getBoolean("proven"), "passed proofs and no failure: the job is proven");
        List<Map<String, Object>> errors = report.getList(
                "steps.findAll { it.service == 'db-architect' }.findings.flatten().findAll { it.severity == 'error' }");
        assertEquals(List.of(), errors, "the generated migrations pass the linter");
    }

    @Test
    void aMalformedSpecFailsTheStepWithThePathOfEachProblem() {
        JsonPath report = finished(Jobs.submit("{\"task\":\"design it\",\"flow\":\"new-feature\",\"spec\":{\"entities\":["
                + "{\"name\":\"post\"},{\"name\":\"comment\",\"belongsTo\":\"psot\"}]}}"));
        assertEquals("failed", report.getString("status"));
        assertTrue(report.getString("reason").contains("invalid_input"), report.getString("reason"));
        List<String> messages = report.getList("steps[0].findings.findAll { it.severity == 'error' }.message");
        assertTrue(messages.stream().anyMatch(m -> m.contains("psot")), messages.toString());
    }

    @Test
    void hostileAndMalformedSqlGiveFindingsWithLinesAndTheServiceCarriesOn() {
        JsonPath hostile = finished(Jobs.submit("{\"task\":\"review this schema\",\"flow\":\"new-feature\",\"sql\":"
                + "\"create table t (id bigint primary key);\\ncopy t to program 'rm -rf /';\"}"));
        assertEquals("failed", hostile.getString("status"));
        List<Integer> lines = hostile.getList("steps[0].findings.findAll { it.severity == 'error' }.line");
        assertTrue(lines.contains(2), "the hostile statement is on line 2: " + lines);

        JsonPath malformed = finished(Jobs.submit("{\"task\":\"review this schema\",\"flow\":\"new-feature\",\"sql\":"
                + "\"create table t (id bigint primary key);\\n\\ninsert into t values ('unterminated);\"}"));
        assertEquals("failed", malformed.getString("status"));
        List<Integer> malformedLines = malformed.getList(
                "steps[0].findings.findAll { it.severity == 'error' }.line");
        assertTrue(malformedLines.contains(3), "the unterminated string starts on line 3: " + malformedLines);

        JsonPath plainWords = finished(Jobs.submit("{\"task\":\"add a comments table\",\"flow\":\"new-feature\"}"));
        assertEquals("needs_input", plainWords.getString("status"));
        assertTrue(plainWords.getString("question").contains("entities"), plainWords.getString("question"));

        JsonPath fine = finished(Jobs.submit("{\"task\":\"review this schema\",\"flow\":\"new-feature\",\"sql\":"
                + "\"create table if not exists notes (id bigint generated always as identity primary key);\"}"));
        assertEquals("completed", fine.getString("status"), fine.getString("reason"));
    }

    @Test
    void aStatementReturningGigabytesFailsItsStepClearlyWhileAConcurrentJobCompletesAndTheServiceStaysReady() {
        // 50 rows of 100 MB: read whole, they would take the 256 MB service down ("Ran out of memory…").
        String hostile = Jobs.submit("{\"task\":\"review this schema\",\"flow\":\"new-feature\",\"sql\":"
                + "\"create table if not exists big (id bigint primary key);\\nselect repeat('x', 100000000) from"
                + " generate_series(1, 50);\"}");
        String fine = Jobs.submit("{\"task\":\"review this schema\",\"flow\":\"new-feature\",\"sql\":"
                + "\"create table if not exists calm (id bigint generated always as identity primary key);\"}");
        JsonPath cut = finished(hostile);
        assertEquals("failed", cut.getString("status"));
        assertTrue(cut.getString("reason").contains("54000"), cut.getString("reason"));
        List<String> errors = cut.getList("steps[0].findings.findAll { it.severity == 'error' }.message");
        assertTrue(errors.stream().anyMatch(m -> m.contains("statement 2 (line 2") && m.contains("54000")),
                "the finding names the statement and the limit: " + errors);
        assertEquals("completed", finished(fine).getString("status"), "the concurrent job is not disturbed");
        given().baseUri(RunningStack.stack().service("specialist-db-architect").url()).get("/q/health/ready").then()
                .statusCode(200).body("status", equalTo("UP"));
        assertTrue(RunningStack.stack().service("specialist-db-architect").isAlive());
    }

    @Test
    void anExistingProjectIsTheBaseAndALegacyProjectIsProvenUnderItsOwnGrants() {
        JsonPath report = finished(Jobs.submit("""
                {"task": "add reactions to comments", "flow": "new-feature", "grants": "legacy",
                 "spec": {"entities": [{"name": "reaction", "belongsTo": "comment", "owner": true,
                                        "fields": {"emoji": "text!"}}]},
                 "files": [
                   {"path": "supabase/migrations/20240301000000_comment.sql",
                    "content": "create table public.comment (id uuid primary key default gen_random_uuid(), post_id uuid not null references public.post (id) on delete cascade, body text);\\ncreate index idx_comment_post_id on public.comment (post_id);"},
                   {"path": "supabase/migrations/20240101000000_post.sql",
                    "content": "create table public.post (id uuid primary key default gen_random_uuid(), title text not null);"},
                   {"path": "supabase/seed.sql", "content": "insert into public.post (title) values ('hello');"}
                 ]}"""));
        assertEquals("completed", report.getString("status"), report.getString("reason"));
        List<String> bundle = report.getList("bundle.name");
        assertTrue(bundle.stream().noneMatch(n -> n.contains("comment.sql") || n.contains("post.sql")),
                "the project's migrations are not delivered again: " + bundle);
        List<Map<String, Object>> validation = report.getList("validation.findAll { it.service == 'db-architect' "
                + "&& it.kind == 'validate' }");
        Map<String, Object> base = validation.stream().filter(v -> String.valueOf(v.get("check"))
                .startsWith("apply: the existing schema")).findFirst().orElseThrow();
        assertEquals("passed", base.get("status"));
        assertTrue(String.valueOf(base.get("details")).contains("20240101000000_post.sql, supabase/migrations/"
                + "20240301000000_comment.sql"), "applied in their order: " + base);
        List<Map<String, Object>> sandboxed = validation.stream().filter(v -> v.get("sandbox") != null).toList();
        assertTrue(sandboxed.size() >= 5 && sandboxed.stream().allMatch(v -> "legacy".equals(((Map<?, ?>)
                v.get("sandbox")).get("grants"))), "every sandbox proof ran under the project's legacy grants: "
                + validation);
        Map<String, Object> grants = validation.stream().filter(v -> String.valueOf(v.get("check"))
                .startsWith("catalog: the API roles' grants")).findFirst().orElseThrow();
        assertEquals("grant-check", ((Map<?, ?>) grants.get("data")).get("kind"));
        assertTrue(report.getBoolean("proven"));
    }
}
