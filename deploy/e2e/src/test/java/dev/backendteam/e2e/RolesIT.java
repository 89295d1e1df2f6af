package dev.backendteam.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.restassured.path.json.JsonPath;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The three roles that complete the team (issue 12), end to end through Kafka: the README's new-feature example runs
 * db-architect → security → query-optimizer → db-architect(api-data) → ops(edge-functions) with no step skipped and
 * every step's checks really run; a realtime task is routed to websocket by its words and yields a proven publication,
 * channel policies and client code; the bundle carries it all in the Supabase CLI layout.
 */
@ExtendWith(RunningStack.class)
class RolesIT {
    private static final Duration JOB_WAIT = Duration.ofSeconds(240);

    private static Path root() {
        return Path.of(System.getProperty("backend-team.root", "../.."));
    }

    private static JsonPath run(String example) throws IOException {
        JsonNode job = new ObjectMapper(new YAMLFactory()).readTree(Files.readString(root().resolve(example)));
        return Jobs.finished(Jobs.submit(new ObjectMapper().writeValueAsString(job)), JOB_WAIT);
    }

    @Test
    void theNewFeatureExampleRunsAllFiveRolesAndEveryStepHasChecksThatRan() throws Exception {
        JsonPath report = run("deploy/examples/new-feature.yaml");
        assertEquals("completed", report.getString("status"), report.getString("reason"));

        List<Map<String, Object>> work = report.getList("steps.findAll { it.kind == 'work' }");
        assertEquals(List.of("db-architect", "security", "query-optimizer", "db-architect(api-data)",
                "ops(edge-functions)"), work.stream().map(s -> s.get("role") == null || "schema".equals(s.get("role"))
                        || s.get("role").equals(s.get("service"))
                        ? String.valueOf(s.get("service")) : s.get("service") + "(" + s.get("role") + ")").toList(),
                "the flow, in order: " + work);
        assertTrue(report.getList("steps.status").stream().noneMatch("skipped"::equals),
                "no step skipped: " + report.getList("steps.status"));
        for (Map<String, Object> step : work) {
            List<Map<String, Object>> evidence = evidence(step);
            assertTrue(evidence.stream().anyMatch(e -> "passed".equals(e.get("status"))),
                    step.get("role") + " has a check that ran and passed: " + evidence);
            assertTrue(evidence.stream().noneMatch(e -> "failed".equals(e.get("status"))), evidence.toString());
        }
        // the new roles' own checks ran for real: the compiler, the OpenAPI parser, the sandbox, deno
        assertRan(report, "api-data", "tsc");
        assertRan(report, "api-data", "openapi");
        assertRan(report, "edge-functions", "deno check");
        List<Map<String, Object>> validation = report.getList("validation");
        for (String role : List.of("api-data", "edge-functions")) {
            assertTrue(validation.stream().anyMatch(v -> role.equals(v.get("role")) && "validate".equals(v.get("kind"))
                    && "passed".equals(v.get("status"))), role + " took part in the validation round: " + validation);
        }
        assertTrue(report.getBoolean("proven"), "the job is proven");

        Map<String, String> bundle = bundle(report.getString("jobId"));
        assertTrue(bundle.keySet().stream().anyMatch(n -> n.matches("supabase/migrations/\\d{14}_.*api.*\\.sql")),
                "api-data's migration in the CLI layout: " + bundle.keySet());
        assertTrue(bundle.containsKey("supabase/api/openapi.json"), bundle.keySet().toString());
        assertTrue(bundle.containsKey("supabase/functions/_shared/errors.ts"), bundle.keySet().toString());
        assertTrue(bundle.keySet().stream().anyMatch(n -> n.matches("supabase/functions/[a-z0-9-]+/index\\.ts")
                && !n.contains("_shared")), "a function in supabase/functions/<name>/index.ts: " + bundle.keySet());
        String types = bundle.get("types/database.types.ts");
        assertTrue(types != null && !bundle.containsKey("types/database.types.ts.2"),
                "one database.types.ts, the extended one: " + bundle.keySet());
        assertTrue(!types.contains("Views: {\n      [_ in never]: never") && types.contains("Functions"),
                "database.types.ts carries the API's views and functions");
        String markdown = bundle.get("REPORT.md");
        assertTrue(markdown.contains("## Edge Functions") && markdown.contains("supabase/functions/"),
                "the report lists the edge functions");
    }

    @Test
    void aRealtimeTaskIsRoutedToWebsocketAndYieldsAProvenPublicationPoliciesAndClientCode() throws Exception {
        JsonPath report = run("deploy/examples/realtime.yaml");
        assertEquals("completed", report.getString("status"), report.getString("reason"));
        assertEquals("realtime", report.getString("flow"), "routed by its words");

        List<Map<String, Object>> work = report.getList("steps.findAll { it.kind == 'work' }");
        assertTrue(work.stream().anyMatch(s -> "websocket".equals(s.get("role")) && "succeeded".equals(s.get("status"))),
                work.toString());
        Map<String, Object> websocket = work.stream().filter(s -> "websocket".equals(s.get("role"))).findFirst()
                .orElseThrow();
        List<Map<String, Object>> evidence = evidence(websocket);
        assertTrue(evidence.stream().anyMatch(e -> String.valueOf(e.get("check")).contains("publication")
                && "passed".equals(e.get("status"))), "the publication holds exactly the intended tables: " + evidence);
        assertTrue(evidence.stream().anyMatch(e -> String.valueOf(e.get("details")).contains("policy-level")
                && "passed".equals(e.get("status"))), "the channel policies exercised as the actors: " + evidence);
        assertRan(report, "websocket", "tsc");

        Map<String, String> bundle = bundle(report.getString("jobId"));
        String migrations = String.join("\n", bundle.entrySet().stream()
                .filter(e -> e.getKey().startsWith("supabase/migrations/")).map(Map.Entry::getValue).toList());
        assertTrue(migrations.contains("supabase_realtime"), "the publication's migration: " + bundle.keySet()
                + "\n" + report.getList("steps.findAll { it.role == 'websocket' }.findings"));
        assertTrue(migrations.contains("realtime.messages"), "the channel policies' migration");
        assertTrue(bundle.keySet().stream().anyMatch(n -> n.startsWith("supabase/realtime/") && n.endsWith(".ts")),
                "the client code: " + bundle.keySet());
        assertTrue(report.getBoolean("proven"), "the job is proven");
    }

    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> evidence(Map<String, Object> step) {
        return (List<Map<String, Object>>) step.get("evidence");
    }

    /** A check of {@code role}'s work step whose name contains {@code check} ran and passed. */
    private static void assertRan(JsonPath report, String role, String check) {
        List<Map<String, Object>> evidence = report.getList("steps.findAll { it.kind == 'work' && it.role == '"
                + role + "' }.evidence.flatten()");
        assertTrue(evidence.stream().anyMatch(e -> String.valueOf(e.get("check")).toLowerCase().contains(check)
                && "passed".equals(e.get("status"))), role + " ran '" + check + "': " + evidence);
    }

    private static Map<String, String> bundle(String id) throws IOException {
        byte[] zip = Jobs.alice().get("/jobs/" + id + "/bundle").then().statusCode(200).extract().asByteArray();
        Map<String, String> entries = new LinkedHashMap<>();
        try (ZipInputStream in = new ZipInputStream(new ByteArrayInputStream(zip), StandardCharsets.UTF_8)) {
            for (ZipEntry e = in.getNextEntry(); e != null; e = in.getNextEntry()) {
                entries.put(e.getName(), new String(in.readAllBytes(), StandardCharsets.UTF_8));
            }
        }
        return entries;
    }
}
