package dev.backendteam.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.stubbing.ServeEvent;
import com.knuddels.jtokkit.Encodings;
import com.knuddels.jtokkit.api.Encoding;
import com.knuddels.jtokkit.api.EncodingType;
import dev.backendteam.stack.ServiceProcess;
import io.restassured.path.json.JsonPath;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Plain words in, proven artifacts out, through the real broker: the gateway, db-architect and security run with a
 * model configured (OpenAI's API, stubbed by WireMock: mappings under src/test/resources/llm/openai), so the
 * packaged services' real clients, tool loops and accounting run. The planner picks the flow and lifts the queries,
 * db-architect's model drafts the spec and the engine proves it, security's model drafts the access table, which the
 * user confirms before the RLS matrix proves the policies generated from it, the query-optimizer proves an index for
 * the lifted query, and the job completes only after its validation round. Afterwards the services are restarted without a model, so the rest of the suite is unchanged. Prints the
 * prompt sizes of this, the README's example, per step (o200k_base tokens: an estimate for other tokenizers).
 */
@ExtendWith(RunningStack.class)
class ModelIT {
    static final String EXAMPLE = "Add comments to posts; only the author may edit or delete a comment; list the"
            + " latest comments per post fast.";
    /** The query-optimizer keeps no model here: the planner lifts the query, so it has nothing to draft. */
    private static final List<String> WITH_MODEL = List.of("orchestrator", "specialist-db-architect",
            "specialist-security");
    private static WireMockServer stub;

    @BeforeAll
    static void withModels() {
        stub = new WireMockServer(options().dynamicPort().bindAddress("127.0.0.1")
                .usingFilesUnderClasspath("llm/openai"));
        stub.start();
        restart(Map.of("BACKEND_TEAM_LLM_PROVIDER", "openai",
                "BACKEND_TEAM_LLM_OPENAI_BASE_URL", stub.baseUrl() + "/v1",
                "BACKEND_TEAM_LLM_OPENAI_API_KEY", "sk-e2e-not-a-secret",
                "BACKEND_TEAM_LLM_OPENAI_MODEL", "gpt-4o-mini"));
    }

    @AfterAll
    static void withoutModels() throws Exception {
        try {
            printPromptSizes();
        } finally {
            restart(Map.of());
            stub.stop();
        }
    }

    private static void restart(Map<String, String> env) {
        List<CompletableFuture<ServiceProcess>> restarts = new ArrayList<>();
        for (String name : WITH_MODEL) {
            restarts.add(CompletableFuture.supplyAsync(() -> RunningStack.stack().service(name).restart(env)));
        }
        restarts.forEach(CompletableFuture::join);
    }

    @Test
    void plainWordsArePlannedDraftedProvenAndAccounted() {
        String id = Jobs.submit("{\"task\": \"" + EXAMPLE + "\"}");
        // security's model drafted the access table from the words; the user confirms it before it counts
        JsonPath asked = Jobs.finished(id, Duration.ofSeconds(180));
        assertEquals("needs_input", asked.getString("status"), asked.getString("reason"));
        String question = Jobs.alice().get("/jobs/" + id).then().extract().path("question");
        assertTrue(question.contains("\"comment\"") && question.contains("Answer yes"), question);
        Jobs.alice().contentType(io.restassured.http.ContentType.JSON).body("{\"answer\": \"yes\"}")
                .post("/jobs/" + id + "/answers").then().statusCode(202);
        JsonPath report = Jobs.finished(id, Duration.ofSeconds(240));
        assertEquals("completed", report.getString("status"), report.getString("reason") + " — "
                + report.getList("steps.collect { it.service + ': ' + it.status + ' ' + it.reason }"));
        assertEquals("new-feature", report.getString("flow"));
        List<String> services = report.getList("steps.findAll { it.kind == 'work' }.service");
        assertEquals(List.of("db-architect", "security", "query-optimizer"), services.subList(0, 3), services.toString());

        List<String> bundle = report.getList("bundle.name");
        assertTrue(bundle.stream().anyMatch(n -> n.endsWith("_create_comment.sql") || n.contains("create_comment")),
                bundle.toString());
        assertTrue(bundle.contains("domain-spec.json"), "the drafted spec is delivered: " + bundle);
        assertTrue(bundle.stream().anyMatch(n -> n.contains("index") || n.contains("idx")),
                "the planner's query got its proven index: " + bundle);
        List<Map<String, Object>> drafted = Jobs.checks(report, "db-architect", "work").stream()
                .filter(c -> String.valueOf(c.get("check")).startsWith("model draft")).toList();
        assertEquals(1, drafted.size(), report.getList("validation").toString());
        assertEquals("passed", drafted.get(0).get("status"));
        assertTrue(report.getBoolean("proven"), "the validation round proved the bundle");

        JsonPath job = Jobs.alice().get("/jobs/" + id).then().extract().jsonPath();
        assertEquals(1, job.getInt("orchestratorUsage.calls"), "one planner call");
        assertEquals(900 + 1500 + 1700 + 1300, job.getInt("usage.tokensIn"),
                "planner + two db-architect calls + security's draft");
        assertEquals(4, stub.getAllServeEvents().size(), "no other model call was made, none after the answer");
        assertTrue(bundle.contains("supabase/security/access.json"), "the confirmed access table: " + bundle);
        assertTrue(Jobs.checks(report, "security", "validate").stream().anyMatch(c -> String.valueOf(c.get("check"))
                .toLowerCase().contains("matrix") && "passed".equals(c.get("status"))),
                "the validation round ran the RLS matrix on the confirmed intent: " + report.getList("validation"));
    }

    /** Every request's messages and tool definitions, counted with o200k_base, by the role's purpose. */
    private static void printPromptSizes() throws Exception {
        Encoding tokens = Encodings.newDefaultEncodingRegistry().getEncoding(EncodingType.O200K_BASE);
        ObjectMapper json = new ObjectMapper();
        Map<String, List<Integer>> byRole = new LinkedHashMap<>();
        List<ServeEvent> events = new ArrayList<>(stub.getAllServeEvents());
        java.util.Collections.reverse(events);
        for (ServeEvent e : events) {
            JsonNode body = json.readTree(e.getRequest().getBodyAsString());
            String system = body.path("messages").path(0).path("content").asText("");
            String role = system.startsWith("You are the planner") ? "orchestrator (planner)"
                    : system.startsWith("You are the db-architect") ? "db-architect"
                    : system.startsWith("You draft the access intent") ? "security" : system.split("\\.")[0];
            int count = 0;
            for (JsonNode m : body.path("messages")) {
                count += tokens.countTokens(m.path("content").asText(""));
                count += m.has("tool_calls") ? tokens.countTokens(m.get("tool_calls").toString()) : 0;
            }
            count += body.has("tools") ? tokens.countTokens(body.get("tools").toString()) : 0;
            byRole.computeIfAbsent(role, r -> new ArrayList<>()).add(count);
        }
        StringBuilder out = new StringBuilder("Prompt sizes of the README example, per step and call (o200k_base"
                + " tokens, estimates; the request's messages and tool definitions):\n");
        byRole.forEach((role, counts) -> out.append(String.format("  %-24s %s%n", role, counts)));
        System.out.print(out);
        Path file = Path.of("target", "prompt-sizes.txt");
        Files.createDirectories(file.getParent());
        Files.writeString(file, out.toString());
    }
}
