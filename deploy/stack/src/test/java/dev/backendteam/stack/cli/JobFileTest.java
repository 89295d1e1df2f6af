package dev.backendteam.stack.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import dev.backendteam.contract.Json;
import dev.backendteam.stack.cli.JobFile.JobFileException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class JobFileTest {
    /** deploy/examples, seen from this module's folder (Surefire's working directory). */
    private static final Path EXAMPLES = Path.of("..", "examples");
    /** The orchestrator's flows, whose names a job's {@code flow} takes. */
    private static final Path FLOWS = Path.of("..", "..", "orchestrator", "src", "main", "resources", "flows.yaml");

    private static String refusal(String name, String content) {
        return assertThrows(JobFileException.class, () -> JobFile.parse(Path.of(name), content)).getMessage();
    }

    @Test
    void aJsonJobIsSentAsWritten() throws IOException {
        JobFile job = JobFile.parse(Path.of("bug.json"), "{ \"task\": \"fix it\", \"logs\": \"ERROR: boom\" }");
        assertEquals("fix it", job.request().task());
        assertEquals(Json.events().readTree("{\"task\":\"fix it\",\"logs\":\"ERROR: boom\"}"),
                Json.events().readTree(job.json()));
    }

    @Test
    void aYamlJobBecomesTheSameJson() throws IOException {
        JobFile job = JobFile.parse(Path.of("feature.yml"), """
                # a comment
                task: Comments on posts
                flow: new-feature
                spec:
                  entities:
                    - name: post
                      owner: true
                      fields: { title: text!, status: { enum: [draft, published], default: draft } }
                queries:
                  - { name: latest, sql: "select id from post where user_id = $1 order by created_at desc" }
                rowCounts: { post: 5000000 }
                files:
                  - path: package.json
                    content: |
                      { "name": "app" }
                """);
        JsonNode json = Json.events().readTree(job.json());
        assertEquals("new-feature", json.path("flow").asText());
        assertTrue(json.path("spec").path("entities").get(0).path("owner").asBoolean());
        assertEquals("text!", json.path("spec").path("entities").get(0).path("fields").path("title").asText());
        assertEquals(5_000_000L, json.path("rowCounts").path("post").asLong());
        assertEquals("{ \"name\": \"app\" }\n", json.path("files").get(0).path("content").asText());
        assertEquals("latest", job.request().queries().get(0).name());
    }

    @Test
    void aFileWithAnotherNameIsJsonWhenItLooksLikeJson() {
        assertEquals("x", JobFile.parse(Path.of("job.txt"), "  {\"task\":\"x\"}").request().task());
        assertEquals("x", JobFile.parse(Path.of("job.txt"), "task: x").request().task());
    }

    @Test
    void anUnknownFieldIsRefusedWithItsLineAndTheKnownFields() {
        String message = refusal("job.yaml", "task: x\nflwo: bug\n");
        assertTrue(message.startsWith("job.yaml: unknown field 'flwo' at line 2"), message);
        assertTrue(message.contains("correlationId, explain, files, flow, grants, logs, queries, rowCounts, spec, sql,"
                + " target, task, writeRates"), message);
        assertTrue(refusal("job.json", "{\"task\":\"x\",\"queries\":[{\"name\":\"q\",\"sqll\":\"s\"}]}")
                .contains("unknown field 'queries[0].sqll'"));
    }

    @Test
    void malformedFilesSayWhere() {
        String json = refusal("job.json", "{\n  \"task\": \"x\",\n  \"flow\": \n}");
        assertTrue(json.startsWith("job.json: not valid JSON at line 4, column 1: "), json);
        String yaml = refusal("job.yaml", "task: x\n  flow: [bug\n");
        assertTrue(yaml.startsWith("job.yaml: not valid YAML at line "), yaml);
        assertTrue(refusal("job.json", "{\"task\":\"x\",\"task\":\"y\"}").contains("Duplicate field 'task'"));
    }

    @Test
    void wrongShapesAndTypesAreNamed() {
        assertTrue(refusal("job.yaml", "- task: x\n").contains("a job must be a mapping of fields"));
        assertTrue(refusal("job.json", "\"just a string\"").contains("this file holds a single value (string)"));
        String type = refusal("job.json", "{\"task\":\"x\",\"rowCounts\":{\"comments\":\"many\"}}");
        assertTrue(type.startsWith("job.json: field 'rowCounts.comments' at line 1"), type);
        assertTrue(type.contains("wrong type"), type);
    }

    @Test
    void aJobNeedsATask() {
        assertEquals("job.yaml: 'task' is required: say what you want done", refusal("job.yaml", "flow: bug\n"));
        assertEquals("job.yaml: 'task' is required: say what you want done", refusal("job.yaml", "task: \"  \"\n"));
        assertTrue(refusal("job.yaml", "\n  \n")
                .startsWith("job.yaml: the file is empty; a job needs at least a task"));
        assertTrue(refusal("job.yaml", "# only a comment\n").contains("this file holds nothing"));
    }

    @Test
    void aMissingFileIsNamed(@TempDir Path dir) {
        Path missing = dir.resolve("nope.json");
        assertEquals(missing + ": no such file",
                assertThrows(JobFileException.class, () -> JobFile.read(missing)).getMessage());
    }

    @Test
    void anAnswerFileCarriesInputsAndAnyOtherFileIsSentAsLogs(@TempDir Path dir) throws IOException {
        JsonNode yaml = Json.events().readTree(JobFile.answerBody(Files.writeString(dir.resolve("a.yaml"),
                "answer: bug\nlogs: |\n  ERROR: relation \"comments\" does not exist\n")));
        assertEquals("bug", yaml.path("answer").asText());
        assertEquals("ERROR: relation \"comments\" does not exist\n", yaml.path("logs").asText());
        JsonNode noAnswer = Json.events().readTree(JobFile.answerBody(Files.writeString(dir.resolve("b.json"),
                "{\"flow\":\"bug\"}")));
        assertEquals("see the fields sent with this answer (b.json)", noAnswer.path("answer").asText(),
                "the gateway needs an answer; the fields are what matters");
        assertEquals("bug", noAnswer.path("flow").asText());
        JsonNode log = Json.events().readTree(JobFile.answerBody(Files.writeString(dir.resolve("app.log"),
                "ERROR: boom\n")));
        assertEquals("the log in app.log", log.path("answer").asText());
        assertEquals("ERROR: boom\n", log.path("logs").asText());
        String refusal = assertThrows(JobFileException.class, () -> JobFile.answerBody(Files.writeString(
                dir.resolve("c.yaml"), "answer: x\ntask: y\n"))).getMessage();
        assertTrue(refusal.contains("unknown field 'task' at line 2; the fields of an answer are answer, "), refusal);
    }

    @Test
    void everyExampleIsAValidJobAndEveryFlowHasOne() throws IOException {
        List<Path> examples;
        try (Stream<Path> files = Files.list(EXAMPLES)) {
            examples = files.filter(p -> p.toString().endsWith(".json") || p.toString().endsWith(".yaml")).sorted()
                    .toList();
        }
        Set<String> flows = new LinkedHashSet<>();
        new YAMLMapper().readTree(FLOWS.toFile()).path("flows").fieldNames().forEachRemaining(flows::add);
        assertTrue(flows.containsAll(List.of("new-feature", "performance", "bug", "security-review", "deployment",
                "realtime", "api", "edge-functions")), flows.toString());
        for (String flow : flows) {
            boolean found = examples.stream().anyMatch(p -> p.getFileName().toString().startsWith(flow + "."));
            assertTrue(found, "no example for " + flow + " in " + examples);
        }
        for (Path example : examples) {
            JobFile job = JobFile.read(example);
            assertFalse(job.request().task().isBlank(), example.toString());
        }
        JobFile feature = JobFile.read(EXAMPLES.resolve("new-feature.yaml"));
        assertEquals(8, feature.request().spec().path("entities").size());
        assertTrue(feature.request().queries().stream().allMatch(q -> q.sql().contains("$1")));
        assertTrue(JobFile.read(EXAMPLES.resolve("bug.json")).request().logs().contains("42P01"));
    }
}
